/**
 * The lookahead state shared by the L1 scanner (writer) and every resolver user (readers): posted
 * epoch schedules, operator blacklist timelines and the whitelist fallback timeline (p2p.md §15.3).
 * One instance per node, so an event the scanner ingests is seen by validation and the RPC alike
 * (lesson V-5, #21774). Every map has a named bound.
 *
 * @module
 */
import type { Address, Hash } from "viem";
import { Watch } from "../../../internal/watch.ts";

/** Seconds per L1 slot. */
export const SECONDS_PER_SLOT = 12n;
/** L1 slots per epoch. */
export const SLOTS_PER_EPOCH = 32n;
/** Seconds per L1 epoch (384). */
export const SECONDS_PER_EPOCH: bigint = SECONDS_PER_SLOT * SLOTS_PER_EPOCH;

/** Epoch schedules kept at most; the oldest epoch is evicted first. */
export const LOOKAHEAD_CACHE_MAX_EPOCHS = 8;
/** Operator registration roots with a blacklist timeline kept at most; the least recently changed is evicted. */
export const BLACKLIST_MAX_ROOTS = 4096;
/** Events kept per timeline (one blacklist root, or the fallback); the oldest is dropped first. */
export const TIMELINE_MAX_EVENTS = 256;

/** One entry of a posted lookahead: who may preconfirm up to `timestamp`. */
export interface LookaheadSlot {
  /** The address that signs commitments for the slot. */
  readonly committer: Address;
  /** The slot's timestamp, which is also its submission window end. */
  readonly timestamp: bigint;
  /** The operator's URC registration root (blacklist key). */
  readonly registrationRoot: Hash;
  /** Index of the slot's validator in the operator's registration tree. */
  readonly validatorLeafIndex: bigint;
}

/** The schedule of one epoch. */
export interface EpochSchedule {
  /** Start timestamp of the epoch. */
  readonly epochStart: bigint;
  /** Slots as posted, ascending by timestamp; empty when nobody posted (fallback for the whole epoch). */
  readonly slots: readonly LookaheadSlot[];
  /** The whitelist operator for this epoch, read on L1 when the schedule was recorded. */
  readonly fallback: Address;
  /** Whether the schedule came from a `LookaheadPosted` event or was synthesized as empty. */
  readonly source: "posted" | "synthesized";
}

/** How far the scanner has read L1. */
export interface ScanProgress {
  /** The highest L1 block ingested. */
  readonly blockNumber: bigint;
  /** Its timestamp. */
  readonly blockTimestamp: bigint;
  /** Wall-clock seconds when that block was the L1 head. */
  readonly headSeenAt: bigint;
  /** Timestamp from which every L1 block was ingested (0 when the scan started at block 0). */
  readonly coveredFrom: bigint;
}

interface TimelineEvent<T> {
  readonly at: bigint;
  readonly value: T;
}

/** Options of a {@linkcode LookaheadTimeline}. */
export interface LookaheadTimelineOptions {
  /** Beacon genesis time in seconds (from the beacon API). */
  readonly genesisTime: bigint;
  /**
   * Epoch schedules kept at most.
   * @default {LOOKAHEAD_CACHE_MAX_EPOCHS}
   */
  readonly maxEpochs?: number;
  /**
   * Blacklist roots tracked at most.
   * @default {BLACKLIST_MAX_ROOTS}
   */
  readonly maxBlacklistRoots?: number;
  /**
   * Events kept per timeline.
   * @default {TIMELINE_MAX_EVENTS}
   */
  readonly maxTimelineEvents?: number;
}

/**
 * The start of the epoch containing `ts`.
 *
 * @param ts A timestamp in seconds.
 * @param genesisTime The beacon genesis time in seconds.
 * @returns `genesis + floor((ts - genesis) / 384) * 384`.
 * @throws {RangeError} When `ts` is before genesis.
 */
export function epochStart(ts: bigint, genesisTime: bigint): bigint {
  if (ts < genesisTime) {
    throw new RangeError(`Cannot compute the epoch of timestamp ${ts}: it is before genesis ${genesisTime}`);
  }
  return genesisTime + ((ts - genesisTime) / SECONDS_PER_EPOCH) * SECONDS_PER_EPOCH;
}

