/**
 * A remote read shared by callers for a short, fixed time: one request in flight at a time, its
 * answer reused while younger than the bound, and values the node learns itself (its own block
 * insertions) taking the place of older reads. Serves `preconf_getStatus` at many requests per
 * second without one L1 and one L2 round trip per call.
 *
 * @module
 */

/** A cached, single-flight read whose answer is at most `maxAgeMs` old. */
export class CachedRead<T> {
  readonly #read: () => Promise<T>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #value: { readonly value: T; readonly atMs: number } | null = null;
  #inFlight: Promise<T> | null = null;
  #generation = 0;

  /**
   * @param read The remote read.
   * @param maxAgeMs Longest an answer is reused, in milliseconds (0: only a read in flight is shared).
   * @param now Clock in milliseconds.
   * @throws {RangeError} `maxAgeMs` is negative or not finite.
   */
  constructor(read: () => Promise<T>, maxAgeMs: number, now: () => number = Date.now) {
    if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
      throw new RangeError(
        `Cannot create cached read: maxAgeMs must be a non-negative number, got ${maxAgeMs}`,
      );
    }
    this.#read = read;
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  /**
   * The answer: the cached one while younger than the bound (its age counted from when its read
   * started), else the read in flight, else a new read.
   *
   * @returns The value.
   * @throws Whatever the read throws (failures are not cached).
   */
  get(): Promise<T> {
    const cached = this.#value;
    if (cached !== null && this.#maxAgeMs > 0 && this.#now() - cached.atMs <= this.#maxAgeMs) {
      return Promise.resolve(cached.value);
    }
    if (this.#inFlight !== null) return this.#inFlight;
    const generation = this.#generation;
    const startedMs = this.#now();
    const read = this.#read().then((value) => {
      // A value set while this read was in flight is newer than the answer: keep it.
      if (generation === this.#generation) this.#value = { value, atMs: startedMs };
      return value;
    }).finally(() => {
      if (this.#inFlight === read) this.#inFlight = null;
    });
    this.#inFlight = read;
    return read;
  }

  /**
   * Replaces the cached answer with a value known now (for example the block the node just
   * inserted is the engine's head).
   *
   * @param value The current value.
   */
  set(value: T): void {
    this.#generation++;
    this.#value = { value, atMs: this.#now() };
  }

  /** Drops the cached answer (and any read in flight's), so the next call reads again. */
  invalidate(): void {
    this.#generation++;
    this.#value = null;
    this.#inFlight = null;
  }
}
