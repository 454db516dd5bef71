/**
 * The single adapter from a gossip outcome to the gossipsub verdict, the metric and the peer
 * action. Rejections cost the relaying peer reputation; ignores never do.
 *
 * @module
 */
import { TopicValidatorResult } from "@libp2p/gossipsub";
import type { GossipDropReason } from "./gossip_validation.ts";
import type { P2pMetrics } from "./metrics.ts";
import { applyPeerAction } from "./peers/peer_actions.ts";
import type { PeerReputation } from "./peers/reputation.ts";
import type { GossipKind } from "./topics.ts";

/** What the adapter updates. */
export interface VerdictDeps {
  /** The reputation table. */
  readonly reputation: PeerReputation;
  /** Metrics, or `null`. */
  readonly metrics: P2pMetrics | null;
}

const DROP_VERDICTS: Record<GossipDropReason, "reject" | "ignore"> = {
  size: "reject",
  decode: "reject",
  zero_txlist_hash: "reject",
  slasher: "reject",
  signature: "reject",
  hash_mismatch: "reject",
  unknown_topic: "reject",
  app_reject: "reject",
  // Already banned: dropped without a further penalty.
  banned: "reject",
  self: "ignore",
  app_ignore: "ignore",
  // Our own failure (validator threw or timed out, too much in flight): never the peer's fault.
  validator_error: "ignore",
  overload: "ignore",
};

/**
 * The verdict for a message that is not accepted.
 *
 * @param kind The topic kind.
 * @param reason Why.
 * @param peer The relaying peer.
 * @param deps Reputation and metrics.
 * @returns `Reject` or `Ignore`.
 */
export function dropVerdict(
  kind: GossipKind,
  reason: GossipDropReason,
  peer: string,
  deps: VerdictDeps,
): TopicValidatorResult {
  const verdict = DROP_VERDICTS[reason];
  if (reason === "banned") {
    deps.metrics?.gossipDroppedBanned.inc();
    return TopicValidatorResult.Reject;
  }
  if (verdict === "ignore") {
    deps.metrics?.gossipIgnored.inc({ kind, reason });
    return TopicValidatorResult.Ignore;
  }
  deps.metrics?.gossipInvalid.inc({ kind, reason });
  applyPeerAction(peer, "Failure", deps);
  return TopicValidatorResult.Reject;
}

/**
 * The verdict for an accepted message: rewards the relaying peer.
 *
 * @param kind The topic kind.
 * @param peer The relaying peer.
 * @param deps Reputation and metrics.
 * @returns `Accept`.
 */
export function acceptVerdict(kind: GossipKind, peer: string, deps: VerdictDeps): TopicValidatorResult {
  deps.metrics?.gossipValid.inc({ kind });
  applyPeerAction(peer, "Success", deps);
  return TopicValidatorResult.Accept;
}
