/**
 * Target 5, the JSON-RPC API of the node under test (its own process; engine simulator in a third):
 * `preconf_publishBlock` calls in sequence, each carrying the next block's commitment and a txlist of
 * about 100 KiB (the anchor and transactions compressed), timed at the caller and less the time the
 * engine was busy inside the call; and `preconf_getStatus` from 8 concurrent callers.
 *
 * @module
 */
import { bytesToHex, createPublicClient, http } from "viem";
import { inboxAbi } from "../../driver/mod.ts";
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { Measured } from "../harness/section.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { anchoredBlocks } from "../fixtures/anchored_blocks.ts";
import { BENCH_SLASHER } from "../fixtures/commitment_chain.ts";
import { type L1Env, startL1Env } from "../fixtures/l1_env.ts";
import { nodeDriverOptions, startNodeProcess } from "../fixtures/node_handle.ts";
import type { CompressedTxList } from "../fixtures/transactions.ts";
import { HTTP_CALLERS, sustainedRate } from "../limits/http_limits.ts";

/** What the JSON-RPC run measured. */
export interface JsonRpcFigures {
  readonly calls: number;
  /** Compressed txlist size, bytes (mean). */
  readonly txListBytes: number;
  /** publishBlock round trip at the caller, ms. */
  readonly publishMs: Summary;
  /** The same less the engine's busy time inside each call, ms. */
  readonly publishWithoutEngineMs: Summary;
  /** getStatus requests per second from 8 callers. */
  readonly statusPerSec: number;
  /**
   * What getStatus must read per call, straight from 8 callers: the Inbox's `getCoreState` on L1 and
   * the engine's `latest` block, in parallel (pairs per second).
   */
  readonly upstreamPerSec: number;
  readonly nodeLoop: LoopBlock;
}

/**
 * Measures the JSON-RPC targets.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @param users The ~100 KiB txlist's transactions (the anchor goes in front of them).
 * @returns Latencies and the status rate.
 * @throws {Error} A publish is refused.
 */
export async function measureJsonRpc(
  ctx: BenchContext,
  measured: Measured,
  users: CompressedTxList,
): Promise<JsonRpcFigures> {
  const calls = ctx.short ? 10 : 300;
  // Blocks one second apart ending now need a genesis before them.
  const t0 = BigInt(Math.floor(Date.now() / 1000)) - BigInt(calls) - 5n;
  const env = await startL1Env(ctx.tempDir, { genesisTimestamp: t0 - 10n });
  const stops: (() => Promise<unknown>)[] = [() => env.stop()];
  try {
    const l1Head = await env.anvil.client.getBlock({ blockTag: "latest" });
    // One-second timestamps ending now: the wall clock allows them (at most 1,536 s in the past).
    const { txLists, hashes, chain } = anchoredBlocks(calls, {
      l1Head,
      users: users.transactions,
      firstTimestamp: t0,
    });
    const node = await startNodeProcess(ctx.tempDir, {
      ...nodeDriverOptions(env),
      lookahead: { signer: chain.signer, from: String(t0), to: String(t0 + BigInt(calls) + 600n) },
      slasher: BENCH_SLASHER,
      clockSpeed: 1,
      rpc: true,
    });
    stops.push(() => node.stop());
    const url = node.rpcUrl as string;
    const bodies = chain.bytes.map((commitment, i) =>
      JSON.stringify({
        jsonrpc: "2.0",
        id: i + 1,
        method: "preconf_publishBlock",
        params: [{
          commitment: bytesToHex(commitment),
          txListHash: hashes[i],
          txList: bytesToHex(txLists[i] as Uint8Array),
        }],
      })
    );
    await env.takeEngineCalls();
    const name = "T5 JSON-RPC";
    await node.section(name);
    const windows: [number, number][] = [];
    const statusBody = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "preconf_getStatus", params: [] });
    const statusPerSec = await measured(async () => {
      for (const body of bodies) {
        const start = performance.timeOrigin + performance.now();
        const response = await fetch(url, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        });
        const answer = await response.json() as { result?: { local?: string }; error?: { message: string } };
        windows.push([start, performance.timeOrigin + performance.now()]);
        if (answer.result?.local !== "inserted") {
          throw new Error(
            `publishBlock ${windows.length} was not inserted: ${JSON.stringify(answer).slice(0, 300)}`,
          );
        }
      }
      return await sustainedRate(url, statusBody, HTTP_CALLERS, ctx.short ? 500 : 3_000);
    });
    const upstreamPerSec = await upstreamRate(env, ctx.short ? 500 : 3_000);
    await node.section("idle");
    const engineCalls = await env.takeEngineCalls();
    const busy = engineCalls.map((c) => [c.receivedAt, c.answeredAt] as [number, number]);
    const publish = windows.map(([a, b]) => b - a);
    const withoutEngine = windows.map(([a, b]) => b - a - covered(busy, a, b));
    const stats = await node.stats();
    const loop = stats.eventLoop.find(([section]) => section === name)?.[1] ?? { wallMs: 0, ownMs: 0 };
    ctx.monitor.note(`${name} (node process)`, loop);
    return {
      calls,
      txListBytes: Math.round(txLists.reduce((n, t) => n + t.length, 0) / calls),
      publishMs: summarize(publish.slice(Math.min(5, calls - 1))),
      publishWithoutEngineMs: summarize(withoutEngine.slice(Math.min(5, calls - 1))),
      statusPerSec,
      upstreamPerSec,
      nodeLoop: loop,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

/** Pairs of the reads getStatus makes (L1 getCoreState, L2 latest block) per second from 8 callers. */
async function upstreamRate(env: L1Env, durationMs: number): Promise<number> {
  const l1 = createPublicClient({ transport: http(env.anvil.url) });
  const l2 = createPublicClient({ transport: http(env.engineUrls.publicUrl) });
  let done = 0;
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(Array.from({ length: HTTP_CALLERS }, async () => {
    while (performance.now() < end) {
      await Promise.all([
        l1.readContract({ address: env.contracts.inbox, abi: inboxAbi, functionName: "getCoreState" }),
        l2.getBlock({ blockTag: "latest" }),
      ]);
      done++;
    }
  }));
  return (done * 1000) / (performance.now() - start);
}

/** How much of `[from, to]` the intervals cover (overlaps counted once). */
function covered(intervals: readonly [number, number][], from: number, to: number): number {
  const spans = intervals.filter(([a, b]) => b > from && a < to).map((
    [a, b],
  ) => [Math.max(a, from), Math.min(b, to)])
    .sort((x, y) => (x[0] as number) - (y[0] as number));
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [a, b] of spans as [number, number][]) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}
