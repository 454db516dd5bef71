/**
 * The JSON-RPC server's error class: a request the server refuses before or after the backend runs.
 * Its `kind` is the name of the JSON-RPC error code the caller gets.
 *
 * @module
 */
import type { RpcErrorName } from "./error_codes.ts";

/** An error the server answers with the code its `kind` names. */
export class RpcServerError extends Error {
  /** The name of the JSON-RPC error code (see `RPC_ERROR_CODES`). */
  readonly kind: RpcErrorName;

  /**
   * Creates a server error.
   *
   * @param kind The name of the JSON-RPC error code the caller gets.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause, when there is one.
   */
  constructor(kind: RpcErrorName, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RpcServerError";
    this.kind = kind;
  }
}
