import assert from "node:assert/strict";
import { decodeFunctionData, type Hex, parseTransaction } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { EngineSimulator } from "../../../devnet/engine/engine_simulator.ts";
import { anchorAbi } from "../../../driver/shasta/abi.ts";
import { BLOB_BYTES } from "../../../driver/shasta/constants.ts";
import { decodeExtraData } from "../../../driver/shasta/extra_data.ts";
import type { BlockManifest } from "../../../driver/shasta/types.ts";
import { startSyncEnv, type SyncEnv, waitForProposal } from "../../helpers/sync_env.ts";

const SENDER = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const PROPOSER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

async function transfer(nonce: number, calldataBytes = 0): Promise<Hex> {
  const data = new Uint8Array(calldataBytes);
  for (let at = 0; at < calldataBytes; at += 65_536) crypto.getRandomValues(data.subarray(at, at + 65_536));
  return await SENDER.signTransaction({
    chainId: 167001,
    type: "eip1559",
    nonce,
    to: "0x1111111111111111111111111111111111111111",
    value: 1n,
    data: `0x${[...data].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
    gas: 21_000n + 16n * BigInt(calldataBytes),
    maxFeePerGas: 1_000_000_000n,
    maxPriorityFeePerGas: 1n,
  });
}

/** Checks the engine's canonical blocks `first..` against a proposal's manifest blocks. */
async function assertDerived(
  env: SyncEnv,
  engine: EngineSimulator,
  first: bigint,
  blocks: readonly BlockManifest[],
  proposal: { id: bigint; l1BlockNumber: bigint; l1BlockHash: Hex },
) {
  for (const [index, expected] of blocks.entries()) {
    const number = first + BigInt(index);
    const block = engine.canonicalBlock(number);
    assert.ok(block !== undefined, `block ${number} exists`);
    const parent = engine.canonicalBlock(number - 1n);
    assert.equal(block.header.parentHash, parent?.hash, `block ${number} links to its parent`);
    assert.equal(block.header.timestamp, expected.timestamp, `block ${number} timestamp`);
    assert.equal(
      block.header.miner.toLowerCase(),
      expected.coinbase.toLowerCase(),
      `block ${number} coinbase`,
    );
    assert.equal(block.header.gasLimit, expected.gasLimit + 1_000_000n, `block ${number} gas limit`);
    assert.equal(decodeExtraData(block.header.extraData).proposalId, proposal.id);
    const [anchor, ...rest] = block.transactions;
    assert.ok(anchor !== undefined);
    assert.equal(anchor.from, "0x0000777735367b36bC9B61C50022d9D0700dB4Ec");
    const { args } = decodeFunctionData({ abi: anchorAbi, data: anchorInput(anchor.raw) });
    const checkpoint = args[0] as { blockNumber: number; blockHash: Hex };
    assert.equal(BigInt(checkpoint.blockNumber), expected.anchorBlockNumber, `block ${number} anchor`);
    const l1Anchor = await env.anvil.client.getBlock({ blockNumber: expected.anchorBlockNumber });
    assert.equal(checkpoint.blockHash, l1Anchor.hash);
    assert.deepEqual(rest.map((tx) => tx.raw), [...expected.transactions]);
    const origin = engine.l1Origin(number);
    assert.equal(origin?.l1BlockHeight, proposal.l1BlockNumber);
    assert.equal(origin?.l1BlockHash, proposal.l1BlockHash);
    assert.equal(origin?.l2BlockHash, block.hash);
  }
}

function anchorInput(raw: Hex): Hex {
  const tx = parseTransaction(raw as `0x02${string}`);
  assert.ok(tx.data !== undefined);
  return tx.data;
}

Deno.test("`EventSyncer` derives proposals of one block, several blocks and several blobs into the engine", async () => {
  const env = await startSyncEnv();
  try {
    const running = await env.startSyncer();
    const { engine } = env;

    const one = await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000c1" }]);
    await waitForProposal(running.syncer, 1n, running.done);

    const txs = [await transfer(0), await transfer(1)];
    const several = await env.planManifest([
      { coinbase: "0x00000000000000000000000000000000000000c2", transactions: [txs[0]!] },
      { coinbase: "0x00000000000000000000000000000000000000c3" },
      { coinbase: "0x00000000000000000000000000000000000000c4", transactions: [txs[1]!] },
    ]);
    const posted2 = await env.propose(several.manifest, several.l1Timestamp);
    await waitForProposal(running.syncer, 2n, running.done);

    const big = [await transfer(2, 90_000), await transfer(3, 90_000)];
    const multiBlob = await env.planManifest([
      { coinbase: "0x00000000000000000000000000000000000000c5", transactions: [big[0]!] },
      { coinbase: "0x00000000000000000000000000000000000000c6", transactions: [big[1]!] },
    ]);
    const posted3 = await env.propose(multiBlob.manifest, multiBlob.l1Timestamp);
    assert.ok(
      posted3.proposal.sources[0]!.blobSlice.blobHashes.length >= 2,
      "the manifest spans several blobs",
    );
    assert.ok(posted3.sidecars.length * BLOB_BYTES > 180_000);
    await waitForProposal(running.syncer, 3n, running.done);

    assert.equal(engine.head().header.number, 6n);
    await assertDerived(env, engine, 2n, several.manifest.blocks, posted2.proposal);
    await assertDerived(env, engine, 5n, multiBlob.manifest.blocks, posted3.proposal);
    const block1 = engine.canonicalBlock(1n)!;
    assert.equal(block1.header.miner.toLowerCase(), "0x00000000000000000000000000000000000000c1");
    assert.equal(engine.l1Origin(1n)?.l1BlockHeight, one.proposal.l1BlockNumber);
    assert.equal(engine.headL1OriginId(), 6n);
    assert.equal(running.syncer.lastCanonicalProposalId, 3n);
    assert.equal(running.syncer.confirmedTip, 6n);
    await running.stop();
  } finally {
    await env.stop();
  }
});

Deno.test("`EventSyncer` derives a forced-inclusion source with inherited metadata before the proposer's blocks", async () => {
  const env = await startSyncEnv();
  try {
    const running = await env.startSyncer();
    await env.proposeBlocks([{}]);
    await waitForProposal(running.syncer, 1n, running.done);
    const forcedTx = await transfer(0);
    await env.storeForced([forcedTx]);
    const plan = await env.planManifest([{ coinbase: "0x00000000000000000000000000000000000000d1" }]);
    const posted = await env.propose(plan.manifest, plan.l1Timestamp, { maxForcedInclusions: 1 });
    assert.deepEqual(posted.proposal.sources.map((s) => s.isForcedInclusion), [true, false]);
    await waitForProposal(running.syncer, 2n, running.done);

    const parent = env.engine.canonicalBlock(1n)!;
    const forced = env.engine.canonicalBlock(2n)!;
    assert.equal(forced.header.parentHash, parent.hash);
    assert.equal(forced.header.miner, PROPOSER, "a forced inclusion's coinbase is the proposer");
    assert.equal(forced.header.timestamp, parent.header.timestamp + 1n, "its timestamp is the lower bound");
    assert.equal(forced.anchorBlockNumber, parent.anchorBlockNumber, "it keeps the parent's anchor");
    assert.deepEqual(forced.transactions.slice(1).map((tx) => tx.raw), [forcedTx]);
    assert.equal(env.engine.l1Origin(2n)?.isForcedInclusion, true);
    const own = env.engine.canonicalBlock(3n)!;
    assert.equal(own.header.parentHash, forced.hash);
    assert.equal(own.header.miner.toLowerCase(), "0x00000000000000000000000000000000000000d1");
    assert.equal(env.engine.l1Origin(3n)?.isForcedInclusion, false);
    assert.equal(env.engine.headL1OriginId(), 3n);
    await running.stop();
  } finally {
    await env.stop();
  }
});

Deno.test("`EventSyncer` degrades an undecodable source blob to the default manifest and keeps syncing (S-8)", async () => {
  const env = await startSyncEnv();
  try {
    const running = await env.startSyncer();
    await env.proposeBlocks([{}]);
    await waitForProposal(running.syncer, 1n, running.done);
    // Declared length 0 followed by a stray byte: not a valid version-0 blob encoding.
    const blob = new Uint8Array(BLOB_BYTES);
    blob[100] = 1;
    const proposal = await env.proposeRawBlobs([blob]);
    await waitForProposal(running.syncer, 2n, running.done);
    const parent = env.engine.canonicalBlock(1n)!;
    const fallback = env.engine.canonicalBlock(2n)!;
    assert.equal(fallback.header.parentHash, parent.hash);
    assert.equal(fallback.header.miner, PROPOSER, "the default manifest inherits the proposer as coinbase");
    assert.equal(fallback.transactions.length, 1, "only the anchor transaction");
    assert.equal(env.engine.l1Origin(2n)?.l1BlockHeight, proposal.l1BlockNumber);

    await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000e1" }]);
    await waitForProposal(running.syncer, 3n, running.done);
    assert.equal(
      env.engine.canonicalBlock(3n)?.header.miner.toLowerCase(),
      "0x00000000000000000000000000000000000000e1",
    );
    await running.stop();
  } finally {
    await env.stop();
  }
});
