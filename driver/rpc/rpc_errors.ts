/**
 * One mapping from viem's request failures (JSON-RPC error, HTTP status, timeout, transport) to the
 * driver's `DriverError` of kind `Rpc`, carrying the method, the endpoint without credentials, the
 * JSON-RPC code and the HTTP status so callers classify failures without reading messages.
 *
 * @module
 */
import { BaseError, HttpRequestError, RpcRequestError, TimeoutError } from "viem";
import { DriverError } from "../errors.ts";

/** JSON-RPC "method not found": never "ignorable", although its message contains "not found". */
const METHOD_NOT_FOUND_CODE = -32601;
/** Message fragments Taiko engines use for "no such record" (spec/driver.md 2.4). */
const IGNORABLE_MESSAGES = ["not found", "proposal last block uncertain"] as const;

/**
 * Removes credentials, query and fragment from an endpoint URL, so it can be logged and put in
 * error messages.
 *
 * @param url The endpoint URL.
 * @returns The URL without user info, query or fragment; the input unchanged when it does not parse.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString();
  } catch {
    return "<unparseable url>";
  }
}

/**
 * Whether a failed call means "no such record" on a Taiko engine: a JSON-RPC error whose message
 * contains "not found" or "proposal last block uncertain". An unknown method is not ignorable: a
 * silent `null` would hide an engine that lacks the Taiko API.
 *
 * @param error What the viem request threw.
 * @param fragments The message fragments that mean "no such record".
 * @returns `true` when the caller should read the answer as `null`.
 */
export function isIgnorableRpcError(
  error: unknown,
  fragments: readonly string[] = IGNORABLE_MESSAGES,
): boolean {
  const rpc = findRpcRequestError(error);
  if (rpc === null || rpc.code === METHOD_NOT_FOUND_CODE) return false;
  const message = (rpc.details ?? "").toLowerCase();
  return fragments.some((fragment) => message.includes(fragment));
}

/** The call that failed. */
export interface FailedCall {
  /** The JSON-RPC method that was called. */
  readonly method: string;
  /** The endpoint (credentials are stripped here). */
  readonly url: string;
  /** The request timeout, for the message of a timeout, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Turns what a viem request threw into a `DriverError` of kind `Rpc`.
 *
 * @param error What the request threw.
 * @param call The method, endpoint and timeout of the call.
 * @returns The error to throw.
 */
export function toRpcDriverError(error: unknown, call: FailedCall): DriverError {
  const { method, url, timeoutMs } = call;
  if (error instanceof DriverError) return error;
  const endpoint = redactUrl(url);
  const context = { method, url: endpoint };
  const rpc = findRpcRequestError(error);
  if (rpc !== null) {
    return new DriverError(
      "Rpc",
      `Cannot call ${method} on "${endpoint}": the node answered error ${rpc.code} "${rpc.details}"`,
      { cause: error, context: { ...context, rpcCode: rpc.code } },
    );
  }
  const http = findError(error, HttpRequestError);
  if (http !== null && http.status !== undefined) {
    const hint = http.status === 401 || http.status === 403
      ? "the engine rejected the JWT, check that the secret file matches the engine's and the clocks agree"
      : "check that the endpoint is up and is the right port";
    return new DriverError(
      "Rpc",
      `Cannot call ${method} on "${endpoint}": HTTP ${http.status}, ${hint}`,
      { cause: error, context: { ...context, httpStatus: http.status } },
    );
  }
  if (findError(error, TimeoutError) !== null) {
    return new DriverError(
      "Rpc",
      `Cannot call ${method} on "${endpoint}": no answer within ${timeoutMs} ms, check the node's load and health`,
      { cause: error, context },
    );
  }
  const reason = error instanceof BaseError ? error.shortMessage : String(error);
  return new DriverError(
    "Rpc",
    `Cannot call ${method} on "${endpoint}": ${reason}, check that the endpoint is reachable`,
    { cause: error, context },
  );
}

function findRpcRequestError(error: unknown): RpcRequestError | null {
  return findError(error, RpcRequestError);
}

function findError<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | null {
  if (error instanceof type) return error;
  if (error instanceof BaseError) {
    const found = error.walk((inner) => inner instanceof type);
    return found instanceof type ? found : null;
  }
  return null;
}
