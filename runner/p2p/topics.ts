/**
 * Gossip topic names (p2p.md section 5.1). The chain id is printed in decimal; the runner passes
 * L2's `eth_chainId` (the Rust CLI never sets it and uses the placeholder 167000).
 *
 * @module
 */

/** What a gossip topic carries, as a closed set (also the metric label `kind`). */
export type GossipKind = "commitment" | "raw_txlists";

/** Every gossip kind, in a fixed order. */
export const GOSSIP_KINDS: readonly GossipKind[] = ["commitment", "raw_txlists"];

const TOPIC_SUFFIX: Record<GossipKind, string> = {
  commitment: "preconfirmationCommitments",
  raw_txlists: "rawTxLists",
};

/**
 * The topic string of one kind on one chain, e.g. `/taiko/167001/0/preconfirmationCommitments`.
 *
 * @param kind What the topic carries.
 * @param chainId The L2 chain id.
 * @returns The topic (gossipsub IdentTopic: the hash is the string itself).
 * @throws {RangeError} The chain id is not positive.
 * @example
 * ```ts
 * import { gossipTopic } from "./topics.ts";
 * gossipTopic("raw_txlists", 167001n); // "/taiko/167001/0/rawTxLists"
 * ```
 */
export function gossipTopic(kind: GossipKind, chainId: bigint): string {
  if (typeof chainId !== "bigint" || chainId <= 0n) {
    throw new RangeError(
      `Cannot build gossip topic for chain id "${String(chainId)}": expected a positive bigint`,
    );
  }
  return `/taiko/${chainId}/0/${TOPIC_SUFFIX[kind]}`;
}

/**
 * The kind a topic string carries, whatever its chain id.
 *
 * @param topic A topic string.
 * @returns The kind, or `undefined` for a topic of neither kind.
 * @example
 * ```ts
 * import { gossipKindOf } from "./topics.ts";
 * gossipKindOf("/taiko/167001/0/rawTxLists"); // "raw_txlists"
 * ```
 */
export function gossipKindOf(topic: string): GossipKind | undefined {
  return GOSSIP_KINDS.find((kind) =>
    topic.startsWith("/taiko/") && topic.endsWith(`/0/${TOPIC_SUFFIX[kind]}`)
  );
}
