/**
 * Executes accepted commitments in block order (p2p.md §11.3, reworked): when block N's commitment
 * and txlist are both present and N-1 is the head, it decodes the txlist, builds the payload,
 * re-checks the block against the parent actually in the engine, and submits it bound to that
 * parent's hash (lesson S-4); then it continues with N+1. One submission runs at a time.
 *
 * A txlist that does not decode, a block that does not fit its parent, or a driver refusal drops
 * that block and is logged; the node keeps running (lesson L-2). A closed ingress, a full queue,
 * a timeout or a moved parent only pauses: the next `advance()` retries. EOP-only commitments are
 * markers beside the block numbers and never stall the sequence (lesson V-6).
 *
 * @module
 */
import type { Hash, Hex } from "viem";
import { DriverError, type DriverErrorKind, type L2BlockHeader } from "../../driver/mod.ts";
import { runnerLogger } from "../log.ts";
import type { CommitmentStore } from "./commitment_store.ts";
import { PreconfError } from "./errors.ts";
import type { PreconfDropReason, PreconfMetrics } from "./metrics.ts";
import { buildPreconfPayload } from "./payload_builder.ts";
import { decodeCompressedTxList } from "./txlist_codec.ts";
import type { AcceptedCommitment, PreconfChain, PreconfDriver } from "./types.ts";
import { checkAgainstParentHeader } from "./validation.ts";

/** Executed blocks remembered (for idempotent retries of a local publish); the oldest go first. */
export const EXECUTED_RECORDS_MAX = 1024;
/**
 * Headers of the blocks this submitter inserted last, kept to build the next block without reading
 * its parent and grandparent back from L2; the oldest goes first. Dropped whenever the head is
 * set from outside or a block does not execute.
 */
export const RECENT_HEADERS_MAX = 2;

/** Driver refusals that mean "not now" rather than "never": the block stays and is retried. */
const RETRYABLE_DRIVER_KINDS: ReadonlySet<DriverErrorKind> = new Set<DriverErrorKind>([
  "PreconfIngressNotReady",
  "PreconfQueueFull",
  "PreconfSubmissionTimeout",
  "PreconfParentMismatch",
  "Rpc",
  "Stopped",
]);

/** What happened to one block. */
export type BlockOutcome =
  /** Inserted (or found already in the engine) on top of its parent. */
  | {
    readonly kind: "Executed";
    readonly blockNumber: bigint;
    readonly blockHash: Hash;
    readonly fresh: boolean;
  }
  /** The confirmed tip passed it; nothing was written. */
  | { readonly kind: "Stale"; readonly blockNumber: bigint }
  /** Not possible yet; `advance()` will retry. */
  | {
    readonly kind: "Waiting";
    readonly blockNumber: bigint;
    readonly reason: "NoCommitment" | "AwaitingTxList" | "DriverNotReady" | "ParentMoved";
  }
  /** Refused for good: the commitment (and its txlist) left the store. */
  | {
    readonly kind: "Dropped";
    readonly blockNumber: bigint;
    readonly reason: PreconfDropReason;
    readonly error: Error;
  };

/** What the submitter uses. */
export interface BlockSubmitterDeps {
  /** Where blocks are submitted. */
  readonly driver: PreconfDriver;
  /** Parent headers and fee sharing. */
  readonly chain: PreconfChain;
  /** Accepted commitments and txlists. */
  readonly store: CommitmentStore;
  /** Metrics, or `null`. */
  readonly metrics: PreconfMetrics | null;
}

/** Tuning of a {@linkcode BlockSubmitter}. */
export interface BlockSubmitterOptions {
  /**
   * The chain's base-fee lower clamp, in wei.
   * @default {the driver's MIN_BASE_FEE}
   */
  readonly minBaseFee?: bigint;
  /**
   * Deadline of one driver submission, in milliseconds.
   * @default {undefined} the driver's own (24 s)
   */
  readonly submitTimeoutMs?: number;
  /**
   * Called for every executed block (after the head moved).
   * @default {undefined}
   */
  readonly onExecuted?: (record: AcceptedCommitment, blockHash: Hash) => void;
  /**
   * Called for every dropped block.
   * @default {undefined}
   */
  readonly onDropped?: (record: AcceptedCommitment, reason: PreconfDropReason) => void;
}

const log = runnerLogger("preconf");

/** Submits contiguous blocks from the head on, one at a time. */
export class BlockSubmitter {
  readonly #deps: BlockSubmitterDeps;
  readonly #options: BlockSubmitterOptions;
  #head: bigint;
  readonly #executed = new Map<bigint, { commitmentHash: Hash; blockHash: Hash }>();
  #running: Promise<BlockOutcome[]> | null = null;
  #again = false;
  #recent: L2BlockHeader[] = [];
  #decoded: { readonly hash: Hash; readonly transactions: Hex[] } | null = null;

