import assert from "node:assert/strict";
import { EngineWriteLock } from "../../../driver/sync/engine_writer.ts";

Deno.test("`EngineWriteLock.runExclusive()` runs writers one at a time in arrival order", async () => {
  const lock = new EngineWriteLock();
  const order: string[] = [];
  let inside = 0;
  let maxInside = 0;
  const writer = (name: string, ticks: number) =>
    lock.runExclusive(async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      order.push(`${name}:start`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      order.push(`${name}:end`);
      inside--;
      return name;
    });
  const results = await Promise.all([writer("a", 5), writer("b", 1), writer("c", 3)]);
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.deepEqual(order, ["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  assert.equal(maxInside, 1);
  assert.equal(lock.held, false);
});

Deno.test("`EngineWriteLock.runExclusive()` releases the lock when a writer throws", async () => {
  const lock = new EngineWriteLock();
  await assert.rejects(lock.runExclusive(() => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await lock.runExclusive(() => Promise.resolve(7)), 7);
  assert.equal(lock.waiting, 0);
});
