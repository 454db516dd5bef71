/**
 * Which failures are transient. A transient failure (a timeout, a dropped connection, an engine that
 * is down or still syncing, a rate limit) heals by waiting; anything else is a verdict or a bug, and
 * retrying it forever would hide it (lesson E-7).
 *
 * @module
 */
import {
  BaseError,
  HttpRequestError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from "viem";
import { DriverError, SyncError } from "../errors.ts";

/** JSON-RPC error codes that mean "try again later": internal error, limit exceeded, rate limits. */
export const TRANSIENT_RPC_CODES: ReadonlySet<number> = new Set([-32603, -32005, -32007, 429]);

/** HTTP statuses worth retrying (timeouts, overload, gateways). */
export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Driver error kinds that are transient by construction. */
const TRANSIENT_DRIVER_KINDS: ReadonlySet<string> = new Set(["Rpc", "BlobUnavailable"]);

/**
 * Tells whether a failure is transient and worth retrying with backoff.
 *
 * @example
 * ```ts
 * import { isTransientError } from "./retriable.ts";
 * isTransientError(new TypeError("bug")); // false
 * ```
 *
 * @param error Anything thrown.
 * @returns True for timeouts, disconnects, transient JSON-RPC codes and HTTP statuses, network
 *   failures, and driver errors of a transient kind; false otherwise.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof SyncError) return false;
  if (error instanceof DriverError) {
    if (TRANSIENT_DRIVER_KINDS.has(error.kind)) return true;
    return error.cause !== undefined && isTransientError(error.cause);
  }
  if (error instanceof TimeoutError || error instanceof SocketClosedError) return true;
  if (error instanceof WebSocketRequestError) return true;
  if (error instanceof HttpRequestError) {
    return error.status === undefined || TRANSIENT_HTTP_STATUSES.has(error.status);
  }
  if (error instanceof RpcRequestError) return TRANSIENT_RPC_CODES.has(error.code);
  if (error instanceof BaseError) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "number" && TRANSIENT_RPC_CODES.has(code)) return true;
    return error.cause !== undefined && isTransientError(error.cause);
  }
  if (error instanceof DOMException) return error.name === "TimeoutError";
  // fetch() rejects with a TypeError when the connection is refused or reset.
  if (error instanceof TypeError && /fetch|connect|network|reset|refused/i.test(error.message)) return true;
  if (error instanceof Deno.errors.ConnectionRefused || error instanceof Deno.errors.ConnectionReset) {
    return true;
  }
  return false;
}
