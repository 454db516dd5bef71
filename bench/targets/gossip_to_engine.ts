/**
 * Target 2, gossip to engine: a peer process publishes a txlist and its commitment for the next
 * block 50 times a second (and, for comparison, 10 times); the node under test (its own process: P2P network, preconfirmation
 * client, EventSyncer ingress, engine client) validates them, builds the payload and inserts the
 * block into the engine simulator (a third process, which records when each `engine_newPayloadV2`
 * arrives). Latency per block: publish of the commitment → arrival of its newPayload, compared with
 * the gossip floor (L5: publish → message event in another process).
 *
 * @module
 */
import { TAIKO_DEVNET_CHAIN_ID } from "../../driver/mod.ts";
import { BenchChild } from "../harness/child.ts";
import { wallMs } from "../harness/child_io.ts";
import { mergeIntervals, overlapMs } from "../harness/intervals.ts";
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { Measured } from "../harness/section.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { anchoredBlocks, writeGossipFile } from "../fixtures/anchored_blocks.ts";
import { BENCH_SLASHER } from "../fixtures/commitment_chain.ts";
import { startL1Env } from "../fixtures/l1_env.ts";
import { nodeDriverOptions, startNodeProcess } from "../fixtures/node_handle.ts";
import { signedTransactions } from "../fixtures/transactions.ts";

/** Blocks per second (issue 7). */
export const GOSSIP_RATE_PER_SEC = 50;
/** A rate the serial insertion path sustains on this machine, for the unqueued latency. */
export const GOSSIP_EASY_RATE_PER_SEC = 10;
/**
 * Seconds of blocks published at the same rate before the measured ones: the node's first
 * preconfirmation opens its engine connection and runs cold code (and the simulator's first build
 * too), and the blocks queued behind it are not the sustained rate the target is about.
 */
export const GOSSIP_WARMUP_SECONDS = 1;

/** What the run measured. */
export interface GossipEngineFigures {
  /** Measured blocks (after the warm-up). */
  readonly blocks: number;
  /** Warm-up blocks published first at the same rate, not in the figures. */
  readonly warmupBlocks: number;
  /** The warm-up blocks' worst publish → newPayload latency, milliseconds. */
  readonly warmupWorstMs: number;
  readonly seconds: number;
  readonly ratePerSec: number;
  /** Commitment publish → newPayload arrival, milliseconds. */
  readonly latencyMs: Summary;
  /** The same per measured block, in block order (`NaN` for a lost block). */
  readonly series: readonly number[];
  /**
   * Latency less the time the engine was busy answering (any block's requests) inside the block's
   * window: what the node itself, the transport and the node's own queue add, milliseconds.
   */
  readonly withoutEngineMs: Summary;
  /** Blocks, warm-up included, whose newPayload never arrived. */
  readonly lost: number;
  /** Compressed txlist size per block, bytes. */
  readonly txListBytes: number;
  /** The node process's worst event-loop block during the run. */
  readonly nodeLoop: LoopBlock;
  /** The node's store at the end (commitments, txlists, orphans, pending). */
  readonly store: Record<string, number>;
  /** Blocks inserted per second once the run is going (newPayload arrivals, first to last). */
  readonly insertPerSec: number;
  /**
   * One insertion as the engine saw it: forkchoiceUpdated with attributes arriving → the read-back
   * answered, per measured block, milliseconds. At the rate's interval it would leave no idle time.
   */
  readonly insertionSpanMs: Summary;
  /** Engine requests per method during the run: count and mean time the engine took, ms. */
  readonly engineCalls: Record<string, { count: number; meanMs: number }>;
}

/**
 * Runs the gossip-to-engine benchmark.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @param options Blocks per second and for how long.
 * @returns Latencies and losses.
 */
