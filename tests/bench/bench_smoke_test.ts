// The benchmark suite in short mode: it must still run end to end and report every row. No figure
// is asserted (speed belongs to the benchmark's report, not to CI).
import assert from "node:assert/strict";
import type { ReportRow } from "../../bench/harness/report.ts";

const MAIN = new URL("../../bench/main.ts", import.meta.url).pathname;

/** Every row issue 7 asks for: the machine limits and the targets. */
const EXPECTED_IDS = [
  "L1",
  "L2",
  "L3",
  "L4",
  "L5",
  "L6",
  "L7",
  "L8",
  "L9",
  "T1a",
  "T1b",
  "T2",
  "T3",
  "T4",
  "T5a",
  "T5b",
  "T6",
  "T7",
];

Deno.test("`deno task bench --short` writes a report with every limit and target row", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-smoke-" });
  try {
    const out = `${dir}/REPORT.md`;
    const json = `${dir}/rows.json`;
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--short", "--out", out, "--json", json],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 0, `bench exited with ${result.code}:\n${stderr.slice(-4000)}`);

    const { rows } = JSON.parse(await Deno.readTextFile(json)) as { rows: ReportRow[] };
    const ids = rows.map((row) => row.id);
    for (const id of EXPECTED_IDS) assert.ok(ids.includes(id), `row ${id} is missing`);
    for (const row of rows) {
      assert.notEqual(row.result, "error", `row ${row.id} failed: ${row.note}`);
      if (row.result !== "not measured") {
        assert.match(row.figure, /\d/, `row ${row.id} has no figure`);
      } else {
        assert.match(row.note ?? "", /^not measured: /, `row ${row.id} does not say why it is not measured`);
      }
    }

    const report = await Deno.readTextFile(out);
    assert.match(report, /^# Benchmark report/);
    assert.match(report, /\| id \| subject \| figure \| limit \(same run\) \| ratio \| target \| result \|/);
    assert.match(report, new RegExp(`Deno ${Deno.version.deno.replaceAll(".", "\\.")}`));
    for (const id of EXPECTED_IDS) assert.match(report, new RegExp(`^\\| ${id} \\|`, "m"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
