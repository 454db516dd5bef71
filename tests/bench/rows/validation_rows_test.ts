// Rows T1a, T1a′, T1w and T1b in short mode: every row is built from a run that validated real
// commitments; figures are only checked to be positive rates (speed belongs to the report).
import assert from "node:assert/strict";
import type { BenchContext } from "../../../bench/harness/context.ts";
import { EventLoopMonitor } from "../../../bench/harness/event_loop_monitor.ts";
import { parallelRow, validationRows } from "../../../bench/rows/validation_rows.ts";

function shortContext(): { ctx: BenchContext; monitor: EventLoopMonitor } {
  const monitor = new EventLoopMonitor();
  return { ctx: { short: true, monitor, tempDir: "/nonexistent", log: () => {} }, monitor };
}

Deno.test("`validationRows()` in short mode gives T1a, T1a′ and the info row T1w with the product library's raw rate", async () => {
  const { ctx, monitor } = shortContext();
  monitor.start();
  try {
    const rows = await validationRows(ctx);
    assert.deepEqual(rows.map((r) => r.id), ["T1a", "T1a′", "T1w"]);
    for (const row of rows) {
      assert.match(row.figure, /^[\d,.]+ \/s$/, `${row.id}: ${row.figure}`);
      assert.match(row.limit, /^[\d,.]+ \/s$/);
      assert.match(row.ratio, /^\d+\.\d\d×$/);
    }
    const [t1a, , t1w] = rows;
    assert.ok(t1a?.result === "pass" || t1a?.result === "fail");
    assert.equal(t1w?.result, "info");
    // T1w compares the product's library with L1 from the same rounds: same limit column as T1a.
    assert.equal(t1w?.limit, t1a?.limit);
    assert.match(t1w?.note ?? "", /T1a reaches \d+\.\d\d× and T1a′ \d+\.\d\d× of this raw rate/);
  } finally {
    monitor.stop();
  }
});

Deno.test("`parallelRow()` in short mode names the product library's raw rate and the pool's share of it", async () => {
  const { ctx, monitor } = shortContext();
  monitor.start();
  try {
    const row = await parallelRow(ctx);
    assert.equal(row.id, "T1b");
    assert.notEqual(row.result, "error", row.note);
    assert.match(row.figure, /^[\d,.]+ \/s \(\d+ workers\); worst block [\d.]+ ms$/);
    assert.match(
      row.note ?? "",
      /recovers [\d,.]+ \/s on one core in the same rounds, so this path reaches \d+\.\d\d×/,
    );
    assert.match(row.note ?? "", /0 recoveries fell back to the loop/);
  } finally {
    monitor.stop();
  }
});
