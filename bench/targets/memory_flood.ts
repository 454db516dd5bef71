/**
 * Target 6, memory under a flood: a peer floods the node under test (its own process, production
 * P2P limits and reputation) with invalid commitments (half undecodable, half with an invalid
 * recovery id, all distinct) and txlists above the 2 MiB limit, as fast as gossip takes them. The
 * node's resident memory is sampled throughout; after the flood it must come back near where it
 * started, and the flooder must end banned.
 *
 * @module
 */
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { MAX_TXLIST_BYTES } from "../../runner/p2p/wire/constants.ts";
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { Measured } from "../harness/section.ts";
import { yieldToLoop } from "../harness/time_slice.ts";
import { BENCH_SLASHER, commitmentChain } from "../fixtures/commitment_chain.ts";
import { startL1Env } from "../fixtures/l1_env.ts";
import { nodeDriverOptions, type NodeHandle, startNodeProcess } from "../fixtures/node_handle.ts";
import { Prng } from "../fixtures/prng.ts";
import { startFlooderNode } from "../peers/flooder_node.ts";
import { BENCH_TOPICS } from "../peers/plain_node.ts";

/** What the flood did to the node. */
export interface FloodFigures {
  readonly commitmentsSent: number;
  readonly txListsSent: number;
  readonly commitmentsPlanned: number;
  readonly txListsPlanned: number;
  readonly floodSeconds: number;
  /** Why the flood ended early, or `null`. */
  readonly stoppedBecause: string | null;
  readonly baselineRss: number;
  readonly peakRss: number;
  readonly afterRss: number;
  /** V8 heap in use (live JS objects and not yet collected garbage) at the start and after. */
  readonly baselineHeapUsed: number;
  readonly afterHeapUsed: number;
  /** Seconds from the flood's start until the node banned the flooder, or `null`. */
  readonly bannedAfterSeconds: number | null;
  readonly nodeLoop: LoopBlock;
}

async function sampleRss(node: NodeHandle, samples: number, gapMs: number): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    lowest = Math.min(lowest, (await node.stats()).rss);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return lowest;
}

/**
 * Floods a node and watches its memory.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @returns Memory figures, counts and the ban.
 */
export async function measureMemoryFlood(ctx: BenchContext, measured: Measured): Promise<FloodFigures> {
  const commitmentsPlanned = ctx.short ? 2_000 : 100_000;
  const txListsPlanned = ctx.short ? 20 : 10_000;
  const floodCapMs = ctx.short ? 10_000 : 120_000;
  const banWaitMs = ctx.short ? 10_000 : 90_000;
  const env = await startL1Env(ctx.tempDir);
  const stops: (() => Promise<unknown>)[] = [() => env.stop()];
  try {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const template = commitmentChain(1, { firstTimestamp: now }).bytes[0] as Uint8Array;
    const node = await startNodeProcess(ctx.tempDir, {
      ...nodeDriverOptions(env),
      lookahead: {
        signer: "0x0000000000000000000000000000000000000001",
        from: String(now),
        to: String(now + 600n),
      },
      slasher: BENCH_SLASHER,
      clockSpeed: 1,
      rpc: false,
      // Short mode only: a ban in seconds instead of the production 30 s at the threshold.
      ...(ctx.short ? { reputation: { windowMs: 500, banAfterMs: 1_000 }, reputationTickMs: 100 } : {}),
    });
    stops.push(() => node.stop());
    const flooder = await startFlooderNode();
    stops.push(async () => await flooder.stop());
    const victim = peerIdFromString(node.peerId);
    await flooder.dial(multiaddr(node.addrs[0] as string));
    const deadline = performance.now() + 15_000;
    while (
      !Object.values(BENCH_TOPICS).every((t) =>
        flooder.services.pubsub.getSubscribers(t).some((p) => p.equals(victim))
      )
    ) {
      if (performance.now() > deadline) throw new Error("the node never subscribed as the flooder sees it");
      await new Promise((r) => setTimeout(r, 50));
    }
    const baselineRss = await sampleRss(node, ctx.short ? 4 : 8, ctx.short ? 100 : 250);
    const baselineHeapUsed = (await node.stats()).heapUsed;

    const name = "T6 memory flood";
    await node.section(name);
    let peakRss = baselineRss;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, (await node.stats()).rss);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    let bannedAt: number | null = null;
    const start = performance.now();
    const banned = node.child.next("banned", floodCapMs + banWaitMs).then(() => {
      bannedAt = performance.now();
    }, () => undefined);

    const prng = new Prng(13);
    const oversized = new Uint8Array(36 + MAX_TXLIST_BYTES + 1024);
    oversized.set(prng.bytes(4096));
    new DataView(oversized.buffer).setUint32(32, 32, true);
    let commitmentsSent = 0;
    let txListsSent = 0;
    let stoppedBecause: string | null = null;
    const perTxList = Math.max(1, Math.floor(commitmentsPlanned / txListsPlanned));
    await measured(async () => {
      while (commitmentsSent < commitmentsPlanned || txListsSent < txListsPlanned) {
        if (bannedAt !== null || flooder.getConnections(victim).length === 0) {
          stoppedBecause = "the node disconnected the flooder";
          break;
        }
        if (performance.now() - start > floodCapMs) {
          stoppedBecause = `the ${floodCapMs / 1000} s cap was reached`;
          break;
        }
        const i = commitmentsSent + txListsSent;
        if (
          txListsSent < txListsPlanned && (commitmentsSent >= commitmentsPlanned || i % (perTxList + 1) === 0)
        ) {
          const data = oversized.slice();
          new DataView(data.buffer).setUint32(0, i);
          await flooder.services.pubsub.publish(BENCH_TOPICS.raw_txlists, data).catch(() => undefined);
          txListsSent++;
        } else {
          const data = commitmentsSent % 2 === 0 ? template.slice() : prng.bytes(template.length);
          // Distinct bytes and message ids; even ones keep the structure but carry v = 27.
          new DataView(data.buffer).setUint32(0, i);
          data[data.length - 1] = 27;
          await flooder.services.pubsub.publish(BENCH_TOPICS.commitment, data).catch(() => undefined);
          commitmentsSent++;
        }
        if (i % 64 === 0) await yieldToLoop();
      }
    });
    const floodSeconds = (performance.now() - start) / 1000;
    await Promise.race([
      banned,
      new Promise((r) => setTimeout(r, Math.max(0, start + floodCapMs + banWaitMs - performance.now()))),
    ]);
    // Let the node idle as after any burst: V8 shrinks its heap and returns pages lazily.
    await new Promise((r) => setTimeout(r, ctx.short ? 1_000 : 15_000));
    sampling = false;
    await sampler;
    const afterRss = await sampleRss(node, ctx.short ? 4 : 12, ctx.short ? 100 : 250);
    const stats = await node.stats();
    const loop = stats.eventLoop.find(([section]) => section === name)?.[1] ?? { wallMs: 0, ownMs: 0 };
    ctx.monitor.note(`${name} (node process)`, loop);
    const bannedTime: number | null = bannedAt;
    return {
      commitmentsSent,
      txListsSent,
      commitmentsPlanned,
      txListsPlanned,
      floodSeconds,
      stoppedBecause,
      baselineRss,
      peakRss,
      afterRss,
      baselineHeapUsed,
      afterHeapUsed: stats.heapUsed,
      bannedAfterSeconds: bannedTime === null ? null : (bannedTime - start) / 1000,
      nodeLoop: loop,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
