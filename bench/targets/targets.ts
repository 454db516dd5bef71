/**
 * Every target of issue 7 as report rows, each compared with the limits of the same run.
 *
 * @module
 */
import type { BenchContext } from "../harness/context.ts";
import type { LoopBlock } from "../harness/event_loop_monitor.ts";
import type { ReportRow } from "../harness/report.ts";
import { fmt, fmtMs } from "../harness/stats.ts";
import type { Limits } from "../limits/limits.ts";
import { section } from "../harness/section.ts";
import {
  CATCHUP_BATCH_SIZE,
  CATCHUP_RATE_WINDOW_MS,
  CATCHUP_REQUESTS_PER_WINDOW,
} from "../../runner/preconf/catch_up.ts";
import { INBOUND_RATE_LIMITS } from "../../runner/p2p/reqresp/protocols.ts";
import { measureCatchUp } from "./catch_up.ts";
import { measureCommitmentValidation } from "./commitment_validation.ts";
import { measureDerivation } from "./derivation.ts";
import { GOSSIP_EASY_RATE_PER_SEC, GOSSIP_RATE_PER_SEC, measureGossipToEngine } from "./gossip_to_engine.ts";
import { measureJsonRpc } from "./json_rpc.ts";
import { measureMemoryFlood } from "./memory_flood.ts";
import { measureParallelValidation } from "./parallel_validation.ts";

/** The order of the target rows in the report (the issue's). */
const ROW_ORDER = ["T1a", "T1a′", "T1b", "T2", "T2′", "T3", "T3′", "T4", "T5a", "T5b", "T6", "T7"];

/** The event-loop target (ms). */
export const EVENT_LOOP_TARGET_MS = 50;

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

async function validationRows(ctx: BenchContext): Promise<ReportRow[]> {
  const subject = "Commitment validation (decode, signing hash, recover, store and lookahead checks), 1 core";
  const target = "≥ 0.80 × L1";
  try {
    const v = await section(ctx, "T1 commitment validation", (m) => measureCommitmentValidation(ctx, m));
    const raw = v.rawPerSec;
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
          "the path RPC and catch-up commitments take. The limit is L1's recovery re-measured in 200 ms rounds " +
          "alternating with this path, so both see the same machine load. Profiled (--cpu-prof, 8 s): secp256k1 " +
          "recovery is about 82% of the time; re-encoding the SSZ three times for signingHash, commitmentHash " +
          "and preconfirmationHash about 14%, viem's publicKeyToAddress 2%, decode 2%. So the ratio sits near " +
          "0.8 and machine noise decides the row; hashing the bytes already decoded (keccak of the 382 bytes, of " +
          "their first 297, and of domain ‖ first 317) instead of re-encoding would give about 0.9 (owners: P2P " +
          "wire/signing.ts, preconf validation.ts).",
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
        note:
          "checkCommitmentGossip() then validateCommitment(), as a gossiped commitment is judged. Cause of " +
          "the miss: the signer is recovered twice, once by the network layer (gossip_validation.ts, to reject " +
          "bad signatures before forwarding) and again by validateCommitment() (validation.ts); the " +
          "GossipValidator port (network_ports.ts) does not pass the recovered signer on. Fix for the P2P and " +
          "preconf owners: hand `signer` from checkCommitmentGossip() to validateCommitment (e.g. an optional " +
          "pre-recovered signer in the port), which brings this path to T1a's ratio.",
      },
    ];
  } catch (error) {
    return [errorRow("T1a", subject, target, error)];
  }
}

