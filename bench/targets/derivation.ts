/**
 * Target 4, derivation: a proposal of 64 blocks with 100 transactions each, posted in blobs to the
 * Inbox stand-in on anvil, from its `Proposed` log (`decodeProposedLog`) through
 * `processProposal()` (blob fetch, manifest decode, derivation, engine insertion, L1 origins) to the
 * return after the last engine call. The engine runs in its own process, which records when it starts
 * and finishes each request; only that busy time is subtracted. Driver work done while a request is
 * in flight (the transactions hashed while the engine builds) is hidden only where the engine really
 * was busy, and the loopback transport counts as the driver's.
 *
 * @module
 */
import { hexToBytes, type Log } from "viem";
import { proposeManifest } from "../../devnet/proposer.ts";
import { createDriverClient, decodeProposedLog, shastaChainConfig } from "../../driver/mod.ts";
import { keccak256Bytes } from "../../internal/keccak.ts";
import type { BlockManifest } from "../../driver/mod.ts";
import { EngineWriteLock } from "../../driver/sync/engine_writer.ts";
import { processProposal } from "../../driver/sync/proposal_processor.ts";
import type { BenchContext } from "../harness/context.ts";
import { wallMs } from "../harness/child_io.ts";
import { coveredMs, installFetchTimer } from "../harness/fetch_timer.ts";
import { mergeIntervals, overlapMs } from "../harness/intervals.ts";
import type { Measured } from "../harness/section.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { ENV_GAS_LIMIT, startL1Env } from "../fixtures/l1_env.ts";
import { signedTransactions } from "../fixtures/transactions.ts";

/** One proposal's timing. */
export interface DerivationFigures {
  readonly blocks: number;
  readonly txsPerBlock: number;
  /** Log to last engine call, milliseconds. */
  readonly totalMs: Summary;
  /** The part the engine simulator was busy answering this proposal's requests, milliseconds. */
  readonly engineMs: Summary;
  /** The part spent on beacon/blob HTTP, milliseconds. */
  readonly beaconMs: Summary;
  /** total − engine, milliseconds: the target's figure. */
  readonly ownMs: Summary;
  /** total − fetch, milliseconds: the driver's time outside its waits on the engine. */
  readonly outsideFetchMs: Summary;
  /** Compressed manifest size of one proposal, in blobs. */
  readonly blobs: number;
  /**
   * The floor the engine API sets: one keccak256 of every transaction of a proposal (its `txHash`
   * trie cannot hash less) with the fastest keccak here (`internal/keccak.ts`, WebAssembly, which the
   * driver's trie uses), milliseconds, measured in the same run.
   */
  readonly keccakFloorMs: number;
  /** Engine and L2 requests one counted proposal made (median). */
  readonly requestsPerProposal: number;
  /**
   * The own time (wall minus the engine's busy time, as the figure is taken) of that many `eth_chainId`
   * round trips to the engine simulator's public port in a row, milliseconds, measured in the same
   * run: what the protocol's engine calls cost this process before any derivation work.
   */
  readonly roundTripFloorMs: number;
}

const ZERO_COINBASE = "0x0000000000000000000000000000000000000000";

/**
 * Measures derivation of whole proposals.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @returns Per-proposal timings.
 * @throws {Error} A proposal does not produce its blocks.
 */
