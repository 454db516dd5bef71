/**
 * The headers of the blocks this driver inserted last, so the next preconfirmation does not read its
 * parent and grandparent back over HTTP (it was four `eth_getBlockByNumber` per block: the payload
 * builder's parent and grandparent, the ingress's parent check, the insertion's read-back).
 *
 * The entries form one chain (each the parent of the next) ending at the head the driver set. Only
 * the insertion path writes them: {@linkcode RecentHeaders.moveHead} before a forkchoice update,
 * {@linkcode RecentHeaders.recordHead} after the inserted block was read back, and
 * {@linkcode RecentHeaders.clear} on any failure. The engine's forkchoice is moved by this driver
 * alone; a change made behind its back (a second writer, an engine rollback) can be missed for at
 * most {@linkcode RECENT_HEADERS_MAX_AGE_MS}, after which every entry is read again.
 *
 * @module
 */
import type { Hash } from "../hex.ts";
import type { L2BlockHeader } from "../shasta/types.ts";

/** Headers kept at most; the oldest is dropped first (a block needs its parent and grandparent). */
export const RECENT_HEADERS_MAX_ENTRIES = 16;

/**
 * How long after the driver last confirmed its head the entries are served, in milliseconds (one
 * L1 slot): past it they are dropped and read again, bounding how long a forkchoice change made by
 * someone else can go unnoticed.
 */
export const RECENT_HEADERS_MAX_AGE_MS = 12_000;

/** Options of {@linkcode RecentHeaders}. */
export interface RecentHeadersOptions {
  /**
   * The clock, in milliseconds.
   * @default performance.now
   */
  readonly now?: () => number;
}

/** The driver's own recent heads, by number and hash. */
export class RecentHeaders {
  readonly #now: () => number;
  /** Ascending, each entry the parent of the next. */
  #chain: L2BlockHeader[] = [];
  /** Whether the last entry is the engine's head as this driver set it. */
  #headKnown = false;
  #confirmedAt = 0;

  /**
   * Creates an empty cache.
   *
   * @param options The clock.
   */
  constructor(options: RecentHeadersOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
  }

  /** Headers held now (stale ones included until the next lookup drops them). */
  get size(): number {
    return this.#chain.length;
  }

  /**
   * The canonical header at `number`, if this driver inserted it and has not moved the head below it.
   *
   * @param number The block number.
   * @returns The header, or `null` when unknown here.
   */
  byNumber(number: bigint): L2BlockHeader | null {
    if (!this.#fresh()) return null;
    const first = this.#chain[0];
    if (first === undefined) return null;
    return this.#chain[Number(number - first.number)] ?? null;
  }

  /**
   * The header with `hash`, if held.
   *
   * @param hash The block hash.
   * @returns The header, or `null` when unknown here.
   */
  byHash(hash: Hash): L2BlockHeader | null {
    if (!this.#fresh()) return null;
    const wanted = hash.toLowerCase();
    return this.#chain.find((header) => header.hash === wanted) ?? null;
  }

  /**
   * The engine's head, when it is the block this driver inserted last and nothing moved it since.
   *
   * @returns The head's header, or `null` when not known here.
   */
  head(): L2BlockHeader | null {
    if (!this.#headKnown || !this.#fresh()) return null;
    return this.#chain[this.#chain.length - 1] ?? null;
  }

  /**
   * Called before a forkchoice update makes `hash` the head: entries above it leave the canonical
   * chain; when `hash` is not held, nothing held is known to stay canonical.
   *
   * @param hash The block about to become the head.
   */
  moveHead(hash: Hash): void {
    this.#headKnown = false;
    const wanted = hash.toLowerCase();
    const index = this.#chain.findIndex((header) => header.hash === wanted);
    if (index === -1) this.#chain = [];
    else this.#chain.length = index + 1;
  }

  /**
   * Records the block this driver just made the head and read back. It extends the held chain when
   * its parent is the last entry; otherwise it starts a new one.
   *
   * @param header The inserted block as the engine serves it.
   */
  recordHead(header: L2BlockHeader): void {
    const last = this.#chain[this.#chain.length - 1];
    if (
      last !== undefined &&
      (last.number + 1n !== header.number || last.hash !== header.parentHash.toLowerCase())
    ) {
      this.#chain = [];
    }
    this.#chain.push(Object.freeze({ ...header, hash: header.hash.toLowerCase() as Hash }));
    if (this.#chain.length > RECENT_HEADERS_MAX_ENTRIES) this.#chain.shift();
    this.#headKnown = true;
    this.#confirmedAt = this.#now();
  }

  /** Forgets everything (a failed insertion, or a head change made elsewhere). */
  clear(): void {
    this.#chain = [];
    this.#headKnown = false;
  }

  #fresh(): boolean {
    if (this.#chain.length === 0) return false;
    if (this.#now() - this.#confirmedAt <= RECENT_HEADERS_MAX_AGE_MS) return true;
    this.clear();
    return false;
  }
}
