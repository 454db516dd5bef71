/**
 * Target 3, catch-up: a responder node holds N blocks (commitments and ~10 KiB txlists, accepted
 * from gossip and executed); a follower node that has none dials it and catches up by
 * request/response (`get_commitments_by_number` pages, then `get_raw_txlist` per block). Measured
 * from the dial until the follower holds every commitment and txlist, and until its engine has the
 * last block. Both nodes run in their own processes, each with its own engine simulator.
 *
 * Run twice: with the production rate limits (the responder's token buckets and the follower's
 * pacing below the Rust responders' 8 requests per 10 s), and with every limit raised 1,000-fold to
 * show what the code does when the network lets it.
 *
 * @module
 */
import { TAIKO_DEVNET_CHAIN_ID } from "../../driver/mod.ts";
import { BenchChild } from "../harness/child.ts";
import type { BenchContext } from "../harness/context.ts";
import type { Measured } from "../harness/section.ts";
import { anchoredBlocks, writeGossipFile } from "../fixtures/anchored_blocks.ts";
import { BENCH_SLASHER } from "../fixtures/commitment_chain.ts";
import { startL1Env } from "../fixtures/l1_env.ts";
import { nodeDriverOptions, type NodeHandle, startNodeProcess } from "../fixtures/node_handle.ts";
import { compressedTxListOfSize } from "../fixtures/transactions.ts";

/** One catch-up run. */
export interface CatchUpRun {
  readonly blocks: number;
  readonly rateLimitFactor: number;
  /** Dial → every commitment and txlist stored, seconds (`null`: not within the deadline). */
  readonly fetchedSeconds: number | null;
  /** Dial → the engine has the last block, seconds (`null`: not within the deadline). */
  readonly executedSeconds: number | null;
  /** What the follower held when the deadline passed (or at the end). */
  readonly commitmentsHeld: number;
  readonly txListsHeld: number;
  readonly txListBytes: number;
}

async function waitUntil(
  node: NodeHandle,
  done: (stats: Awaited<ReturnType<NodeHandle["stats"]>>) => boolean,
  deadlineMs: number,
): Promise<boolean> {
  while (performance.now() < deadlineMs) {
    if (done(await node.stats())) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Runs one catch-up.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @param blocks How many blocks the follower misses.
 * @param rateLimitFactor 1 for the production limits.
 * @param deadlineMs How long the catch-up may take.
 * @returns The timings.
 */
export async function measureCatchUp(
  ctx: BenchContext,
  measured: Measured,
  blocks: number,
  rateLimitFactor: number,
  deadlineMs: number,
): Promise<CatchUpRun> {
  const t0 = BigInt(Math.floor(Date.now() / 1000)) - BigInt(blocks) - 5n;
  const env = await startL1Env(ctx.tempDir, { genesisTimestamp: t0 - 10n });
  const stops: (() => Promise<unknown>)[] = [() => env.stop()];
  try {
    const chainId = TAIKO_DEVNET_CHAIN_ID;
    const l1Head = await env.anvil.client.getBlock({ blockTag: "latest" });
    const users = await compressedTxListOfSize(10 * 1024, { chainId, seed: 41 });
    const anchored = anchoredBlocks(blocks, { l1Head, users: users.transactions, firstTimestamp: t0 });
    const { txLists, chain } = anchored;
    const file = `${ctx.tempDir}/catch_up_${blocks}.bin`;
    await writeGossipFile(file, anchored);
    const bound = Math.max(4096, blocks + 64);
    const common = {
      lookahead: { signer: chain.signer, from: String(t0), to: String(t0 + BigInt(blocks) + 600n) },
      slasher: BENCH_SLASHER,
      clockSpeed: 1,
      rpc: false,
      // The responder is filled by gossip faster than it validates commitments; its orphan-txlist
      // tier must hold the gap (the production 64 entries drop txlists at 200 blocks/s; see T2's note).
      store: {
        maxCommitments: bound,
        maxTxLists: bound,
        maxPending: bound,
        maxOrphanTxLists: bound,
        maxOrphanTxListBytes: 256 * 1024 * 1024,
      },
      rateLimitFactor,
      catchUp: {
        maxSpanBlocks: String(bound),
        requestsPerWindow: 7 * rateLimitFactor,
      },
    };
    const responder = await startNodeProcess(ctx.tempDir, { ...nodeDriverOptions(env), ...common });
    stops.push(() => responder.stop());
    const publisher = BenchChild.spawn("peers/gossip_peer.ts");
    stops.push(() => publisher.stop());
    await publisher.next("ready");
    await publisher.send({ cmd: "dial", addr: responder.addrs[0] });
    await publisher.next("dialed");
    await publisher.send({ cmd: "publish", file, ratePerSec: 200, waitFor: responder.peerId });
    await publisher.next("published", 600_000);
    const filled = await waitUntil(
      responder,
      (s) => s.head >= blocks && (s.store.commitments ?? 0) >= blocks,
      performance.now() + 60_000 + blocks * 200,
    );
    if (!filled) throw new Error(`the responder did not accept and execute ${blocks} blocks`);
    await publisher.stop();

    const follower = await startNodeProcess(ctx.tempDir, {
      ...nodeDriverOptions(env, await env.addEngine()),
      ...common,
    });
    stops.push(() => follower.stop());
    const name = "T3 catch-up";
    await follower.section(name);
    const result = await measured(async () => {
      const start = performance.now();
      const deadline = start + deadlineMs;
      await follower.child.send({ cmd: "dial", addr: responder.addrs[0] });
      await follower.child.next("dialed");
      const fetched = await waitUntil(
        follower,
        (s) => (s.store.commitments ?? 0) >= blocks && (s.store.txLists ?? 0) >= blocks || s.head >= blocks,
        deadline,
      );
      const fetchedAt = performance.now();
      const executed = fetched && await waitUntil(follower, (s) => s.head >= blocks, deadline);
      const executedAt = performance.now();
      return {
        fetchedSeconds: fetched ? (fetchedAt - start) / 1000 : null,
        executedSeconds: executed ? (executedAt - start) / 1000 : null,
      };
    });
    const stats = await follower.stats();
    const loop = stats.eventLoop.find(([section]) => section === name)?.[1] ?? { wallMs: 0, ownMs: 0 };
    ctx.monitor.note(`${name} ×${rateLimitFactor} (follower process)`, loop);
    return {
      blocks,
      rateLimitFactor,
      ...result,
      commitmentsHeld: stats.store.commitments ?? 0,
      txListsHeld: stats.store.txLists ?? 0,
      txListBytes: Math.round(txLists.reduce((n, t) => n + t.length, 0) / blocks),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