async function parallelRow(ctx: BenchContext): Promise<ReportRow> {
  const subject = "Commitment validation with both cores (decode and signing hash on the loop, " +
    "recovery on SignaturePool workers)";
  const target = "≥ 1.6 × L1, loop never blocked > 50 ms";
  try {
    const name = "T1b parallel validation";
    const p = await section(ctx, name, (m) => measureParallelValidation(ctx, m));
    const raw = p.rawPerSec;
    const ratio = p.perSec / raw;
    const block = ctx.monitor.worst(name).ownMs;
    return {
      id: "T1b",
      subject,
      figure: `${fmt(p.perSec)} /s (${p.workers} workers); worst block ${block.toFixed(1)} ms`,
      limit: `${fmt(raw)} /s`,
      ratio: `${ratio.toFixed(2)}×`,
      target,
      // The pool reaches the figure, but validateCommitment() still recovers on the event loop.
      result: "fail",
      note:
        `the pool (runner/preconf/signature_pool.ts, new) reaches ${ratio.toFixed(2)}× L1 with the event ` +
        `loop free (worst block ${
          block.toFixed(1)
        } ms of the loop's own work; with ${p.workers} workers on ` +
        `${navigator.hardwareConcurrency} cores the loop also waits for a core: ` +
        `${
          ctx.monitor.worst(name).wallMs.toFixed(1)
        } ms wall; ${p.inline} recoveries fell back to the loop). ` +
        "The ratio needs two idle cores, which this shared machine rarely gives. The product path does not " +
        "use the pool yet: validateCommitment() (runner/preconf/validation.ts) calls " +
        "recoverSigner() inline on the event loop, so the node's validation stays at T1a. Fix for the " +
        "preconf owner: take the recovery as a dependency (e.g. ValidationDeps.recoverSigner(signed, domain): " +
        "Promise<Address>, defaulting to the inline one) and pass SignaturePool.recoverSigner from the node.",
    };
  } catch (error) {
    return errorRow("T1b", subject, target, error);
  }
}

async function gossipToEngineRow(ctx: BenchContext, limits: Limits): Promise<ReportRow> {
  const subject =
    "Gossip to engine: commitment publish → engine_newPayloadV2 arriving, 50 blocks/s for 60 s, " +
    "engine time taken out";
  const target = "p50 ≤ 2 ms, p99 ≤ 5 ms above L5, none lost";
  try {
    const g = await section(
      ctx,
      "harness: T2 gossip to engine",
      (m) => measureGossipToEngine(ctx, m, { ratePerSec: GOSSIP_RATE_PER_SEC, seconds: ctx.short ? 1 : 60 }),
    );
    const floor = limits.libp2p.gossipOneWayMs;
    const p50 = g.withoutEngineMs.p50 - floor.p50;
    const p99 = g.withoutEngineMs.p99 - floor.p99;
    const perBlockEngine = Object.values(g.engineCalls).reduce((t, c) => t + c.count * c.meanMs, 0) /
      g.blocks;
    const calls = Object.entries(g.engineCalls).map(([m, c]) =>
      `${m} ×${fmt(c.count / g.blocks)} ${fmtMs(c.meanMs)}`
    )
      .join(", ");
    return {
      id: "T2",
      subject: g.seconds === 60 ? subject : `${subject} (short mode: ${g.seconds} s)`,
      figure: `p50 +${fmtMs(p50)}, p99 +${fmtMs(p99)} above L5; ${g.lost} lost of ${g.blocks}`,
      limit: `L5: p50 ${fmtMs(floor.p50)}, p99 ${fmtMs(floor.p99)}`,
      ratio: "—",
      target,
      result: p50 <= 2 && p99 <= 5 && g.lost === 0 ? "pass" : "fail",
      note: `raw publish → newPayload latency p50 ${fmtMs(g.latencyMs.p50)}, p99 ${fmtMs(g.latencyMs.p99)} ` +
        `(first block ${fmtMs(g.series[0] ?? Number.NaN)}, last ${
          fmtMs(g.series[g.series.length - 1] ?? Number.NaN)
        }); ` +
        `the figure takes out the engine simulator's busy time inside each block's window (p50 ` +
        `${fmtMs(g.withoutEngineMs.p50)}, p99 ${
          fmtMs(g.withoutEngineMs.p99)
        } before the floor). The simulator does ` +
        `not answer at once: ${
          fmtMs(perBlockEngine)
        } of engine time per block (${calls}), and insertion is serial ` +
        `(one block at a time under the production lock): the node inserted ${
          fmt(g.insertPerSec)
        } blocks/s ` +
        `(${fmtMs(1000 / g.insertPerSec)} per block), so at 50 blocks/s (20 ms per block) a backlog forms. ` +
        `${g.txListBytes} B txlists (anchor + 20 transfers). Node process worst event-loop block ` +
        `${
          g.nodeLoop.ownMs.toFixed(1)
        } ms. The node's clock runs 50× (1 s timestamps at 50 blocks/s): with the ` +
        "wall clock, validation's 12 s future drift and 1,536 s past offset allow at most about 1,548 blocks " +
        "in a row at any rate above 1/s, fewer than 3,000.",
    };
  } catch (error) {
    return errorRow("T2", subject, target, error);
  }
}

