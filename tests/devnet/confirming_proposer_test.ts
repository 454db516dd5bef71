import assert from "node:assert/strict";
import { createWalletClient, encodeFunctionData, hexToBytes, http, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startAnvil } from "../../devnet/anvil.ts";
import { BeaconStub } from "../../devnet/beacon_stub.ts";
import { ConfirmingProposer } from "../../devnet/confirming_proposer.ts";
import { deployStandIns } from "../../devnet/contracts.ts";
import { anchorAbi } from "../../driver/shasta/abi.ts";
import { ANCHOR_GAS_LIMIT } from "../../driver/shasta/constants.ts";
import { manifestFromBlobs } from "../../driver/shasta/manifest_codec.ts";

Deno.test("`ConfirmingProposer` proposes the L2 chain's unproposed blocks once, anchors dropped", async () => {
  await using l1 = await startAnvil();
  // A second anvil plays the L2 engine's public RPC: it serves blocks with full transactions.
  await using l2 = await startAnvil({ chainId: 167001n, warmUpKzg: false });
  const contracts = await deployStandIns(l1.url);
  await using beacon = BeaconStub.start({ genesisTimestamp: l1.genesisTimestamp, l1Url: l1.url });
  const account = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
  const wallet = createWalletClient({
    account,
    chain: {
      id: 167001,
      name: "l2",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [l2.url] } },
    },
    transport: http(l2.url),
  });
  const anchorCall = encodeFunctionData({
    abi: anchorAbi,
    functionName: "anchorV4",
    args: [{ blockNumber: 3, blockHash: `0x${"01".repeat(32)}`, stateRoot: `0x${"02".repeat(32)}` }],
  });
  await wallet.sendTransaction({
    to: "0x1670010000000000000000000000000000010001",
    data: anchorCall,
    gas: 100_000n,
  });
  const transferHash = await wallet.sendTransaction({
    to: "0x1111111111111111111111111111111111111111",
    value: 5n,
  });
  await l2.client.waitForTransactionReceipt({ hash: transferHash });

  const proposer = new ConfirmingProposer({
    proposer: { l1Url: l1.url, inbox: contracts.inbox, beacon },
    l2Url: l2.url,
  });
  const posted = await proposer.proposeOnce();
  assert.ok(posted !== null);
  assert.equal(proposer.proposedThrough, 2n);
  assert.equal(proposer.proposals, 1);

  const slice = posted.proposal.sources[0]!.blobSlice;
  const decoded = manifestFromBlobs(posted.sidecars.map((s) => hexToBytes(s.blob)), slice);
  assert.equal(decoded.failure, null);
  const l2Blocks = await Promise.all([1n, 2n].map((n) => l2.client.getBlock({ blockNumber: n })));
  assert.deepEqual(decoded.manifest.blocks.map((b) => b.timestamp), l2Blocks.map((b) => b.timestamp));
  assert.deepEqual(decoded.manifest.blocks.map((b) => b.anchorBlockNumber), [3n, 3n]);
  assert.deepEqual(
    decoded.manifest.blocks.map((b) => b.gasLimit),
    l2Blocks.map((b) => b.gasLimit - ANCHOR_GAS_LIMIT),
  );
  assert.equal(decoded.manifest.blocks[0]!.transactions.length, 0);
  assert.deepEqual(decoded.manifest.blocks[1]!.transactions.map((tx) => keccak256(tx)), [transferHash]);

  assert.equal(await proposer.proposeOnce(), null);
});
