/**
 * The driver's error classes. Callers switch on `kind`, never on message text.
 *
 * @module
 */

/** What went wrong in the driver, as a closed set. */
export type DriverErrorKind =
  /** A configuration value is unusable (bad URL, unsupported chain, bad JWT secret). */
  | "Config"
  /** An L1, L2, beacon or blob-server request failed in transport or returned a JSON-RPC error. */
  | "Rpc"
  /** The engine answered with a status the driver cannot accept (INVALID, SYNCING, missing payload id). */
  | "Engine"
  /** A proposal could not be turned into L2 blocks. */
  | "Derivation"
  /** No beacon sidecar or blob server could serve a source's blobs (transient: retried). */
  | "BlobUnavailable"
  /** Preconfirmation ingress was never enabled on this syncer. */
  | "PreconfirmationDisabled"
  /** Preconfirmation ingress is not open yet. */
  | "PreconfIngressNotReady"
  /** The ingress queue is full; the submission was not queued. */
  | "PreconfQueueFull"
  /** The caller's deadline passed before the job ran; the job was abandoned and never reaches the engine. */
  | "PreconfSubmissionTimeout"
  /** The parent block of a preconfirmation is missing or differs from the one the caller validated. */
  | "PreconfParentMismatch"
  /** The engine rejected or failed a preconfirmation injection. */
  | "PreconfInjectionFailed"
  /** The syncer was stopped. */
  | "Stopped";

/** Context fields a driver error may carry. */
export interface DriverErrorContext {
  /** The L2 block involved. */
  readonly blockNumber?: bigint;
  /** The proposal involved. */
  readonly proposalId?: bigint;
  /** The JSON-RPC or engine API method that failed. */
  readonly method?: string;
  /** The endpoint that failed, without credentials. */
  readonly url?: string;
  /** The JSON-RPC error code the endpoint answered with. */
  readonly rpcCode?: number;
  /** The HTTP status of a non-2xx answer (401: the engine rejected the JWT). */
  readonly httpStatus?: number;
  /** The engine's payload status when it was not the one required (kind `Engine`). */
  readonly engineStatus?: "VALID" | "INVALID" | "SYNCING" | "ACCEPTED";
}

/** An error raised by the driver. */
export class DriverError extends Error {
  /** What went wrong. */
  readonly kind: DriverErrorKind;
  /** Values that identify what failed. */
  readonly context: DriverErrorContext;

  /**
   * Creates the error.
   *
   * @param kind What went wrong.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause and context.
   */
  constructor(
    kind: DriverErrorKind,
    message: string,
    options: { cause?: unknown; context?: DriverErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DriverError";
    this.kind = kind;
    this.context = options.context ?? {};
  }
}

/** What stopped the event syncer, as a closed set. */
export type SyncErrorKind =
  /** No L2 `latest` block, or a block the resume point needs is missing. */
  | "MissingExecutionBlock"
  /** The resume block has no decodable anchor transaction. */
  | "MissingAnchorTransaction"
  /** An Inbox log does not decode as `Proposed`. */
  | "InvalidProposalLog"
  /** The engine proved a canonical proposal's block INVALID: stopping beats looping. */
  | "InvalidCanonicalBlock"
  /** A proposal kept failing with an error that is not transient; stopping beats a silent stall (lesson E-7). */
  | "ProposalFailed"
  /** The chain id has no Shasta fork configured. */
  | "UnsupportedChain"
  /** L1 log scanning could not start. */
  | "EventScannerInit"
  /** An RPC failure that retries did not cure. */
  | "Rpc";

/** Context fields a sync error may carry. */
export interface SyncErrorContext {
  /** The L1 or L2 block involved. */
  readonly blockNumber?: bigint;
  /** The proposal involved. */
  readonly proposalId?: bigint;
  /** The L1 transaction of the offending log. */
  readonly transactionHash?: string;
  /** The L2 chain id. */
  readonly chainId?: bigint;
}

/** An error that ends the event syncer's run. */
export class SyncError extends Error {
  /** What went wrong. */
  readonly kind: SyncErrorKind;
  /** Values that identify what failed. */
  readonly context: SyncErrorContext;

  /**
   * Creates the error.
   *
   * @param kind What went wrong.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause and context.
   */
  constructor(
    kind: SyncErrorKind,
    message: string,
    options: { cause?: unknown; context?: SyncErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SyncError";
    this.kind = kind;
    this.context = options.context ?? {};
  }
}
