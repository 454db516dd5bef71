/**
 * The one place that turns what a call threw into a JSON-RPC error object (lesson R-2): the
 * server's own `RpcServerError`, the preconfirmation client's `PreconfError` (by kind, and by reason
 * for validation failures) and the driver's `DriverError`. Anything else is `-32000` InternalError.
 *
 * @module
 */
import { DriverError, type DriverErrorKind } from "../../driver/mod.ts";
import { PreconfError, type PreconfErrorKind, type ValidationReason } from "../preconf/errors.ts";
import { RPC_ERROR_CODES, type RpcErrorName } from "./error_codes.ts";
import { RpcServerError } from "./errors.ts";
import type { JsonRpcErrorObject } from "./json_rpc.ts";

/** The code of each validation failure; a new reason does not compile until it is placed here. */
const VALIDATION_REASON_CODES: Record<ValidationReason, RpcErrorName> = {
  // "not synced" also covers stale blocks (at or below the confirmed tip).
  Stale: "NotSynced",
  InvalidSsz: "InvalidCommitment",
  InvalidSignature: "InvalidCommitment",
  SlasherMismatch: "InvalidCommitment",
  InvalidEop: "InvalidCommitment",
  LookaheadNotYetKnown: "LookaheadUnavailable",
  // The reference answers -32602 for timestamps before genesis, too old or too new.
  LookaheadOutOfRange: "InvalidParams",
  SignerMismatch: "InvalidSigner",
  SubmissionWindowMismatch: "SubmissionWindowExpired",
  ParentHashMismatch: "InvalidCommitment",
  // a block whose parent this node does not have (e.g. head+2) is not ours to insert yet.
  AwaitingParent: "NotSynced",
  BlockNumberMismatch: "InvalidCommitment",
  TimestampOutOfBounds: "InvalidCommitment",
  GasLimitOutOfBounds: "InvalidCommitment",
  AnchorOutOfBounds: "InvalidCommitment",
  ProposalIdOutOfBounds: "InvalidCommitment",
  Equivocation: "InvalidCommitment",
  Duplicate: "InvalidCommitment",
  InvalidTxList: "InvalidTxList",
};

/** The code of each other preconfirmation error kind (`Validation` goes by reason). */
const PRECONF_KIND_CODES: Record<Exclude<PreconfErrorKind, "Validation">, RpcErrorName> = {
  TxListCodec: "InvalidTxList",
  LookaheadOutOfRange: "InvalidParams",
  LookaheadNotYetKnown: "LookaheadUnavailable",
  LookaheadRpc: "LookaheadUnavailable",
  PayloadBuild: "InternalError",
  Driver: "InternalError",
  Network: "InternalError",
  Config: "InternalError",
};

/** Driver failures that mean "not ready for this block" rather than "broken"; the rest are internal. */
const NOT_SYNCED_DRIVER_KINDS: ReadonlySet<DriverErrorKind> = new Set<DriverErrorKind>([
  "PreconfIngressNotReady",
  "PreconfParentMismatch",
]);

/**
 * Maps whatever a call threw to the error member of its response.
 *
 * @param error What the handler or the backend threw.
 * @returns `{code, message}`, plus `data: {kind, reason?}` for preconfirmation and driver errors.
 */
export function toJsonRpcErrorObject(error: unknown): JsonRpcErrorObject {
  if (error instanceof RpcServerError) {
    return { code: RPC_ERROR_CODES[error.kind], message: error.message };
  }
  if (error instanceof PreconfError) {
    const reason = error.kind === "Validation" ? validationReasonOf(error) : undefined;
    const name = preconfErrorName(error, reason);
    const data = reason === undefined ? { kind: error.kind } : { kind: error.kind, reason };
    return { code: RPC_ERROR_CODES[name], message: error.message, data };
  }
  if (error instanceof DriverError) {
    const name = NOT_SYNCED_DRIVER_KINDS.has(error.kind) ? "NotSynced" : "InternalError";
    return { code: RPC_ERROR_CODES[name], message: error.message, data: { kind: error.kind } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: RPC_ERROR_CODES.InternalError, message: `Internal error: ${message}` };
}

function preconfErrorName(error: PreconfError, reason: ValidationReason | undefined): RpcErrorName {
  if (error.kind === "Validation") {
    return reason === undefined ? "InvalidCommitment" : VALIDATION_REASON_CODES[reason];
  }
  if (
    error.kind === "Driver" && error.cause instanceof DriverError &&
    NOT_SYNCED_DRIVER_KINDS.has(error.cause.kind)
  ) {
    return "NotSynced";
  }
  return PRECONF_KIND_CODES[error.kind];
}

function validationReasonOf(error: PreconfError): ValidationReason | undefined {
  const reason = error.context.reason;
  return reason !== undefined && Object.hasOwn(VALIDATION_REASON_CODES, reason)
    ? reason as ValidationReason
    : undefined;
}
