/**
 * The benchmark report: one row per machine limit and per target of issue 7, rendered as the
 * Markdown table of `bench/REPORT.md` (figure, limit from the same run, ratio, target, result) with
 * the machine, the date and a note for every miss.
 *
 * @module
 */
import type { LoopBlock } from "./event_loop_monitor.ts";

/** What a row says about its target. */
export type RowResult = "pass" | "fail" | "limit" | "info" | "not measured" | "error";

/** One line of the report. */
export interface ReportRow {
  /** Stable id, e.g. `L1` for a limit, `T1a` for a target. */
  readonly id: string;
  /** What was measured. */
  readonly subject: string;
  /** The measured figure with its unit, or `—`. */
  readonly figure: string;
  /** The machine limit it is compared with, measured in the same run, or `—`. */
  readonly limit: string;
  /** figure / limit (or figure − floor), or `—`. */
  readonly ratio: string;
  /** The target of issue 7, or `—` for a limit row. */
  readonly target: string;
  readonly result: RowResult;
  /** Why a target was missed or not measured, and how the figure was taken. */
  readonly note?: string;
}

/** The machine the run happened on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly deno: string;
  readonly v8: string;
  readonly os: string;
  /** 1-minute load average at the start, when readable. */
  readonly loadAverage: string;
}

/** Everything the report shows. */
export interface ReportInput {
  readonly rows: readonly ReportRow[];
  readonly machine: MachineInfo;
  readonly date: Date;
  readonly mode: "full" | "short";
  readonly durationMs: number;
  /** Load averages (1, 5, 15 minutes) when the run ended. */
  readonly loadAverageAtEnd: string;
  /** Worst event-loop block per benchmark. */
  readonly eventLoop: readonly (readonly [string, LoopBlock])[];
  /** Free text appended at the end (fixes made, method). */
  readonly epilogue: readonly string[];
}

const RESULT_TEXT: Record<RowResult, string> = {
  pass: "**pass**",
  fail: "**FAIL**",
  limit: "limit",
  info: "info",
  "not measured": "not measured",
  error: "**ERROR**",
};

function summaryOf(rows: readonly ReportRow[]): string {
  const judged = rows.filter((row) =>
    row.result === "pass" || row.result === "fail" || row.result === "error"
  );
  const met = judged.filter((row) => row.result === "pass");
  return `${met.length} of ${judged.length}` +
    (met.length > 0 ? ` (${met.map((row) => row.id).join(", ")})` : "");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/**
 * Renders the report as Markdown.
 *
 * @param input Rows, machine, date, mode, event-loop sections and epilogue.
 * @returns The Markdown text.
 */
export function renderReport(input: ReportInput): string {
  const { machine } = input;
  const lines: string[] = [
    "# Benchmark report",
    "",
    `Written by \`deno task bench${
      input.mode === "short" ? " --short" : ""
    }\` on ${input.date.toISOString()} ` +
    `(${input.mode} mode, ${(input.durationMs / 1000).toFixed(0)} s).`,
    "",
    `Machine: ${machine.cpus} CPU (${machine.cpuModel}), ${
      machine.memoryMiB.toLocaleString("en-US")
    } MiB RAM, ` +
    `${machine.os}; Deno ${machine.deno} (V8 ${machine.v8}); load average (1/5/15 min) at start ` +
    `${machine.loadAverage}, at end ${input.loadAverageAtEnd}. Other work shares this machine, so figures ` +
    "vary between runs; each ratio uses limits measured alongside its figure.",
    "",
    "Every limit is measured in the same run as the figures it is compared with. Rows L* are the " +
    "machine's own limits; rows T* are the targets of issue 7 (rows marked info are comparisons, not " +
    `targets). Targets met: ${summaryOf(input.rows)}.`,
    "",
    "| id | subject | figure | limit (same run) | ratio | target | result |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const row of input.rows) {
    lines.push(
      `| ${row.id} | ${cell(row.subject)} | ${cell(row.figure)} | ${cell(row.limit)} | ${
        cell(row.ratio)
      } | ` +
        `${cell(row.target)} | ${RESULT_TEXT[row.result]} |`,
    );
  }
  const noted = input.rows.filter((row) => row.note !== undefined && row.note !== "");
  if (noted.length > 0) {
    lines.push("", "## Notes", "");
    for (const row of noted) lines.push(`- **${row.id}** (${row.result}): ${row.note}`);
  }
  if (input.eventLoop.length > 0) {
    lines.push(
      "",
      "## Event loop: worst block per benchmark",
      "",
      "A 10 ms `setInterval` in the benchmark process and in each node process: its worst lateness " +
        "while each benchmark ran (wall clock), and the part of it the event-loop thread's own CPU time " +
        "accounts for (the block its own tasks caused; the rest is time the thread waited for a CPU). " +
        "Sections named `harness:` or `setup` run only benchmark code.",
      "",
      "| benchmark | worst block (own CPU) | worst lateness (wall) |",
      "|---|---|---|",
    );
    for (const [name, block] of input.eventLoop) {
      lines.push(`| ${cell(name)} | ${block.ownMs.toFixed(1)} ms | ${block.wallMs.toFixed(1)} ms |`);
    }
  }
  if (input.epilogue.length > 0) lines.push("", ...input.epilogue);
  lines.push("");
  return lines.join("\n");
}
