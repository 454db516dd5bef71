import assert from "node:assert/strict";
import { abortableDelay, backoffDelayMs, retry } from "../../../driver/sync/retry.ts";

Deno.test("`backoffDelayMs()` doubles from the base and stops at the cap", () => {
  const delays = [1, 2, 3, 4, 5, 6].map((attempt) =>
    backoffDelayMs(attempt, { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 })
  );
  assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(backoffDelayMs(10_000, { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 }), 1_000);
  assert.throws(() => backoffDelayMs(0), RangeError);
});

Deno.test("`backoffDelayMs()` spreads each delay by the jitter fraction and never passes the cap", () => {
  const options = { baseDelayMs: 1_000, maxDelayMs: 1_000, jitter: 0.5 };
  assert.equal(backoffDelayMs(1, { ...options, random: () => 0 }), 750);
  assert.equal(backoffDelayMs(1, { ...options, random: () => 0.999 }), 1_000);
  assert.equal(backoffDelayMs(1, { ...options, maxDelayMs: 10_000, random: () => 0.999 }), 1_250);
});

Deno.test("`retry()` retries until success and reports each retry", async () => {
  const seen: number[] = [];
  const value = await retry((attempt) => {
    if (attempt < 3) return Promise.reject(new Error(`fail ${attempt}`));
    return Promise.resolve(attempt * 10);
  }, { baseDelayMs: 1, jitter: 0, onRetry: (_error, attempt) => seen.push(attempt) });
  assert.equal(value, 30);
  assert.deepEqual(seen, [1, 2]);
});

Deno.test("`retry()` stops at once when the predicate refuses and after the last attempt", async () => {
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new TypeError("deterministic"));
    }, { baseDelayMs: 1, isRetriable: (error) => !(error instanceof TypeError) }),
    TypeError,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new Error("transient"));
    }, { baseDelayMs: 1, maxAttempts: 4 }),
    /transient/,
  );
  assert.equal(calls, 4);
});

Deno.test("`retry()` rejects with the signal's reason when aborted during a sleep", async () => {
  const controller = new AbortController();
  const reason = new Error("stop");
  const pending = retry(() => Promise.reject(new Error("down")), {
    baseDelayMs: 60_000,
    maxAttempts: Infinity,
    signal: controller.signal,
    onRetry: () => controller.abort(reason),
  });
  await assert.rejects(pending, (error) => error === reason);
  await assert.rejects(abortableDelay(10, controller.signal), (error) => error === reason);
});
