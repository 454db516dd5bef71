/**
 * Every target of issue 7 as report rows, each compared with the limits of the same run.
 *
 * @module
 */
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { ReportRow } from "../harness/report.ts";
import { fmt } from "../harness/stats.ts";
import type { Limits } from "../limits/limits.ts";
import { section } from "../harness/section.ts";
import { measureCommitmentValidation } from "./commitment_validation.ts";

/** The event-loop target (ms). */
export const EVENT_LOOP_TARGET_MS = 50;

function notBuilt(id: string, subject: string, target: string, part: string): ReportRow {
  return {
    id,
    subject,
    figure: "—",
    limit: "—",
    ratio: "—",
    target,
    result: "not measured",
    note: `not measured: ${part} not built`,
  };
}

function errorRow(id: string, subject: string, target: string, error: unknown): ReportRow {
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

async function validationRows(ctx: BenchContext, limits: Limits): Promise<ReportRow[]> {
  const raw = limits.crypto.recoverPerSec;
  const subject = "Commitment validation (decode, signing hash, recover, store and lookahead checks), 1 core";
  const target = "≥ 0.80 × L1";
  try {
    const v = await section(ctx, "T1 commitment validation", (m) => measureCommitmentValidation(ctx, m));
    const ratio = v.clientPerSec / raw;
    const gossipRatio = v.gossipPathPerSec / raw;
    return [
      {
        id: "T1a",
        subject,
        figure: `${fmt(v.clientPerSec)} /s`,
        limit: `${fmt(raw)} /s`,
        ratio: `${ratio.toFixed(2)}×`,
        target,
        result: ratio >= 0.8 ? "pass" : "fail",
        note:
          `validateCommitment() with a real CommitmentStore (${v.chainLength} linked blocks) and LookaheadResolver; ` +
          "the path RPC and catch-up commitments take.",
      },
      {
        id: "T1a′",
        subject:
          "Commitment validation on the gossip path (network checks, then the client's validation), 1 core",
        figure: `${fmt(v.gossipPathPerSec)} /s`,
        limit: `${fmt(raw)} /s`,
        ratio: `${gossipRatio.toFixed(2)}×`,
        target,
        result: gossipRatio >= 0.8 ? "pass" : "fail",
        note: "checkCommitmentGossip() then validateCommitment(), as a gossiped commitment is judged.",
      },
    ];
  } catch (error) {
    return [errorRow("T1a", subject, target, error)];
  }
}

/** T7: the worst block any target benchmark caused, by its own CPU time, with the wall figure beside. */
function eventLoopRow(ctx: BenchContext): ReportRow {
  const targets = ctx.monitor.sections().filter(([name]) => name.startsWith("T"));
  let worst: [string, LoopBlock] = ["—", { wallMs: 0, ownMs: 0 }];
  let worstWall: [string, LoopBlock] = worst;
  for (const entry of targets) {
    if (entry[1].ownMs > worst[1].ownMs) worst = entry;
    if (entry[1].wallMs > worstWall[1].wallMs) worstWall = entry;
  }
  return {
    id: "T7",
    subject: "Event loop: worst block in any target benchmark (10 ms drift monitor)",
    figure: `${worst[1].ownMs.toFixed(1)} ms`,
    limit: "—",
    ratio: "—",
    target: `≤ ${EVENT_LOOP_TARGET_MS} ms`,
    result: worst[1].ownMs <= EVENT_LOOP_TARGET_MS ? "pass" : "fail",
    note: `worst in "${worst[0]}", counting the lateness this process's own CPU time explains; the worst ` +
      `wall-clock lateness, which also counts time the OS gave the CPU to other processes, was ` +
      `${worstWall[1].wallMs.toFixed(1)} ms in "${worstWall[0]}". Every benchmark is listed below.`,
  };
}

/**
 * Runs every target benchmark.
 *
 * @param ctx The run.
 * @param limits The machine's limits from this run.
 * @returns The rows, in issue order.
 */
export async function runTargets(ctx: BenchContext, limits: Limits): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  rows.push(...await validationRows(ctx, limits));
  rows.push(
    notBuilt(
      "T1b",
      "Commitment validation with both cores (worker pool), event loop never blocked > 50 ms",
      "≥ 1.6 × L1",
      "a multi-core verifier",
    ),
    notBuilt(
      "T2",
      "Gossip to engine: commitment arrival → engine_newPayloadV2 leaving, 50 blocks/s, 60 s, above L5",
      "p50 ≤ 2 ms, p99 ≤ 5 ms, none lost",
      "runner/preconf client",
    ),
    notBuilt(
      "T3",
      "Catch-up: 10,000 blocks (10 KiB txlists) over loopback, responder rate limits on",
      "≤ 10 s",
      "runner/preconf client",
    ),
    notBuilt(
      "T4",
      "Derivation: 64 blocks × 100 txs, Proposed log → last engine call, engine time excluded",
      "≤ 50 ms",
      "driver/sync EventSyncer",
    ),
    notBuilt(
      "T5a",
      "JSON-RPC preconf_publishBlock with a 100 KiB txlist, above the engine's time",
      "p99 ≤ 5 ms",
      "runner/rpc server",
    ),
    notBuilt("T5b", "JSON-RPC preconf_getStatus from 8 callers", "≥ 5,000 req/s", "runner/rpc server"),
    notBuilt(
      "T6",
      "Memory under a flood of 100,000 invalid commitments and 10,000 oversized txlists",
      "RSS < 300 MB, back within 20 %, flooder banned",
      "runner/preconf client",
    ),
  );
  rows.push(eventLoopRow(ctx));
  return rows;
}
