/**
 * The preconfirmation client: every commitment and txlist, from gossip, catch-up or the local
 * JSON-RPC, goes through one validation path into the bounded store; accepted blocks are executed
 * in order through the driver; gaps trigger catch-up. It is the P2P layer's `GossipValidator` (the
 * verdict is decided before a message is forwarded, lesson P2P-7) and `PreconfStorage` source (via
 * {@linkcode PreconfClient.storage}), and the JSON-RPC server's `PreconfRpcBackend`.
 *
 * Nothing a peer sends can stop it (lesson L-2): failures are typed, logged with the peer, counted,
 * and turned into `ignore`/`reject` verdicts.
 *
 * @module
 */
import type { Address, Hash, Hex } from "viem";
import { DEFAULT_SIGNING_DOMAIN } from "../p2p/wire/signing.ts";
import type { GossipValidator, GossipVerdict, PreconfStorage, SignerRecovery } from "../p2p/network_ports.ts";
import type { SignedCommitment } from "../p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import { commitmentHash } from "../p2p/wire/signing.ts";
import { runnerLogger } from "../log.ts";
import type {
  PreconfNodeStatus,
  PreconfRpcBackend,
  PreconfSlotInfo,
  PublishBlockRequest,
  PublishBlockResult,
  PublishCommitmentRequest,
  PublishCommitmentResult,
} from "../rpc/backend.ts";
import { PreconfError } from "./errors.ts";
import {
  type LocalPublishContext,
  publishBlockLocally,
  publishCommitmentLocally,
  publishTxListLocally,
} from "./local_publish.ts";
import { sleep } from "./_async.ts";
import { CachedRead } from "./cached_read.ts";
import { CatchUp, CatchUpLoop, type CatchUpOptions } from "./catch_up.ts";
import { CommitmentStore, type CommitmentStoreOptions } from "./commitment_store.ts";
import type { PreconfMetrics, PreconfSource } from "./metrics.ts";
import { BlockSubmitter } from "./submission.ts";
import type {
  IngestOutcome,
  PendingCommitment,
  PreconfChain,
  PreconfDriver,
  PreconfNetwork,
} from "./types.ts";
import {
  ANCHOR_HEAD_SLACK_BLOCKS,
  type InvalidCommitment,
  validateCommitment,
  validateTxList,
  type ValidationConfig,
  type ValidationState,
} from "./validation.ts";
import type { LookaheadSource } from "./lookahead/resolver.ts";

/** How often the client re-checks buffered commitments, gaps and missing txlists. */
export const CLIENT_TICK_MS = 1_000;
/** How long the next block may miss its commitment while later ones wait, before a backfill. */
export const GAP_GRACE_MS = 2_000;
/** How long the next block may miss its txlist before it is fetched by hash (lesson C-5). */
export const TXLIST_FETCH_GRACE_MS = 2_000;
/** How long a commitment may wait in the pending buffer. */
export const PENDING_MAX_AGE_MS = 10 * 60_000;
/** How often the L1 head (anchor bounds) is re-read. */
export const L1_HEAD_REFRESH_MS = 12_000;
/** Shortest interval between on-demand L1 head reads (an anchor ahead of our cached head triggers one). */
export const L1_HEAD_MIN_REFRESH_MS = 1_000;
/** Commitment hashes remembered as dropped, so catch-up does not feed them again; oldest first out. */
export const REFUSED_COMMITMENTS_MAX = 1024;

/** The chain rules the client validates against (from the driver's `shastaChainConfig`). */
export interface PreconfChainRules {
  /** L2 timestamp from which Shasta applies, in seconds. */
  readonly shastaForkTimestamp: bigint;
  /** Furthest a block timestamp may lag its proposal, in seconds. */
  readonly timestampMaxOffset: bigint;
  /** Furthest an anchor may lag its proposal's origin, in L1 blocks. */
  readonly maxAnchorOffset: bigint;
  /** The base-fee lower clamp, in wei. @default {the driver's MIN_BASE_FEE} */
  readonly minBaseFee?: bigint;
}

