/**
 * Catch-up from peers (p2p.md §12, reworked after lessons C-1..C-5): ask peers for their head,
 * bound how far a claimed head is followed, page `get_commitments_by_number` from our head on and
 * feed every commitment through the client's normal validation (so each hop is checked against its
 * stored parent and gaps stay buffered, never executed), then fetch the missing txlists by hash.
 * Requests are paced per (peer, protocol) below the responders' rate limits. Zero peers, a lying
 * or failing peer, a huge claimed head or a failed fetch only make a pass incomplete: the node is
 * live all along, and {@linkcode CatchUpLoop} retries in the background with backoff.
 *
 * @module
 */
import type { Address, Hash } from "viem";
import { TimeSlice } from "../../internal/time_slice.ts";
import { Watch } from "../../internal/watch.ts";
import { runnerLogger } from "../log.ts";
import type { RecoveredCommitment } from "../p2p/network_ports.ts";
import type { SignedCommitment } from "../p2p/wire/commitment.ts";
import { MAX_COMMITMENTS_PER_RESPONSE } from "../p2p/wire/constants.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import { backoffMs, sleep } from "./_async.ts";
import type { CommitmentStore } from "./commitment_store.ts";
import type { CatchUpErrorKind, PreconfMetrics } from "./metrics.ts";
import type { IngestOutcome, PreconfNetwork } from "./types.ts";
import { validateTxList } from "./validation.ts";

/** Commitments asked for per page (the reference's batch). */
export const CATCHUP_BATCH_SIZE = 64;
/** Furthest beyond our head a peer's claimed head is followed in one pass (lesson C-2), in blocks. */
export const CATCHUP_MAX_SPAN_BLOCKS = 3840n;
/** Txlist requests in flight at once. */
export const CATCHUP_TXLIST_CONCURRENCY = 4;
/** Peers asked for their head per pass. */
export const CATCHUP_HEAD_PEERS = 4;
/** Peers tried for one txlist before giving up on it this pass. */
export const CATCHUP_TXLIST_PEER_TRIES = 3;
/**
 * Requests per protocol per peer per window: a Rust responder penalises more than 8 in 10 s
 * (p2p.md §9.3); 7 per 11 s leaves one request and one second of margin for latency.
 */
export const CATCHUP_REQUESTS_PER_WINDOW = 7;
/** The pacing window, in milliseconds. */
export const CATCHUP_RATE_WINDOW_MS = 11_000;
/** Peers tracked by the pacer; the least recently used is forgotten first. */
export const CATCHUP_PACER_MAX_PEERS = 1024;
/** First delay before retrying an incomplete pass. */
export const CATCHUP_RETRY_BASE_MS = 1_000;
/** Largest delay between retries. */
export const CATCHUP_RETRY_MAX_MS = 30_000;
/** Incomplete passes retried in a row before the loop waits for a new request (a gap, a new peer). */
export const CATCHUP_MAX_RETRIES = 8;

/** The request/response protocols catch-up paces. */
type Protocol = "head" | "commitments" | "raw_txlists";

/** What a catch-up pass uses. */
export interface CatchUpDeps {
  /** The network, or `null` while none is attached. */
  readonly network: () => PreconfNetwork | null;
  /** Where accepted commitments and txlists are looked up. */
  readonly store: CommitmentStore;
  /** Metrics, or `null`. */
  readonly metrics: PreconfMetrics | null;
  /** The first block wanted: one above the head (or the confirmed tip). */
  readonly firstWanted: () => bigint;
  /** Feeds a commitment through the client's validation, as from the given peer, with its recovered signer. */
  readonly ingestCommitment: (
    signed: SignedCommitment,
    from: string,
    signer: Address,
  ) => Promise<IngestOutcome>;
  /** Feeds a txlist (hash already checked) to the client. */
  readonly ingestTxList: (txlist: RawTxListGossip, from: string) => Promise<void>;
}

/** Tuning of catch-up. */
export interface CatchUpOptions {
  /** Commitments asked for per page (1..256). @default {CATCHUP_BATCH_SIZE} */
  readonly batchSize?: number;
  /** Furthest beyond our head a claimed peer head is followed per pass. @default {CATCHUP_MAX_SPAN_BLOCKS} */
  readonly maxSpanBlocks?: bigint;
  /** Txlist requests in flight at once. @default {CATCHUP_TXLIST_CONCURRENCY} */
  readonly txListConcurrency?: number;
  /** Requests per protocol per peer per window. @default {CATCHUP_REQUESTS_PER_WINDOW} */
  readonly requestsPerWindow?: number;
  /** The pacing window, in milliseconds. @default {CATCHUP_RATE_WINDOW_MS} */
  readonly rateWindowMs?: number;
  /** First delay before retrying an incomplete pass, in milliseconds. @default {CATCHUP_RETRY_BASE_MS} */
  readonly retryBaseMs?: number;
  /** Largest delay between retries, in milliseconds. @default {CATCHUP_RETRY_MAX_MS} */
  readonly retryMaxMs?: number;
}

