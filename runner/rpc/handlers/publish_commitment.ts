/**
 * `preconf_publishCommitment` (first-generation API, kept for compatibility; spec p2p.md 17).
 *
 * Params: `[{"commitment": "0x<382-byte SSZ SignedCommitment>"}]`.
 * Result: `{commitmentHash: keccak256 of the 382 bytes, txListHash: the commitment's rawTxListHash}`.
 *
 * @module
 */
import { runnerLogger } from "../../log.ts";
import { readParamObject } from "../encoding.ts";
import type { RpcHandlerContext } from "../handler.ts";
import { type JsonRpcParams, type JsonValue, readSingleParam } from "../json_rpc.ts";
import { readCommitmentField } from "./_fields.ts";

const METHOD = "preconf_publishCommitment";
const FIELDS = ["commitment"] as const;
const log = runnerLogger("rpc");

/**
 * Handles `preconf_publishCommitment`.
 *
 * @param params `[{commitment}]`.
 * @param context The backend.
 * @returns `{commitmentHash, txListHash}`.
 * @throws {RpcServerError} For malformed params or a commitment that is not 382 bytes.
 * @throws {PreconfError} What the backend refuses.
 */
export async function publishCommitment(
  params: JsonRpcParams | undefined,
  context: RpcHandlerContext,
): Promise<JsonValue> {
  const param = readParamObject(readSingleParam(params, METHOD, "{commitment}"), METHOD, FIELDS);
  const { commitment, commitmentHash } = readCommitmentField(param.commitment, METHOD);
  log.info("Publish commitment request {commitmentHash}", { commitmentHash });
  const { txListHash } = await context.backend.publishCommitment({ commitment, commitmentHash });
  return { commitmentHash, txListHash };
}
