/**
 * The parts a runner uses when the caller passes none: the production driver client, event
 * syncer, preconfirmation node and JSON-RPC server. A part whose implementation is not wired in yet
 * fails with a `RunnerError` that says so, instead of pretending to run.
 *
 * @module
 */
import { RunnerError } from "./errors.ts";
import type { RunnerDriverClient, RunnerNode, RunnerParts } from "./parts.ts";

function notBuilt(kind: RunnerError["kind"], part: string): RunnerError {
  return new RunnerError(
    kind,
    `Cannot create the ${part}: no implementation is wired into the runner yet, pass options.parts`,
  );
}

/**
 * The production parts.
 *
 * @returns The factories.
 */
export function defaultRunnerParts(): RunnerParts<RunnerDriverClient, RunnerNode> {
  return {
    createDriverClient: () => Promise.reject(notBuilt("Driver", "driver client")),
    createEventSyncer: () => {
      throw notBuilt("Driver", "event syncer");
    },
    createPreconfNode: () => Promise.reject(notBuilt("Preconfirmation", "preconfirmation node")),
    createRpcServer: () => {
      throw notBuilt("Rpc", "preconfirmation JSON-RPC server");
    },
  };
}
