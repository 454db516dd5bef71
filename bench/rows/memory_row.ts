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
        (f.nodeLoop.ownMs <= 50 ? "." : ": profile the node (BENCH_PROFILE_DIR).") +
        ` V8 heap in use ${mb(f.baselineHeapUsed)} at the start, ${mb(f.afterHeapUsed)} after. ` +
        "What the start holds (measured by importing the node's modules in a bare process): the Deno runtime " +
        "about 43 MB, the driver's module graph +54 MB, libp2p +24 MB, the two SignaturePool workers (one " +
        "V8 isolate with its own module graph per core) +41 MB since c838b5a (+64 MB while each loaded viem). Where the flood goes: every frame is read " +
        "from TCP, decrypted by Noise in chunks and demultiplexed by yamux before gossipsub sees it; a payload " +
        "above its topic's largest valid size is refused when its RPC is decoded, before gossipsub's Ed25519 " +
        "check and message id (6ffef78), and once gossipsub graylists the flooder (after two such payloads) " +
        "its frames are dropped as the chunks they came in, never joined or decoded (1b20a31; before, the join " +
        "of each 2 MiB frame was ~90 % of the node's long tasks; since e21af93 from the very next frame, not " +
        "after gossipsub's 500 ms score cache). The peak comes in the flood's first seconds, before the flooder's " +
        "own send buffer stalls it: every byte is still read from TCP and decrypted by Noise, and V8 collects " +
        "those buffers only once tens of MB of them are outstanding (traced at 100 ms: external memory swings " +
        "between ~35 and ~100 MB while RSS swings with it). What kept RSS up after the flood was the C " +
        "heap: the freed transport buffers went back to glibc malloc, which keeps the pages (without trimming, " +
        "after +49 % to +54 % of start with 2-3 MB of those buffers live; malloc_trim(0) in a bare process " +
        "gives back ~180 MB of 207 MB so held). Since 0482ddb the runner calls malloc_trim(0) every 250 ms " +
        "on a thread of Deno's blocking pool (the node here starts it as the runner does): before that change, " +
        "same conditions, peak 304-316 MB and after +49-54 %. The frame limit stays at the protocol's 10 MiB: " +
        "a frame just above the largest valid message is not proof of misbehaviour (js-libp2p peers answer " +
        "IWANT with several messages in one RPC and piggyback control messages), so the frame cannot be " +
        "refused from its length prefix.",
    };
  } catch (error) {
    return errorRow("T6", subject, target, error);
  }
}
