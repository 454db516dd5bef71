/**
 * Which failures are transient. A transient failure (a timeout, a dropped connection, an engine that
 * is down or still syncing, a rate limit) heals by waiting; a verdict (invalid params, a rejected
 * JWT, malformed attributes) or a bug does not, and retrying it forever would hide it (lesson E-7).
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
import { DriverError, type DriverErrorKind, SyncError } from "../errors.ts";

/**
 * JSON-RPC error codes that are verdicts, not weather: parse error, invalid request, unknown method,
 * invalid params, and the engine API's invalid forkchoice state and invalid payload attributes.
 * Every other code (internal errors, limits, geth's generic -32000, unknown payload) is retried.
 */
export const NON_TRANSIENT_RPC_CODES: ReadonlySet<number> = new Set([
  -32700,
  -32600,
  -32601,
  -32602,
  -38002,
  -38003,
]);

/** HTTP statuses that are verdicts: a rejected JWT or a forbidden endpoint (fix the config). */
export const NON_TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/** Driver error kinds that are transient unless their RPC code or HTTP status is a verdict. */
const TRANSIENT_DRIVER_KINDS: ReadonlySet<DriverErrorKind> = new Set<DriverErrorKind>([
  "Rpc",
  "BlobUnavailable",
  "Engine",
]);

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
 * @returns True for timeouts, disconnects, network failures, JSON-RPC codes and HTTP statuses that
 *   are not verdicts, and driver errors of kinds `Rpc`, `BlobUnavailable` and `Engine` (an engine
 *   status other than VALID may change; the newPayload INVALID verdict is judged by the caller);
 *   false for `SyncError`s, verdicts and anything unexpected.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof SyncError) return false;
  if (error instanceof DriverError) {
    if (!TRANSIENT_DRIVER_KINDS.has(error.kind)) {
      return error.cause !== undefined && isTransientError(error.cause);
    }
    const { rpcCode, httpStatus } = error.context;
    if (rpcCode !== undefined && NON_TRANSIENT_RPC_CODES.has(rpcCode)) return false;
    if (httpStatus !== undefined && NON_TRANSIENT_HTTP_STATUSES.has(httpStatus)) return false;
    return true;
  }
  if (error instanceof TimeoutError || error instanceof SocketClosedError) return true;
  if (error instanceof WebSocketRequestError) return true;
  if (error instanceof HttpRequestError) {
    return error.status === undefined || !NON_TRANSIENT_HTTP_STATUSES.has(error.status);
  }
  if (error instanceof RpcRequestError) return !NON_TRANSIENT_RPC_CODES.has(error.code);
  if (error instanceof BaseError) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "number") return !NON_TRANSIENT_RPC_CODES.has(code);
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
