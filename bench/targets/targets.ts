/**
 * Every target of issue 7 as report rows, in the order, each compared with the limits of
 * the same run.
 *
 * @module
 */
import type { ReportRow } from "../harness/report.ts";
import type { BenchContext } from "../harness/context.ts";
import type { Limits } from "../limits/limits.ts";
import { catchUpRows } from "../rows/catch_up_rows.ts";
import { derivationRow } from "../rows/derivation_row.ts";
import { eventLoopRow } from "../rows/event_loop_row.ts";
import { easyGossipRow, gossipToEngineRow } from "../rows/gossip_rows.ts";
import { jsonRpcRows } from "../rows/json_rpc_rows.ts";
import { memoryRow } from "../rows/memory_row.ts";
import { parallelRow, validationRows } from "../rows/validation_rows.ts";

/** The order of the target rows in the report (the issue's). */
const ROW_ORDER = ["T1a", "T1a′", "T1b", "T2", "T2′", "T3", "T3′", "T4", "T5a", "T5b", "T6", "T7"];

/**
 * Runs every target benchmark.
 *
 * @param ctx The run.
 * @param limits The machine's limits from this run.
 * @param only Row-id prefixes to run (`T1`, `T4`, `T2′` …); every target when absent.
 * @returns The rows, in issue order.
 */
export async function runTargets(
  ctx: BenchContext,
  limits: Limits,
  only?: readonly string[],
): Promise<ReportRow[]> {
  const wanted = (ids: readonly string[]): boolean =>
    only === undefined || ids.some((id) => only.some((token) => id.startsWith(token)));
  const rows: ReportRow[] = [];
  if (wanted(["T1a", "T1a′"])) rows.push(...await validationRows(ctx));
  if (wanted(["T1b"])) rows.push(await parallelRow(ctx));
  if (wanted(["T2"])) rows.push(await gossipToEngineRow(ctx, limits));
  if (wanted(["T2′"])) rows.push(await easyGossipRow(ctx, limits));
  if (wanted(["T3", "T3′"])) rows.push(...await catchUpRows(ctx));
  if (wanted(["T4"])) rows.push(await derivationRow(ctx));
  if (wanted(["T5a", "T5b"])) rows.push(...await jsonRpcRows(ctx, limits));
  if (wanted(["T6"])) rows.push(await memoryRow(ctx));
  rows.push(eventLoopRow(ctx));
  return rows.sort((a, b) => ROW_ORDER.indexOf(a.id) - ROW_ORDER.indexOf(b.id));
}
