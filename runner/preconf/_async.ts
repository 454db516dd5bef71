/**
 * Small async helpers private to the preconfirmation client: an abortable, unref'd sleep and a
 * bounded exponential backoff with jitter.
 *
 * @module
 */

/**
 * Waits `ms` milliseconds without keeping the process alive.
 *
 * @param ms Milliseconds.
 * @param signal Aborts the wait.
 * @returns Resolves after `ms`.
 * @throws `signal.reason` when the signal aborts first.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(id);
      reject(signal?.reason);
    };
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    Deno.unrefTimer(id);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The delay before retry `attempt` (0-based): `min(maxMs, baseMs * 2^attempt)`, with up to 20%
 * jitter taken off so retries of many callers spread out.
 *
 * @param attempt How many attempts failed so far minus one.
 * @param baseMs The first delay.
 * @param maxMs The cap.
 * @returns Milliseconds.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(raw * (0.8 + Math.random() * 0.2));
}
