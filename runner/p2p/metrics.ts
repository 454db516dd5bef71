/**
 * The P2P layer's Prometheus metrics (p2p.md section 18 names). Label values come only from closed
 * sets (gossip kind, req/resp kind, direction, reason, event name), never peer ids or messages.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The P2P metric tree, passed on as `metrics: P2pMetrics | null`. */
export interface P2pMetrics {
  /** Gossip messages accepted and forwarded, by `kind`. */
  readonly gossipValid: Counter<"kind">;
  /** Gossip messages rejected (the sender is penalised), by `kind` and `reason`. */
  readonly gossipInvalid: Counter<"kind" | "reason">;
  /** Gossip messages ignored without penalty, by `kind` and `reason`. */
  readonly gossipIgnored: Counter<"kind" | "reason">;
  /** Gossip messages dropped because the relaying peer is banned. */
  readonly gossipDroppedBanned: Counter;
  /** Gossip RPC frames dropped unread because gossipsub graylists the sender. */
  readonly gossipDroppedGraylisted: Counter;
  /** Local publishes, by `kind`. */
  readonly gossipPublished: Counter<"kind">;
  /** Local publishes that reached no peer or failed, by `kind` and `reason` (`no_peers`, `duplicate`, `error`). */
  readonly gossipPublishError: Counter<"kind" | "reason">;
  /** Completed request/response exchanges, by `kind` and `direction`. */
  readonly reqrespSuccess: Counter<"kind" | "direction">;
  /** Failed exchanges, by `kind`, `direction` and `reason`. */
  readonly reqrespError: Counter<"kind" | "direction" | "reason">;
  /** Txlist requests answered "not found", by `kind` and `direction`. */
  readonly reqrespNotFound: Counter<"kind" | "direction">;
  /** Inbound requests refused by the rate limiter, by `kind`. */
  readonly reqrespRateLimited: Counter<"kind">;
  /** Inbound requests dropped unanswered for another reason (`banned`, `overload`), by `kind` and `reason`. */
  readonly reqrespDropped: Counter<"kind" | "reason">;
  /** Outbound exchange round-trip time, by `protocol` (kind) and `outcome`. */
  readonly reqrespRttSeconds: Histogram<"protocol" | "outcome">;
  /** Peers banned. */
  readonly reputationBan: Counter;
  /** Peers that became greylisted. */
  readonly reputationGreylist: Counter;
  /** Connected peers (filled at scrape time). */
  readonly connectedPeers: Gauge;
  /** Connection failures, by `direction` and `reason`. */
  readonly connError: Counter<"direction" | "reason">;
  /** Inbound connections refused by the connection gater. */
  readonly connRejected: Counter;
  /** Outbound dials refused by the connection gater, by `source` (`banned`). */
  readonly dialBlocked: Counter<"source">;
  /** Network events a slow subscriber missed, by `event`. */
  readonly eventDropped: Counter<"event">;
  /**
   * Makes `connectedPeers` read the live peer count at scrape time.
   *
   * @param count Returns the number of connected peers.
   */
  observePeerCount(count: () => number): void;
}

/**
 * Registers the P2P metrics.
 *
 * @param registry Where to register them.
 * @returns The metric tree.
 * @throws {Error} A metric of the same name is already registered in `registry`.
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { createP2pMetrics } from "./metrics.ts";
 * const metrics = createP2pMetrics(new Registry());
 * metrics.gossipValid.inc({ kind: "commitment" });
 * ```
 */
export function createP2pMetrics(registry: Registry): P2pMetrics {
  const registers = [registry];
  let peerCount: () => number = () => 0;
  const connectedPeers = new Gauge({
    name: "p2p_connected_peers",
    help: "Connected peers",
    registers,
    collect() {
      this.set(peerCount());
    },
  });
  return {
    gossipValid: new Counter({
      name: "p2p_gossip_valid",
      help: "Gossip accepted",
      labelNames: ["kind"],
      registers,
    }),
    gossipInvalid: new Counter({
      name: "p2p_gossip_invalid",
      help: "Gossip rejected",
      labelNames: ["kind", "reason"],
      registers,
    }),
    gossipIgnored: new Counter({
      name: "p2p_gossip_ignored",
      help: "Gossip ignored without penalty",
      labelNames: ["kind", "reason"],
      registers,
    }),
    gossipDroppedBanned: new Counter({
      name: "p2p_gossip_dropped_banned",
      help: "Gossip from banned peers",
      registers,
    }),
    gossipDroppedGraylisted: new Counter({
      name: "p2p_gossip_dropped_graylisted",
      help: "Gossip RPC frames dropped unread because gossipsub graylists the sender",
      registers,
    }),
    gossipPublished: new Counter({
      name: "p2p_gossip_published",
      help: "Local publishes",
      labelNames: ["kind"],
      registers,
    }),
    gossipPublishError: new Counter({
      name: "p2p_gossip_publish_error",
      help: "Local publishes that reached no peer or failed",
      labelNames: ["kind", "reason"],
      registers,
    }),
    reqrespSuccess: new Counter({
      name: "p2p_reqresp_success",
      help: "Completed request/response exchanges",
      labelNames: ["kind", "direction"],
      registers,
    }),
    reqrespError: new Counter({
      name: "p2p_reqresp_error",
      help: "Failed request/response exchanges",
      labelNames: ["kind", "direction", "reason"],
      registers,
    }),
    reqrespNotFound: new Counter({
      name: "p2p_reqresp_not_found",
      help: "Txlist requests answered not found",
      labelNames: ["kind", "direction"],
      registers,
    }),
    reqrespRateLimited: new Counter({
      name: "p2p_reqresp_rate_limited",
      help: "Inbound requests refused by the rate limiter",
      labelNames: ["kind"],
      registers,
    }),
    reqrespDropped: new Counter({
      name: "p2p_reqresp_dropped",
      help: "Inbound requests dropped unanswered",
      labelNames: ["kind", "reason"],
      registers,
    }),
    reqrespRttSeconds: new Histogram({
      name: "p2p_reqresp_rtt_seconds",
      help: "Outbound request round-trip time",
      labelNames: ["protocol", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    reputationBan: new Counter({ name: "p2p_reputation_ban", help: "Peers banned", registers }),
    reputationGreylist: new Counter({
      name: "p2p_reputation_greylist",
      help: "Peers that became greylisted",
      registers,
    }),
    connectedPeers,
    connError: new Counter({
      name: "p2p_conn_error",
      help: "Connection failures",
      labelNames: ["direction", "reason"],
      registers,
    }),
    connRejected: new Counter({
      name: "p2p_conn_rejected_total",
      help: "Inbound connections refused by the gater",
      registers,
    }),
    dialBlocked: new Counter({
      name: "p2p_dial_blocked",
      help: "Outbound dials refused by the gater",
      labelNames: ["source"],
      registers,
    }),
    eventDropped: new Counter({
      name: "p2p_event_dropped",
      help: "Network events a slow subscriber missed",
      labelNames: ["event"],
      registers,
    }),
    observePeerCount(count: () => number): void {
      peerCount = count;
    },
  };
}
