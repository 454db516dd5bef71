/**
 * A libp2p connection gater that refuses banned peers in both directions.
 *
 * @module
 */
import type { ConnectionGater, PeerId } from "@libp2p/interface";
import type { P2pMetrics } from "../metrics.ts";

/**
 * Builds the gater.
 *
 * @param isBanned Whether a peer (base58 id) is banned right now.
 * @param metrics Counts refused connections and dials.
 * @returns The gater: dials to and encrypted connections with banned peers are denied.
 */
export function createConnectionGater(
  isBanned: (peer: string) => boolean,
  metrics: P2pMetrics | null,
): ConnectionGater {
  const deny = (peer: PeerId, direction: "inbound" | "outbound"): boolean => {
    if (!isBanned(peer.toString())) return false;
    if (direction === "inbound") metrics?.connRejected.inc();
    else metrics?.dialBlocked.inc({ source: "banned" });
    return true;
  };
  return {
    denyDialPeer: (peer) => deny(peer, "outbound"),
    denyInboundEncryptedConnection: (peer) => deny(peer, "inbound"),
    denyOutboundEncryptedConnection: (peer) => deny(peer, "outbound"),
    denyInboundUpgradedConnection: (peer) => deny(peer, "inbound"),
  };
}
