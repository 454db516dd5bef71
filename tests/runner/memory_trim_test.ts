import assert from "node:assert/strict";
import { MEMORY_TRIM_INTERVAL_MS, MemoryTrimmer, startMemoryTrimmer } from "../../runner/memory_trim.ts";

const CHILD = new URL("../helpers/heap_churn.ts", import.meta.url).pathname;

async function runChild(flags: string[], mode: string): Promise<Record<string, unknown>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...flags, CHILD, mode],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `child failed:\n${stderr}`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

function deferred(): { promise: Promise<boolean>; resolve: (released: boolean) => void } {
  let resolve!: (released: boolean) => void;
  const promise = new Promise<boolean>((r) => resolve = r);
  return { promise, resolve };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("`openMallocTrim()` hands the free pages between live buffers back to the system", async () => {
  const result = await runChild(["-A", "--v8-flags=--expose-gc"], "churn");
  const beforeKib = result.beforeKib as number;
  const afterKib = result.afterKib as number;
  // 3,000 buffers of 64 KiB were freed but 188 kept: about 175 MiB is free inside the heap.
  assert.ok(beforeKib - afterKib > 100 * 1024, `RssAnon ${beforeKib} KiB -> ${afterKib} KiB`);
  assert.equal(result.released, true);
});

Deno.test("`openMallocTrim()` is off without the ffi permission, and never prompts for it", async () => {
  assert.deepEqual(await runChild(["--allow-read"], "probe"), { opened: false });
  assert.deepEqual(await runChild(["--allow-read", "--allow-ffi"], "probe"), { opened: true });
});

Deno.test("`MemoryTrimmer` trims one at a time, again after each interval, and not after stop()", async () => {
  let calls = 0;
  let inFlight = 0;
  let mostAtOnce = 0;
  const pending: ReturnType<typeof deferred>[] = [];
  const trimmer = new MemoryTrimmer({
    trim: () => {
      calls++;
      inFlight++;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      const trim = deferred();
      pending.push(trim);
      return trim.promise.finally(() => inFlight--);
    },
  }, { intervalMs: 5 });
  trimmer.start();
  trimmer.start();
  await delay(60);
  // The first trim never answered, so no second one started however many intervals passed.
  assert.equal(calls, 1);
  pending[0]?.resolve(true);
  await delay(60);
  assert.equal(calls, 2);
  pending[1]?.resolve(false);
  while (calls < 3) await delay(5);
  const stopping = trimmer.stop();
  let stopped = false;
  stopping.then(() => stopped = true);
  await delay(20);
  assert.equal(stopped, false, "stop() returned while a trim was in flight");
  pending[2]?.resolve(true);
  await stopping;
  await delay(30);
  assert.equal(calls, 3);
  assert.equal(mostAtOnce, 1);
  assert.deepEqual(trimmer.stats, { trims: 3, releases: 2 });
});

Deno.test("`MemoryTrimmer` keeps trimming after a trim fails", async () => {
  let calls = 0;
  const trimmer = new MemoryTrimmer({
    trim: () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error("trim failed")) : Promise.resolve(true);
    },
  }, { intervalMs: 2 });
  trimmer.start();
  while (calls < 3) await delay(5);
  await trimmer.stop();
  assert.ok(trimmer.stats.trims >= 2);
  assert.equal(trimmer.stats.trims, trimmer.stats.releases);
});

Deno.test("`MemoryTrimmer` refuses an interval that is not a positive whole number", () => {
  for (const intervalMs of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => new MemoryTrimmer({ trim: () => Promise.resolve(false) }, { intervalMs }),
      (error: unknown) =>
        error instanceof RangeError && /expected a positive whole number/.test(error.message),
    );
  }
  assert.equal(MEMORY_TRIM_INTERVAL_MS, 250);
});

Deno.test("`startMemoryTrimmer()` runs on this machine and stops once however often it is asked", async () => {
  const trimmer = startMemoryTrimmer({ intervalMs: 1 });
  assert.notEqual(trimmer, null, "glibc's malloc_trim should be available under -A on Linux");
  await delay(20);
  const first = trimmer?.stop();
  assert.equal(trimmer?.stop(), first);
  await first;
});