export async function measureGossipToEngine(
  ctx: BenchContext,
  measured: Measured,
  options: { ratePerSec: number; seconds: number },
): Promise<GossipEngineFigures> {
  const { ratePerSec, seconds } = options;
  const blocks = seconds * ratePerSec;
  const warmupBlocks = GOSSIP_WARMUP_SECONDS * ratePerSec;
  const total = warmupBlocks + blocks;
  const env = await startL1Env(ctx.tempDir);
  const stops: (() => Promise<unknown>)[] = [() => env.stop()];
  try {
    const chainId = TAIKO_DEVNET_CHAIN_ID;
    const l1Head = await env.anvil.client.getBlock({ blockTag: "latest" });
    const users = await signedTransactions(20, { chainId, calldataBytes: 100, seed: 31 });
    const t0 = BigInt(Math.floor(Date.now() / 1000)) + 60n;
    const anchored = anchoredBlocks(total, { l1Head, users, firstTimestamp: t0 });
    const { txLists, chain } = anchored;
    const file = `${ctx.tempDir}/gossip_to_engine.bin`;
    await writeGossipFile(file, anchored);

    const node = await startNodeProcess(ctx.tempDir, {
      ...nodeDriverOptions(env),
      lookahead: { signer: chain.signer, from: String(t0), to: String(t0 + BigInt(total)) },
      slasher: BENCH_SLASHER,
      clockSpeed: ratePerSec,
      rpc: false,
    });
    stops.push(() => node.stop());
    const peer = BenchChild.spawn("peers/gossip_peer.ts");
    stops.push(() => peer.stop());
    await peer.next("ready");
    await peer.send({ cmd: "dial", addr: node.addrs[0] });
    await peer.next("dialed");
    await env.takeEngineCalls();

    const name = "T2 gossip to engine";
    await node.section(name);
    const published = await measured(async () => {
      const wallStart = wallMs() + 2_000;
      await node.child.send({ cmd: "clock", wallStart, t0: Number(t0) });
      await node.child.next("clock");
      await peer.send({
        cmd: "publish",
        file,
        ratePerSec,
        waitFor: node.peerId,
        startAt: wallStart,
      });
      const message = await peer.next("published", (GOSSIP_WARMUP_SECONDS + seconds + 120) * 1000);
      // A backlog drains after the last publish; a block is lost only if the head stops moving
      // for 10 s short of it.
      let head = (await node.stats()).head;
      let movedAt = performance.now();
      while (head < total && performance.now() - movedAt < 10_000) {
        await new Promise((r) => setTimeout(r, 100));
        const now = (await node.stats()).head;
        if (now > head) movedAt = performance.now();
        head = now;
      }
      return message.times as number[];
    });
    await node.section("idle");
    const stats = await node.stats();
    const arrivals = new Map<number, number>();
    const calls = await env.takeEngineCalls();
    const engineCalls: Record<string, { count: number; meanMs: number }> = {};
    for (const call of calls) {
      const entry = engineCalls[call.method] ?? { count: 0, meanMs: 0 };
      entry.meanMs = (entry.meanMs * entry.count + (call.answeredAt - call.receivedAt)) / (entry.count + 1);
      entry.count++;
      engineCalls[call.method] = entry;
    }
    for (const call of calls) {
      if (
        call.method === "engine_newPayloadV2" && call.blockNumber !== null && !arrivals.has(call.blockNumber)
      ) {
        arrivals.set(call.blockNumber, call.receivedAt);
      }
    }
    const series: number[] = [];
    for (let i = 0; i < total; i++) {
      const sent = published[2 * i + 1];
      const arrived = arrivals.get(i + 1);
      series.push(sent === undefined || arrived === undefined ? Number.NaN : arrived - sent);
    }
    const lost = series.filter((x) => Number.isNaN(x)).length;
    const warmup = series.splice(0, warmupBlocks);
    const latencies = series.filter((x) => !Number.isNaN(x));
    const times = [...arrivals].filter(([n]) => n > warmupBlocks).map(([, t]) => t).sort((a, b) => a - b);
    const insertPerSec = times.length < 2
      ? 0
      : ((times.length - 1) * 1000) / ((times[times.length - 1] as number) - (times[0] as number));
    const spans: number[] = [];
    calls.forEach((call, k) => {
      const build = calls[k - 2];
      const readBack = calls.slice(k + 1, k + 4).find((c) => c.method === "eth_getBlockByNumber");
      if (
        call.method === "engine_newPayloadV2" && (call.blockNumber ?? 0) > warmupBlocks &&
        build?.method === "engine_forkchoiceUpdatedV2" && readBack !== undefined
      ) {
        spans.push(readBack.answeredAt - build.receivedAt);
      }
    });
    const busy = mergeIntervals(calls.map((c) => [c.receivedAt, c.answeredAt] as const));
    const withoutEngine: number[] = [];
    for (let i = warmupBlocks; i < total; i++) {
      const sent = published[2 * i + 1];
      const arrived = arrivals.get(i + 1);
      if (sent !== undefined && arrived !== undefined) {
        withoutEngine.push(arrived - sent - overlapMs(busy, sent, arrived));
      }
    }
    const loop = stats.eventLoop.find(([section]) => section === name)?.[1] ?? { wallMs: 0, ownMs: 0 };
    ctx.monitor.note(`${name} (node process)`, loop);
    return {
      blocks,
      warmupBlocks,
      warmupWorstMs: Math.max(...warmup.filter((x) => !Number.isNaN(x))),
      seconds,
      ratePerSec,
      latencyMs: summarize(latencies),
      series,
      insertPerSec,
      insertionSpanMs: summarize(spans),
      withoutEngineMs: summarize(withoutEngine),
      lost,
      txListBytes: Math.round(txLists.reduce((n, t) => n + t.length, 0) / total),
      nodeLoop: loop,
      store: stats.store,
      engineCalls,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