/** Inserts or replaces the event at `at`, keeps the list ascending and at most `max` long (drops the oldest). */
function insertEvent<T>(events: TimelineEvent<T>[], at: bigint, value: T, max: number): void {
  let index = events.length;
  while (index > 0 && (events[index - 1] as TimelineEvent<T>).at > at) index--;
  const previous = events[index - 1];
  if (previous !== undefined && previous.at === at) events[index - 1] = { at, value };
  else events.splice(index, 0, { at, value });
  if (events.length > max) events.splice(0, events.length - max);
}

/** The value of the last event at or before `ts`. */
function valueAt<T>(events: readonly TimelineEvent<T>[], ts: bigint): T | undefined {
  let found: T | undefined;
  for (const event of events) {
    if (event.at > ts) break;
    found = event.value;
  }
  return found;
}

/** Drops events before `earliest` but keeps the last of them as the baseline. */
function pruneEvents<T>(events: TimelineEvent<T>[], earliest: bigint): void {
  let firstKept = 0;
  while (firstKept + 1 < events.length && (events[firstKept + 1] as TimelineEvent<T>).at <= earliest) {
    firstKept++;
  }
  if (firstKept > 0) events.splice(0, firstKept);
}

/** The shared lookahead state: schedules by epoch, blacklist timelines, the fallback timeline. */
export class LookaheadTimeline {
  readonly #genesisTime: bigint;
  readonly #maxEpochs: number;
  readonly #maxRoots: number;
  readonly #maxEvents: number;
  readonly #epochs = new Map<bigint, EpochSchedule>();
  readonly #blacklist = new Map<Hash, TimelineEvent<boolean>[]>();
  readonly #fallback: TimelineEvent<Address>[] = [];
  #progress: ScanProgress | null = null;
  readonly #changes = new Watch<number>(0);

  /**
   * Creates an empty timeline.
   *
   * @param options Genesis time and bounds.
   */
  constructor(options: LookaheadTimelineOptions) {
    this.#genesisTime = options.genesisTime;
    this.#maxEpochs = positive(options.maxEpochs ?? LOOKAHEAD_CACHE_MAX_EPOCHS, "maxEpochs");
    this.#maxRoots = positive(options.maxBlacklistRoots ?? BLACKLIST_MAX_ROOTS, "maxBlacklistRoots");
    this.#maxEvents = positive(options.maxTimelineEvents ?? TIMELINE_MAX_EVENTS, "maxTimelineEvents");
  }

  /** The beacon genesis time in seconds. */
  get genesisTime(): bigint {
    return this.#genesisTime;
  }

  /** Bumped on every change; readers wait on it to retry what was "not yet known". */
  get changes(): Watch<number> {
    return this.#changes;
  }

  /** How far the scanner has read L1, or `null` before its first pass. */
  get progress(): ScanProgress | null {
    return this.#progress;
  }

  /** Number of epoch schedules held. */
  get epochCount(): number {
    return this.#epochs.size;
  }

  /** Number of blacklist roots tracked. */
  get blacklistRootCount(): number {
    return this.#blacklist.size;
  }

  /** Number of fallback events held. */
  get fallbackEventCount(): number {
    return this.#fallback.length;
  }