/** What one pass achieved. */
export interface CatchUpSummary {
  /** The first block wanted. */
  readonly from: bigint;
  /** The block the pass aimed for, or `null` when no peer answered its head. */
  readonly target: bigint | null;
  /** Commitments accepted. */
  readonly accepted: number;
  /** Txlists fetched. */
  readonly txLists: number;
  /** Whether every block up to the target has an accepted commitment and its txlist. */
  readonly complete: boolean;
}

const log = runnerLogger("catchup");

/** Paces requests per (peer, protocol): at most `max` in any sliding window. */
class RequestPacer {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #sent = new Map<string, number[]>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  async acquire(peer: string, protocol: Protocol, signal?: AbortSignal): Promise<void> {
    const key = `${protocol} ${peer}`;
    for (;;) {
      const now = performance.now();
      const times = (this.#sent.get(key) ?? []).filter((t) => now - t < this.#windowMs);
      if (times.length < this.#max) {
        times.push(now);
        this.#sent.delete(key);
        this.#sent.set(key, times);
        while (this.#sent.size > CATCHUP_PACER_MAX_PEERS * 3) {
          this.#sent.delete(this.#sent.keys().next().value as string);
        }
        return;
      }
      this.#sent.set(key, times);
      await sleep(Math.max(1, (times[0] as number) + this.#windowMs - now), signal);
    }
  }
}

/** One catch-up pass over the network, and live txlist fetches by hash. */
export class CatchUp {
  readonly #deps: CatchUpDeps;
  readonly #batch: number;
  readonly #span: bigint;
  readonly #concurrency: number;
  readonly #pacer: RequestPacer;
  /**
   * Txlist hashes some fetch is asking peers for right now; a concurrent fetch leaves them to it
   * rather than spend a paced request on the same hash. Bounded by the hashes of the fetches in
   * progress (a pass asks for at most `maxSpanBlocks`, the live path for one).
   */
  readonly #inFlight = new Set<Hash>();

  /**
   * Creates a catch-up over the client's ingest path.
   *
   * @param deps Network, store, metrics and the client's ingest functions.
   * @param options Page size, span bound, concurrency and pacing.
   * @throws {RangeError} When an option is out of range.
   */
  constructor(deps: CatchUpDeps, options: CatchUpOptions = {}) {
    this.#deps = deps;
    this.#batch = options.batchSize ?? CATCHUP_BATCH_SIZE;
    if (!Number.isInteger(this.#batch) || this.#batch < 1 || this.#batch > MAX_COMMITMENTS_PER_RESPONSE) {
      throw new RangeError(`Cannot create catch-up: batchSize must be 1..256, got ${this.#batch}`);
    }
    this.#span = options.maxSpanBlocks ?? CATCHUP_MAX_SPAN_BLOCKS;
    this.#concurrency = options.txListConcurrency ?? CATCHUP_TXLIST_CONCURRENCY;
    if (this.#span < 1n || !Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError("Cannot create catch-up: maxSpanBlocks and txListConcurrency must be positive");
    }
    this.#pacer = new RequestPacer(
      options.requestsPerWindow ?? CATCHUP_REQUESTS_PER_WINDOW,
      options.rateWindowMs ?? CATCHUP_RATE_WINDOW_MS,
    );
  }

  /**
   * Runs one pass. Failures of single requests are counted and logged, never thrown.
   *
   * @param signal Aborts the pass.
   * @returns What the pass achieved.
   * @throws `signal.reason` when aborted.
   */
  async run(signal?: AbortSignal): Promise<CatchUpSummary> {
    const from = this.#deps.firstWanted();
    const network = this.#deps.network();
    const peers = network === null ? [] : shuffle(network.peers());
    if (network === null || peers.length === 0) {
      this.#error("no_peers");
      return { from, target: null, accepted: 0, txLists: 0, complete: false };
    }

    const heads = new Map<string, bigint>();
    for (const peer of peers.slice(0, CATCHUP_HEAD_PEERS)) {
      try {
        await this.#pacer.acquire(peer, "head", signal);
        const head = await network.requestHead(peer, signalOption(signal));
        heads.set(peer, head.blockNumber);
      } catch (error) {
        signal?.throwIfAborted();
        this.#error("head_request", peer, error);
      }
    }
    if (heads.size === 0) return { from, target: null, accepted: 0, txLists: 0, complete: false };
    const claimed = [...heads.values()].reduce((a, b) => (a > b ? a : b));
    // Lesson C-2: a claimed head is a hint, not a promise; follow at most the span per pass.
    const target = claimed < from + this.#span - 1n ? claimed : from + this.#span - 1n;
    if (target < from) return { from, target, accepted: 0, txLists: 0, complete: true };

    let accepted = 0;
    let cursor = from;
    const slice = new TimeSlice();
    const exhausted = new Set<string>();
    while (cursor <= target) {
      const candidates = [...heads].filter(([peer, head]) => head >= cursor && !exhausted.has(peer))
        .sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
      const peer = candidates[0]?.[0];
      if (peer === undefined) break;
      const count = Number(
        target - cursor + 1n < BigInt(this.#batch) ? target - cursor + 1n : BigInt(this.#batch),
      );
      let page: RecoveredCommitment[];
      try {
        await this.#pacer.acquire(peer, "commitments", signal);
        page = await network.requestCommitments(cursor, count, peer, signalOption(signal));
        this.#deps.metrics?.catchUpBatches.inc();
      } catch (error) {
        signal?.throwIfAborted();
        this.#error("commitments_request", peer, error);
        exhausted.add(peer);
        continue;
      }
      const start = cursor;
      const numberOf = (c: RecoveredCommitment): bigint => c.signed.commitment.preconf.blockNumber;
      const inRange = page.filter((c) => numberOf(c) >= start && numberOf(c) <= target)
        .sort((a, b) => (numberOf(a) < numberOf(b) ? -1 : 1));
      if (inRange.length < page.length) {
        this.#error("invalid_response", peer, `${page.length - inRange.length} entries out of range`);
      }
      if (inRange.length === 0) {
        exhausted.add(peer);
        continue;
      }
      for (const { signed, signer } of inRange) {
        // A page holds up to 256 commitments: yield to the event loop every slice (STYLE 19).
        await slice.pause();
        signal?.throwIfAborted();
        if (await this.#deps.ingestCommitment(signed, peer, signer) === "accepted") accepted++;
      }
      cursor = numberOf(inRange[inRange.length - 1] as RecoveredCommitment) + 1n;
    }

    const missing = this.#missingTxLists(from, target);
    const txLists = await this.fetchTxLists(missing, { signal, peers: [...heads.keys()] });
    const complete = this.#deps.store.acceptedNumbers(from, target).length === Number(target - from + 1n) &&
      this.#missingTxLists(from, target).length === 0;
    return { from, target, accepted, txLists, complete };
  }

  /**
   * Fetches txlists by hash from peers, within the pacing, a few at a time. A hash no peer has
   * is skipped (a later pass or gossip may bring it); a hash another call is already fetching is
   * left to that call.
   *
   * @param hashes The txlist hashes.
   * @param options Abort signal, and the peers to prefer (default: all connected).
   * @returns How many were fetched and handed to the client.
   * @throws `signal.reason` when aborted.
   */
  async fetchTxLists(
    hashes: readonly Hash[],
    options: { signal?: AbortSignal | undefined; peers?: readonly string[] } = {},
  ): Promise<number> {
    const network = this.#deps.network();
    if (network === null || hashes.length === 0) return 0;
    const peers = options.peers !== undefined && options.peers.length > 0
      ? [...options.peers]
      : network.peers();
    if (peers.length === 0) return 0;
    const queue = [...new Set(hashes)].filter((hash) => !this.#inFlight.has(hash));
    const owned = [...queue];
    for (const hash of owned) this.#inFlight.add(hash);
    let fetched = 0;
    let turn = 0;
    const worker = async (): Promise<void> => {
      for (let hash = queue.shift(); hash !== undefined; hash = queue.shift()) {
        const first = turn++;
        for (let attempt = 0; attempt < Math.min(CATCHUP_TXLIST_PEER_TRIES, peers.length); attempt++) {
          const peer = peers[(first + attempt) % peers.length] as string;
          try {
            await this.#pacer.acquire(peer, "raw_txlists", options.signal);
            const txlist = await network.requestRawTxList(hash, peer, signalOption(options.signal));
            if (txlist === null || txlist.txlist.length === 0) continue;
            if (txlist.rawTxListHash !== hash || validateTxList(txlist) !== null) {
              this.#error("invalid_response", peer, `txlist answer does not hash to ${hash}`);
              continue;
            }
            await this.#deps.ingestTxList(txlist, peer);
            fetched++;
            break;
          } catch (error) {
            options.signal?.throwIfAborted();
            this.#error("txlist_request", peer, error);
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#concurrency, queue.length) }, worker));
    } finally {
      for (const hash of owned) this.#inFlight.delete(hash);
    }
    return fetched;
  }

  #missingTxLists(from: bigint, to: bigint): Hash[] {
    const store = this.#deps.store;
    const missing: Hash[] = [];
    for (const n of store.acceptedNumbers(from, to)) {
      const hash =
        (store.commitmentAt(n) as { signed: SignedCommitment }).signed.commitment.preconf.rawTxListHash;
      if (store.txList(hash) === undefined) missing.push(hash);
    }
    return missing;
  }

  #error(kind: CatchUpErrorKind, peer?: string, error?: unknown): void {
    this.#deps.metrics?.catchUpErrors.inc({ kind });
    log.debug("Catch-up step {kind} failed{peerNote}: {error}", {
      kind,
      peer,
      peerNote: peer === undefined ? "" : ` with peer ${peer}`,
      error,
    });
  }
}

/** Runs catch-up at start and whenever asked (a gap seen live), retrying incomplete passes with backoff. */
export class CatchUpLoop {
  readonly #catchUp: CatchUp;
  readonly #metrics: PreconfMetrics | null;
  readonly #retryBase: number;
  readonly #retryMax: number;
  readonly #requests = new Watch<number>(0);
  readonly #completed = new Watch<CatchUpSummary | null>(null);
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;

  /**
   * Creates the loop (not started).
   *
   * @param catchUp The pass to run.
   * @param metrics Metrics, or `null`.
   * @param options Retry backoff.
   */
  constructor(catchUp: CatchUp, metrics: PreconfMetrics | null, options: CatchUpOptions = {}) {
    this.#catchUp = catchUp;
    this.#metrics = metrics;
    this.#retryBase = options.retryBaseMs ?? CATCHUP_RETRY_BASE_MS;
    this.#retryMax = options.retryMaxMs ?? CATCHUP_RETRY_MAX_MS;
  }

  /** The summary of the last complete pass, as a watch (tests and status wait on it). */
  get completed(): Watch<CatchUpSummary | null> {
    return this.#completed;
  }

  /** Starts the loop (idempotent) and asks for a first pass. */
  start(): void {
    if (this.#loop !== null) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loop = this.#run(controller.signal);
    this.request();
  }

  /** Asks for a pass soon (coalesced with one already asked for). */
  request(): void {
    this.#requests.set(this.#requests.value + 1);
  }

  /** Stops the loop and waits for the current pass to end (idempotent). */
  async stop(): Promise<void> {
    this.#controller?.abort(new DOMException("Catch-up stopped", "AbortError"));
    const loop = this.#loop;
    this.#loop = null;
    this.#controller = null;
    await loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let seen = 0;
    let failures = 0;
    while (!signal.aborted) {
      if (this.#requests.version === seen) {
        try {
          await this.#requests.changed({ sinceVersion: seen, signal });
        } catch {
          return;
        }
      }
      seen = this.#requests.version;
      const started = performance.now();
      let summary: CatchUpSummary;
      try {
        summary = await this.#catchUp.run(signal);
      } catch (error) {
        if (signal.aborted) return;
        log.warn("Catch-up pass failed: {error}", { error });
        summary = { from: 0n, target: null, accepted: 0, txLists: 0, complete: false };
      }
      this.#metrics?.catchUpDuration.observe((performance.now() - started) / 1000);
      if (summary.complete) {
        failures = 0;
        this.#metrics?.synced.inc();
        log.info("Caught up from {from} to {target}: {accepted} commitments, {txLists} txlists", {
          ...summary,
        });
        this.#completed.set(summary);
        continue;
      }
      if (failures >= CATCHUP_MAX_RETRIES) {
        failures = 0;
        log.warn("Catch-up still incomplete after {retries} retries; waiting for a gap or a new peer", {
          retries: CATCHUP_MAX_RETRIES,
        });
        continue;
      }
      const delay = backoffMs(failures++, this.#retryBase, this.#retryMax);
      log.info("Catch-up incomplete (from {from}, target {target}); retrying in {delayMs} ms", {
        from: summary.from,
        target: summary.target,
        delayMs: delay,
      });
      try {
        await Promise.race([sleep(delay, signal), this.#requests.changed({ sinceVersion: seen, signal })]);
      } catch {
        return;
      }
      // A retry is a pass of its own even without a new request.
      if (this.#requests.version === seen) this.request();
    }
  }
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
