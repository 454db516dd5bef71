// The benchmark harness's own arithmetic and formats (no timing is asserted beyond a block the
// test itself causes).
import assert from "node:assert/strict";
import { EventLoopMonitor } from "../../bench/harness/event_loop_monitor.ts";
import { coveredMs } from "../../bench/harness/fetch_timer.ts";
import { summarize } from "../../bench/harness/stats.ts";
import { decodeMessageFile, encodeMessageFile } from "../../bench/peers/message_file.ts";
import { rateLimitFloorSeconds } from "../../bench/rows/catch_up_rows.ts";

Deno.test("`summarize()` takes nearest-rank percentiles", () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  const s = summarize(samples);
  assert.deepEqual({ n: s.n, p50: s.p50, p99: s.p99, max: s.max, mean: s.mean }, {
    n: 100,
    p50: 50,
    p99: 99,
    max: 100,
    mean: 50.5,
  });
  assert.deepEqual(summarize([]), { n: 0, p50: 0, p99: 0, max: 0, mean: 0 });
});

Deno.test("`coveredMs()` counts overlapping calls of one category once, inside the window", () => {
  const calls = [
    { category: "engine", start: 0, end: 10 },
    { category: "engine", start: 5, end: 15 },
    { category: "beacon", start: 0, end: 100 },
    { category: "engine", start: 40, end: 60 },
  ];
  assert.equal(coveredMs(calls, "engine", 0, 100), 35);
  assert.equal(coveredMs(calls, "engine", 50, 100), 10);
  assert.equal(coveredMs(calls, "beacon", 20, 30), 10);
});

Deno.test("`decodeMessageFile()` reads back what `encodeMessageFile()` wrote, and refuses a truncated file", () => {
  const records = [
    { kind: "raw_txlists" as const, withPrevious: false, data: Uint8Array.of(1, 2, 3) },
    { kind: "commitment" as const, withPrevious: true, data: new Uint8Array(382).fill(7) },
  ];
  const bytes = encodeMessageFile(records);
  assert.deepEqual(decodeMessageFile(bytes), records);
  assert.throws(() => decodeMessageFile(bytes.subarray(0, bytes.length - 1)), RangeError);
});

Deno.test("`rateLimitFloorSeconds()` counts whole pacing windows: 40 txlists take 5 more windows of 11 s", () => {
  assert.equal(rateLimitFloorSeconds(7), 0);
  assert.equal(rateLimitFloorSeconds(40), 55);
});

Deno.test("`EventLoopMonitor` attributes a 120 ms busy task to the section it ran in", async () => {
  const monitor = new EventLoopMonitor();
  monitor.start();
  try {
    monitor.enter("quiet");
    await new Promise((r) => setTimeout(r, 50));
    monitor.enter("busy");
    const end = performance.now() + 120;
    while (performance.now() < end) {
      // Hold the event loop.
    }
    await new Promise((r) => setTimeout(r, 30));
    monitor.enter("after");
    assert.ok(monitor.worst("busy").wallMs >= 100, `busy: ${JSON.stringify(monitor.worst("busy"))}`);
    assert.ok(monitor.worst("busy").wallMs > monitor.worst("quiet").wallMs);
    assert.deepEqual(monitor.sections().map(([name]) => name), ["idle", "quiet", "busy", "after"]);
  } finally {
    monitor.stop();
  }
});
