import assert from "node:assert/strict";
import { TimeSlice } from "../../internal/time_slice.ts";

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spins: stands for CPU-bound work on the event loop.
  }
}

Deno.test("`TimeSlice.pause()` lets a timer run in the middle of a batch started all at once", async () => {
  const slice = new TimeSlice(5);
  let done = 0;
  let doneWhenTimerRan = -1;
  setTimeout(() => (doneWhenTimerRan = done), 0);
  await Promise.all(Array.from({ length: 20 }, async () => {
    await slice.pause();
    busy(2);
    done++;
  }));
  assert.equal(done, 20);
  assert.ok(doneWhenTimerRan > 0 && doneWhenTimerRan < 20, `the timer ran after ${doneWhenTimerRan} items`);
});

Deno.test("`TimeSlice.pause()` keeps callers in order and does not yield while the budget lasts", async () => {
  const slice = new TimeSlice(60_000);
  const order: number[] = [];
  let timerRan = false;
  setTimeout(() => (timerRan = true), 0);
  await Promise.all([0, 1, 2, 3].map(async (i) => {
    await slice.pause();
    order.push(i);
  }));
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.equal(timerRan, false);
});

Deno.test("`new TimeSlice()` refuses a budget that is not a positive number", () => {
  assert.throws(() => new TimeSlice(0), RangeError);
  assert.throws(() => new TimeSlice(Number.NaN), RangeError);
});
