/**
 * The closed set of JSON-RPC error codes the preconfirmation server answers with: the JSON-RPC 2.0
 * standard codes and the preconfirmation codes of lesson R-2 (`-32000` to `-32006`).
 *
 * @module
 */

/** Every error code the server can answer with, by name. */
export const RPC_ERROR_CODES = {
  /** The body is not JSON (JSON-RPC 2.0). */
  ParseError: -32700,
  /** The body is JSON but not a request object, an empty batch or a batch over the cap (JSON-RPC 2.0). */
  InvalidRequest: -32600,
  /** No such method (JSON-RPC 2.0). */
  MethodNotFound: -32601,
  /** The params have the wrong shape or a value is malformed or out of range (JSON-RPC 2.0). */
  InvalidParams: -32602,
  /** The node failed (driver, engine, network); not the caller's fault. */
  InternalError: -32000,
  /** The commitment is malformed, badly signed, names another slasher or breaks a block rule. */
  InvalidCommitment: -32001,
  /** The txlist is too large, does not match its hash or does not decode. */
  InvalidTxList: -32002,
  /** The node is not ready for this block: ingress closed, stale block or missing parent. */
  NotSynced: -32003,
  /** `submissionWindowEnd` is not the elected slot's (the reference calls it SubmissionWindowExpired). */
  SubmissionWindowExpired: -32004,
  /** The signer is not the elected preconfer for the timestamp. */
  InvalidSigner: -32005,
  /** The lookahead cannot answer yet (not indexed, or L1 unreachable); retry later. */
  LookaheadUnavailable: -32006,
} as const;

/** The name of an error code. */
export type RpcErrorName = keyof typeof RPC_ERROR_CODES;

/** An error code the server can answer with. */
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[RpcErrorName];
