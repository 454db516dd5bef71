/**
 * Who may sign a commitment for an L2 timestamp, and until when (p2p.md §15.5). Answers come from
 * the shared {@linkcode LookaheadTimeline} the scanner fills; "not yet known" (buffer and retry) is
 * a distinct answer from a known signer, so validation can tell waiting from a wrong signer.
 *
 * @module
 */
import type { Address } from "viem";
import { PreconfError } from "../errors.ts";
import type { LookaheadL1 } from "./l1_reader.ts";
import {
  type EpochSchedule,
  type LookaheadSlot,
  type LookaheadTimeline,
  SECONDS_PER_EPOCH,
  SECONDS_PER_SLOT,
} from "./timeline.ts";

/** Past epochs (before the current one) the resolver answers for; older timestamps are too old. */
export const LOOKAHEAD_LOOKBACK_EPOCHS = 3;
/** Seconds after an epoch starts before a missing schedule for it counts as final. */
export const LOOKAHEAD_SETTLE_SECONDS = 12n;
/** L1 blocks walked back from the head to find one inside an epoch when synthesizing its fallback. */
export const LOOKAHEAD_SYNTH_WALK_BLOCKS = 256;

/** The elected signer of a timestamp and its window end. */
export interface SlotInfo {
  /** The elected preconfer. */
  readonly signer: Address;
  /** The window end its commitments must carry. */
  readonly submissionWindowEnd: bigint;
}

/** The resolver's answer for one timestamp. */
export type LookaheadAnswer =
  | (SlotInfo & {
    readonly kind: "Known";
    /** A posted slot, a posted slot whose operator is blacklisted (fallback signs), or the fallback. */
    readonly source: "Slot" | "Blacklisted" | "Fallback";
  })
  | { readonly kind: "NotYetKnown"; readonly reason: string }
  | { readonly kind: "OutOfRange"; readonly reason: "BeforeGenesis" | "TooOld" | "TooNew" };

/** What validation and the RPC need from the lookahead. */
export interface LookaheadSource {
  /**
   * The elected signer and window end for an L2 timestamp.
   *
   * @param timestamp The commitment's L2 block timestamp (lesson V-5: not its window end).
   * @returns The answer; never throws for L1 failures (they are "not yet known").
   */
  resolve(timestamp: bigint): Promise<LookaheadAnswer>;
}

/** Which slot covers a timestamp. */
export type SlotPick =
  | { readonly kind: "Current"; readonly index: number }
  | { readonly kind: "Next"; readonly index: number }
  | null;

/**
 * Picks the slot covering `ts`: the first current-epoch slot at or after `ts`; past the last one,
 * the next epoch's first slot if it is at or after `ts`; otherwise none (the fallback signs). An
 * empty current epoch never borrows from the next one.
 *
 * @param ts The timestamp.
 * @param current The current epoch's slots, ascending.
 * @param next The next epoch's slots, ascending (empty when unknown or not posted).
 * @returns The pick, or `null` for the fallback.
 */
export function pickSlot(
  ts: bigint,
  current: readonly { readonly timestamp: bigint }[],
  next: readonly { readonly timestamp: bigint }[],
): SlotPick {
  if (current.length === 0) return null;
  const index = current.findIndex((slot) => ts <= slot.timestamp);
  if (index >= 0) return { kind: "Current", index };
  const first = next[0];
  if (first !== undefined && ts <= first.timestamp) return { kind: "Next", index: 0 };
  return null;
}

/** Options of a {@linkcode LookaheadResolver}. */
export interface LookaheadResolverOptions {
  /** The PreconfWhitelist address (fallback operator reads). */
  readonly whitelist: Address;
  /**
   * Past epochs answered for.
   * @default {LOOKAHEAD_LOOKBACK_EPOCHS}
   */
  readonly lookbackEpochs?: number;
  /**
   * Seconds after an epoch start before a missing schedule is final.
   * @default {LOOKAHEAD_SETTLE_SECONDS}
   */
  readonly settleSeconds?: bigint;
  /**
   * Blocks walked back when synthesizing an empty epoch.
   * @default {LOOKAHEAD_SYNTH_WALK_BLOCKS}
   */
  readonly synthWalkBlocks?: number;
  /**
   * Wall clock in seconds.
   * @default {() => BigInt(Math.floor(Date.now() / 1000))}
   */
  readonly now?: () => bigint;
}

