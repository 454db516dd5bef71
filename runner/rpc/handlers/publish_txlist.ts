/**
 * `preconf_publishTxList` (first-generation API, kept for compatibility; spec p2p.md 17).
 *
 * Params: `[{"txListHash": "0x<32 bytes>", "txList": "0x<compressed bytes>"}]`; the txlist is at
 * most `MAX_TXLIST_BYTES` and must hash to `txListHash` (`-32002` otherwise).
 * Result: `{txListHash}` (the echo).
 *
 * @module
 */
import { runnerLogger } from "../../log.ts";
import { readB256, readParamObject } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readSingleParam } from "../json_rpc.ts";
import { readTxListField } from "./_fields.ts";

const METHOD = "preconf_publishTxList";
const FIELDS = ["txListHash", "txList"] as const;
const log = runnerLogger("rpc");

/**
 * Handles `preconf_publishTxList`.
 *
 * @param params `[{txListHash, txList}]`.
 * @param context The backend.
 * @returns `{txListHash}`.
 * @throws {RpcServerError} For malformed params, or a txlist over the cap or not matching its hash.
 * @throws {PreconfError} What the backend refuses.
 */
export async function publishTxList(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  const param = readParamObject(readSingleParam(params, METHOD, "{txListHash, txList}"), METHOD, FIELDS);
  const txListHash = readB256(param.txListHash, METHOD, "txListHash");
  const txList = readTxListField(param.txList, txListHash, METHOD);
  log.info("Publish txlist request {txListHash} ({txListBytes} bytes)", {
    txListHash,
    txListBytes: txList.txlist.length,
  });
  // readTxListField() hashed the bytes: the backend takes that hash instead of hashing again.
  await context.backend.publishTxList(txList, txList.rawTxListHash);
  return { txListHash };
}
