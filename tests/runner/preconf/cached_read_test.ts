import assert from "node:assert/strict";
import { CachedRead } from "../../../runner/preconf/cached_read.ts";

function counter(values: number[]) {
  const clock = { ms: 0 };
  let reads = 0;
  const pending: ((v: number) => void)[] = [];
  const read = () => {
    reads++;
    return new Promise<number>((resolve) => pending.push(resolve));
  };
  const answer = () => pending.shift()?.(values[reads - 1] ?? -1);
  return { clock, read, answer, reads: () => reads };
}

Deno.test("`CachedRead.get()` shares one read between callers and reuses it until it is older than the bound", async () => {
  const c = counter([1, 2]);
  const cached = new CachedRead(c.read, 250, () => c.clock.ms);
  const both = Promise.all([cached.get(), cached.get()]);
  c.answer();
  assert.deepEqual(await both, [1, 1]);
  assert.equal(c.reads(), 1);
  c.clock.ms = 250;
  assert.equal(await cached.get(), 1);
  c.clock.ms = 251;
  const next = cached.get();
  c.answer();
  assert.equal(await next, 2);
  assert.equal(c.reads(), 2);
});

Deno.test("`CachedRead.set()` wins over a read that started before it, and `invalidate()` forces a new read", async () => {
  const c = counter([5, 3]);
  const cached = new CachedRead(c.read, 250, () => c.clock.ms);
  const older = cached.get();
  cached.set(7);
  c.answer();
  assert.equal(await older, 5);
  assert.equal(await cached.get(), 7);
  cached.invalidate();
  const fresh = cached.get();
  c.answer();
  assert.equal(await fresh, 3);
  assert.equal(c.reads(), 2);
});

Deno.test("`CachedRead.get()` with a zero bound shares only the read in flight", async () => {
  const c = counter([4, 6]);
  const cached = new CachedRead(c.read, 0, () => c.clock.ms);
  const both = Promise.all([cached.get(), cached.get()]);
  c.answer();
  assert.deepEqual(await both, [4, 4]);
  const next = cached.get();
  c.answer();
  assert.equal(await next, 6);
  assert.equal(c.reads(), 2);
});

Deno.test("`CachedRead.get()` does not cache a failed read", async () => {
  let fail = true;
  const cached = new CachedRead(() => (fail ? Promise.reject(new Error("down")) : Promise.resolve(9)), 1_000);
  await assert.rejects(cached.get(), /down/);
  fail = false;
  assert.equal(await cached.get(), 9);
  assert.throws(() => new CachedRead(() => Promise.resolve(0), -1), RangeError);
});
