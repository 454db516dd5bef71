/**
 * `preconf_getStatus`: no params. Result: `{isSyncedWithInbox (bool), eventSyncTip (U256 or null),
 * preconfTip (U256), canonicalProposalId (u64 number), peerCount (number), peerId (string)}`
 * (lessons R-1, L-4).
 *
 * @module
 */
import { serializeU256, serializeU64 } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readNoParams } from "../json_rpc.ts";

const METHOD = "preconf_getStatus";

/**
 * Handles `preconf_getStatus`.
 *
 * @param params None (absent or `[]`).
 * @param context The backend and the request's signal.
 * @returns The status.
 * @throws {RpcServerError} `InvalidParams` when params are given.
 */
export async function getStatus(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  readNoParams(params, METHOD);
  const status = await context.backend.status({ signal: context.signal });
  return {
    isSyncedWithInbox: status.isSyncedWithInbox,
    eventSyncTip: status.eventSyncTip === null ? null : serializeU256(status.eventSyncTip),
    preconfTip: serializeU256(status.preconfTip),
    canonicalProposalId: serializeU64(status.canonicalProposalId),
    peerCount: serializeU64(status.peerCount),
    peerId: status.peerId,
  };
}
