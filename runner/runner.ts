/**
 * The preconfirmation driver runner: the seed's six steps (DESIGN.md section 4) over the parts of
 * `parts.ts`, and nothing else. Parts start in dependency order; when any of them exits, or the
 * caller aborts, the others stop in reverse order and `run()` returns (or throws the first failure).
 *
 * @module
 */
import { Registry } from "prom-client";
import { DEFAULT_STOP_TIMEOUT_MS, type RunnerConfig, validateRunnerConfig } from "./config.ts";
import { defaultRunnerParts } from "./default_parts.ts";
import { RunnerError, toRunnerError } from "./errors.ts";
import { PreconfForwarder } from "./forwarder.ts";
import { spawnTask, StopStack, Supervisor, type TaskExit } from "./lifecycle.ts";
import { runnerLogger } from "./log.ts";
import { MEMORY_TRIM_INTERVAL_MS, startMemoryTrimmer } from "./memory_trim.ts";
import { startMetricsServer } from "./metrics_server.ts";
import type { RunnerDriverClient, RunnerNode, RunnerPartDeps, RunnerParts } from "./parts.ts";

const log = runnerLogger("runner");

/** Options of a {@linkcode PreconfirmationDriverRunner}. */
export interface RunnerOptions<
  C extends RunnerDriverClient = RunnerDriverClient,
  N extends RunnerNode = RunnerNode,
> {
  /**
   * The factories of the parts to orchestrate.
   * @default {defaultRunnerParts()} the production parts
   */
  readonly parts?: RunnerParts<C, N>;
}

/**
 * Runs the preconfirmation driver: the event syncer follows L1, the P2P node feeds preconfirmed
 * blocks into it, and the optional JSON-RPC server lets a preconfer publish.
 *
 * @example
 * ```ts ignore
 * const runner = new PreconfirmationDriverRunner(config);
 * const controller = new AbortController();
 * Deno.addSignalListener("SIGINT", () => controller.abort());
 * await runner.run(controller.signal);
 * ```
 */
export class PreconfirmationDriverRunner<
  C extends RunnerDriverClient = RunnerDriverClient,
  N extends RunnerNode = RunnerNode,
