/**
 * The L1 scanner behind the lookahead (p2p.md §15.4): backfills the last few epochs of
 * `LookaheadPosted`, `Blacklisted`/`Unblacklisted` and whitelist `OperatorAdded`/`OperatorRemoved`
 * events, then polls for new ones, writing everything into the shared timeline. A failed pass is
 * retried with backoff; it never stops the node. A reorg below the last scanned block rewinds.
 *
 * @module
 */
import type { Address, Hash } from "viem";
import { runnerLogger } from "../../log.ts";
import { backoffMs, sleep } from "../_async.ts";
import type { PreconfMetrics } from "../metrics.ts";
import type { LookaheadL1, LookaheadLog } from "./l1_reader.ts";
import { type LookaheadTimeline, SECONDS_PER_EPOCH, SLOTS_PER_EPOCH } from "./timeline.ts";
import { LOOKAHEAD_LOOKBACK_EPOCHS } from "./resolver.ts";

/** How often the scanner polls L1 for new blocks. */
export const LOOKAHEAD_POLL_INTERVAL_MS = 3_000;
/** The widest `eth_getLogs` range of one request. */
export const LOOKAHEAD_MAX_LOG_RANGE_BLOCKS = 1_000n;
/** How far back the scanner re-reads after a reorg of its last block. */
export const LOOKAHEAD_REORG_REWIND_BLOCKS = 64n;
/** First and largest delay between failed passes. */
export const LOOKAHEAD_RETRY_BASE_MS = 200;
/** The largest delay between failed passes. */
export const LOOKAHEAD_RETRY_MAX_MS = 5_000;

/** Options of a {@linkcode LookaheadScanner}. */
export interface LookaheadScannerOptions {
  /** The LookaheadStore address. */
  readonly lookaheadStore: Address;
  /** The PreconfWhitelist address. */
  readonly whitelist: Address;
  /**
   * Past epochs to backfill and keep (matches the resolver's lookback).
   * @default {LOOKAHEAD_LOOKBACK_EPOCHS}
   */
  readonly lookbackEpochs?: number;
  /**
   * Blocks read back from the head on the first pass.
   * @default {(lookbackEpochs + 2) * 32}
   */
  readonly backfillBlocks?: bigint;
  /**
   * Poll interval.
   * @default {LOOKAHEAD_POLL_INTERVAL_MS}
   */
  readonly pollIntervalMs?: number;
  /**
   * Widest log range per request.
   * @default {LOOKAHEAD_MAX_LOG_RANGE_BLOCKS}
   */
  readonly maxLogRangeBlocks?: bigint;
  /**
   * Wall clock in seconds.
   * @default {() => BigInt(Math.floor(Date.now() / 1000))}
   */
  readonly now?: () => bigint;
}

const log = runnerLogger("lookahead");

/** Scans L1 for lookahead events and feeds the shared timeline. */
export class LookaheadScanner {
  readonly #l1: LookaheadL1;
  readonly #timeline: LookaheadTimeline;
  readonly #metrics: PreconfMetrics | null;
  readonly #addresses: { lookaheadStore: Address; whitelist: Address };
  readonly #lookback: bigint;
  readonly #backfill: bigint;
  readonly #pollMs: number;
  readonly #range: bigint;
  readonly #now: () => bigint;
  #last: { number: bigint; hash: Hash } | null = null;
  #coveredFrom: bigint | null = null;
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;