/** What the client needs. */
export interface PreconfClientDeps {
  /** Submits blocks; tells the confirmed tip (the runner's forwarder or the EventSyncer). */
  readonly driver: PreconfDriver;
  /** L2 headers, the Inbox's fee sharing and proposal count, the L1 head. */
  readonly chain: PreconfChain;
  /** Who may sign for a timestamp. */
  readonly lookahead: LookaheadSource;
  /** Metrics, or `null`. */
  readonly metrics: PreconfMetrics | null;
  /**
   * Recovers commitment signers for validation (the node passes its `SignaturePool`); commitments
   * published over the local JSON-RPC are always recovered on the event loop, one per call.
   * @default {recoverSignerInline} on the event loop
   */
  readonly recoverSigner?: SignerRecovery;
}

/** How the client is set up. */
export interface PreconfClientOptions {
  /** The slasher every commitment must name (required, lesson V-3). */
  readonly expectedSlasher: Address;
  /** The 32-byte signing domain. @default {DEFAULT_SIGNING_DOMAIN} */
  readonly signingDomain?: Hex;
  /** The chain's derivation bounds. */
  readonly chainRules: PreconfChainRules;
  /** Store bounds. @default {{}} */
  readonly store?: CommitmentStoreOptions;
  /** Catch-up tuning. @default {{}} */
  readonly catchUp?: CatchUpOptions;
  /** Deadline of one driver submission. @default {undefined} the driver's */
  readonly submitTimeoutMs?: number;
  /** Background tick. @default {CLIENT_TICK_MS} */
  readonly tickIntervalMs?: number;
  /** Pending buffer age limit. @default {PENDING_MAX_AGE_MS} */
  readonly pendingMaxAgeMs?: number;
  /**
   * Longest `preconf_getStatus` reuses an engine head read, in milliseconds, at most
   * {@linkcode STATUS_HEAD_MAX_AGE_LIMIT_MS}. Above 0, a reorg nobody reported shows that much later.
   * @default {STATUS_HEAD_MAX_AGE_MS} only a read already in flight is shared
   */
  readonly statusHeadMaxAgeMs?: number;
  /** Wall clock in milliseconds. @default {Date.now} */
  readonly now?: () => number;
}

/** Proposal state the runner feeds in as it changes. */
export interface ProposalStateUpdate {
  /** The last proposal id applied from L1. */
  readonly canonicalProposalId?: bigint;
  /** The engine's `latest` block number. */
  readonly preconfTip?: bigint;
}

/** The result of one ingest: what happened and the gossip verdict it implies. */
export interface Ingested {
  readonly outcome: IngestOutcome;
  readonly verdict: GossipVerdict;
  readonly failure: InvalidCommitment | null;
}

/**
 * How long `preconf_getStatus` reuses an engine head read by default, in milliseconds: 0, so a call
 * only joins a read already in flight (at most one engine round trip old) and the call after an
 * engine reorg reports the new head (lesson L-4, "at once").
 */
export const STATUS_HEAD_MAX_AGE_MS = 0;
/** The most `statusHeadMaxAgeMs` may be, in milliseconds: the staleness lesson L-4 can bear. */
export const STATUS_HEAD_MAX_AGE_LIMIT_MS = 250;
/** Longest `preconf_getStatus` reuses an Inbox proposal count read, in milliseconds. */
export const STATUS_INBOX_MAX_AGE_MS = 1_000;

const log = runnerLogger("preconf");

/** The preconfirmation client. */
export class PreconfClient implements GossipValidator, PreconfRpcBackend {
  readonly #deps: PreconfClientDeps;
  readonly #config: ValidationConfig;
  readonly #store: CommitmentStore;
  readonly #submitter: BlockSubmitter;
  readonly #catchUp: CatchUp;
  readonly #loop: CatchUpLoop;
  readonly #tickMs: number;
  readonly #pendingMaxAgeMs: number;
  readonly #now: () => number;
  readonly #refused = new Set<Hash>();
  readonly #statusInbox: CachedRead<bigint>;
  readonly #statusHead: CachedRead<bigint>;
  #network: PreconfNetwork | null = null;
  #canonicalProposalId = 0n;
  #l1Head: bigint | null = null;
  #l1HeadReadAt = -Infinity;
  #servedHead = 0n;
  #gapSince: number | null = null;
  #missingTxList: { hash: Hash; since: number } | null = null;
  #fetching: Promise<unknown> | null = null;
  #controller: AbortController | null = null;
  #tasks: Promise<unknown>[] = [];

