/**
 * Runs the JSON-RPC calls of one request body: a single call or a batch, in order, each answered
 * with its result or its own error (one bad call never fails its neighbours), counted in the
 * metrics under its method.
 *
 * @module
 */
import { runnerLogger } from "../log.ts";
import type { PreconfRpcBackend } from "./backend.ts";
import { RPC_ERROR_CODES } from "./error_codes.ts";
import { toJsonRpcErrorObject } from "./error_mapping.ts";
import { RpcServerError } from "./errors.ts";
import {
  errorObjectOf,
  isJsonRpcCall,
  jsonRpcError,
  type JsonRpcResponse,
  jsonRpcResult,
  parseJsonRpcBody,
  parseJsonRpcCall,
} from "./json_rpc.ts";
import { isPreconfRpcMethod, PRECONF_RPC_METHOD_NAMES, PRECONF_RPC_METHODS } from "./methods.ts";
import type { RpcMethodLabel, RpcMetrics } from "./metrics.ts";

/** Most calls one batch may carry; a larger batch is refused whole with `-32600`. */
export const MAX_RPC_BATCH_CALLS = 100;

const log = runnerLogger("rpc");

/** What the dispatcher uses. */
export interface RpcDispatchDeps {
  /** The node behind the server. */
  readonly backend: PreconfRpcBackend;
  /** Where calls are counted; `null` when metrics are off. */
  readonly metrics: RpcMetrics | null;
}

/** How one body is dispatched. */
export interface RpcDispatchOptions {
  /**
   * Aborts the backend reads when the server stops.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
  /**
   * Most calls one batch may carry.
   * @default {MAX_RPC_BATCH_CALLS}
   */
  readonly maxBatchCalls?: number;
}

/**
 * Parses a request body and runs its calls.
 *
 * @example
 * ```ts ignore
 * const answer = await dispatchJsonRpc({ backend, metrics: null }, '{"jsonrpc":"2.0","id":1,"method":"preconf_tip"}');
 * ```
 *
 * @param deps The backend and the metrics.
 * @param body The request body, decoded as UTF-8.
 * @param options The signal and the batch cap.
 * @returns The response object, an array of them for a batch, or `null` when nothing is to be
 *   answered (notifications only).
 */
export async function dispatchJsonRpc(
  deps: RpcDispatchDeps,
  body: string,
  options: RpcDispatchOptions = {},
): Promise<JsonRpcResponse | JsonRpcResponse[] | null> {
  const signal = options.signal ?? new AbortController().signal;
  const maxBatchCalls = options.maxBatchCalls ?? MAX_RPC_BATCH_CALLS;
  let parsed;
  try {
    parsed = parseJsonRpcBody(body);
  } catch (error) {
    if (!(error instanceof RpcServerError)) throw error;
    count(deps.metrics, "unknown", null, true);
    return jsonRpcError(null, errorObjectOf(error));
  }
  if (parsed.kind === "single") return await runCall(deps, parsed.value, signal);
  if (parsed.values.length === 0 || parsed.values.length > maxBatchCalls) {
    count(deps.metrics, "unknown", null, true);
    const message = parsed.values.length === 0
      ? "Cannot run the batch: it is empty, send at least one call"
      : `Cannot run the batch: it has ${parsed.values.length} calls, more than the cap of ${maxBatchCalls}, split it`;
    return jsonRpcError(null, { code: RPC_ERROR_CODES.InvalidRequest, message });
  }
  const responses: JsonRpcResponse[] = [];
  // In order, one at a time: a batch may publish block N and then N+1.
  for (const value of parsed.values) {
    const response = await runCall(deps, value, signal);
    if (response !== null) responses.push(response);
  }
  return responses.length === 0 ? null : responses;
}

async function runCall(
  deps: RpcDispatchDeps,
  value: unknown,
  signal: AbortSignal,
): Promise<JsonRpcResponse | null> {
  const started = performance.now();
  const call = parseJsonRpcCall(value);
  if (!isJsonRpcCall(call)) {
    count(deps.metrics, "unknown", null, true);
    return jsonRpcError(call.id, errorObjectOf(call.error));
  }
  const label: RpcMethodLabel = isPreconfRpcMethod(call.method) ? call.method : "unknown";
  try {
    if (label === "unknown") {
      throw new RpcServerError(
        "MethodNotFound",
        `Cannot run "${truncate(call.method)}": no such method, the server offers ${
          PRECONF_RPC_METHOD_NAMES.join(", ")
        }`,
      );
    }
    const result = await PRECONF_RPC_METHODS[label](call.params, { backend: deps.backend, signal });
    count(deps.metrics, label, secondsSince(started), false);
    return call.notification ? null : jsonRpcResult(call.id, result);
  } catch (error) {
    const object = toJsonRpcErrorObject(error);
    count(deps.metrics, label, secondsSince(started), true);
    if (object.code === RPC_ERROR_CODES.InternalError) {
      log.warn("JSON-RPC {method} failed: {message}", { method: label, message: object.message, error });
    } else {
      log.debug("JSON-RPC {method} refused with {code}: {message}", {
        method: label,
        code: object.code,
        message: object.message,
      });
    }
    return call.notification ? null : jsonRpcError(call.id, object);
  }
}

/** Counts one call; `seconds` is `null` for a request that never reached a method. */
function count(
  metrics: RpcMetrics | null,
  method: RpcMethodLabel,
  seconds: number | null,
  failed: boolean,
): void {
  if (metrics === null) return;
  metrics.requests.inc({ method });
  if (seconds !== null) metrics.duration.observe({ method }, seconds);
  if (failed) metrics.errors.inc({ method });
}

function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