  /**
   * Creates a submitter starting at the engine head.
   *
   * @param deps Driver, chain reads, store and metrics.
   * @param head The engine's latest block number at start.
   * @param options Base fee clamp, deadline and callbacks.
   */
  constructor(deps: BlockSubmitterDeps, head: bigint, options: BlockSubmitterOptions = {}) {
    this.#deps = deps;
    this.#head = head;
    this.#options = options;
  }

  /** The highest block known to be in the engine. */
  get head(): bigint {
    return this.#head;
  }

  /**
   * Takes the engine's latest block number as the head, in either direction (a reorg lowers it;
   * lesson L-4).
   *
   * @param head The engine's `latest` block number.
   */
  observeHead(head: bigint): void {
    // The runner reports every insertion back; the block just inserted keeps its headers.
    if (head !== this.#head) this.#moveHead(head);
  }

  /**
   * Hands over the transactions of a txlist the caller already decoded, so the block that names it
   * is not decoded twice (one entry: the next block's).
   *
   * @param hash The txlist's hash.
   * @param transactions What `decodeCompressedTxList()` returned for it.
   */
  rememberDecoded(hash: Hash, transactions: Hex[]): void {
    this.#decoded = { hash, transactions };
  }

  /**
   * The block hash this node produced from exactly this commitment, if it did.
   *
   * @param blockNumber The block number.
   * @param commitmentHash The commitment's hash.
   * @returns The block hash, or `undefined`.
   */
  executedHash(blockNumber: bigint, commitmentHash: Hash): Hash | undefined {
    const record = this.#executed.get(blockNumber);
    return record?.commitmentHash === commitmentHash && blockNumber <= this.#head
      ? record.blockHash
      : undefined;
  }

  /**
   * Submits blocks from `head + 1` on until one cannot go yet. Concurrent calls share one run (a
   * call during a run makes it go around once more). Never throws.
   *
   * @returns The outcome of each block tried, in order.
   */
  advance(): Promise<BlockOutcome[]> {
    if (this.#running !== null) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #drain(): Promise<BlockOutcome[]> {
    const outcomes: BlockOutcome[] = [];
    do {
      this.#again = false;
      for (;;) {
        const outcome = await this.#submitNext();
        outcomes.push(outcome);
        if (outcome.kind !== "Executed" && outcome.kind !== "Stale") break;
      }
    } while (this.#again);
    return outcomes;
  }

  async #submitNext(): Promise<BlockOutcome> {
    const { store, driver, chain, metrics } = this.#deps;
    const tip = driver.confirmedTip;
    if (tip > this.#head) this.#moveHead(tip);
    const n = this.#head + 1n;
    const record = store.commitmentAt(n);
    if (record === undefined) return { kind: "Waiting", blockNumber: n, reason: "NoCommitment" };
    const preconf = record.signed.commitment.preconf;
    const gossip = store.txList(preconf.rawTxListHash);
    if (gossip === undefined) return { kind: "Waiting", blockNumber: n, reason: "AwaitingTxList" };

    let transactions: Hex[];
    const decoded = this.#decoded;
    this.#decoded = null;
    try {
      transactions = decoded?.hash === preconf.rawTxListHash
        ? decoded.transactions
        : decodeCompressedTxList(gossip.txlist);
    } catch (error) {
      return this.#drop(record, "txlist_undecodable", error);
    }
    const parentCommitment = store.commitmentAt(n - 1n);
    if (
      parentCommitment !== undefined && parentCommitment.preconfHash !== preconf.parentPreconfirmationHash
    ) {
      // Lesson V-1, once more at execution: the parent may have been accepted after this block.
      return this.#drop(
        record,
        "parent_check_failed",
        new PreconfError(
          "Validation",
          `Cannot execute block ${n}: it links parent ${preconf.parentPreconfirmationHash}, the stored parent hashes to ${parentCommitment.preconfHash}`,
          { context: { blockNumber: n, reason: "ParentHashMismatch", action: "reject" } },
        ),
      );
    }

    const started = performance.now();
    let payload;
    try {
      payload = await buildPreconfPayload(chain, { preconf, transactions }, {
        ...this.#minBaseFee(),
        knownHeaders: this.#recent,
      });
    } catch (error) {
      metrics?.payloadBuildFailures.inc();
      if (error instanceof PreconfError && error.kind === "PayloadBuild") {
        const latest = await this.#readHead();
        if (latest !== null && latest < n - 1n) {
          this.#moveHead(latest);
          return { kind: "Waiting", blockNumber: n, reason: "ParentMoved" };
        }
        return this.#drop(record, "payload_build_failed", error);
      }
      log.warn("Cannot read the chain to build block {blockNumber}, retrying later: {error}", {
        blockNumber: n,
        error,
      });
      return { kind: "Waiting", blockNumber: n, reason: "DriverNotReady" };
    } finally {
      metrics?.payloadBuildDuration.observe((performance.now() - started) / 1000);
    }
    const misfit = checkAgainstParentHeader(preconf, payload.parent);
    if (misfit !== null) {
      return this.#drop(
        record,
        "parent_check_failed",
        new PreconfError("Validation", misfit.message, {
          context: { blockNumber: n, reason: misfit.reason, action: misfit.action },
        }),
      );
    }

    try {
      const outcome = await driver.submitPreconfirmationPayload(payload.attributes, {
        parentHash: payload.parent.hash,
        ...(this.#options.submitTimeoutMs === undefined ? {} : { timeoutMs: this.#options.submitTimeoutMs }),
      });
      switch (outcome.kind) {
        case "Inserted":
        case "AlreadyMaterialized":
          return this.#markExecuted(record, outcome.block, outcome.kind === "Inserted");
        case "Stale":
          metrics?.dropped.inc({ reason: "stale" });
          if (outcome.confirmedTip > this.#head) this.#moveHead(outcome.confirmedTip);
          store.pruneThrough(outcome.confirmedTip);
          return { kind: "Stale", blockNumber: n };
        case "NotReady":
          metrics?.driverSubmitFailure.inc({ kind: "NotReady" });
          return { kind: "Waiting", blockNumber: n, reason: "DriverNotReady" };
      }
    } catch (error) {
      const kind = error instanceof DriverError ? error.kind : "Unknown";
      metrics?.driverSubmitFailure.inc({ kind });
      if (error instanceof DriverError && RETRYABLE_DRIVER_KINDS.has(error.kind)) {
        log.info("Driver deferred block {blockNumber} ({kind}), retrying later: {error}", {
          blockNumber: n,
          kind,
          error,
        });
        if (error.kind === "PreconfParentMismatch") {
          const latest = await this.#readHead();
          // The engine's parent is not the one this block was built on: read the headers again.
          this.#recent = [];
          if (latest !== null) this.#head = latest;
          return { kind: "Waiting", blockNumber: n, reason: "ParentMoved" };
        }
        return { kind: "Waiting", blockNumber: n, reason: "DriverNotReady" };
      }
      return this.#drop(record, "driver_error", error);
    }
  }

  #markExecuted(record: AcceptedCommitment, block: L2BlockHeader, fresh: boolean): BlockOutcome {
    const n = record.signed.commitment.preconf.blockNumber;
    const blockHash = block.hash;
    this.#head = n;
    this.#recent = [...this.#recent, block].slice(-RECENT_HEADERS_MAX);
    // Re-inserted so the map's order is execution order and the oldest record is its first key.
    this.#executed.delete(n);
    this.#executed.set(n, { commitmentHash: record.commitmentHash, blockHash });
    if (this.#executed.size > EXECUTED_RECORDS_MAX) {
      this.#executed.delete(this.#executed.keys().next().value as bigint);
    }
    this.#deps.metrics?.driverSubmitSuccess.inc();
    log.info("Executed preconfirmed block {blockNumber} {blockHash}", { blockNumber: n, blockHash, fresh });
    this.#options.onExecuted?.(record, blockHash);
    return { kind: "Executed", blockNumber: n, blockHash, fresh };
  }

  /** Sets the head from outside this submitter's own insertions: its recent headers may be gone. */
  #moveHead(head: bigint): void {
    this.#head = head;
    this.#recent = [];
  }

  #drop(record: AcceptedCommitment, reason: PreconfDropReason, error: unknown): BlockOutcome {
    const n = record.signed.commitment.preconf.blockNumber;
    this.#deps.store.remove(n);
    this.#deps.metrics?.dropped.inc({ reason });
    const cause = error instanceof Error ? error : new Error(String(error));
    log.warn("Dropped preconfirmed block {blockNumber} ({reason}): {error}", {
      blockNumber: n,
      reason,
      commitmentHash: record.commitmentHash,
      signer: record.signer,
      error: cause,
    });
    this.#options.onDropped?.(record, reason);
    return { kind: "Dropped", blockNumber: n, reason, error: cause };
  }

  async #readHead(): Promise<bigint | null> {
    try {
      return await this.#deps.chain.l2Head();
    } catch {
      return null;
    }
  }

  #minBaseFee(): { minBaseFee?: bigint } {
    return this.#options.minBaseFee === undefined ? {} : { minBaseFee: this.#options.minBaseFee };
  }
}
