/**
 * Builds the libp2p node: TCP + Noise + Yamux, identify, ping and gossipsub with the reference's
 * parameters (p2p.md 5.3 and 7), the kona message id, StrictSign, asynchronous validation and
 * peer scoring. Every knob is set here; nothing relies on a library default that differs from the
 * Rust peers.
 *
 * @module
 */
import { noise } from "@chainsafe/libp2p-noise";
import { type GossipSub, gossipsub, type GossipsubOpts, StrictSign } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { ConnectionGater, PrivateKey } from "@libp2p/interface";
import { type Ping, ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { createLibp2p, type Libp2p } from "libp2p";
import { gossipMessageId, MAX_VALID_GOSSIP_PAYLOAD_BYTES } from "./message_id.ts";
import { gossipKindOf } from "./topics.ts";
import type { GossipScoring } from "./peers/gossip_scoring.ts";
import { MAX_GOSSIP_SIZE_BYTES } from "./wire/constants.ts";

/** The services of our node. */
export type P2pServices = {
  /** gossipsub. */
  readonly pubsub: GossipSub;
  /** identify (`/ipfs/id/1.0.0`). */
  readonly identify: Identify;
  /** ping (`/ipfs/ping/1.0.0`). */
  readonly ping: Ping;
};

/** Our libp2p node. */
export type P2pLibp2p = Libp2p<P2pServices>;

/** Deadline of one outbound dial (DNS, TCP, Noise, Yamux), the reference's bound. */
export const DEFAULT_DIAL_TIMEOUT_MS = 10_000;

/** Deadline of an inbound connection's upgrade (Noise + Yamux): a stalled peer cannot pin a slot. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Most connections (the reference's established-in + established-out). */
export const DEFAULT_MAX_CONNECTIONS = 220;

/** Most connections still upgrading at once (the reference's pending-in). */
export const MAX_PENDING_INBOUND_CONNECTIONS = 40;

/** Most new inbound connections per second from one host. */
export const INBOUND_CONNECTIONS_PER_SECOND_PER_HOST = 20;

/** Largest buffered outbound gossipsub data per peer before the stream is reset. */
export const GOSSIP_MAX_OUTBOUND_BUFFER_BYTES = 4 * MAX_GOSSIP_SIZE_BYTES;

/** What {@linkcode createLibp2pNode} needs. */
export interface Libp2pNodeOptions {
  /** The node key. */
  readonly privateKey: PrivateKey;
  /** TCP multiaddrs to listen on. */
  readonly listenAddresses: readonly string[];
  /** Multiaddrs announced to peers instead of the listen addresses (already checked). */
  readonly advertiseAddresses: readonly string[];
  /** Refuses banned peers. */
  readonly connectionGater: ConnectionGater;
  /** Score parameters and thresholds (already validated). */
  readonly scoring: GossipScoring;
  /** The two topics (the only ones accepted). */
  readonly topics: readonly string[];
  /** Outbound dial deadline, in milliseconds. */
  readonly dialTimeoutMs: number;
  /** Inbound upgrade deadline, in milliseconds. */
  readonly handshakeTimeoutMs: number;
  /** Connection limit. */
  readonly maxConnections: number;
}

/**
 * The gossipsub options of p2p.md 5.3 (kona preset plus the reference's overrides).
 *
 * @param scoring Score parameters and thresholds.
 * @param topics The accepted topics.
 * @returns The options.
 */
export function gossipsubOptions(scoring: GossipScoring, topics: readonly string[]): Partial<GossipsubOpts> {
  return {
    D: 8,
    Dlo: 6,
    Dhi: 12,
    Dlazy: 6,
    heartbeatInterval: 500,
    fanoutTTL: 60_000,
    mcacheLength: 12,
    mcacheGossip: 3,
    seenTTL: 120_000,
    gossipFactor: 0.25,
    pruneBackoff: 60_000,
    unsubcribeBackoff: 10_000,
    opportunisticGraftTicks: 60,
    opportunisticGraftPeers: 2,
    gossipsubIWantFollowupMs: 3_000,
    idontwantMinDataSize: 1_000,
    floodPublish: false,
    fallbackToFloodsub: true,
    doPX: false,
    emitSelf: false,
    asyncValidation: true,
    globalSignaturePolicy: StrictSign,
    // An oversized payload gets a cheap id: gossipsub hashes before our validator sees the size.
    msgIdFn: (message) =>
      gossipMessageId(
        message.data,
        MAX_VALID_GOSSIP_PAYLOAD_BYTES[gossipKindOf(message.topic) ?? "raw_txlists"],
      ),
    maxInboundDataLength: MAX_GOSSIP_SIZE_BYTES,
    maxOutboundBufferSize: GOSSIP_MAX_OUTBOUND_BUFFER_BYTES,
    allowedTopics: [...topics],
    scoreParams: scoring.params,
    scoreThresholds: scoring.thresholds,
  };
}

/**
 * Creates (but does not start) the libp2p node.
 *
 * @param options Key, addresses, gater, scoring and limits.
 * @returns The node.
 * @throws {Error} libp2p refuses the configuration.
 */
export async function createLibp2pNode(options: Libp2pNodeOptions): Promise<P2pLibp2p> {
  return await createLibp2p({
    start: false,
    privateKey: options.privateKey,
    addresses: {
      listen: [...options.listenAddresses],
      ...(options.advertiseAddresses.length > 0 ? { announce: [...options.advertiseAddresses] } : {}),
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: options.connectionGater,
    connectionManager: {
      maxConnections: options.maxConnections,
      dialTimeout: options.dialTimeoutMs,
      inboundUpgradeTimeout: options.handshakeTimeoutMs,
      maxIncomingPendingConnections: MAX_PENDING_INBOUND_CONNECTIONS,
      inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_SECOND_PER_HOST,
    },
    services: {
      identify: identify({ protocolPrefix: "ipfs" }),
      ping: ping(),
      pubsub: gossipsub(gossipsubOptions(options.scoring, options.topics)),
    },
  });
}
