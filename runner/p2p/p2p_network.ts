/**
 * The preconfirmation network: a libp2p node with gossip on the two topics, the three
 * request/response protocols, peer reputation and scoring, static peers and a typed event stream.
 *
 * Discovery: none beyond static peers (kept connected) and bootnodes (dialled until they connect);
 * discv5 is not implemented (the reference's never yields dialable peers, p2p.md 7).
 *
 * @module
 */
import type { GossipsubMessage } from "@libp2p/gossipsub";
import type { PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Multiaddr } from "@multiformats/multiaddr";
import type { Address, Hash, Hex } from "viem";
import { runnerLogger } from "../log.ts";
import { checkAdvertiseAddress, parseTcpMultiaddr } from "./addresses.ts";
import { P2pError } from "./errors.ts";
import { type P2pEvent, P2pEventHub } from "./events.ts";
import { GossipHandler, type GossipRouter, publishGossip, type PublishOutcome } from "./gossip.ts";
import { guardGossipSizes } from "./gossip_size_guard.ts";
import { dropGraylistedFrames } from "./graylisted_frames.ts";
import { loadOrCreateNodeKey } from "./identity.ts";
import {
  createLibp2pNode,
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  type P2pLibp2p,
} from "./libp2p_node.ts";
import { loadMessageIdCodec, MAX_VALID_GOSSIP_PAYLOAD_BYTES } from "./message_id.ts";
import type { P2pMetrics } from "./metrics.ts";
import type {
  GossipValidator,
  PreconfStorage,
  RecoveredCommitment,
  SignerRecovery,
} from "./network_ports.ts";
import { createConnectionGater } from "./peers/connection_gater.ts";
import { buildGossipScoring, type GossipScoring } from "./peers/gossip_scoring.ts";
import { applyPeerAction } from "./peers/peer_actions.ts";
import { PeerReputation, type PeerReputationOptions, type PeerStanding } from "./peers/reputation.ts";
import {
  GRAYLIST_THRESHOLD,
  REPUTATION_TICK_MS,
  REPUTATION_WINDOW_MS,
} from "./peers/reputation_constants.ts";
import { StaticPeerDialer, type StaticPeerDialerOptions } from "./peers/static_peers.ts";
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  INBOUND_RATE_LIMITS,
  MAX_REQRESP_STREAMS,
  OUTBOUND_RATE_LIMITS,
  REQRESP_KINDS,
  type ReqRespKind,
  reqRespProtocol,
  type SlidingWindowLimit,
  type TokenBucketLimit,
} from "./reqresp/protocols.ts";
import { InboundRateLimiter, OutboundPacer } from "./reqresp/rate_limit.ts";
import {
  commitmentsExchange,
  exchange,
  headExchange,
  rawTxListExchange,
  type RequesterDeps,
} from "./reqresp/requester.ts";
import { respond } from "./reqresp/responder.ts";
import { GOSSIP_KINDS, type GossipKind, gossipTopic } from "./topics.ts";
import { encodeSignedCommitment, type SignedCommitment } from "./wire/commitment.ts";
import { encodeRawTxListGossip, type RawTxListGossip } from "./wire/raw_txlist.ts";
import type { PreconfHead } from "./wire/reqresp_messages.ts";
import { DEFAULT_SIGNING_DOMAIN } from "./wire/signing.ts";

const log = runnerLogger("p2p");

/** Default listen address (the reference's `0.0.0.0:9000`). */
export const DEFAULT_LISTEN_ADDRESS = "/ip4/0.0.0.0/tcp/9000";

/** How long `stop()` waits for libp2p to stop before it gives up on it. */
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/** What the network needs from the client. */
export interface P2pNetworkDeps {
  /** What the responder serves. */
  readonly storage: PreconfStorage;
  /** The client's gossip checks. */
  readonly validator: GossipValidator;
  /** Metrics, or `null`. */
  readonly metrics: P2pMetrics | null;
  /**
   * Recovers commitment signers for gossip and request/response checks (the node passes its worker
   * pool). @default {recoverSignerInline} on the event loop
   */
  readonly recoverSigner?: SignerRecovery;
}

