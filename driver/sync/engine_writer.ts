/**
 * The production lock: one writer at a time onto the engine. The L1 path (one proposal attempt) and
 * the preconfirmation path (one ingress job) both take it, in arrival order, so their forkchoice
 * updates never interleave.
 *
 * @module
 */

/** A fair (FIFO) mutex around engine writes. */
export class EngineWriteLock {
  #tail: Promise<void> = Promise.resolve();
  #held = false;
  #waiting = 0;

  /** Whether a writer holds the lock now. */
  get held(): boolean {
    return this.#held;
  }

  /** Writers waiting for the lock. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Runs `fn` once every earlier writer has finished, and releases the lock when it settles.
   *
   * @example
   * ```ts
   * import { EngineWriteLock } from "./engine_writer.ts";
   * const lock = new EngineWriteLock();
   * const value = await lock.runExclusive(() => Promise.resolve(1));
   * ```
   *
   * @param fn The critical section.
   * @returns What `fn` resolved with.
   * @throws Whatever `fn` throws.
   */
  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => release = resolve);
    this.#waiting++;
    try {
      await previous;
    } finally {
      this.#waiting--;
    }
    this.#held = true;
    try {
      return await fn();
    } finally {
      this.#held = false;
      release();
    }
  }
}