/**
 * Seconds the production limits alone need to move `blocks` blocks from one peer: per protocol, the
 * slower of the follower's pacing and the responder's token bucket, protocols one after the other.
 */
function rateLimitFloorSeconds(blocks: number): number {
  const requests = { commitments: Math.ceil(blocks / CATCHUP_BATCH_SIZE), raw_txlists: blocks };
  let total = 0;
  for (const [kind, count] of Object.entries(requests) as ["commitments" | "raw_txlists", number][]) {
    const paced = Math.ceil(Math.max(0, count - CATCHUP_REQUESTS_PER_WINDOW) / CATCHUP_REQUESTS_PER_WINDOW) *
      (CATCHUP_RATE_WINDOW_MS / 1000);
    const bucket = INBOUND_RATE_LIMITS[kind];
    const served = Math.max(0, count - bucket.burst) / bucket.refillPerSecond;
    total += Math.max(paced, served);
  }
  return total;
}

async function catchUpRows(ctx: BenchContext): Promise<ReportRow[]> {
  const subject = "Catch-up: 10,000 blocks (10 KiB txlists) over loopback, responder rate limits on";
  const target = "≤ 10 s";
  const rows: ReportRow[] = [];
  const goal = 10_000;
  const floor = rateLimitFloorSeconds(goal);
  const hours = (seconds: number) => seconds >= 3600 ? `${fmt(seconds / 3600)} h` : `${fmt(seconds)} s`;
  try {
    const n = ctx.short ? 7 : 40;
    const run = await section(
      ctx,
      "harness: T3 catch-up",
      (m) => measureCatchUp(ctx, m, n, 1, ctx.short ? 60_000 : 180_000),
    );
    const measuredFloor = rateLimitFloorSeconds(n);
    rows.push({
      id: "T3",
      subject,
      figure: `${hours(floor)} projected for ${fmt(goal)} blocks; ${n} blocks: fetched in ` +
        `${run.fetchedSeconds === null ? "—" : fmt(run.fetchedSeconds) + " s"}, executed in ` +
        `${run.executedSeconds === null ? "—" : fmt(run.executedSeconds) + " s"}`,
      limit: `rate-limit floor ${fmt(measuredFloor)} s for ${n}`,
      ratio: run.fetchedSeconds === null
        ? "—"
        : `${n} blocks: ${fmt(run.fetchedSeconds - measuredFloor)} s above the floor`,
      target,
      result: "fail",
      note:
        `with the production limits one peer serves one txlist per get_raw_txlist request, and the follower ` +
        `paces ${CATCHUP_REQUESTS_PER_WINDOW} requests per ${
          CATCHUP_RATE_WINDOW_MS / 1000
        } s per protocol (below the ` +
        "Rust responders' 8 per 10 s, or they penalise us), while our responder refills " +
        `${INBOUND_RATE_LIMITS.raw_txlists.refillPerSecond} txlist requests/s after a burst of ` +
        `${INBOUND_RATE_LIMITS.raw_txlists.burst}: ${fmt(goal)} blocks need ${
          fmt(Math.ceil(goal / CATCHUP_BATCH_SIZE))
        } ` +
        `commitment pages and ${fmt(goal)} txlist requests, at least ${
          hours(floor)
        } from one peer (the figure; ` +
        `measured runs track the floor). The target is out of reach by protocol design, not by this code: it needs ` +
        "batched txlist requests (or txlists inside the commitment pages) and a higher agreed request budget. " +
        "Two more protocol bounds: a catch-up pass follows at most 3,840 blocks (the store's retention, " +
        "CATCHUP_MAX_SPAN_BLOCKS), and validation ignores blocks more than 1,536 s older than now, so with 1 s " +
        "blocks at most about 1,548 missed blocks can still be preconfirmed by catch-up; older ones come from L1 " +
        `derivation. Follower txlists ${fmt(run.txListBytes / 1024)} KiB (anchor + transfers).`,
    });
  } catch (error) {
    rows.push(errorRow("T3", subject, target, error));
  }
  const lifted =
    "Catch-up with every request limit raised 1,000× (not the target's condition; what the code does)";
  try {
    const n = ctx.short ? 30 : 1_000;
    const run = await section(
      ctx,
      "harness: T3′ catch-up, limits raised",
      (m) => measureCatchUp(ctx, m, n, 1_000, 180_000),
    );
    const perBlock = run.fetchedSeconds === null ? null : run.fetchedSeconds / n;
    const execPerBlock = run.executedSeconds === null ? null : run.executedSeconds / n;
    rows.push({
      id: "T3′",
      subject: `${lifted}, ${fmt(n)} blocks`,
      figure:
        `fetched in ${run.fetchedSeconds === null ? "—" : fmt(run.fetchedSeconds) + " s"}, executed in ` +
        `${run.executedSeconds === null ? "—" : fmt(run.executedSeconds) + " s"}`,
      limit: "—",
      ratio: perBlock === null
        ? "—"
        : `${fmt(goal * perBlock)} s fetch, ${
          execPerBlock === null ? "—" : fmt(goal * execPerBlock) + " s"
        } with execution, projected for ${fmt(goal)}`,
      target: "(comparison)",
      result: "info",
      note:
        `held ${run.commitmentsHeld} commitments and ${run.txListsHeld} txlists at the end. Execution runs ` +
        "through the follower's EventSyncer ingress into its own engine simulator, one block at a time.",
    });
  } catch (error) {
    rows.push(errorRow("T3′", lifted, "(comparison)", error));
  }
  return rows;
}

