/**
 * The row of a benchmark that failed to run.
 *
 * @module
 */
import type { ReportRow } from "../harness/report.ts";

/**
 * Builds the row of a benchmark that threw.
 *
 * @param id The row id.
 * @param subject What it measures.
 * @param target The target.
 * @param error What it threw.
 * @returns A row with result `error`.
 */
export function errorRow(id: string, subject: string, target: string, error: unknown): ReportRow {
  return {
    id,
    subject,
    figure: "—",
    limit: "—",
    ratio: "—",
    target,
    result: "error",
    note: `the benchmark failed: ${(error as Error)?.message ?? String(error)}`,
  };
}
