/**
 * The methods the preconfirmation server offers: the current API (`preconf_publishBlock`,
 * `preconf_getStatus`, `preconf_tip`, `preconf_getPreconfSlotInfo`; lesson R-1) and, for
 * compatibility with the first-generation API, `preconf_publishCommitment`, `preconf_publishTxList`
 * and `preconf_canonicalProposalId` (spec p2p.md 17).
 *
 * @module
 */
import type { RpcHandler } from "./handler.ts";
import { canonicalProposalId } from "./handlers/canonical_proposal_id.ts";
import { getPreconfSlotInfo } from "./handlers/get_preconf_slot_info.ts";
import { getStatus } from "./handlers/get_status.ts";
import { publishBlock } from "./handlers/publish_block.ts";
import { publishCommitment } from "./handlers/publish_commitment.ts";
import { publishTxList } from "./handlers/publish_txlist.ts";
import { tip } from "./handlers/tip.ts";

/** Every method name the server answers, as a closed set (also the metric label values). */
export const PRECONF_RPC_METHOD_NAMES = [
  "preconf_publishBlock",
  "preconf_getStatus",
  "preconf_tip",
  "preconf_getPreconfSlotInfo",
  "preconf_publishCommitment",
  "preconf_publishTxList",
  "preconf_canonicalProposalId",
] as const;

/** A method the server answers. */
export type PreconfRpcMethod = (typeof PRECONF_RPC_METHOD_NAMES)[number];

/** The handler of each method; a new name does not compile until it has one. */
export const PRECONF_RPC_METHODS: Readonly<Record<PreconfRpcMethod, RpcHandler>> = {
  preconf_publishBlock: publishBlock,
  preconf_getStatus: getStatus,
  preconf_tip: tip,
  preconf_getPreconfSlotInfo: getPreconfSlotInfo,
  preconf_publishCommitment: publishCommitment,
  preconf_publishTxList: publishTxList,
  preconf_canonicalProposalId: canonicalProposalId,
};

/**
 * Tells a method the server answers from any other name.
 *
 * @param name A method name from a request.
 * @returns Whether the server has a handler for it.
 */
export function isPreconfRpcMethod(name: string): name is PreconfRpcMethod {
  return Object.hasOwn(PRECONF_RPC_METHODS, name);
}
