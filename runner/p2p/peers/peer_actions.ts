/**
 * Maps outcomes to reputation actions, in one place: which failures cost a peer reputation and
 * which do not (our own failures and "not found" never do).
 *
 * @module
 */
import type { P2pErrorKind } from "../errors.ts";
import type { P2pMetrics } from "../metrics.ts";
import type { PeerReputation } from "./reputation.ts";

/** What happens to a peer's reputation. */
export type PeerAction = "Failure" | "Success";

/**
 * The reputation action for a failed request/response exchange.
 *
 * @param kind The error kind the exchange failed with.
 * @returns `Failure` when the peer is to blame, `null` when it is not (or cannot be known).
 */
export function reqRespFailureAction(kind: P2pErrorKind): PeerAction | null {
  switch (kind) {
    case "Decode":
    case "InvalidSignature":
    case "InvalidMessage":
    case "Framing":
    case "InvalidResponse":
    case "NoResponse":
    case "Timeout":
      return "Failure";
    case "NoPeers":
    case "Transport":
    case "RateLimited":
    case "Identity":
    case "Stopped":
      return null;
  }
}

/**
 * Applies an action and counts a new greylisting.
 *
 * @param peer The peer (base58).
 * @param action The action (`null` does nothing).
 * @param deps The reputation table and metrics.
 */
export function applyPeerAction(
  peer: string,
  action: PeerAction | null,
  deps: { readonly reputation: PeerReputation; readonly metrics: P2pMetrics | null },
): void {
  if (action === null) return;
  if (action === "Success") {
    deps.reputation.reward(peer);
    return;
  }
  const before = deps.reputation.standing(peer);
  deps.reputation.penalize(peer);
  if (before === "good" && deps.reputation.standing(peer) === "greylisted") {
    deps.metrics?.reputationGreylist.inc();
  }
}
