/**
 * `preconf_tip`: no params. Result: the engine's `latest` block number as a U256 hex quantity, read
 * at call time so it follows the engine both ways after a reorg (lesson L-4).
 *
 * @module
 */
import { serializeU256 } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readNoParams } from "../json_rpc.ts";

const METHOD = "preconf_tip";

/**
 * Handles `preconf_tip`.
 *
 * @param params None (absent or `[]`).
 * @param context The backend and the request's signal.
 * @returns The block number, e.g. `"0x64"`.
 * @throws {RpcServerError} `InvalidParams` when params are given.
 */
export async function tip(params: JsonRpcParams | undefined, context: RpcHandlerContext): Promise<JsonValue> {
  readNoParams(params, METHOD);
  return serializeU256(await context.backend.tip({ signal: context.signal }));
}