export async function measureDerivation(ctx: BenchContext, measured: Measured): Promise<DerivationFigures> {
  const blocks = ctx.short ? 8 : 64;
  const txsPerBlock = ctx.short ? 20 : 100;
  // A small proposal first warms the code paths and connections up; it is not counted.
  const plan = [{ blocks: 2, txsPerBlock: 5, counted: false }];
  for (let i = 0; i < (ctx.short ? 1 : 3); i++) plan.push({ blocks, txsPerBlock, counted: true });
  const env = await startL1Env(ctx.tempDir);
  const timer = installFetchTimer((url) =>
    url.startsWith(env.engineUrls.authUrl) || url.startsWith(env.engineUrls.publicUrl)
      ? "engine"
      : url.startsWith(env.beacon.url)
      ? "beacon"
      : null
  );
  const client = await createDriverClient(env.config);
  try {
    const txs = await signedTransactions(plan.reduce((n, p) => n + p.blocks * p.txsPerBlock, 0), {
      chainId: client.chainId,
      calldataBytes: 0,
      seed: 21,
    });
    const deps = {
      l1: client.l1,
      l2: client.l2,
      engine: client.engine,
      blobs: client.blobs,
      inbox: client.inboxAddress,
      chain: shastaChainConfig(client.chainId, client.chainOverrides ?? {}),
      lock: new EngineWriteLock(),
      metrics: null,
      onHeadL1Origin: () => {},
    };
    const total: number[] = [];
    const engine: number[] = [];
    const outsideFetch: number[] = [];
    const beacon: number[] = [];
    const own: number[] = [];
    const requests: number[] = [];
    let blobs = 0;
    let lastTimestamp = 0n;
    let used = 0;
    for (const [p, step] of plan.entries()) {
      const head = await env.anvil.client.getBlock({ blockTag: "latest" });
      const n = BigInt(step.blocks);
      const l1Timestamp = head.timestamp + 12n > lastTimestamp + n + 1n
        ? head.timestamp + 12n
        : lastTimestamp + n + 1n;
      const manifestBlocks: BlockManifest[] = Array.from({ length: step.blocks }, (_, i) => ({
        timestamp: l1Timestamp - BigInt(step.blocks - 1 - i),
        coinbase: ZERO_COINBASE,
        anchorBlockNumber: head.number,
        gasLimit: ENV_GAS_LIMIT,
        transactions: txs.slice(used + i * step.txsPerBlock, used + (i + 1) * step.txsPerBlock),
      }));
      used += step.blocks * step.txsPerBlock;
      lastTimestamp = l1Timestamp;
      await env.anvil.client.request({
        method: "evm_setNextBlockTimestamp" as "eth_blockNumber",
        params: [`0x${l1Timestamp.toString(16)}`] as never,
      });
      const posted = await proposeManifest(
        { l1Url: env.anvil.url, inbox: env.contracts.inbox, beacon: env.beacon },
        { blocks: manifestBlocks },
      );
      if (step.counted) blobs = posted.sidecars.length;
      const receipt = await env.anvil.client.getTransactionReceipt({ hash: posted.transactionHash });
      const log = receipt.logs.find((entry) =>
        entry.address.toLowerCase() === env.contracts.inbox.toLowerCase()
      );
      if (log === undefined) throw new Error("the proposal emitted no Proposed log");
      timer.take();
      await env.takeEngineCalls();
      const { start, end, outcome } = await measured(async () => {
        const start = performance.now();
        const outcome = await processProposal(deps, decodeProposedLog(log as Log));
        return { start, end: performance.now(), outcome };
      });
      if (outcome.blocks.length !== step.blocks || outcome.canonicalHit) {
        throw new Error(
          `proposal ${p} produced ${outcome.blocks.length} blocks, expected ${step.blocks} new ones`,
        );
      }
      const calls = timer.take();
      const engineMs = await engineBusyMs(env, start, end);
      if (!step.counted) continue;
      const fetchMs = coveredMs(calls, "engine", start, end);
      total.push(end - start);
      engine.push(engineMs);
      outsideFetch.push(end - start - fetchMs);
      beacon.push(coveredMs(calls, "beacon", start, end));
      own.push(end - start - engineMs);
      requests.push(
        calls.filter((call) => call.category === "engine" && call.start >= start && call.end <= end).length,
      );
    }
    const proposalTxs = txs.slice(-blocks * txsPerBlock).map((tx) => hexToBytes(tx));
    const floors: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      for (const tx of proposalTxs) keccak256Bytes(tx);
      floors.push(performance.now() - start);
    }
    const requestsPerProposal = summarize(requests).p50;
    const roundTrips: number[] = [];
    for (let i = 0; i < 3; i++) {
      await env.takeEngineCalls();
      const start = performance.now();
      for (let n = 0; n < requestsPerProposal; n++) await client.l2.chainId();
      const end = performance.now();
      roundTrips.push(end - start - await engineBusyMs(env, start, end));
    }
    return {
      keccakFloorMs: Math.min(...floors),
      requestsPerProposal,
      roundTripFloorMs: Math.min(...roundTrips),
      blocks,
      txsPerBlock,
      totalMs: summarize(total),
      engineMs: summarize(engine),
      outsideFetchMs: summarize(outsideFetch),
      beaconMs: summarize(beacon),
      ownMs: summarize(own),
      blobs,
    };
  } finally {
    timer.uninstall();
    await client.close();
    await env.stop();
  }
}

/** The time the engine simulator spent answering requests inside `[start, end]` (this process's clock). */
async function engineBusyMs(
  env: { takeEngineCalls(): Promise<readonly { receivedAt: number; answeredAt: number }[]> },
  start: number,
  end: number,
): Promise<number> {
  const busy = mergeIntervals(
    (await env.takeEngineCalls()).map((call) => [call.receivedAt, call.answeredAt]),
  );
  const offset = wallMs() - performance.now();
  return overlapMs(busy, start + offset, end + offset);
}
