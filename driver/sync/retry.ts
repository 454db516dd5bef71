/**
 * Explicit, bounded retries: exponential backoff with a cap and jitter, an `isRetriable` predicate,
 * and an abortable sleep (STYLE rule 20). viem's `withRetry` has no abort signal for its sleeps and
 * gives the predicate no attempt count, and the syncer needs both.
 *
 * @module
 */

/** How a retry loop backs off and when it gives up. */
export interface RetryOptions {
  /**
   * Attempts in total, the first included; `Infinity` retries until the predicate says no.
   * @default {5}
   */
  readonly maxAttempts?: number;
  /**
   * Delay after the first failure, in milliseconds.
   * @default {100}
   */
  readonly baseDelayMs?: number;
  /**
   * Cap of any single delay, in milliseconds.
   * @default {12_000}
   */
  readonly maxDelayMs?: number;
  /**
   * Growth factor between consecutive delays.
   * @default {2}
   */
  readonly factor?: number;
  /**
   * Fraction of each delay that is randomised (0 disables jitter).
   * @default {0.2}
   */
  readonly jitter?: number;
  /**
   * Whether a failure may be retried; `attempt` counts from 1.
   * @default {() => true}
   */
  readonly isRetriable?: (error: unknown, attempt: number) => boolean;
  /**
   * Called before each sleep (for a log line or a metric).
   * @default {undefined}
   */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /**
   * Aborts the sleeps; the loop then rejects with `signal.reason`.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
  /**
   * Source of randomness in [0, 1), replaceable in tests.
   * @default {Math.random}
   */
  readonly random?: () => number;
}

/**
 * The delay before retry number `attempt` (1 = after the first failure): `base * factor^(attempt-1)`,
 * capped at `maxDelayMs`, then spread by ±`jitter/2` of itself.
 *
 * @example
 * ```ts
 * import { backoffDelayMs } from "./retry.ts";
 * backoffDelayMs(3, { baseDelayMs: 100, jitter: 0 }); // 400
 * ```
 *
 * @param attempt The failed attempt's number, from 1.
 * @param options Backoff settings.
 * @returns The delay in milliseconds, never above `maxDelayMs`.
 * @throws {RangeError} When `attempt` is below 1.
 */
export function backoffDelayMs(attempt: number, options: RetryOptions = {}): number {
  if (!(attempt >= 1)) throw new RangeError(`Cannot compute backoff: attempt must be >= 1, got ${attempt}`);
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 12_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const raw = Math.min(cap, base * Math.pow(factor, Math.min(attempt - 1, 64)));
  const spread = raw * jitter * (random() - 0.5);
  return Math.max(0, Math.min(cap, Math.round(raw + spread)));
}

/**
 * Sleeps for `ms`, or rejects with `signal.reason` as soon as the signal aborts.
 *
 * @param ms How long to sleep, in milliseconds.
 * @param signal Aborts the sleep.
 * @returns Resolves after the delay.
 * @throws `signal.reason` when the signal aborts.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, the predicate refuses a failure, or the attempts run out.
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * const value = await retry(() => Promise.resolve(42), { maxAttempts: 3 });
 * ```
 *
 * @param fn The operation; receives the attempt number (from 1).
 * @param options Attempts, backoff, predicate and signal.
 * @returns What `fn` resolved with.
 * @throws The last failure when it is not retriable or the attempts are spent; `signal.reason` on abort.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1;; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (attempt >= maxAttempts || !(options.isRetriable?.(error, attempt) ?? true)) throw error;
      const delay = backoffDelayMs(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await abortableDelay(delay, options.signal);
    }
  }
}
