/**
 * `deno task bench`: measures this machine's limits and the driver's hot paths in one run, and
 * writes `bench/REPORT.md` (figure, limit from the same run, ratio, target, result per row).
 *
 * Flags: `--short` (small counts, seconds: the CI smoke test), `--out <path>` (report path,
 * default `bench/REPORT.md`), `--json <path>` (the rows as JSON too).
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { BenchContext } from "./harness/context.ts";
import { EventLoopMonitor } from "./harness/event_loop_monitor.ts";
import { describeMachine } from "./harness/machine.ts";
import { renderReport, type ReportRow } from "./harness/report.ts";
import { buildLimitRows, measureLimits } from "./limits/limits.ts";
import { runTargets } from "./targets/targets.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      short: { type: "boolean", default: false },
      out: { type: "string", default: new URL("./REPORT.md", import.meta.url).pathname },
      json: { type: "string" },
    },
  });
  const started = performance.now();
  const date = new Date();
  const machine = describeMachine();
  const monitor = new EventLoopMonitor();
  const tempDir = await Deno.makeTempDir({ prefix: "taiko-bench-" });
  const ctx: BenchContext = {
    short: values.short === true,
    monitor,
    tempDir,
    log: (message) =>
      console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`),
  };
  monitor.start();
  const rows: ReportRow[] = [];
  try {
    const limits = await measureLimits(ctx);
    rows.push(...buildLimitRows(limits));
    rows.push(...await runTargets(ctx, limits));
  } finally {
    monitor.stop();
    await Deno.remove(tempDir, { recursive: true }).catch(() => undefined);
  }
  const report = renderReport({
    rows,
    machine,
    date,
    mode: ctx.short ? "short" : "full",
    durationMs: performance.now() - started,
    eventLoop: monitor.sections().filter(([name]) => name !== "idle" && name !== "setup"),
    epilogue: [],
  });
  await Deno.writeTextFile(values.out as string, report);
  if (values.json !== undefined) await Deno.writeTextFile(values.json, JSON.stringify({ rows }, null, 2));
  console.log(report);
  const errors = rows.filter((row) => row.result === "error");
  Deno.exit(errors.length > 0 ? 1 : 0);
}

if (import.meta.main) await main();
