/**
 * Runs a loop of work in slices of a few milliseconds with a macrotask yield between them, as a
 * node handles messages one task at a time, so the event-loop monitor sees what the product does
 * and not the harness. Throughput counts only the time spent in slices.
 *
 * @module
 */

/** How long one slice of work runs before yielding, in milliseconds. */
export const SLICE_MS = 5;

/** What a sliced run did. */
export interface SlicedRun {
  /** Iterations completed. */
  readonly count: number;
  /** Milliseconds spent inside slices (yields excluded). */
  readonly busyMs: number;
}

/**
 * Yields to the event loop once (a macrotask turn, so timers and I/O run).
 *
 * @returns When the loop came back to us.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Calls `step(i)` repeatedly until `durationMs` of busy time or `maxCount` iterations are reached.
 *
 * @param step One unit of work; may be async.
 * @param options Busy-time budget, iteration cap and slice length.
 * @returns Iterations and busy time.
 */
export async function runSliced(
  step: (i: number) => unknown,
  options: { durationMs: number; maxCount?: number; sliceMs?: number },
): Promise<SlicedRun> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let busyMs = 0;
  while (busyMs < options.durationMs && count < maxCount) {
    const start = performance.now();
    let now = start;
    while (now - start < sliceMs && count < maxCount) {
      const result = step(count);
      if (result instanceof Promise) await result;
      count++;
      now = performance.now();
    }
    busyMs += now - start;
    await yieldToLoop();
  }
  return { count, busyMs };
}
