/**
 * One named benchmark of a run: fixtures are built outside the event-loop monitor's attribution,
 * the measured part inside it.
 *
 * @module
 */
import type { BenchContext } from "./context.ts";

/** Wraps the measured part of a benchmark. */
export type Measured = <R>(inner: () => Promise<R>) => Promise<R>;

/**
 * Runs one named benchmark: `work` builds its fixtures (not monitored), and calls `measured` around
 * the part the event-loop monitor attributes to `name`.
 *
 * @param ctx The run.
 * @param name The benchmark name.
 * @param work The benchmark.
 * @returns Its result.
 */
export async function section<T>(
  ctx: BenchContext,
  name: string,
  work: (measured: Measured) => Promise<T>,
): Promise<T> {
  ctx.log(`${name}...`);
  ctx.monitor.enter("setup");
  const measured: Measured = async <R>(inner: () => Promise<R>): Promise<R> => {
    ctx.monitor.enter(name);
    try {
      return await inner();
    } finally {
      ctx.monitor.enter("setup");
    }
  };
  try {
    return await work(measured);
  } finally {
    ctx.monitor.enter("idle");
  }
}