async function easyGossipRow(ctx: BenchContext, limits: Limits): Promise<ReportRow> {
  const subject = `Gossip to engine at ${GOSSIP_EASY_RATE_PER_SEC} blocks/s (no backlog; not the target's ` +
    "condition), engine time taken out";
  try {
    const seconds = ctx.short ? 1 : 15;
    const g = await section(
      ctx,
      "harness: T2′ gossip to engine, 10 blocks/s",
      (m) => measureGossipToEngine(ctx, m, { ratePerSec: GOSSIP_EASY_RATE_PER_SEC, seconds }),
    );
    const floor = limits.libp2p.gossipOneWayMs;
    return {
      id: "T2′",
      subject: `${subject}, ${seconds} s`,
      figure:
        `p50 +${fmtMs(g.withoutEngineMs.p50 - floor.p50)}, p99 +${
          fmtMs(g.withoutEngineMs.p99 - floor.p99)
        } ` +
        `above L5; ${g.lost} lost of ${g.blocks}`,
      limit: `L5: p50 ${fmtMs(floor.p50)}, p99 ${fmtMs(floor.p99)}`,
      ratio: "—",
      target: "(comparison)",
      result: "info",
      note:
        `raw publish → newPayload p50 ${fmtMs(g.latencyMs.p50)}, p99 ${
          fmtMs(g.latencyMs.p99)
        }; what one block ` +
        "costs the node when nothing queues: two secp256k1 recoveries, the parent and grandparent header reads, " +
        "the txlist decode and payload build, then forkchoiceUpdated with attributes and getPayload before " +
        "newPayload leaves.",
    };
  } catch (error) {
    return errorRow("T2′", subject, "(comparison)", error);
  }
}