> {
  readonly #config: RunnerConfig;
  readonly #parts: RunnerParts<C, N>;
  #running = false;

  /**
   * Creates a runner; nothing connects until {@linkcode PreconfirmationDriverRunner.run}.
   *
   * @param config What to connect to and how to run (see `validate*Config`).
   * @param options The parts to orchestrate; the production ones by default.
   * @throws {TypeError} when the configuration lacks `driver` or `p2p`.
   * @throws {RangeError} when `stopTimeoutMs` is out of range.
   */
  constructor(config: RunnerConfig, options: RunnerOptions<C, N> = {}) {
    this.#config = validateRunnerConfig(config);
    // The production parts are typed for the production client and node, which C and N default to.
    this.#parts = options.parts ?? (defaultRunnerParts() as unknown as RunnerParts<C, N>);
  }

  /** The configuration this runner was built with. */
  get config(): RunnerConfig {
    return this.#config;
  }

  /**
   * Runs until a part exits or fails, or `signal` aborts; then stops every part that started, in
   * reverse order, and returns.
   *
   * @param signal Aborting it stops the runner cleanly (`run()` then resolves).
   * @returns When every part stopped after a clean stop.
   * @throws {RunnerError} why the runner stopped: `PreconfIngressNotEnabled`, `EventSyncerExited`,
   *   `EventSyncerFailed`, `Sync`, `Driver`, `NodeTaskFailed`, `MissingL2LatestHead`,
   *   `L2LatestHeadQuery`, `Rpc` or `Preconfirmation`.
   */
  async run(signal?: AbortSignal): Promise<void> {
    if (this.#running) {
      throw new Error("Cannot run the preconfirmation driver: this runner is already running");
    }
    if (signal?.aborted) return;
    this.#running = true;
    const supervisor = new Supervisor(signal);
    const stack = new StopStack(this.#config.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    try {
      await this.#start(supervisor, stack);
      log.info("Preconfirmation driver is running");
      await supervisor.ended();
    } catch (error) {
      // Once the run has ended, a step that was cut short rejects with the end reason: not news.
      if (!supervisor.signal.aborted) {
        supervisor.fail(toRunnerError(error, "Preconfirmation", "Cannot start the preconfirmation driver"));
      }
    } finally {
      log.info("Stopping the preconfirmation driver");
      await stack.stopAll();
      this.#running = false;
    }
    const failure = supervisor.failure;
    if (failure !== undefined) {
      log.debug("Preconfirmation driver stopped ({kind}): {message}", {
        message: failure.message,
        kind: failure.kind,
      });
      throw failure;
    }
    log.info("Preconfirmation driver stopped");
  }

  async #start(supervisor: Supervisor, stack: StopStack): Promise<void> {
    const config = this.#config;
    const parts = this.#parts;
    const metricsConfig = config.metrics;
    const registry = metricsConfig === undefined ? null : new Registry();
    const deps: RunnerPartDeps = { registry, signal: supervisor.signal };

    const trimIntervalMs = config.memoryTrimIntervalMs ?? MEMORY_TRIM_INTERVAL_MS;
    if (trimIntervalMs > 0) {
      const trimmer = startMemoryTrimmer({ intervalMs: trimIntervalMs });
      if (trimmer === null) {
        log.info("Free heap pages stay with the allocator: malloc_trim needs glibc and the ffi permission");
      } else {
        stack.push("memory trimmer", () => trimmer.stop());
      }
    }

    if (metricsConfig !== undefined && registry !== null) {
      const server = step(
        "Rpc",
        "Cannot start the metrics endpoint",
        () => startMetricsServer(registry, metricsConfig),
      );
      stack.push("metrics endpoint", () => server.stop());
    }

    // Step 1: the driver client (L1, L2, engine with JWT, beacon).
    const client = await supervisor.guard(
      stepAsync(
        "Driver",
        "Cannot connect the driver client",
        () => parts.createDriverClient(config.driver, deps),
      ),
      (late) => late.close(),
    );
    stack.push("driver client", () => client.close());

    // Step 2: the event syncer, with preconfirmation ingress enabled, in the background.
    const syncer = step(
      "Driver",
      "Cannot create the event syncer",
      () => parts.createEventSyncer(client, deps),
    );
    let ingressReady = false;
    const syncerTask = spawnTask("event syncer", (s) => syncer.run(s), (exit) => {
      supervisor.fail(syncerExitError(exit, ingressReady));
    });
    stack.push(syncerTask.name, () => syncerTask.stop());

    // Step 3: wait for ingress; a syncer exit meanwhile ends the run through the supervisor.
    const ready = await supervisor.guard(syncer.waitPreconfIngressReady({ signal: supervisor.signal }));
    if (ready === null) {
      throw new RunnerError(
        "PreconfIngressNotEnabled",
        "Cannot start the preconfirmation driver: the event syncer was built without preconfirmation ingress",
      );
    }
    ingressReady = true;
    log.info("Preconfirmation ingress is ready at proposal {proposalId}", {
      proposalId: syncer.lastCanonicalProposalId,
    });

    // Steps 4 and 5: the forwarder (first proposal state now: no L2 head, no start), then the node.
    const forwarder = await supervisor.guard(PreconfForwarder.create({ syncer, l2: client.l2 }));
    const forwarderTask = spawnTask("proposal state forwarder", (s) => forwarder.run(s), (exit) => {
      supervisor.fail(
        exit.kind === "failed"
          ? toRunnerError(exit.error, "EventSyncerFailed", "Cannot follow the canonical proposal id")
          : new RunnerError("EventSyncerFailed", "Cannot publish proposal state: the forwarder exited"),
      );
    });
    stack.push(forwarderTask.name, () => forwarderTask.stop());
    const node = await supervisor.guard(
      stepAsync(
        "Preconfirmation",
        "Cannot create the preconfirmation node",
        () =>
          parts.createPreconfNode(
            { ...deps, client, driver: forwarder, proposalState: forwarder.proposalState },
            config,
          ),
      ),
      (late) => late.stop(),
    );
    stack.push("preconfirmation node", () => node.stop());
    await supervisor.guard(
      stepAsync("Preconfirmation", "Cannot start the preconfirmation node", () => node.start()),
    );

    // Step 6: the JSON-RPC server when configured, then the node loop.
    if (config.rpc !== undefined) {
      const rpcConfig = config.rpc;
      const server = step(
        "Rpc",
        "Cannot create the preconfirmation JSON-RPC server",
        () => parts.createRpcServer(node, rpcConfig, deps),
      );
      stack.push("preconfirmation JSON-RPC server", () => server.stop());
      await supervisor.guard(
        stepAsync("Rpc", "Cannot start the preconfirmation JSON-RPC server", () => server.start()),
      );
    }
    const nodeTask = spawnTask("preconfirmation node loop", (s) => node.run(s), (exit) => {
      supervisor.fail(
        exit.kind === "failed" && exit.error instanceof RunnerError ? exit.error : new RunnerError(
          "NodeTaskFailed",
          exit.kind === "failed"
            ? "Cannot run the preconfirmation node: its loop failed"
            : "Cannot run the preconfirmation node: its loop exited unexpectedly",
          exit.kind === "failed" ? { cause: exit.error } : {},
        ),
      );
    });
    stack.push(nodeTask.name, () => nodeTask.stop());
  }
}

/** The error for an event syncer that ended although nobody stopped it. */
function syncerExitError(exit: TaskExit, ingressReady: boolean): RunnerError {
  const when = ingressReady ? "" : " before preconfirmation ingress was ready";
  if (exit.kind === "returned") {
    return new RunnerError(
      "EventSyncerExited",
      `Cannot run the preconfirmation driver: the event syncer exited${when}`,
    );
  }
  return toRunnerError(
    exit.error,
    "EventSyncerFailed",
    `Cannot run the preconfirmation driver: the event syncer failed${when}`,
  );
}

/** Runs a synchronous step, wrapping what it throws as a `RunnerError` of `kind`. */
function step<T>(kind: RunnerError["kind"], message: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toRunnerError(error, kind, message);
  }
}

/** Runs an asynchronous step, wrapping what it rejects with as a `RunnerError` of `kind`. */
async function stepAsync<T>(kind: RunnerError["kind"], message: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toRunnerError(error, kind, message);
  }
}
