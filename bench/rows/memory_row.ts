/**
 * Row T6: memory under a flood.
 *
 * @module
 */
import type { BenchContext } from "../harness/context.ts";
import type { ReportRow } from "../harness/report.ts";
import { fmt } from "../harness/stats.ts";
import { section } from "../harness/section.ts";
import { measureMemoryFlood } from "../targets/memory_flood.ts";
import { errorRow } from "./error_row.ts";

/**
 * Floods a node and builds row T6.
 *
 * @param ctx The run.
 * @returns The row.
 */
export async function memoryRow(ctx: BenchContext): Promise<ReportRow> {
  const subject = "Memory under a flood of 100,000 invalid commitments and 10,000 oversized txlists";
  const target = "RSS < 300 MB, back within 20 %, flooder banned";
  try {
    const f = await section(ctx, "harness: T6 flooder", (m) => measureMemoryFlood(ctx, m));
    const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB`;
    const back = f.afterRss / f.baselineRss - 1;
    const pass = f.peakRss < 300e6 && back <= 0.2 && f.bannedAfterSeconds !== null;
    return {
      id: "T6",
      subject: ctx.short
        ? `${subject} (short mode: ${f.commitmentsPlanned} and ${f.txListsPlanned})`
        : subject,
      figure:
        `peak ${mb(f.peakRss)}; after ${mb(f.afterRss)} (${back >= 0 ? "+" : ""}${
          (back * 100).toFixed(0)
        } %); ` +
        (f.bannedAfterSeconds === null ? "not banned" : `banned after ${fmt(f.bannedAfterSeconds)} s`),
      limit: `start ${mb(f.baselineRss)}`,
      ratio: `peak ${(f.peakRss / f.baselineRss).toFixed(2)}× start`,
      target,
      result: pass ? "pass" : "fail",
      note:
        `the flooder sent ${fmt(f.commitmentsSent)} commitments and ${
          fmt(f.txListsSent)
        } txlists of 2 MiB + 1 KiB ` +
        `in ${fmt(f.floodSeconds)} s` +
        (f.stoppedBecause === null ? "" : ` (it stopped: ${f.stoppedBecause})`) +
        `; RSS of the node process sampled every 200 ms, 'after' is the lowest of several samples taken ` +
        `${ctx.short ? 1 : 15} s after the ban. Node worst event-loop block ${
          f.nodeLoop.ownMs.toFixed(1)
        } ms (wall ${f.nodeLoop.wallMs.toFixed(1)} ms)` +
        (f.nodeLoop.ownMs <= 50
          ? "."
          : ": profiled, an oversized txlist costs tens of ms before the network's size check runs, because " +
            "gossipsub first verifies its Ed25519 signature and computes the kona message id (SHA-256 of the " +
            "whole payload in JS, message_id.ts) and one RPC can carry several. Fix for the P2P owner: refuse " +
            "payloads above the largest valid one (2 MiB + 36 B) before the id.") +
        " Memory: RSS is the process's high-water mark of pages; V8 and the allocator give pages back " +
        "lazily, so 'after' shows what stays resident, not what is live.",
    };
  } catch (error) {
    return errorRow("T6", subject, target, error);
  }
}
