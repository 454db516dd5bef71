/**
 * The machine's raw `node:zlib` inflate of a 100 KiB compressed txlist.
 *
 * @module
 */
import { inflateSync } from "node:zlib";
import type { BenchContext } from "../harness/context.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { yieldToLoop } from "../harness/time_slice.ts";

/** Raw inflate of one txlist. */
export interface InflateLimit {
  /** Compressed size, in bytes. */
  readonly compressedBytes: number;
  /** Inflated size, in bytes. */
  readonly inflatedBytes: number;
  /** Milliseconds per inflate. */
  readonly ms: Summary;
}

/**
 * Measures raw inflate.
 *
 * @param ctx The run.
 * @param compressed The zlib txlist.
 * @returns Sizes and the latency summary.
 */
export async function measureInflateLimit(ctx: BenchContext, compressed: Uint8Array): Promise<InflateLimit> {
  const samples: number[] = [];
  let inflatedBytes = 0;
  const rounds = ctx.short ? 50 : 1_000;
  for (let i = 0; i < rounds + 20; i++) {
    const start = performance.now();
    inflatedBytes = inflateSync(compressed).length;
    if (i >= 20) samples.push(performance.now() - start);
    if (i % 10 === 0) await yieldToLoop();
  }
  return { compressedBytes: compressed.length, inflatedBytes, ms: summarize(samples) };
}
