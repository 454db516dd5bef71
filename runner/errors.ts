/**
 * The runner's error class: why the preconfirmation driver stopped. Callers (the CLI first) switch on
 * `kind`, never on message text.
 *
 * @module
 */
import { DriverError, SyncError } from "../driver/mod.ts";

/** Why the runner stopped, as a closed set (DESIGN.md section 3). */
export type RunnerErrorKind =
  /** The event syncer was built without preconfirmation ingress (`waitPreconfIngressReady()` gave `null`). */
  | "PreconfIngressNotEnabled"
  /** The event syncer's run loop returned although nobody asked it to stop. */
  | "EventSyncerExited"
  /** The event syncer's run loop failed with something other than a `SyncError` or `DriverError`. */
  | "EventSyncerFailed"
  /** The preconfirmation node's loop failed or returned although nobody asked it to stop. */
  | "NodeTaskFailed"
  /** L2 answered `eth_getBlockByNumber("latest")` with `null`: there is no head to report. */
  | "MissingL2LatestHead"
  /** L2 `eth_getBlockByNumber("latest")` failed in transport or with a JSON-RPC error. */
  | "L2LatestHeadQuery"
  /** The event syncer stopped with a `SyncError` (the cause). */
  | "Sync"
  /** A driver part failed with a `DriverError` (the cause), e.g. while connecting the clients. */
  | "Driver"
  /** The preconfirmation JSON-RPC server (or the metrics endpoint) could not start. */
  | "Rpc"
  /** The preconfirmation node (P2P network and client) could not be built or started. */
  | "Preconfirmation";

/** An error that ends {@linkcode PreconfirmationDriverRunner.run}. */
export class RunnerError extends Error {
  /** Why the runner stopped. */
  readonly kind: RunnerErrorKind;

  /**
   * Creates a runner error.
   *
   * @param kind Why the runner stopped.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause, when there is one.
   */
  constructor(kind: RunnerErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RunnerError";
    this.kind = kind;
  }
}

/**
 * Wraps a failure in a {@linkcode RunnerError}: a `RunnerError` is returned as it is, a `SyncError`
 * becomes kind `Sync`, a `DriverError` kind `Driver`, anything else `fallback`.
 *
 * @param cause What was thrown.
 * @param fallback The kind for errors of no known class.
 * @param message The message of the new error.
 * @returns The runner error, with `cause` set to what was thrown.
 */
export function toRunnerError(cause: unknown, fallback: RunnerErrorKind, message: string): RunnerError {
  if (cause instanceof RunnerError) return cause;
  if (cause instanceof SyncError) return new RunnerError("Sync", message, { cause });
  if (cause instanceof DriverError) return new RunnerError("Driver", message, { cause });
  return new RunnerError(fallback, message, { cause });
}