  /**
   * Creates a scanner (not started).
   *
   * @param deps L1 reads, the shared timeline and metrics.
   * @param options Contract addresses and tuning.
   */
  constructor(
    deps: { l1: LookaheadL1; timeline: LookaheadTimeline; metrics: PreconfMetrics | null },
    options: LookaheadScannerOptions,
  ) {
    this.#l1 = deps.l1;
    this.#timeline = deps.timeline;
    this.#metrics = deps.metrics;
    this.#addresses = { lookaheadStore: options.lookaheadStore, whitelist: options.whitelist };
    this.#lookback = BigInt(options.lookbackEpochs ?? LOOKAHEAD_LOOKBACK_EPOCHS);
    this.#backfill = options.backfillBlocks ?? (this.#lookback + 2n) * SLOTS_PER_EPOCH;
    this.#pollMs = options.pollIntervalMs ?? LOOKAHEAD_POLL_INTERVAL_MS;
    this.#range = options.maxLogRangeBlocks ?? LOOKAHEAD_MAX_LOG_RANGE_BLOCKS;
    this.#now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  }

  /** Whether the poll loop runs. */
  get running(): boolean {
    return this.#loop !== null;
  }

  /** Starts the poll loop (idempotent); the first pass backfills. */
  start(): void {
    if (this.#loop !== null) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loop = this.#run(controller.signal);
  }

  /** Stops the poll loop and waits for the current pass to end (idempotent). */
  async stop(): Promise<void> {
    this.#controller?.abort(new DOMException("Lookahead scanner stopped", "AbortError"));
    const loop = this.#loop;
    this.#loop = null;
    this.#controller = null;
    await loop;
  }

  /**
   * Runs one pass: from the last scanned block (or the backfill start) to the L1 head.
   *
   * @param signal Aborts between requests.
   * @throws Whatever an L1 read throws; the loop retries.
   */
  async scanOnce(signal?: AbortSignal): Promise<void> {
    const headSeenAt = this.#now();
    const headNumber = await this.#l1.headNumber();
    const head = await this.#l1.block(headNumber);
    if (head === null) throw new Error(`L1 head block ${headNumber} is missing`);
    let from: bigint;
    if (this.#last === null) {
      from = headNumber > this.#backfill ? headNumber - this.#backfill : 0n;
      const first = from === 0n ? null : await this.#l1.block(from);
      this.#coveredFrom = first === null ? 0n : first.timestamp;
    } else {
      const stored = await this.#l1.block(this.#last.number);
      if (stored === null || stored.hash !== this.#last.hash) {
        const rewound = this.#last.number > LOOKAHEAD_REORG_REWIND_BLOCKS
          ? this.#last.number - LOOKAHEAD_REORG_REWIND_BLOCKS
          : 0n;
        log.warn("L1 reorg below the last scanned block {block}: rescanning from {from}", {
          block: this.#last.number,
          from: rewound,
        });
        from = rewound;
      } else {
        from = this.#last.number + 1n;
      }
    }
    for (let start = from; start <= headNumber; start += this.#range) {
      signal?.throwIfAborted();
      const end = start + this.#range - 1n < headNumber ? start + this.#range - 1n : headNumber;
      const logs = await this.#l1.logs(this.#addresses, start, end);
      for (const entry of logs) {
        signal?.throwIfAborted();
        await this.#ingest(entry);
      }
    }
    this.#last = { number: headNumber, hash: head.hash };
    this.#timeline.markScanned({
      blockNumber: headNumber,
      blockTimestamp: head.timestamp,
      headSeenAt,
      coveredFrom: this.#coveredFrom ?? 0n,
    });
    const now = this.#now();
    const genesis = this.#timeline.genesisTime;
    if (now > genesis) {
      this.#timeline.prune(this.#timeline.epochStart(now) - this.#lookback * SECONDS_PER_EPOCH);
    }
  }

  async #ingest(entry: LookaheadLog): Promise<void> {
    const event = entry.event;
    switch (event.kind) {
      case "LookaheadPosted": {
        const fallback = await this.#l1.whitelistOperator(
          this.#addresses.whitelist,
          "next",
          entry.blockNumber,
        );
        this.#timeline.recordFallback(event.epochTimestamp, fallback);
        this.#timeline.setEpoch({
          epochStart: event.epochTimestamp,
          slots: event.slots,
          fallback,
          source: "posted",
        });
        log.debug("Lookahead posted for epoch {epoch} with {slots} slots", {
          epoch: event.epochTimestamp,
          slots: event.slots.length,
        });
        return;
      }
      case "Blacklisted":
      case "Unblacklisted":
        this.#timeline.recordBlacklist(event.root, event.timestamp, event.kind === "Blacklisted");
        return;
      case "OperatorAdded":
      case "OperatorRemoved": {
        const block = await this.#l1.block(entry.blockNumber);
        if (block === null) throw new Error(`L1 block ${entry.blockNumber} of a whitelist event is missing`);
        const [current, next] = await Promise.all([
          this.#l1.whitelistOperator(this.#addresses.whitelist, "current", entry.blockNumber),
          this.#l1.whitelistOperator(this.#addresses.whitelist, "next", entry.blockNumber),
        ]);
        this.#timeline.recordFallback(block.timestamp, current);
        if (block.timestamp >= this.#timeline.genesisTime) {
          this.#timeline.recordFallback(this.#timeline.epochStart(block.timestamp) + SECONDS_PER_EPOCH, next);
        }
        return;
      }
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let delay = this.#pollMs;
      try {
        await this.scanOnce(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        this.#metrics?.lookaheadScanErrors.inc();
        delay = backoffMs(failures, LOOKAHEAD_RETRY_BASE_MS, LOOKAHEAD_RETRY_MAX_MS);
        failures++;
        log.warn("Lookahead scan failed, retrying in {delayMs} ms: {error}", { delayMs: delay, error });
      }
      try {
        await sleep(delay, signal);
      } catch {
        return;
      }
    }
  }
}