async function derivationRow(ctx: BenchContext): Promise<ReportRow> {
  const subject = "Derivation: 64 blocks × 100 txs, Proposed log → last engine call, engine time excluded";
  const target = "≤ 50 ms";
  try {
    const d = await section(ctx, "T4 derivation", (m) => measureDerivation(ctx, m));
    const scaled = d.blocks !== 64 || d.txsPerBlock !== 100;
    return {
      id: "T4",
      subject: scaled ? `${subject} (short mode: ${d.blocks} × ${d.txsPerBlock})` : subject,
      figure: `p50 ${fmtMs(d.ownMs.p50)}, max ${fmtMs(d.ownMs.max)} (${d.ownMs.n} proposals)`,
      limit: `${fmtMs(d.keccakFloorMs)} (one keccak per tx)`,
      ratio: `${(d.ownMs.p50 / d.keccakFloorMs).toFixed(1)}× the floor`,
      target,
      result: d.ownMs.max <= 50 ? "pass" : "fail",
      note:
        `processProposal() from the decoded Proposed log (${d.blobs} blob(s)): total p50 ${
          fmtMs(d.totalMs.p50)
        }, ` +
        `of which ${
          fmtMs(d.engineMs.p50)
        } waiting on the engine simulator (another process; subtracted) and ` +
        `${
          fmtMs(d.beaconMs.p50)
        } on the beacon stub's blob HTTP (kept). The limit is one @noble/hashes keccak256 ` +
        "of every transaction of the proposal, the least the engine API's txHash (the ordered trie root " +
        "newPayload carries) can cost, measured here.",
    };
  } catch (error) {
    return errorRow("T4", subject, target, error);
  }
}

