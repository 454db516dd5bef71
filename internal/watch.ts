/**
 * A latest-value cell with change notification (like tokio's `watch`): readers see the current value
 * and can wait for the next change. Waiters never pile up values, so it cannot grow.
 *
 * @module
 */

/** A value that changes over time, with a way to wait for the next change. */
export class Watch<T> {
  #value: T;
  #version = 0;
  #waiters = new Set<() => void>();

  /** @param initial The value before the first `set`. */
  constructor(initial: T) {
    this.#value = initial;
  }

  /** The current value. */
  get value(): T {
    return this.#value;
  }

  /** How many times the value was set; lets a reader tell whether it missed a change. */
  get version(): number {
    return this.#version;
  }

  /** Replaces the value and wakes every waiter. */
  set(value: T): void {
    this.#value = value;
    this.#version++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves with the value once it has been set after `sinceVersion` (default: now).
   *
   * @throws `signal.reason` when the signal aborts first.
   */
  changed(options: { sinceVersion?: number; signal?: AbortSignal } = {}): Promise<T> {
    const since = options.sinceVersion ?? this.#version;
    if (this.#version > since) return Promise.resolve(this.#value);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(wake);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.#value);
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Yields the current value, then every later value, until the signal aborts. */
  async *values(options: { signal?: AbortSignal } = {}): AsyncGenerator<T> {
    let version = this.#version;
    yield this.#value;
    while (!options.signal?.aborted) {
      try {
        await this.changed({ sinceVersion: version, ...options });
      } catch {
        return;
      }
      version = this.#version;
      yield this.#value;
    }
  }
}