/** Resolves the elected signer of a timestamp from the shared timeline, reading L1 only for empty epochs. */
export class LookaheadResolver implements LookaheadSource {
  readonly #timeline: LookaheadTimeline;
  readonly #l1: LookaheadL1;
  readonly #whitelist: Address;
  readonly #lookback: bigint;
  readonly #settle: bigint;
  readonly #walk: number;
  readonly #now: () => bigint;
  readonly #synthesizing = new Map<bigint, Promise<EpochSchedule | string>>();

  /**
   * Creates a resolver over the shared timeline.
   *
   * @param deps The shared timeline and the L1 reads.
   * @param options Whitelist address, window and clock.
   */
  constructor(deps: { timeline: LookaheadTimeline; l1: LookaheadL1 }, options: LookaheadResolverOptions) {
    this.#timeline = deps.timeline;
    this.#l1 = deps.l1;
    this.#whitelist = options.whitelist;
    const lookback = options.lookbackEpochs ?? LOOKAHEAD_LOOKBACK_EPOCHS;
    if (!Number.isInteger(lookback) || lookback < 0) {
      throw new RangeError(
        `Cannot create lookahead resolver: lookbackEpochs must be a non-negative integer, got ${lookback}`,
      );
    }
    this.#lookback = BigInt(lookback);
    this.#settle = options.settleSeconds ?? LOOKAHEAD_SETTLE_SECONDS;
    this.#walk = options.synthWalkBlocks ?? LOOKAHEAD_SYNTH_WALK_BLOCKS;
    this.#now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  }

  /** The shared timeline this resolver reads. */
  get timeline(): LookaheadTimeline {
    return this.#timeline;
  }

  /**
   * The earliest timestamp the resolver answers for at wall time `now` (also the pruning cutoff).
   *
   * @returns Seconds.
   */
  earliestAnswerable(): bigint {
    const genesis = this.#timeline.genesisTime;
    const now = this.#now();
    const currentEpoch = this.#timeline.epochStart(now < genesis ? genesis : now);
    const earliest = currentEpoch - this.#lookback * SECONDS_PER_EPOCH;
    return earliest < genesis ? genesis : earliest;
  }

  /**
   * The elected signer and window end for an L2 timestamp (p2p.md §15.5).
   *
   * @param timestamp The commitment's L2 block timestamp.
   * @returns The answer; L1 failures become "not yet known".
   */
  async resolve(timestamp: bigint): Promise<LookaheadAnswer> {
    const genesis = this.#timeline.genesisTime;
    if (timestamp < genesis) return { kind: "OutOfRange", reason: "BeforeGenesis" };
    const now = this.#now();
    const currentEpoch = this.#timeline.epochStart(now < genesis ? genesis : now);
    if (timestamp >= currentEpoch + SECONDS_PER_EPOCH) return { kind: "OutOfRange", reason: "TooNew" };
    if (timestamp < this.earliestAnswerable()) return { kind: "OutOfRange", reason: "TooOld" };

    const start = this.#timeline.epochStart(timestamp);
    const next = start + SECONDS_PER_EPOCH;
    const current = await this.#schedule(start);
    if (typeof current === "string") return { kind: "NotYetKnown", reason: current };

    let nextSlots: readonly LookaheadSlot[] = [];
    const last = current.slots[current.slots.length - 1];
    if (last !== undefined && timestamp > last.timestamp) {
      const nextSchedule = this.#timeline.epoch(next);
      if (nextSchedule !== undefined) {
        nextSlots = nextSchedule.slots;
      } else if (!this.#timeline.isEpochSettled(next, this.#settle)) {
        // The next epoch's first preconfer may still post its schedule; answering with the
        // fallback now could wrongly reject (or accept) the block.
        return { kind: "NotYetKnown", reason: `the lookahead of epoch ${next} may still be posted` };
      }
    }

    this.#timeline.ensureFallbackBaseline(start, current.fallback);
    const fallback = this.#timeline.fallbackAt(timestamp) ?? current.fallback;
    const pick = pickSlot(timestamp, current.slots, nextSlots);
    if (pick === null) {
      return {
        kind: "Known",
        source: "Fallback",
        signer: fallback,
        submissionWindowEnd: next - SECONDS_PER_SLOT,
      };
    }
    const slot = (pick.kind === "Current" ? current.slots : nextSlots)[pick.index] as LookaheadSlot;
    if (this.#timeline.wasBlacklistedAt(slot.registrationRoot, timestamp)) {
      return { kind: "Known", source: "Blacklisted", signer: fallback, submissionWindowEnd: slot.timestamp };
    }
    return { kind: "Known", source: "Slot", signer: slot.committer, submissionWindowEnd: slot.timestamp };
  }

  /**
   * Like {@linkcode resolve}, for callers that want an error instead of a union (the RPC's
   * `preconf_getPreconfSlotInfo`).
   *
   * @param timestamp An L2 timestamp.
   * @returns The elected signer and window end.
   * @throws {PreconfError} `LookaheadOutOfRange` (context.reason: BeforeGenesis, TooOld, TooNew) or
   *   `LookaheadNotYetKnown`.
   */
  async slotInfoForTimestamp(timestamp: bigint): Promise<SlotInfo> {
    const answer = await this.resolve(timestamp);
    switch (answer.kind) {
      case "Known":
        return { signer: answer.signer, submissionWindowEnd: answer.submissionWindowEnd };
      case "OutOfRange":
        throw new PreconfError(
          "LookaheadOutOfRange",
          `Cannot resolve the preconfer for timestamp ${timestamp}: ${answer.reason}, the lookahead covers ${this.earliestAnswerable()} up to the end of the current epoch`,
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

  /** The epoch's schedule, synthesizing an empty one once its absence is final; a string says why not yet. */
  #schedule(start: bigint): Promise<EpochSchedule | string> | EpochSchedule | string {
    const known = this.#timeline.epoch(start);
    if (known !== undefined) return known;
    if (!this.#timeline.isEpochSettled(start, this.#settle)) {
      return `the lookahead of epoch ${start} is not indexed yet`;
    }
    const inFlight = this.#synthesizing.get(start);
    if (inFlight !== undefined) return inFlight;
    const promise = this.#synthesize(start).finally(() => this.#synthesizing.delete(start));
    this.#synthesizing.set(start, promise);
    return promise;
  }

  async #synthesize(start: bigint): Promise<EpochSchedule | string> {
    let fallback: Address;
    try {
      const found = await this.#fallbackForEpoch(start);
      if ("reason" in found) return found.reason;
      fallback = found.operator;
    } catch (error) {
      return `reading the whitelist operator of epoch ${start} failed: ${
        error instanceof Error ? error.message : error
      }`;
    }
    const schedule: EpochSchedule = { epochStart: start, slots: [], fallback, source: "synthesized" };
    this.#timeline.setEpoch(schedule);
    this.#timeline.ensureFallbackBaseline(start, fallback);
    return this.#timeline.epoch(start) ?? schedule;
  }

  /** Reads the whitelist operator of the epoch at a block inside it (current) or inside the one before (next). */
  async #fallbackForEpoch(start: bigint): Promise<{ operator: Address } | { reason: string }> {
    const end = start + SECONDS_PER_EPOCH;
    let number = await this.#l1.headNumber();
    for (let step = 0; step < this.#walk && number >= 0n; step++, number--) {
      const block = await this.#l1.block(number);
      if (block === null) continue;
      if (block.timestamp >= end) continue;
      if (block.timestamp >= start) {
        return { operator: await this.#l1.whitelistOperator(this.#whitelist, "current", number) };
      }
      if (block.timestamp >= start - SECONDS_PER_EPOCH) {
        return { operator: await this.#l1.whitelistOperator(this.#whitelist, "next", number) };
      }
      break;
    }
    return { reason: `no L1 block found inside epoch ${start} or the one before it` };
  }
}
