/**
 * The shape of one JSON-RPC method handler: checked params in, a JSON result out.
 *
 * @module
 */
import type { PreconfRpcBackend } from "./backend.ts";
import type { JsonRpcParams, JsonValue } from "./json_rpc.ts";

/** What every handler may use. */
export interface RpcHandlerContext {
  /** The node behind the server. */
  readonly backend: PreconfRpcBackend;
  /** Aborts when the server stops; passed to reads only, never to a publish (lesson S-3). */
  readonly signal: AbortSignal;
}

/**
 * Runs one method: checks its params, calls the backend and encodes the result.
 * Throws `RpcServerError` for bad params; lets backend errors through for `toJsonRpcErrorObject`.
 */
export type RpcHandler = (
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
) => Promise<JsonValue>;
