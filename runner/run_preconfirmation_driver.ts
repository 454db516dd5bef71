/**
 * The one-call form of the runner, for callers that need no handle on it.
 *
 * @module
 */
import type { RunnerConfig } from "./config.ts";
import type { RunnerDriverClient, RunnerNode } from "./parts.ts";
import { PreconfirmationDriverRunner, type RunnerOptions } from "./runner.ts";

/**
 * Builds a {@linkcode PreconfirmationDriverRunner} and runs it until a part exits, a part fails or
 * `signal` aborts.
 *
 * @example
 * ```ts ignore
 * const controller = new AbortController();
 * Deno.addSignalListener("SIGTERM", () => controller.abort());
 * await runPreconfirmationDriver(config, controller.signal);
 * ```
 *
 * @param config What to connect to and how to run.
 * @param signal Aborting it stops the driver cleanly.
 * @param options The parts to orchestrate; the production ones by default.
 * @returns When every part stopped after a clean stop.
 * @throws {RunnerError} why the driver stopped.
 * @throws {TypeError} when the configuration lacks `driver` or `p2p`.
 */
export function runPreconfirmationDriver<
  C extends RunnerDriverClient = RunnerDriverClient,
  N extends RunnerNode = RunnerNode,
>(config: RunnerConfig, signal?: AbortSignal, options: RunnerOptions<C, N> = {}): Promise<void> {
  return new PreconfirmationDriverRunner(config, options).run(signal);
}
