/**
 * The application reputation of each peer (lesson P2P-2): failures cost 1 each but at most 4 per
 * window, accepted messages earn 0.05, the score decays by about 0.9 per 10 s, stays in [-10, +10],
 * greylists at -2 and bans only after staying at or below -5 for more than 30 s.
 *
 * @module
 */
import {
  BAN_AFTER_MS,
  BAN_DURATION_MS,
  BAN_THRESHOLD,
  DECAY_PER_WINDOW,
  FAILURE_PENALTY,
  GREYLIST_THRESHOLD,
  MAX_PENALTY_PER_WINDOW,
  MAX_SCORE,
  MAX_TRACKED_PEERS,
  MIN_SCORE,
  REPUTATION_WINDOW_MS,
  SUCCESS_REWARD,
} from "./reputation_constants.ts";

/** A score this close to neutral is dropped from the map (it would read as 0 anyway). */
const FORGET_BELOW = 0.001;

/** How a peer stands. */
export type PeerStanding = "good" | "greylisted" | "banned";

/** Tuning of a {@linkcode PeerReputation}; tests shrink the windows, production keeps the defaults. */
export interface PeerReputationOptions {
  /** @default {REPUTATION_WINDOW_MS} */
  readonly windowMs?: number;
  /** @default {MAX_PENALTY_PER_WINDOW} */
  readonly maxPenaltyPerWindow?: number;
  /** @default {DECAY_PER_WINDOW} */
  readonly decayPerWindow?: number;
  /** @default {GREYLIST_THRESHOLD} */
  readonly greylistThreshold?: number;
  /** @default {BAN_THRESHOLD} */
  readonly banThreshold?: number;
  /** @default {BAN_AFTER_MS} */
  readonly banAfterMs?: number;
  /** @default {BAN_DURATION_MS} */
  readonly banDurationMs?: number;
  /** @default {MAX_TRACKED_PEERS} */
  readonly maxPeers?: number;
  /** The clock, in milliseconds. @default {Date.now} */
  readonly now?: () => number;
}

interface Entry {
  score: number;
  updatedAt: number;
  windowStart: number;
  windowPenalty: number;
  breachSince: number | null;
  bannedUntil: number | null;
}

