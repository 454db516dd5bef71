/**
 * What every benchmark receives: the mode, the event-loop monitor, a temp dir and a logger.
 *
 * @module
 */
import type { EventLoopMonitor } from "./event_loop_monitor.ts";

/** The shared state of one benchmark run. */
export interface BenchContext {
  /** Small counts and short durations (the CI smoke test). */
  readonly short: boolean;
  readonly monitor: EventLoopMonitor;
  /** A private temp dir, removed at the end of the run. */
  readonly tempDir: string;
  /** Progress output (stderr). */
  log(message: string): void;
}

/**
 * Picks the full or the short value.
 *
 * @param ctx The run.
 * @param full Value in full mode.
 * @param short Value in short mode.
 * @returns One of them.
 */
export function scale<T>(ctx: BenchContext, full: T, short: T): T {
  return ctx.short ? short : full;
}