  /**
   * Creates the client (not started; attach the network, then `start()`).
   *
   * @param deps Driver, chain reads, lookahead and metrics.
   * @param options Slasher, domain, chain rules and bounds.
   * @throws {TypeError} When the expected slasher or the signing domain is malformed.
   * @throws {RangeError} When `statusHeadMaxAgeMs` is outside [0, 250].
   */
  constructor(deps: PreconfClientDeps, options: PreconfClientOptions) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(options.expectedSlasher)) {
      throw new TypeError(
        `Cannot create preconfirmation client: expectedSlasher "${options.expectedSlasher}" is not an address`,
      );
    }
    const signingDomain = options.signingDomain ?? DEFAULT_SIGNING_DOMAIN;
    if (!/^0x[0-9a-fA-F]{64}$/.test(signingDomain)) {
      throw new TypeError(
        `Cannot create preconfirmation client: signingDomain "${signingDomain}" is not 32 bytes of hex`,
      );
    }
    this.#deps = deps;
    this.#config = {
      expectedSlasher: options.expectedSlasher,
      signingDomain,
      shastaForkTimestamp: options.chainRules.shastaForkTimestamp,
      timestampMaxOffset: options.chainRules.timestampMaxOffset,
      maxAnchorOffset: options.chainRules.maxAnchorOffset,
    };
    this.#store = new CommitmentStore(options.store ?? {});
    this.#submitter = new BlockSubmitter(
      { driver: deps.driver, chain: deps.chain, store: this.#store, metrics: deps.metrics },
      deps.driver.confirmedTip,
      {
        ...(options.chainRules.minBaseFee === undefined ? {} : { minBaseFee: options.chainRules.minBaseFee }),
        ...(options.submitTimeoutMs === undefined ? {} : { submitTimeoutMs: options.submitTimeoutMs }),
        onExecuted: (record) => {
          // The block just inserted is the engine's head: status reports it without a read.
          this.#statusHead.set(record.signed.commitment.preconf.blockNumber);
          this.#afterExecuted(record.signed.commitment.preconf.blockNumber).catch((error) =>
            log.warn("Re-checking buffered commitments failed: {error}", { error })
          );
        },
        onDropped: (record) => this.#remember(record.commitmentHash),
      },
    );
    this.#catchUp = new CatchUp({
      network: () => this.#network,
      store: this.#store,
      metrics: deps.metrics,
      firstWanted: () => {
        const head = this.#submitter.head;
        const tip = deps.driver.confirmedTip;
        return (tip > head ? tip : head) + 1n;
      },
      ingestCommitment: async (signed, from, signer) =>
        (await this.#ingest(signed, "catchup", from, false, signer)).outcome,
      // Catch-up hands over txlists whose hash it checked (CatchUpDeps.ingestTxList).
      ingestTxList: (txlist, from) => {
        this.#ingestTxList(txlist, "catchup", from, txlist.rawTxListHash);
        return Promise.resolve();
      },
    }, options.catchUp ?? {});
    this.#loop = new CatchUpLoop(this.#catchUp, deps.metrics, options.catchUp ?? {});
    this.#tickMs = options.tickIntervalMs ?? CLIENT_TICK_MS;
    this.#pendingMaxAgeMs = options.pendingMaxAgeMs ?? PENDING_MAX_AGE_MS;
    this.#now = options.now ?? Date.now;
    this.#statusInbox = new CachedRead(
      () => deps.chain.inboxNextProposalId(),
      STATUS_INBOX_MAX_AGE_MS,
      this.#now,
    );
    const headMaxAgeMs = options.statusHeadMaxAgeMs ?? STATUS_HEAD_MAX_AGE_MS;
    if (!(headMaxAgeMs >= 0 && headMaxAgeMs <= STATUS_HEAD_MAX_AGE_LIMIT_MS)) {
      throw new RangeError(
        `Cannot create preconfirmation client: statusHeadMaxAgeMs must be in [0, ${STATUS_HEAD_MAX_AGE_LIMIT_MS}], got ${headMaxAgeMs}`,
      );
    }
    this.#statusHead = new CachedRead(() => deps.chain.l2Head(), headMaxAgeMs, this.#now);
    deps.metrics?.bindState(() => ({
      headBlock: this.#submitter.head,
      storeCommitments: this.#store.stats.commitments,
      storeTxLists: this.#store.stats.txLists,
      storePending: this.#store.stats.pending,
      awaitingTxList: this.#awaitingTxListCount(),
    }));
  }

  /** What the P2P responder serves: accepted commitments and the txlists they name. */
  get storage(): PreconfStorage {
    return this.#store;
  }

  /** The store (read access for the node and tests). */
  get store(): CommitmentStore {
    return this.#store;
  }

  /** The highest block this client knows to be in the engine. */
  get head(): bigint {
    return this.#submitter.head;
  }

  /** The network, once attached. */
  get network(): PreconfNetwork | null {
    return this.#network;
  }

  /** Catch-up's last complete pass, as a watch. */
  get catchUp(): CatchUpLoop {
    return this.#loop;
  }

  /**
   * Attaches the P2P network (built after the client, since it takes the client as its storage
   * and validator).
   *
   * @param network The network.
   */
  attachNetwork(network: PreconfNetwork): void {
    this.#network = network;
  }

  /**
   * Reads the engine head, then starts the background tick, catch-up and (with a network) the
   * peer-event listener. Idempotent.
   *
   * @returns When started.
   */
  async start(): Promise<void> {
    if (this.#controller !== null) return;
    const controller = new AbortController();
    this.#controller = controller;
    try {
      this.#submitter.observeHead(await this.#deps.chain.l2Head());
    } catch (error) {
      log.warn("Cannot read the L2 head at start, using the confirmed tip: {error}", { error });
    }
    this.#loop.start();
    this.#tasks = [this.#tickLoop(controller.signal), this.#listen(controller.signal)];
  }

  /** Stops the tick, catch-up and the listener; waits for them (idempotent). */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (controller === null) return;
    this.#controller = null;
    controller.abort(new DOMException("Preconfirmation client stopped", "AbortError"));
    await this.#loop.stop();
    await Promise.allSettled([...this.#tasks, this.#fetching]);
    this.#tasks = [];
  }

  /**
   * Takes the runner's proposal state: the canonical proposal id and the engine head (reconciled in
   * both directions). Drops everything at or below the confirmed tip and resumes execution.
   *
   * @param update The changed values.
   */
  updateProposalState(update: ProposalStateUpdate): void {
    if (update.canonicalProposalId !== undefined) this.#canonicalProposalId = update.canonicalProposalId;
    if (update.preconfTip !== undefined) {
      this.#submitter.observeHead(update.preconfTip);
      // The engine head moved under us (derivation, a reorg): the next status reads it again.
      this.#statusHead.invalidate();
    }
    this.#pruneStale();
    this.#afterHeadMoved().catch((error) =>
      log.warn("Re-checking buffered commitments failed: {error}", { error })
    );
  }

  /**
   * Applies every proposal state the source publishes (the runner's forwarder: canonical proposal
   * id from the event syncer, engine head from L2) until the signal aborts.
   *
   * @param source Yields the current state, then each change.
   * @param signal Ends the loop.
   * @returns When the signal aborts or the source ends.
   */
  async followProposalState(
    source: {
      values(options?: { signal?: AbortSignal }): AsyncIterable<{
        readonly canonicalProposalId: bigint;
        readonly preconfTip: bigint;
      }>;
    },
    signal: AbortSignal,
  ): Promise<void> {
    try {
      for await (const state of source.values({ signal })) this.updateProposalState(state);
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  // ---- GossipValidator ------------------------------------------------------------------------

  /**
   * Judges a gossiped commitment (the network already checked size, SSZ, EOP rule, signature).
   *
   * @param commitment The commitment.
   * @param from The relaying peer.
   * @param signer The signer the network recovered; when given it is not recovered again.
   * @returns `accept` (forward), `ignore` or `reject` (penalise).
   */
  async validateCommitment(
    commitment: SignedCommitment,
    from: string,
    signer?: Address,
  ): Promise<GossipVerdict> {
    return (await this.#ingest(commitment, "gossip", from, false, signer)).verdict;
  }

  /**
   * Judges a gossiped txlist (the network already checked size and hash).
   *
   * @param txlist The txlist.
   * @param from The relaying peer.
   * @returns `accept`, `ignore` or `reject`.
   */
  validateRawTxList(txlist: RawTxListGossip, from: string): Promise<GossipVerdict> {
    return Promise.resolve(this.#ingestTxList(txlist, "gossip", from));
  }

  // ---- PreconfRpcBackend ----------------------------------------------------------------------

  /**
   * `preconf_publishBlock`: validate, insert locally, then gossip (works with zero peers).
   *
   * @param request The checked request.
   * @returns What happened locally and on gossip.
   * @throws {PreconfError} When validation, the txlist codec or the driver refuses the block.
   */
  publishBlock(request: PublishBlockRequest): Promise<PublishBlockResult> {
    return publishBlockLocally(this.#publishContext(), request);
  }

  /**
   * `preconf_publishCommitment`: validate, store, gossip.
   *
   * @param request The checked request.
   * @returns The commitment's txlist hash.
   * @throws {PreconfError} When the commitment is refused.
   */
  publishCommitment(request: PublishCommitmentRequest): Promise<PublishCommitmentResult> {
    return publishCommitmentLocally(this.#publishContext(), request);
  }

  /**
   * `preconf_publishTxList`: store, execute a waiting block, gossip.
   *
   * @param txList The txlist.
   * @param verifiedTxListHash keccak256 of its bytes as the server computed it; absent, hashed here.
   * @returns When done.
   * @throws {PreconfError} When the txlist does not hash to its hash.
   */
  publishTxList(txList: RawTxListGossip, verifiedTxListHash?: Hash): Promise<void> {
    return publishTxListLocally(this.#publishContext(), txList, verifiedTxListHash);
  }

  /**
   * `preconf_getStatus`. Its two remote reads are shared between concurrent callers:
   * `preconfTip` is the engine's `latest` from a read in flight when the call arrived or started by
   * it (with `statusHeadMaxAgeMs` above 0, a read up to that old, or the block the node inserted
   * since; a head change the runner reports forces a new read). So it follows the engine in both
   * directions (lesson L-4). `isSyncedWithInbox` uses an Inbox proposal count read at most
   * {@linkcode STATUS_INBOX_MAX_AGE_MS} ago.
   *
   * @returns The status.
   * @throws When an L1 or L2 read fails.
   */
  async status(): Promise<PreconfNodeStatus> {
    const [next, preconfTip] = await Promise.all([this.#statusInbox.get(), this.#statusHead.get()]);
    const canonical = this.#canonicalProposalId;
    return {
      isSyncedWithInbox: next === 0n || canonical >= next - 1n,
      eventSyncTip: this.#deps.driver.confirmedTip,
      preconfTip,
      canonicalProposalId: canonical,
      peerCount: this.#network?.peerCount ?? 0,
      peerId: this.#network?.peerId ?? "",
    };
  }

  /**
   * `preconf_tip`: the engine's `latest` block number, from the same shared read as
   * {@linkcode PreconfClient.status}'s `preconfTip` (a read in flight when the call arrived, or one
   * it starts), so the two always agree and follow the engine in both directions (lesson L-4).
   *
   * @returns The block number.
   * @throws When the L2 read fails.
   */
  tip(): Promise<bigint> {
    return this.#statusHead.get();
  }

  /**
   * `preconf_canonicalProposalId`.
   *
   * @returns The last proposal id applied from L1.
   */
  canonicalProposalId(): Promise<bigint> {
    return Promise.resolve(this.#canonicalProposalId);
  }

  /**
   * `preconf_getPreconfSlotInfo`: who may sign for an L2 timestamp.
   *
   * @param timestamp Seconds.
   * @returns The signer and window end.
   * @throws {PreconfError} `LookaheadOutOfRange` or `LookaheadNotYetKnown`.
   */
  async slotInfo(timestamp: bigint): Promise<PreconfSlotInfo> {
    const answer = await this.#deps.lookahead.resolve(timestamp);
    switch (answer.kind) {
      case "Known":
        return { signer: answer.signer, submissionWindowEnd: answer.submissionWindowEnd };
      case "OutOfRange":
        throw new PreconfError(
          "LookaheadOutOfRange",
          `Cannot resolve the preconfer for timestamp ${timestamp}: ${answer.reason}`,
          { context: { timestamp } },
        );
      case "NotYetKnown":
        throw new PreconfError(
          "LookaheadNotYetKnown",
          `Cannot resolve the preconfer for timestamp ${timestamp}: ${answer.reason}, retry later`,
          { context: { timestamp } },
        );
    }
  }

  #publishContext(): LocalPublishContext {
    return {
      store: this.#store,
      network: this.#network,
      head: this.#submitter.head,
      confirmedTip: this.#deps.driver.confirmedTip,
      ingestCommitment: (signed, source, from) => this.#ingest(signed, source, from),
      ingestTxList: (txlist, source, from, verified) =>
        Promise.resolve(this.#ingestTxList(txlist, source, from, verified)),
      rememberDecoded: (hash, transactions) => this.#submitter.rememberDecoded(hash, transactions),
      advance: () => this.#submitter.advance(),
      executedHash: (n, hash) => this.#submitter.executedHash(n, hash),
    };
  }

  // ---- ingest ---------------------------------------------------------------------------------

  /**
   * Validates a commitment and stores it (accepted or pending); used by every path.
   *
   * @param signed The commitment.
   * @param source Where it came from.
   * @param from The peer, or `"local"`.
   * @returns What happened, the verdict, and the refusal when refused.
   */
  async ingestCommitment(signed: SignedCommitment, source: PreconfSource, from: string): Promise<Ingested> {
    return await this.#ingest(signed, source, from);
  }

  async #ingest(
    signed: SignedCommitment,
    source: PreconfSource,
    from: string,
    retry = false,
    signer?: Address,
  ): Promise<Ingested> {
    const metrics = this.#deps.metrics;
    if (!retry) metrics?.commitmentsReceived.inc({ source });
    const preconf = signed.commitment.preconf;
    const n = preconf.blockNumber;
    const hash = commitmentHash(signed);
    if (this.#refused.has(hash)) return { outcome: "refused", verdict: "ignore", failure: null };
    const existing = this.#store.commitmentAt(n) ?? this.#store.eopMarkerAt(n);
    if (existing?.commitmentHash === hash) return { outcome: "duplicate", verdict: "ignore", failure: null };
    // Our L1 view may lag the preconfer's by more than the slack (blocks can come fast on a devnet):
    // look again before calling its anchor "from the future".
    if (
      this.#l1Head !== null && preconf.anchorBlockNumber > this.#l1Head + ANCHOR_HEAD_SLACK_BLOCKS &&
      this.#now() - this.#l1HeadReadAt >= L1_HEAD_MIN_REFRESH_MS
    ) {
      await this.#refreshL1Head();
    }

    let result;
    try {
      result = await validateCommitment(
        signed,
        {
          store: this.#store,
          lookahead: this.#deps.lookahead,
          // A local publish brings one commitment per call: recovering it on the event loop (about
          // 0.3 ms) is quicker than the pool's round trip to a worker, which exists for gossip floods.
          ...(this.#deps.recoverSigner === undefined || source === "rpc"
            ? {}
            : { recoverSigner: this.#deps.recoverSigner }),
        },
        this.#config,
        this.#validationState(),
        signer,
      );
    } catch (error) {
      // Our own failure (an L1 read, a bug): never the peer's fault, never a crash (STYLE 13).
      metrics?.dropped.inc({ reason: "validation_error" });
      log.warn("Cannot validate commitment for block {blockNumber}: {error}", {
        blockNumber: n,
        peer: from,
        error,
      });
      return { outcome: "refused", verdict: "ignore", failure: null };
    }
    if (!result.ok) {
      metrics?.validationFailures.inc({ reason: result.reason });
      const detail = { blockNumber: n, reason: result.reason, peer: from, source, commitmentHash: hash };
      if (result.action === "reject") log.warn(`Rejected commitment: ${result.message}`, detail);
      else log.debug(`Ignored commitment: ${result.message}`, detail);
      if (result.buffer !== null) return this.#buffer(signed, hash, result, source, from);
      if (result.reason === "Stale") this.#dropOrphanTxList(preconf.rawTxListHash);
      return {
        outcome: "refused",
        verdict: result.action === "reject" ? "reject" : "ignore",
        failure: result,
      };
    }

    const record = {
      signed,
      commitmentHash: result.commitmentHash,
      preconfHash: result.preconfHash,
      signer: result.signer,
      eopOnly: result.eopOnly,
      source,
    };
    const accepted = this.#store.accept(record);
    switch (accepted.kind) {
      case "Duplicate":
        return { outcome: "duplicate", verdict: "ignore", failure: null };
      case "Equivocation":
        metrics?.equivocations.inc();
        log.warn(
          "Equivocation at block {blockNumber}: kept {kept} (signer {keptSigner}), refused {refused} (signer {signer}) from {peer}",
          {
            blockNumber: n,
            kept: accepted.existing.commitmentHash,
            keptSigner: accepted.existing.signer,
            refused: hash,
            signer: result.signer,
            peer: from,
            evidence: [accepted.existing.signed, signed],
          },
        );
        return {
          outcome: "refused",
          verdict: "ignore",
          failure: {
            ok: false,
            reason: "Equivocation",
            action: "ignore",
            buffer: null,
            message: `Block ${n} already has another accepted commitment`,
          },
        };
      case "Inserted":
        if (accepted.evicted.length > 0) {
          metrics?.dropped.inc({ reason: "store_commitments_full" }, accepted.evicted.length);
        }
    }
    log.debug("Accepted commitment for block {blockNumber} from {peer}", {
      blockNumber: n,
      peer: from,
      source,
    });
    this.#updateServedHead(n, preconf.submissionWindowEnd);
    await this.#revalidatePending((entry) => numberOf(entry) === n + 1n);
    this.#kick();
    return { outcome: "accepted", verdict: "accept", failure: null };
  }

  #buffer(
    signed: SignedCommitment,
    hash: Hash,
    result: InvalidCommitment,
    source: PreconfSource,
    from: string,
  ): Ingested {
    const entry: PendingCommitment = {
      signed,
      commitmentHash: hash,
      reason: result.buffer as PendingCommitment["reason"],
      source,
      from,
      bufferedAtMs: this.#now(),
      ...(result.signer === undefined ? {} : { signer: result.signer }),
    };
    const added = this.#store.addPending(entry);
    if (added.kind === "Full" || (added.kind === "Buffered" && added.evicted !== null)) {
      this.#deps.metrics?.dropped.inc({ reason: "pending_full" });
    }
    if (result.reason === "AwaitingParent" && this.#gapSince === null) this.#gapSince = this.#now();
    return { outcome: added.kind === "Full" ? "refused" : "pending", verdict: "ignore", failure: result };
  }

  #ingestTxList(
    txlist: RawTxListGossip,
    source: PreconfSource,
    from: string,
    verifiedTxListHash?: Hash,
  ): GossipVerdict {
    this.#deps.metrics?.txListsReceived.inc({ source });
    const invalid = validateTxList(txlist, verifiedTxListHash);
    if (invalid !== null) {
      this.#deps.metrics?.validationFailures.inc({ reason: invalid.reason });
      log.warn(`Rejected txlist: ${invalid.message}`, { peer: from, source });
      return "reject";
    }
    const put = this.#store.putTxList(txlist);
    switch (put.kind) {
      case "Duplicate":
        return "ignore";
      case "TooLarge":
        this.#deps.metrics?.dropped.inc({ reason: "store_txlists_full" });
        return "ignore";
      case "Stored":
        if (put.evicted > 0) this.#deps.metrics?.dropped.inc({ reason: "store_txlists_full" }, put.evicted);
        if (this.#missingTxList?.hash === txlist.rawTxListHash) this.#missingTxList = null;
        this.#kick();
        return "accept";
    }
  }

  // ---- background -----------------------------------------------------------------------------

  #validationState(): ValidationState {
    return {
      confirmedTip: this.#deps.driver.confirmedTip,
      preconfTip: this.#submitter.head,
      canonicalProposalId: this.#canonicalProposalId,
      nowSeconds: BigInt(Math.floor(this.#now() / 1000)),
      l1Head: this.#l1Head,
    };
  }

  /** Starts a submission run without waiting for it. */
  #kick(): void {
    void this.#submitter.advance();
  }

  async #afterExecuted(n: bigint): Promise<void> {
    this.#gapSince = null;
    await this.#revalidatePending((entry) => numberOf(entry) === n + 1n);
  }

  async #afterHeadMoved(): Promise<void> {
    const head = this.#submitter.head;
    await this.#revalidatePending((entry) =>
      entry.reason === "AwaitingParent" && numberOf(entry) <= head + 1n
    );
    this.#kick();
  }

  async #revalidatePending(predicate: (entry: PendingCommitment) => boolean): Promise<void> {
    for (const entry of this.#store.takePending(predicate)) {
      await this.#ingest(entry.signed, entry.source, entry.from, true, entry.signer);
    }
  }

  #pruneStale(): void {
    const dropped = this.#store.pruneThrough(this.#deps.driver.confirmedTip);
    if (dropped > 0) this.#deps.metrics?.dropped.inc({ reason: "stale" }, dropped);
  }

  #dropOrphanTxList(hash: Hash): void {
    if (this.#store.getTxList(hash) === undefined) this.#store.removeTxList(hash);
  }

  #remember(hash: Hash): void {
    this.#refused.add(hash);
    if (this.#refused.size > REFUSED_COMMITMENTS_MAX) {
      this.#refused.delete(this.#refused.values().next().value as Hash);
    }
  }

  #updateServedHead(n: bigint, submissionWindowEnd: bigint): void {
    if (n <= this.#servedHead) return;
    this.#servedHead = n;
    this.#network?.updateHead({ blockNumber: n, submissionWindowEnd });
  }

  #awaitingTxListCount(): number {
    let count = 0;
    for (const n of this.#store.acceptedNumbers(this.#submitter.head + 1n, this.#submitter.head + 4096n)) {
      const record = this.#store.commitmentAt(n);
      if (
        record !== undefined &&
        this.#store.txList(record.signed.commitment.preconf.rawTxListHash) === undefined
      ) count++;
    }
    return count;
  }

  async #refreshL1Head(): Promise<void> {
    const readAt = this.#now();
    try {
      this.#l1Head = await this.#deps.chain.l1Head();
      this.#l1HeadReadAt = readAt;
    } catch (error) {
      log.debug("Cannot read the L1 head: {error}", { error });
    }
  }

  async #tickLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        log.warn("Preconfirmation tick failed: {error}", { error });
      }
      try {
        await sleep(this.#tickMs, signal);
      } catch {
        return;
      }
    }
  }

  /**
   * One round of background work (also run by the tick loop): refresh the L1 head, drop stale
   * data, expire and re-check buffered commitments, resume execution, backfill a gap, fetch a
   * missing txlist.
   *
   * @returns When done.
   */
  async tick(): Promise<void> {
    const now = this.#now();
    if (now - this.#l1HeadReadAt >= L1_HEAD_REFRESH_MS) await this.#refreshL1Head();
    this.#pruneStale();
    const expired = this.#store.takePending((entry) => now - entry.bufferedAtMs > this.#pendingMaxAgeMs);
    if (expired.length > 0) this.#deps.metrics?.dropped.inc({ reason: "pending_expired" }, expired.length);
    const head = this.#submitter.head;
    await this.#revalidatePending((entry) =>
      entry.reason === "LookaheadNotYetKnown" || numberOf(entry) <= head + 1n ||
      this.#store.commitmentAt(numberOf(entry) - 1n) !== undefined
    );
    await this.#submitter.advance();

    const next = this.#submitter.head + 1n;
    const record = this.#store.commitmentAt(next);
    const later = (this.#store.highestBlockNumber() ?? 0n) > next ||
      this.#store.pendingEntries().some((entry) => entry.reason === "AwaitingParent");
    if (record === undefined && later) {
      this.#gapSince ??= now;
      if (now - this.#gapSince >= GAP_GRACE_MS) {
        log.info("Gap at block {blockNumber}: asking peers", { blockNumber: next });
        this.#gapSince = now;
        this.#loop.request();
      }
    } else {
      this.#gapSince = null;
    }
    const hash = record?.signed.commitment.preconf.rawTxListHash;
    if (hash !== undefined && this.#store.txList(hash) === undefined) {
      if (this.#missingTxList?.hash !== hash) this.#missingTxList = { hash, since: now };
      if (now - this.#missingTxList.since >= TXLIST_FETCH_GRACE_MS && this.#fetching === null) {
        this.#missingTxList = { hash, since: now };
        this.#fetching = this.#catchUp.fetchTxLists([hash], { signal: this.#controller?.signal })
          .catch(() => 0).finally(() => {
            this.#fetching = null;
          });
      }
    } else {
      this.#missingTxList = null;
    }
  }

  async #listen(signal: AbortSignal): Promise<void> {
    const network = this.#network;
    if (network === null) return;
    try {
      for await (const event of network.events({ signal })) {
        if (event.type === "PeerConnected" && this.#loop.completed.value === null) this.#loop.request();
      }
    } catch (error) {
      if (!signal.aborted) log.warn("Network event stream ended: {error}", { error });
    }
  }
}

function numberOf(entry: PendingCommitment): bigint {
  return entry.signed.commitment.preconf.blockNumber;
}
