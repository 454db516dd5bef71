/**
 * `preconf_getPreconfSlotInfo`: params `[timestamp]`, the L2 block timestamp as a hex quantity or a
 * JSON number. Result: `{signer (checksummed address), submissionWindowEnd (U256)}`. A timestamp
 * before genesis, too old or too new is `-32602`; a lookahead that cannot answer yet is `-32006`.
 *
 * @module
 */
import { getAddress } from "viem";
import { readU256, serializeU256 } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readSingleParam } from "../json_rpc.ts";

const METHOD = "preconf_getPreconfSlotInfo";

/**
 * Handles `preconf_getPreconfSlotInfo`.
 *
 * @param params `[timestamp]`.
 * @param context The backend and the request's signal.
 * @returns `{signer, submissionWindowEnd}`.
 * @throws {RpcServerError} `InvalidParams` when the timestamp is missing or malformed.
 * @throws {PreconfError} What the lookahead answers.
 */
export async function getPreconfSlotInfo(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  const timestamp = readU256(readSingleParam(params, METHOD, "timestamp"), METHOD, "timestamp");
  const info = await context.backend.slotInfo(timestamp, { signal: context.signal });
  return { signer: getAddress(info.signer), submissionWindowEnd: serializeU256(info.submissionWindowEnd) };
}