/** Per-peer scores with capped penalties, decay, greylisting and delayed bans. */
export class PeerReputation {
  readonly #windowMs: number;
  readonly #maxPenalty: number;
  readonly #decay: number;
  readonly #greylist: number;
  readonly #ban: number;
  readonly #banAfterMs: number;
  readonly #banDurationMs: number;
  readonly #maxPeers: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  /**
   * @param options Windows, thresholds and the clock.
   * @throws {RangeError} A window or bound is not positive, or the thresholds are out of order.
   */
  constructor(options: PeerReputationOptions = {}) {
    this.#windowMs = options.windowMs ?? REPUTATION_WINDOW_MS;
    this.#maxPenalty = options.maxPenaltyPerWindow ?? MAX_PENALTY_PER_WINDOW;
    this.#decay = options.decayPerWindow ?? DECAY_PER_WINDOW;
    this.#greylist = options.greylistThreshold ?? GREYLIST_THRESHOLD;
    this.#ban = options.banThreshold ?? BAN_THRESHOLD;
    this.#banAfterMs = options.banAfterMs ?? BAN_AFTER_MS;
    this.#banDurationMs = options.banDurationMs ?? BAN_DURATION_MS;
    this.#maxPeers = options.maxPeers ?? MAX_TRACKED_PEERS;
    this.#now = options.now ?? Date.now;
    if (!(this.#windowMs > 0) || !(this.#maxPenalty > 0) || !(this.#decay > 0 && this.#decay <= 1)) {
      throw new RangeError("Cannot create peer reputation: window, penalty cap and decay must be positive");
    }
    if (!(this.#ban < this.#greylist && this.#greylist < 0 && this.#ban >= MIN_SCORE)) {
      throw new RangeError(
        `Cannot create peer reputation: need ${MIN_SCORE} <= ban (${this.#ban}) < greylist (${this.#greylist}) < 0`,
      );
    }
    if (!(this.#banAfterMs >= 0) || !(this.#banDurationMs > 0) || !(this.#maxPeers >= 1)) {
      throw new RangeError("Cannot create peer reputation: ban times and the peer bound must be positive");
    }
  }

  /** How many peers are tracked. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The current (decayed) score of a peer; 0 for an unknown peer.
   *
   * @param peer The peer id.
   * @returns The score in [-10, +10].
   */
  score(peer: string): number {
    const entry = this.#entries.get(peer);
    return entry === undefined ? 0 : this.#decayed(entry, this.#now());
  }

  /**
   * How a peer stands now.
   *
   * @param peer The peer id.
   * @returns `banned` while a ban lasts, `greylisted` at or below the greylist threshold, else `good`.
   */
  standing(peer: string): PeerStanding {
    const entry = this.#entries.get(peer);
    if (entry === undefined) return "good";
    const now = this.#now();
    if (entry.bannedUntil !== null && now < entry.bannedUntil) return "banned";
    return this.#decayed(entry, now) <= this.#greylist ? "greylisted" : "good";
  }

  /**
   * Records one failure: -1, unless the peer already lost the window's maximum.
   *
   * @param peer The peer id.
   * @returns The new score.
   */
  penalize(peer: string): number {
    return this.#apply(peer, FAILURE_PENALTY);
  }

  /**
   * Records one success: +0.05.
   *
   * @param peer The peer id.
   * @returns The new score.
   */
  reward(peer: string): number {
    return this.#apply(peer, SUCCESS_REWARD);
  }

  /**
   * Advances time: tracks how long each score has been at or below the ban threshold, ends expired
   * bans and returns the peers whose ban starts now.
   *
   * @returns Peer ids to disconnect and refuse.
   */
  tick(): string[] {
    const now = this.#now();
    const newlyBanned: string[] = [];
    for (const [peer, entry] of this.#entries) {
      if (entry.bannedUntil !== null) {
        if (now < entry.bannedUntil) continue;
        entry.bannedUntil = null;
        entry.breachSince = null;
      }
      this.#settle(entry, now);
      if (Math.abs(entry.score) < FORGET_BELOW && entry.breachSince === null) {
        this.#entries.delete(peer);
        continue;
      }
      if (entry.breachSince !== null && now - entry.breachSince > this.#banAfterMs) {
        entry.bannedUntil = now + this.#banDurationMs;
        newlyBanned.push(peer);
      }
    }
    return newlyBanned;
  }

  /**
   * Peers banned right now.
   *
   * @returns Their ids.
   */
  banned(): string[] {
    const now = this.#now();
    return [...this.#entries].filter(([, e]) => e.bannedUntil !== null && now < e.bannedUntil).map(([p]) =>
      p
    );
  }

  #apply(peer: string, delta: number): number {
    const now = this.#now();
    const entry = this.#entry(peer, now);
    this.#settle(entry, now);
    let change = delta;
    if (delta < 0) {
      if (now - entry.windowStart >= this.#windowMs) {
        entry.windowStart = now;
        entry.windowPenalty = 0;
      }
      change = -Math.min(-delta, this.#maxPenalty - entry.windowPenalty);
      entry.windowPenalty -= change;
    }
    entry.score = clamp(entry.score + change);
    this.#trackBreach(entry, now);
    return entry.score;
  }

  #entry(peer: string, now: number): Entry {
    let entry = this.#entries.get(peer);
    if (entry !== undefined) {
      // Re-insert so the map's order is least recently updated first.
      this.#entries.delete(peer);
    } else {
      if (this.#entries.size >= this.#maxPeers) this.#evictOne(now);
      entry = {
        score: 0,
        updatedAt: now,
        windowStart: now,
        windowPenalty: 0,
        breachSince: null,
        bannedUntil: null,
      };
    }
    this.#entries.set(peer, entry);
    return entry;
  }

  #evictOne(now: number): void {
    let victim: string | undefined;
    for (const [peer, e] of this.#entries) {
      if (e.bannedUntil === null || now >= e.bannedUntil) {
        victim = peer;
        break;
      }
    }
    victim ??= this.#entries.keys().next().value;
    if (victim !== undefined) this.#entries.delete(victim);
  }

  #settle(entry: Entry, now: number): void {
    entry.score = this.#decayed(entry, now);
    entry.updatedAt = now;
    this.#trackBreach(entry, now);
  }

  #trackBreach(entry: Entry, now: number): void {
    if (entry.score <= this.#ban) entry.breachSince ??= now;
    else entry.breachSince = null;
  }

  #decayed(entry: Entry, now: number): number {
    const elapsed = Math.max(0, now - entry.updatedAt);
    return entry.score * this.#decay ** (elapsed / this.#windowMs);
  }
}

function clamp(score: number): number {
  return Math.min(MAX_SCORE, Math.max(MIN_SCORE, score));
}