/** How the network is set up; every field but `chainId` has a production default. */
export interface P2pNetworkOptions {
  /** The L2 chain id (topics and protocol ids). */
  readonly chainId: bigint;
  /** TCP multiaddrs to listen on. @default {[DEFAULT_LISTEN_ADDRESS]} */
  readonly listenAddresses?: readonly string[];
  /** Multiaddrs to announce; unspecified, multicast and broadcast IPs are refused. @default {[]} */
  readonly advertiseAddresses?: readonly string[];
  /** Peers kept connected (multiaddrs ending in `/p2p/<id>`). @default {[]} */
  readonly staticPeers?: readonly string[];
  /** Peers dialled until they first connect. @default {[]} */
  readonly bootnodes?: readonly string[];
  /** The node key file (created with mode 0600 on first start). @default {undefined} a new identity */
  readonly nodeKeyPath?: string;
  /** The 32-byte signing domain. @default {DEFAULT_SIGNING_DOMAIN} */
  readonly signingDomain?: Hex;
  /** Commitments naming another slasher are rejected. @default {undefined} no check */
  readonly expectedSlasher?: Address;
  /** Deadline of one request/response exchange. @default {DEFAULT_REQUEST_TIMEOUT_MS} */
  readonly requestTimeoutMs?: number;
  /** Outbound dial deadline. @default {DEFAULT_DIAL_TIMEOUT_MS} */
  readonly dialTimeoutMs?: number;
  /** Inbound upgrade (Noise + Yamux) deadline. @default {DEFAULT_HANDSHAKE_TIMEOUT_MS} */
  readonly handshakeTimeoutMs?: number;
  /** Connection limit. @default {DEFAULT_MAX_CONNECTIONS} */
  readonly maxConnections?: number;
  /** Inbound token buckets per protocol. @default {INBOUND_RATE_LIMITS} */
  readonly inboundRateLimits?: Record<ReqRespKind, TokenBucketLimit>;
  /** Outbound pacing per protocol. @default {OUTBOUND_RATE_LIMITS} */
  readonly outboundRateLimits?: Record<ReqRespKind, SlidingWindowLimit>;
  /** Reputation windows and thresholds. @default {{}} the P2P-2 profile */
  readonly reputation?: Omit<PeerReputationOptions, "now">;
  /** How often bans are evaluated. @default {REPUTATION_TICK_MS} */
  readonly reputationTickMs?: number;
  /** Static-peer redial backoff. @default {{}} 1 s doubling to 60 s */
  readonly staticPeerBackoff?: StaticPeerDialerOptions;
  /** How long `stop()` waits for libp2p. @default {DEFAULT_STOP_TIMEOUT_MS} */
  readonly stopTimeoutMs?: number;
}

/** Per-call options of requests. */
export interface RequestOptions {
  /** Abandons the request. @default {undefined} */
  readonly signal?: AbortSignal;
}

interface Running {
  readonly node: P2pLibp2p;
  readonly router: GossipRouter;
  readonly dialer: StaticPeerDialer;
  readonly tick: ReturnType<typeof setInterval>;
}

/** The preconfirmation P2P network (one libp2p node). */
export class P2pNetwork {
  readonly #deps: P2pNetworkDeps;
  readonly #options: P2pNetworkOptions;
  readonly #listen: readonly string[];
  readonly #advertise: readonly string[];
  readonly #topics: Record<GossipKind, string>;
  readonly #reputation: PeerReputation;
  readonly #scoring: GossipScoring;
  readonly #limiter: InboundRateLimiter;
  readonly #pacer: OutboundPacer;
  readonly #events: P2pEventHub;
  readonly #routerPenalizedAt = new Map<string, number>();
  #head: PreconfHead = { blockNumber: 0n, submissionWindowEnd: 0n };
  #running: Running | null = null;
  #starting: Promise<void> | null = null;