async function jsonRpcRows(ctx: BenchContext, limits: Limits): Promise<ReportRow[]> {
  const subjectA = "JSON-RPC preconf_publishBlock with a ~100 KiB txlist, above the engine's time";
  const subjectB = "JSON-RPC preconf_getStatus from 8 callers";
  try {
    const r = await section(ctx, "harness: T5 JSON-RPC", (m) => measureJsonRpc(ctx, m, limits.txList100k));
    const floor = limits.http.largeMs;
    return [
      {
        id: "T5a",
        subject: `${subjectA} (${r.calls} calls, ${fmt(r.txListBytes / 1024)} KiB)`,
        figure: `p50 ${fmtMs(r.publishWithoutEngineMs.p50)}, p99 ${fmtMs(r.publishWithoutEngineMs.p99)}`,
        limit: `L7: p50 ${fmtMs(floor.p50)}, p99 ${fmtMs(floor.p99)}`,
        ratio: `p99 ${fmt(r.publishWithoutEngineMs.p99 / floor.p99)}× L7`,
        target: "p99 ≤ 5 ms",
        result: r.publishWithoutEngineMs.p99 <= 5 ? "pass" : "fail",
        note:
          `round trip at the caller p50 ${fmtMs(r.publishMs.p50)}, p99 ${
            fmtMs(r.publishMs.p99)
          }, of which the ` +
          "engine simulator (another process) was busy for the rest; the figure is what the node adds. Profile " +
          "of the node process (--cpu-prof, 20 calls) per call: orderedTrieRoot for newPayload's txHash ≈ 28 ms, " +
          "taikoPayloadId ≈ 19 ms, decodeCompressedTxList ≈ 17 ms (inflate < 1 ms, the rest RLP via hex), " +
          "encodeTxList ≈ 8.5 ms, the txList param's hex decode and hash ≈ 5.5 ms; viem's hexToBytes and keccak256 " +
          "on hex dominate all of them (hexToBytes of 200 KB: 3.4 ms, native Uint8Array.fromHex: 0.15 ms; " +
          "keccak256(hex) of 200 KB: 15 ms, @noble/hashes on bytes: 4.9 ms). Owners: driver/engine/trie_root.ts, " +
          "driver/shasta/payload_id.ts and tx_list.ts (keep bytes, hash once, native hex at the boundary).",
      },
      {
        id: "T5b",
        subject: subjectB,
        figure: `${fmt(r.statusPerSec)} req/s`,
        limit: `L8: ${fmt(limits.http.reqPerSec8)} req/s; upstream ${fmt(r.upstreamPerSec)} /s`,
        ratio: `${(r.statusPerSec / r.upstreamPerSec).toFixed(2)}× upstream`,
        target: "≥ 5,000 req/s",
        result: r.statusPerSec >= 5_000 ? "pass" : "fail",
        note:
          "each getStatus reads the Inbox's getCoreState on L1 (anvil) and the engine's latest block now " +
          "(lesson L-4), so it cannot beat those two reads made directly from 8 callers (the 'upstream' limit, " +
          `${
            fmt(r.upstreamPerSec)
          } pairs/s here); the target needs cached answers (for example the proposal ` +
          "count refreshed per L1 block and the head from the node's own insertions), which the preconf owner " +
          `would have to accept against lesson L-4. Node process worst event-loop block ${
            r.nodeLoop.ownMs.toFixed(1)
          } ms.`,
      },
    ];
  } catch (error) {
    return [
      errorRow("T5a", subjectA, "p99 ≤ 5 ms", error),
      errorRow("T5b", subjectB, "≥ 5,000 req/s", error),
    ];
  }
}

async function memoryRow(ctx: BenchContext): Promise<ReportRow> {
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
        } ms (wall ${f.nodeLoop.wallMs.toFixed(1)} ms): ` +
        "profiled, an oversized txlist costs tens of ms before the network's size check runs, because gossipsub " +
        "first verifies its Ed25519 signature and computes the kona message id (SHA-256 of the whole payload in " +
        "JS, message_id.ts) and one RPC can carry several. Fix for the P2P owner: refuse payloads above the " +
        "largest valid one (2 MiB + 36 B) before the id, e.g. a gossipsub dataTransform.inboundTransform that " +
        "throws for them, or a cheap id for them in message_id.ts.",
    };
  } catch (error) {
    return errorRow("T6", subject, target, error);
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
      "task, and each commitment costs two secp256k1 recoveries there (gossip_validation.ts, then " +
      "validation.ts) with no yield (a 200 blocks/s feed: tasks of ~390 ms); (2) catch-up validates a page of " +
      "up to 64 commitments in one task, the requester recovering every signer and then the client again " +
      "(requester.ts validate, catch_up.ts; ~250 ms per page); (3) oversized gossip payloads are hashed and " +
      "signature-checked in full before the size check (T6). Fixes for the P2P and preconf owners: one " +
      "recovery per commitment, on SignaturePool workers or with a yield every few items (STYLE rule 19).",
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
  rows.push(...await validationRows(ctx));
  rows.push(await parallelRow(ctx));
  rows.push();
  rows.push(await gossipToEngineRow(ctx, limits));
  rows.push(await easyGossipRow(ctx, limits));
  rows.push(...await catchUpRows(ctx));
  rows.push(await derivationRow(ctx));
  rows.push(...await jsonRpcRows(ctx, limits));
  rows.push(await memoryRow(ctx));
  rows.push(eventLoopRow(ctx));
  return rows.sort((a, b) => ROW_ORDER.indexOf(a.id) - ROW_ORDER.indexOf(b.id));
}
