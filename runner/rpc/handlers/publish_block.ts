/**
 * `preconf_publishBlock`: one commitment with its txlist, validated, inserted locally, then gossiped
 * (lessons, P2P-4).
 *
 * Params: `[{"commitment": "0x<382-byte SSZ SignedCommitment>", "txListHash": "0x<32 bytes>",
 * "txList": "0x<compressed bytes>"}]`. An EOP-only commitment sends `"txList": "0x"` with the zero
 * `txListHash`.
 *
 * Result: `{commitmentHash, txListHash, blockNumber (U256), blockHash (B256 or null), local
 * ("inserted" | "alreadyMaterialized" | "eopOnly"), propagated (bool), propagationError (string or
 * null)}`. `propagated: false` with a local outcome is "mined but not propagated": the block is in,
 * and a retry is not needed (it would answer `alreadyMaterialized`).
 *
 * @module
 */
import { runnerLogger } from "../../log.ts";
import type { PublishBlockLocalOutcome } from "../backend.ts";
import { readB256, readParamObject, serializeU256 } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readSingleParam } from "../json_rpc.ts";
import { readBlockTxListField, readCommitmentField } from "./_fields.ts";

const METHOD = "preconf_publishBlock";
const FIELDS = ["commitment", "txListHash", "txList"] as const;
const log = runnerLogger("rpc");

const LOCAL_NAMES: Record<PublishBlockLocalOutcome["kind"], string> = {
  Inserted: "inserted",
  AlreadyMaterialized: "alreadyMaterialized",
  EopOnly: "eopOnly",
};

/**
 * Handles `preconf_publishBlock`.
 *
 * @param params `[{commitment, txListHash, txList}]`.
 * @param context The backend.
 * @returns The publish result (see the module doc).
 * @throws {RpcServerError} For malformed params, a commitment that is not 382 bytes, or a txlist
 *   over the cap or not matching `txListHash`.
 * @throws {PreconfError} What the backend refuses.
 */
export async function publishBlock(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  const param = readParamObject(readSingleParam(params, METHOD, `{${FIELDS.join(", ")}}`), METHOD, FIELDS);
  const { commitment, commitmentHash } = readCommitmentField(param.commitment, METHOD);
  const txListHash = readB256(param.txListHash, METHOD, "txListHash");
  const txList = readBlockTxListField(param.txList, txListHash, METHOD);
  log.info("Publish block request {commitmentHash} with txlist {txListHash} ({txListBytes} bytes)", {
    commitmentHash,
    txListHash,
    txListBytes: txList?.txlist.length ?? 0,
  });
  // readBlockTxListField() hashed the bytes: the backend takes that hash instead of hashing again.
  const { blockNumber, local, propagation } = await context.backend.publishBlock({
    commitment,
    commitmentHash,
    txList,
    ...(txList === null ? {} : { verifiedTxListHash: txList.rawTxListHash }),
  });
  const propagationError = propagation.kind === "NotPropagated" ? propagation.reason : null;
  if (propagationError !== null) {
    log.warn("Block {blockNumber} was applied locally but not propagated: {reason}", {
      blockNumber,
      reason: propagationError,
    });
  }
  return {
    commitmentHash,
    txListHash,
    blockNumber: serializeU256(blockNumber),
    blockHash: local.kind === "EopOnly" ? null : local.blockHash,
    local: LOCAL_NAMES[local.kind],
    propagated: propagationError === null,
    propagationError,
  };
}