  /**
   * Checks the options and prepares everything that needs no I/O.
   *
   * @param deps Storage, gossip validator and metrics.
   * @param options Chain id, addresses, peers, key file, limits.
   * @throws {TypeError} An address does not parse, or an advertised IP is not dialable.
   * @throws {RangeError} The chain id or a limit is out of range, or scoring cannot be enabled.
   */
  constructor(deps: P2pNetworkDeps, options: P2pNetworkOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#topics = {
      commitment: gossipTopic("commitment", options.chainId),
      raw_txlists: gossipTopic("raw_txlists", options.chainId),
    };
    this.#listen = options.listenAddresses ?? [DEFAULT_LISTEN_ADDRESS];
    for (const a of this.#listen) parseTcpMultiaddr(a, "listen address");
    this.#advertise = options.advertiseAddresses ?? [];
    for (const a of this.#advertise) checkAdvertiseAddress(a);
    this.#reputation = new PeerReputation(options.reputation ?? {});
    this.#scoring = buildGossipScoring(Object.values(this.#topics), (peer) => this.#reputation.score(peer));
    this.#limiter = new InboundRateLimiter(options.inboundRateLimits ?? INBOUND_RATE_LIMITS);
    this.#pacer = new OutboundPacer(options.outboundRateLimits ?? OUTBOUND_RATE_LIMITS);
    this.#events = new P2pEventHub(deps.metrics);
    deps.metrics?.observePeerCount(() => this.peerCount);
  }

  /**
   * Loads the key, starts listening, subscribes to both topics, registers the protocols and starts
   * dialling static peers. Idempotent; on failure everything started is stopped again.
   *
   * @returns When the node listens.
   * @throws {P2pError} kind `Identity` when the key file is unusable.
   * @throws {Error} libp2p cannot listen (address in use, ...) or scoring is not active.
   */
  start(): Promise<void> {
    if (this.#running !== null) return Promise.resolve();
    this.#starting ??= this.#start().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    await loadMessageIdCodec();
    const privateKey = await loadOrCreateNodeKey(this.#options.nodeKeyPath);
    const node = await createLibp2pNode({
      privateKey,
      listenAddresses: this.#listen,
      advertiseAddresses: this.#advertise,
      connectionGater: createConnectionGater(
        (peer) => this.#reputation.standing(peer) === "banned",
        this.#deps.metrics,
      ),
      scoring: this.#scoring,
      topics: Object.values(this.#topics),
      dialTimeoutMs: this.#options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS,
      handshakeTimeoutMs: this.#options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      maxConnections: this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    });
    const router = asGossipRouter(node, this.#scoring);
    const dialer = new StaticPeerDialer(
      {
        dial: async (address: Multiaddr, signal: AbortSignal) => {
          await node.dial(address, { signal });
        },
        isConnected: (peer) => node.getConnections(peerIdFromString(peer)).length > 0,
        isBanned: (peer) => this.#reputation.standing(peer) === "banned",
      },
      { staticPeers: this.#options.staticPeers ?? [], bootnodes: this.#options.bootnodes ?? [] },
      this.#options.staticPeerBackoff ?? {},
    );
    try {
      await this.#wire(node, router, dialer);
      await node.start();
      for (const topic of Object.values(this.#topics)) router.subscribe(topic);
    } catch (cause) {
      await this.#stopNode(node);
      throw cause;
    }
    const tick = setInterval(
      () => this.#tick(node, router),
      this.#options.reputationTickMs ?? REPUTATION_TICK_MS,
    );
    unrefTimer(tick);
    this.#running = { node, router, dialer, tick };
    dialer.start();
    log.info("P2P network started as {peerId} on {addresses}", {
      peerId: node.peerId.toString(),
      addresses: node.getMultiaddrs().map(String),
    });
  }

  async #wire(node: P2pLibp2p, router: GossipRouter, dialer: StaticPeerDialer): Promise<void> {
    const gossip = new GossipHandler(
      {
        validator: this.#deps.validator,
        reputation: this.#reputation,
        metrics: this.#deps.metrics,
        events: this.#events,
        log,
        ...(this.#deps.recoverSigner === undefined ? {} : { recoverSigner: this.#deps.recoverSigner }),
      },
      {
        selfPeerId: node.peerId.toString(),
        topics: new Map(GOSSIP_KINDS.map((k) => [this.#topics[k], k])),
        signingDomain: this.#options.signingDomain ?? DEFAULT_SIGNING_DOMAIN,
        ...(this.#options.expectedSlasher === undefined
          ? {}
          : { expectedSlasher: this.#options.expectedSlasher }),
      },
    );
    guardGossipSizes(
      node.services.pubsub,
      new Map(GOSSIP_KINDS.map((k) => [this.#topics[k], MAX_VALID_GOSSIP_PAYLOAD_BYTES[k]])),
      ({ peer, topic, bytes }) => gossip.refuseOversized(peer, topic, bytes),
    );
    dropGraylistedFrames(
      node.services.pubsub,
      (peer) => isGraylisted(router, peer),
      () => this.#deps.metrics?.gossipDroppedGraylisted.inc(),
    );
    node.services.pubsub.addEventListener("gossipsub:message", (event) => {
      const { propagationSource, msgId, msg } = (event as CustomEvent<GossipsubMessage>).detail;
      const peer = propagationSource.toString();
      void gossip.judge(peer, msg).then((verdict) =>
        router.reportMessageValidationResult(msgId, peer, verdict)
      );
    });
    node.addEventListener("peer:connect", (event) => {
      this.#events.emit("PeerConnected", { peer: event.detail.toString() });
    });
    node.addEventListener("peer:disconnect", (event) => {
      const peer = event.detail.toString();
      this.#routerPenalizedAt.delete(peer);
      this.#events.emit("PeerDisconnected", { peer });
      dialer.peerDisconnected(peer);
    });
    const responderDeps = {
      storage: this.#deps.storage,
      head: () => this.#head,
      reputation: this.#reputation,
      limiter: this.#limiter,
      metrics: this.#deps.metrics,
      events: this.#events,
      log,
      timeoutMs: this.#requestTimeoutMs,
    };
    for (const kind of REQRESP_KINDS) {
      await node.handle(
        reqRespProtocol(kind, this.#options.chainId),
        (stream, connection) => respond(kind, stream, connection, responderDeps),
        { maxInboundStreams: MAX_REQRESP_STREAMS, maxOutboundStreams: MAX_REQRESP_STREAMS },
      );
    }
  }

  /** Evaluates bans and feeds gossipsub's graylisting back into the reputation (once per window). */
  #tick(node: P2pLibp2p, router: GossipRouter): void {
    const now = Date.now();
    const windowMs = this.#options.reputation?.windowMs ?? REPUTATION_WINDOW_MS;
    for (const connection of node.getConnections()) {
      const peer = connection.remotePeer.toString();
      // A peer gossipsub ignores (score below graylist) keeps failing for as long as it stays there.
      if (
        isGraylisted(router, peer) &&
        now - (this.#routerPenalizedAt.get(peer) ?? 0) >= windowMs
      ) {
        this.#routerPenalizedAt.set(peer, now);
        applyPeerAction(peer, "Failure", { reputation: this.#reputation, metrics: this.#deps.metrics });
      }
    }
    for (const peer of this.#reputation.tick()) {
      const score = this.#reputation.score(peer);
      this.#deps.metrics?.reputationBan.inc();
      log.warn("Banned peer {peer}: reputation {score} stayed at or below the ban threshold", {
        peer,
        score,
      });
      this.#events.emit("PeerBanned", { peer, score });
      void node.hangUp(peerIdFromString(peer)).catch(() => undefined);
    }
  }

  /**
   * Stops dialling, unsubscribes every event subscriber, stops libp2p (bounded by a timeout) and
   * clears every timer. Idempotent.
   *
   * @returns When stopped.
   */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    if (running === null) return;
    this.#running = null;
    clearInterval(running.tick);
    await running.dialer.stop();
    this.#events.close();
    await this.#stopNode(running.node);
    log.info("P2P network stopped");
  }

  async #stopNode(node: P2pLibp2p): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.#options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([
        Promise.resolve(node.stop()).then(() => "stopped" as const),
        timeout,
      ]);
      if (result === "timeout") log.warn("libp2p did not stop in time; leaving it behind");
    } catch (cause) {
      log.warn("libp2p failed to stop: {error}", { error: (cause as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }

  /** This node's base58 peer id. @throws {P2pError} kind `Stopped` before `start()`. */
  get peerId(): string {
    return this.#node().peerId.toString();
  }

  /** How many peers are connected (0 when stopped). */
  get peerCount(): number {
    return this.#running === null ? 0 : this.#running.node.getPeers().length;
  }

  /**
   * Connected peers, best reputation first.
   *
   * @returns Base58 peer ids.
   */
  peers(): string[] {
    if (this.#running === null) return [];
    return this.#running.node.getPeers().map(String).sort((a, b) =>
      this.#reputation.score(b) - this.#reputation.score(a)
    );
  }

  /**
   * Connected peers subscribed to one topic (publishing reaches only these).
   *
   * @param kind The topic kind.
   * @returns Base58 peer ids.
   */
  topicPeers(kind: GossipKind): string[] {
    if (this.#running === null) return [];
    return this.#running.router.getSubscribers(this.#topics[kind]).map(String);
  }

  /**
   * The addresses peers can dial, each ending in `/p2p/<our id>`.
   *
   * @returns Multiaddr strings.
   * @throws {P2pError} kind `Stopped` before `start()`.
   */
  listenAddresses(): string[] {
    return this.#node().getMultiaddrs().map(String);
  }

  /**
   * The reputation of a peer (for status and tests).
   *
   * @param peer Base58 peer id.
   * @returns The score and standing.
   */
  reputationOf(peer: string): { score: number; standing: PeerStanding } {
    return { score: this.#reputation.score(peer), standing: this.#reputation.standing(peer) };
  }

  /**
   * Dials a peer once (static peers are dialled automatically).
   *
   * @param address A multiaddr ending in `/p2p/<id>`.
   * @param options Cancellation.
   * @returns When connected.
   * @throws {Error} The dial fails or times out.
   */
  async dial(address: string | Multiaddr, options: RequestOptions = {}): Promise<void> {
    const target = typeof address === "string" ? parseTcpMultiaddr(address, "peer address") : address;
    await this.#node().dial(target, options.signal === undefined ? {} : { signal: options.signal });
  }

  /**
   * Sets the head served on `get_head` (the highest accepted commitment; never decreases here).
   *
   * @param head The new head.
   */
  updateHead(head: PreconfHead): void {
    if (head.blockNumber >= this.#head.blockNumber) this.#head = head;
  }

  /** The head served on `get_head`. */
  get head(): PreconfHead {
    return this.#head;
  }

  /**
   * Publishes a commitment. Nothing is validated here (the caller validated it); with no peers the
   * call still succeeds and reports `peers: 0`.
   *
   * @param commitment The signed commitment.
   * @returns How many peers were reached.
   * @throws {P2pError} kind `Stopped` before `start()`.
   * @throws {TypeError} A field is malformed.
   */
  async publishCommitment(commitment: SignedCommitment): Promise<PublishOutcome> {
    const data = encodeSignedCommitment(commitment);
    return await publishGossip(this.#router(), this.#topics.commitment, "commitment", data, {
      metrics: this.#deps.metrics,
      log,
    });
  }

  /**
   * Publishes a txlist (the hash is not checked here).
   *
   * @param txlist The txlist message.
   * @returns How many peers were reached.
   * @throws {P2pError} kind `Stopped` before `start()`.
   * @throws {RangeError} The txlist is larger than 2 MiB.
   */
  async publishRawTxList(txlist: RawTxListGossip): Promise<PublishOutcome> {
    const data = encodeRawTxListGossip(txlist);
    return await publishGossip(this.#router(), this.#topics.raw_txlists, "raw_txlists", data, {
      metrics: this.#deps.metrics,
      log,
    });
  }

  /**
   * Asks a peer for its head (`get_head`).
   *
   * @param peer Base58 peer id; `undefined` picks the best connected peer.
   * @param options Cancellation.
   * @returns The head.
   * @throws {P2pError} `NoPeers`, `Timeout`, `NoResponse`, `Framing`, `InvalidResponse`, `Transport`, `Stopped`.
   */
  async requestHead(peer?: string, options: RequestOptions = {}): Promise<PreconfHead> {
    const { request, validate } = headExchange();
    return await exchange(
      "head",
      this.#pickPeer(peer),
      request,
      validate,
      this.#requesterDeps(),
      options.signal,
    );
  }

  /**
   * Asks a peer for commitments from `start` (`get_commitments_by_number`), checking every entry.
   *
   * @param start The first block number.
   * @param maxCount How many at most (1..256).
   * @param peer Base58 peer id; `undefined` picks the best connected peer.
   * @param options Cancellation.
   * @returns The commitments, ascending, each with its recovered signer.
   * @throws {RangeError} `maxCount` is out of range.
   * @throws {P2pError} `NoPeers`, `Timeout`, `NoResponse`, `Framing`, `InvalidResponse`, `Transport`, `Stopped`.
   */
  async requestCommitments(
    start: bigint,
    maxCount: number,
    peer?: string,
    options: RequestOptions = {},
  ): Promise<RecoveredCommitment[]> {
    const deps = this.#requesterDeps();
    const { request, validate } = commitmentsExchange(start, maxCount, deps);
    return await exchange("commitments", this.#pickPeer(peer), request, validate, deps, options.signal);
  }

  /**
   * Asks a peer for a txlist (`get_raw_txlist`).
   *
   * @param hash The txlist hash.
   * @param peer Base58 peer id; `undefined` picks the best connected peer.
   * @param options Cancellation.
   * @returns The txlist, or `null` when the peer does not have it (no penalty).
   * @throws {P2pError} `NoPeers`, `Timeout`, `NoResponse`, `Framing`, `InvalidResponse`, `Transport`, `Stopped`.
   */
  async requestRawTxList(
    hash: Hash,
    peer?: string,
    options: RequestOptions = {},
  ): Promise<RawTxListGossip | null> {
    const { request, validate } = rawTxListExchange(hash);
    return await exchange(
      "raw_txlists",
      this.#pickPeer(peer),
      request,
      validate,
      this.#requesterDeps(),
      options.signal,
    );
  }

  /**
   * Network events from now on (peers, accepted gossip, inbound requests, bans), until the signal
   * aborts or the network stops. A slow subscriber gets an `EventsDropped` event, never silence.
   *
   * @param options `signal` ends the subscription; `capacity` bounds its queue.
   * @returns The events.
   */
  events(options: { signal?: AbortSignal; capacity?: number } = {}): AsyncIterable<P2pEvent> {
    return this.#events.subscribe(options);
  }

  get #requestTimeoutMs(): number {
    return this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  #requesterDeps(): RequesterDeps {
    return {
      node: this.#node(),
      chainId: this.#options.chainId,
      pacer: this.#pacer,
      reputation: this.#reputation,
      metrics: this.#deps.metrics,
      timeoutMs: this.#requestTimeoutMs,
      signingDomain: this.#options.signingDomain ?? DEFAULT_SIGNING_DOMAIN,
      ...(this.#options.expectedSlasher === undefined
        ? {}
        : { expectedSlasher: this.#options.expectedSlasher }),
      ...(this.#deps.recoverSigner === undefined ? {} : { recoverSigner: this.#deps.recoverSigner }),
    };
  }

  #pickPeer(peer: string | undefined): PeerId {
    const node = this.#node();
    if (peer !== undefined) {
      try {
        return peerIdFromString(peer);
      } catch (cause) {
        throw new TypeError(`Cannot request from peer "${peer}": not a valid peer id`, { cause });
      }
    }
    const best = this.peers().find((p) => this.#reputation.standing(p) === "good");
    if (best === undefined) {
      throw new P2pError(
        "NoPeers",
        "Cannot send request: no connected peer in good standing, wait for peers",
      );
    }
    return node.getPeers().find((p) => p.toString() === best) ?? peerIdFromString(best);
  }

  #node(): P2pLibp2p {
    if (this.#running === null) {
      throw new P2pError("Stopped", "Cannot use the P2P network: it is not started");
    }
    return this.#running.node;
  }

  #router(): GossipRouter {
    this.#node();
    return (this.#running as Running).router;
  }
}

/** The gossipsub instance as the router the network needs, with scoring verified active. */
function asGossipRouter(node: P2pLibp2p, scoring: GossipScoring): GossipRouter {
  const pubsub = node.services.pubsub as unknown as GossipRouter & {
    score?: { params?: { appSpecificScore?: unknown } };
  };
  if (
    typeof pubsub.reportMessageValidationResult !== "function" || typeof pubsub.getScore !== "function" ||
    pubsub.score?.params?.appSpecificScore !== scoring.params.appSpecificScore
  ) {
    throw new Error("Cannot start the P2P network: gossipsub peer scoring is not active with our parameters");
  }
  return pubsub;
}

/** Whether gossipsub ignores every RPC of the peer (its score is below the graylist threshold). */
function isGraylisted(router: GossipRouter, peer: string): boolean {
  return router.getScore(peer) < GRAYLIST_THRESHOLD;
}

function unrefTimer(timer: ReturnType<typeof setInterval>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === "number") deno?.unrefTimer?.(timer);
}
