import assert from "node:assert/strict";
import { decodeFunctionData, keccak256, parseTransaction, recoverTransactionAddress, zeroHash } from "viem";
import { startDevnet } from "../../devnet/network.ts";
import { PreconfBlockPlanner, PreconfPublisher } from "../../devnet/preconf_publisher.ts";
import { createPreconfRpcClient } from "../../devnet/preconf_rpc_client.ts";
import { anchorAbi } from "../../driver/shasta/abi.ts";
import { anchorAddress } from "../../driver/shasta/chain_config.ts";
import { GOLDEN_TOUCH_ADDRESS, SHASTA_INITIAL_BASE_FEE } from "../../driver/shasta/constants.ts";
import { decodeSignedCommitment } from "../../runner/p2p/wire/commitment.ts";
import { recoverSigner } from "../../runner/p2p/wire/signing.ts";

Deno.test("`PreconfPublisher` plans the block after the engine's head with an anchorV4 and publishes it", async () => {
  await using devnet = await startDevnet({ engines: 1, l1BlockTimeSeconds: null });
  const engine = devnet.engines[0]!;
  const planner = new PreconfBlockPlanner({
    l1Url: devnet.endpoints.l1Http,
    inbox: devnet.endpoints.inbox,
    l2Url: engine.publicUrl,
    beaconGenesisTimestamp: devnet.anvil.genesisTimestamp,
  });
  const now = devnet.anvil.genesisTimestamp + 400n;
  const block = await planner.next({ now });
  assert.equal(block.blockNumber, 1n);
  assert.equal(block.timestamp, now);
  // The genesis parent (30M) carries no anchor budget: the manifest limit stays 30M, plus 1M for the anchor.
  assert.equal(block.gasLimit, 31_000_000n);
  assert.equal(block.proposalId, 1n);
  // 400 s after genesis is in epoch 1, whose last slot starts at 384 + 372.
  assert.equal(block.submissionWindowEnd, devnet.anvil.genesisTimestamp + 756n);
  const l1Head = await devnet.anvil.client.getBlockNumber();
  assert.equal(block.anchorBlockNumber, l1Head - 1n);

  const anchorTx = block.transactions[0]!;
  const parsed = parseTransaction(anchorTx);
  assert.equal(parsed.to, anchorAddress(167001n));
  assert.equal(parsed.maxFeePerGas, SHASTA_INITIAL_BASE_FEE);
  assert.equal(parsed.nonce, 0);
  assert.equal(
    await recoverTransactionAddress({ serializedTransaction: anchorTx as `0x02${string}` }),
    GOLDEN_TOUCH_ADDRESS,
  );
  const call = decodeFunctionData({ abi: anchorAbi, data: parsed.data! });
  const anchorBlock = await devnet.anvil.client.getBlock({ blockNumber: block.anchorBlockNumber });
  assert.deepEqual(call.args[0], {
    blockNumber: Number(anchorBlock.number),
    blockHash: anchorBlock.hash,
    stateRoot: anchorBlock.stateRoot,
  });

  const published: unknown[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const body = await request.json() as {
      id: number;
      params: [{ commitment: `0x${string}`; txListHash: `0x${string}` }];
    };
    published.push(body.params[0]);
    return Response.json({
      jsonrpc: "2.0",
      id: body.id,
      result: { commitmentHash: keccak256(body.params[0].commitment), txListHash: body.params[0].txListHash },
    });
  });
  const publisher = new PreconfPublisher({
    planner,
    preconfer: devnet.preconfer,
    rpc: createPreconfRpcClient(`http://127.0.0.1:${server.addr.port}`),
  });
  const { message, result } = await publisher.publishNext();
  assert.equal(published.length, 1);
  assert.equal(result.txListHash, message.txListHash);
  const signed = decodeSignedCommitment(message.commitment);
  assert.equal(recoverSigner(signed), devnet.preconfer.address);
  assert.equal(signed.commitment.preconf.blockNumber, 1n);
  assert.equal(signed.commitment.preconf.parentPreconfirmationHash, zeroHash);
});
