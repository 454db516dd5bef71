/**
 * A FIFO queue with a fixed capacity and an explicit overflow policy. Consumers `take()` with a
 * signal; producers `push()` and learn synchronously whether the item was accepted.
 *
 * @module
 */

/** What happens when a push finds the queue full. */
export type OverflowPolicy =
  /** Refuse the new item (`push` returns false). */
  | "reject"
  /** Drop the oldest queued item to make room (`push` returns true, `onDrop` sees the dropped item). */
  | "dropOldest";

/** Options of a {@linkcode BoundedQueue}. */
export interface BoundedQueueOptions<T> {
  /** How many items the queue holds at most. */
  readonly capacity: number;
  /**
   * What to do when full.
   * @default {"reject"}
   */
  readonly overflow?: OverflowPolicy;
  /**
   * Called with each item the queue drops or refuses (for a metric or a log).
   * @default {undefined}
   */
  readonly onDrop?: (item: T) => void;
}

/** A bounded FIFO queue. */
export class BoundedQueue<T> {
  readonly #capacity: number;
  readonly #overflow: OverflowPolicy;
  readonly #onDrop: ((item: T) => void) | undefined;
  #items: T[] = [];
  #head = 0;
  #takers: Array<(item: T) => void> = [];
  #closed = false;

  /** @param options Capacity and overflow policy. */
  constructor(options: BoundedQueueOptions<T>) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(
        `Cannot create queue: capacity must be a positive integer, got ${options.capacity}`,
      );
    }
    this.#capacity = options.capacity;
    this.#overflow = options.overflow ?? "reject";
    this.#onDrop = options.onDrop;
  }

  /** Items waiting to be taken. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The configured capacity. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item; returns false when it was refused (queue full under "reject", or closed). */
  push(item: T): boolean {
    if (this.#closed) {
      this.#onDrop?.(item);
      return false;
    }
    const taker = this.#takers.shift();
    if (taker !== undefined) {
      taker(item);
      return true;
    }
    if (this.size >= this.#capacity) {
      if (this.#overflow === "reject") {
        this.#onDrop?.(item);
        return false;
      }
      const dropped = this.#shift();
      if (dropped !== undefined) this.#onDrop?.(dropped.item);
    }
    this.#items.push(item);
    return true;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  poll(): T | undefined {
    return this.#shift()?.item;
  }

  /**
   * Waits for the next item.
   *
   * @throws `signal.reason` when the signal aborts first, or an Error when the queue is closed.
   */
  take(options: { signal?: AbortSignal } = {}): Promise<T> {
    const next = this.#shift();
    if (next !== undefined) return Promise.resolve(next.item);
    if (this.#closed) return Promise.reject(new Error("Cannot take from queue: it is closed"));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#takers = this.#takers.filter((t) => t !== taker);
        reject(signal?.reason);
      };
      const taker = (item: T) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(item);
      };
      this.#takers.push(taker);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Removes every queued item matching `predicate` and returns how many were removed. */
  removeWhere(predicate: (item: T) => boolean): number {
    const kept = this.#items.slice(this.#head).filter((item) => !predicate(item));
    const removed = this.size - kept.length;
    this.#items = kept;
    this.#head = 0;
    return removed;
  }

  /** Refuses further pushes; queued items can still be polled. */
  close(): void {
    this.#closed = true;
  }

  #shift(): { item: T } | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head] as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return { item };
  }
}