  /**
   * The start of the epoch containing `ts`.
   *
   * @param ts Seconds.
   * @returns The epoch start in seconds.
   * @throws {RangeError} When `ts` is before genesis.
   */
  epochStart(ts: bigint): bigint {
    return epochStart(ts, this.#genesisTime);
  }

  /**
   * Records an epoch's schedule (a posted one replaces a synthesized one, never the reverse) and
   * evicts the oldest epochs beyond the bound.
   *
   * @param schedule The schedule.
   */
  setEpoch(schedule: EpochSchedule): void {
    const existing = this.#epochs.get(schedule.epochStart);
    if (existing?.source === "posted" && schedule.source === "synthesized") return;
    this.#epochs.set(schedule.epochStart, {
      ...schedule,
      slots: [...schedule.slots].sort((
        a,
        b,
      ) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0)),
    });
    if (this.#epochs.size > this.#maxEpochs) {
      const sorted = [...this.#epochs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const key of sorted.slice(0, this.#epochs.size - this.#maxEpochs)) this.#epochs.delete(key);
    }
    this.#bump();
  }

  /**
   * The schedule of the epoch starting at `start`.
   *
   * @param start An epoch start timestamp.
   * @returns The schedule, or `undefined` when none is recorded.
   */
  epoch(start: bigint): EpochSchedule | undefined {
    return this.#epochs.get(start);
  }

  /**
   * Applies a `Blacklisted` (listed = true) or `Unblacklisted` event to a root's timeline.
   *
   * @param root The operator's registration root.
   * @param at The event's timestamp (from the event, not the block).
   * @param listed Whether the operator is blacklisted from `at` on.
   */
  recordBlacklist(root: Hash, at: bigint, listed: boolean): void {
    const key = root.toLowerCase() as Hash;
    let events = this.#blacklist.get(key);
    if (events === undefined) {
      events = [];
    } else {
      this.#blacklist.delete(key);
    }
    insertEvent(events, at, listed, this.#maxEvents);
    // Map order doubles as recency: the first key is the least recently changed root.
    this.#blacklist.set(key, events);
    while (this.#blacklist.size > this.#maxRoots) {
      const oldest = this.#blacklist.keys().next().value as Hash;
      this.#blacklist.delete(oldest);
    }
    this.#bump();
  }

  /**
   * Whether the root was blacklisted at `ts`: the state of its last event at or before `ts`.
   *
   * @param root The operator's registration root.
   * @param ts Seconds.
   * @returns `false` when the root has no event at or before `ts`.
   */
  wasBlacklistedAt(root: Hash, ts: bigint): boolean {
    const events = this.#blacklist.get(root.toLowerCase() as Hash);
    return events === undefined ? false : valueAt(events, ts) ?? false;
  }

  /**
   * Records that `operator` is the whitelist fallback from `at` on.
   *
   * @param at Seconds.
   * @param operator The fallback preconfer.
   */
  recordFallback(at: bigint, operator: Address): void {
    insertEvent(this.#fallback, at, operator, this.#maxEvents);
    this.#bump();
  }

  /**
   * Adds `(at, operator)` to the fallback timeline unless an event at `at` exists already.
   *
   * @param at Seconds (an epoch start).
   * @param operator The fallback preconfer read for that epoch.
   */
  ensureFallbackBaseline(at: bigint, operator: Address): void {
    if (this.#fallback.some((event) => event.at === at)) return;
    this.recordFallback(at, operator);
  }

  /**
   * The fallback preconfer at `ts`: the last event at or before `ts`, else the first event.
   *
   * @param ts Seconds.
   * @returns The operator, or `undefined` when the timeline is empty.
   */
  fallbackAt(ts: bigint): Address | undefined {
    return valueAt(this.#fallback, ts) ?? this.#fallback[0]?.value;
  }

  /**
   * Drops events and schedules older than `earliest`, keeping the last earlier event of each
   * timeline as its baseline.
   *
   * @param earliest Seconds.
   */
  prune(earliest: bigint): void {
    pruneEvents(this.#fallback, earliest);
    for (const [root, events] of this.#blacklist) {
      pruneEvents(events, earliest);
      const last = events[events.length - 1];
      if (events.length === 1 && last !== undefined && last.at <= earliest && !last.value) {
        this.#blacklist.delete(root);
      }
    }
    for (const start of this.#epochs.keys()) {
      if (start + SECONDS_PER_EPOCH <= earliest) this.#epochs.delete(start);
    }
  }

  /**
   * Records scanner progress.
   *
   * @param progress The highest ingested block and when it was the head.
   */
  markScanned(progress: ScanProgress): void {
    this.#progress = progress;
    this.#bump();
  }

  /**
   * Whether every L1 block that could post the schedule of the epoch starting at `start` has been
   * scanned. A schedule is posted during the epoch before it, so the scan must cover that epoch and
   * reach a block at or after `start`, or have ingested the head `settleSeconds` after `start`
   * (L1 may produce no block for a while, e.g. on a devnet).
   *
   * @param start An epoch start timestamp.
   * @param settleSeconds Margin for a late block whose timestamp is before `start`.
   * @returns Whether a missing schedule for that epoch is final.
   */
  isEpochSettled(start: bigint, settleSeconds: bigint): boolean {
    const progress = this.#progress;
    if (progress === null || progress.coveredFrom > start - SECONDS_PER_EPOCH) return false;
    return progress.blockTimestamp >= start || progress.headSeenAt >= start + settleSeconds;
  }

  #bump(): void {
    this.#changes.set(this.#changes.value + 1);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create lookahead timeline: ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
