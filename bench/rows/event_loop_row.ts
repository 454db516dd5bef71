/**
 * Row T7: the worst event-loop block of the run.
 *
 * @module
 */
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { ReportRow } from "../harness/report.ts";

/** The event-loop target (ms). */
export const EVENT_LOOP_TARGET_MS = 50;

/**
 * Row T7: the worst block any target benchmark caused, by the loop thread's own CPU time, with the
 * wall figure beside.
 *
 * @param ctx The run (its monitor holds every section).
 * @returns The row.
 */
export function eventLoopRow(ctx: BenchContext): ReportRow {
  const targets = ctx.monitor.sections().filter(([name]) => name.startsWith("T"));
  let worst: [string, LoopBlock] = ["—", { wallMs: 0, ownMs: 0 }];
  let worstWall: [string, LoopBlock] = worst;
  for (const entry of targets) {
    if (entry[1].ownMs > worst[1].ownMs) worst = entry;
    if (entry[1].wallMs > worstWall[1].wallMs) worstWall = entry;
  }
  return {
    id: "T7",
    subject:
      "Event loop: worst block in any target benchmark, bench and node processes (10 ms drift monitor)",
    figure: `${worst[1].ownMs.toFixed(1)} ms`,
    limit: "—",
    ratio: "—",
    target: `≤ ${EVENT_LOOP_TARGET_MS} ms`,
    result: worst[1].ownMs <= EVENT_LOOP_TARGET_MS ? "pass" : "fail",
    note: `worst in "${worst[0]}", counting the lateness the process's own CPU time explains; the worst ` +
      `wall-clock lateness, which also counts time the OS gave the CPU to other processes, was ` +
      `${worstWall[1].wallMs.toFixed(1)} ms in "${
        worstWall[0]
      }". Every benchmark is listed below. Profiled causes ` +
      "of the long tasks in node processes: (1) gossipsub hands a whole RPC's messages to the validator in one " +
      "task, and each commitment costs a secp256k1 recovery there with no yield (profiled before ddc8319, " +
      "with two recoveries: a 200 blocks/s feed made tasks of ~390 ms); (2) catch-up validates a page of up to " +
      "64 commitments in one task (requester.ts validate, catch_up.ts; ~250 ms per page before ddc8319); " +
      "(3) oversized gossip payloads are hashed and signature-checked in full before the size check (T6). " +
      "Fix for the P2P and preconf owners: recover on SignaturePool workers, or yield every few items " +
      "(STYLE rule 19).",
  };
}
