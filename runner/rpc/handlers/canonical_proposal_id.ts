/**
 * `preconf_canonicalProposalId` (first-generation API, kept for compatibility): no params. Result:
 * the last proposal id the event syncer applied, as a JSON number (u64).
 *
 * @module
 */
import { serializeU64 } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readNoParams } from "../json_rpc.ts";

const METHOD = "preconf_canonicalProposalId";

/**
 * Handles `preconf_canonicalProposalId`.
 *
 * @param params None (absent or `[]`).
 * @param context The backend and the request's signal.
 * @returns The proposal id, e.g. `42`.
 * @throws {RpcServerError} `InvalidParams` when params are given.
 */
export async function canonicalProposalId(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  readNoParams(params, METHOD);
  return serializeU64(await context.backend.canonicalProposalId({ signal: context.signal }));
}
