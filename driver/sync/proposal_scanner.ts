/**
 * The L1 `Proposed` log scanner: catch up in chunks from a start block, then follow the head by
 * polling. Progress is a cursor that moves only after a batch was processed, so a dropped connection
 * or a failed step resumes exactly where it stopped (lessons E-4, E-10). The hashes of recently
 * processed blocks are kept to detect an L1 reorg and find the common ancestor (lesson E-8).
 *
 * @module
 */
import type { Address, Hash, Log } from "viem";
import { proposedLogs } from "../rpc/inbox_reader.ts";
import type { L1Client } from "../rpc/l1_client.ts";

/** Blocks per `eth_getLogs` request (event-scanner's default). */
export const DEFAULT_LOG_CHUNK_BLOCKS = 1_000n;
/** Processed L1 block hashes kept for reorg detection (overflow policy: drop oldest). */
export const TRACKED_L1_BLOCKS = 128;

/** One step of the scanner. */
export type ScanStep =
  /** Logs of `[fromBlock, toBlock]` (possibly none); call `commit(step)` once they are processed. */
  | {
    readonly kind: "batch";
    readonly fromBlock: bigint;
    readonly toBlock: bigint;
    readonly toHash: Hash;
    readonly logs: readonly Log[];
  }
  /** The chain changed under processed blocks; `ancestor` is the newest block still canonical. */
  | { readonly kind: "reorg"; readonly ancestor: { readonly number: bigint; readonly hash: Hash | null } }
  /** Every block up to `head` is processed. */
  | { readonly kind: "live"; readonly head: bigint };

/** Tuning of {@linkcode ProposalScanner}. */
export interface ProposalScannerOptions {
  /** First L1 block to scan. */
  readonly startBlock: bigint;
  /**
   * Blocks per `eth_getLogs`.
   * @default {DEFAULT_LOG_CHUNK_BLOCKS}
   */
  readonly chunkBlocks?: bigint;
}

/** Scans `Proposed` logs of one Inbox. */
export class ProposalScanner {
  readonly #l1: L1Client;
  readonly #inbox: Address;
  readonly #chunkBlocks: bigint;
  /** Processed block number → hash, oldest first. */
  readonly #tracked = new Map<bigint, Hash>();
  #cursor: bigint;

  /**
   * @param deps The L1 client and the Inbox address.
   * @param options Start block and chunk size.
   * @throws {RangeError} When the start block is negative or the chunk size is not positive.
   */
  constructor(deps: { l1: L1Client; inbox: Address }, options: ProposalScannerOptions) {
    const chunk = options.chunkBlocks ?? DEFAULT_LOG_CHUNK_BLOCKS;
    if (options.startBlock < 0n) {
      throw new RangeError(`Cannot scan from block ${options.startBlock}: negative`);
    }
    if (chunk < 1n) throw new RangeError(`Cannot scan in chunks of ${chunk} blocks: expected at least 1`);
    this.#l1 = deps.l1;
    this.#inbox = deps.inbox;
    this.#chunkBlocks = chunk;
    this.#cursor = options.startBlock;
  }

  /** The next L1 block to scan. */
  get cursor(): bigint {
    return this.#cursor;
  }

  /**
   * Reads the head, checks the newest processed block is still canonical, and returns the next
   * step. Nothing moves until `commit` or `rewind`.
   *
   * @returns A batch to process, a reorg to handle, or "live" when caught up.
   * @throws On any L1 failure (the caller ends the generation and retries later).
   */
  async next(): Promise<ScanStep> {
    const head = await this.#l1.headNumber();
    const reorg = await this.#checkReorg(head);
    if (reorg !== null) return reorg;
    if (this.#cursor > head) return { kind: "live", head };
    const fromBlock = this.#cursor;
    const toBlock = fromBlock + this.#chunkBlocks - 1n < head ? fromBlock + this.#chunkBlocks - 1n : head;
    const before = await this.#l1.blockByNumber(toBlock);
    const logs = await proposedLogs(this.#l1, this.#inbox, { fromBlock, toBlock });
    const after = await this.#l1.blockByNumber(toBlock);
    // The logs belong to the chain ending at `toBlock` only if that block did not change meanwhile.
    if (before === null || after === null || before.hash !== after.hash) {
      throw new Error(
        `Cannot scan L1 blocks ${fromBlock}..${toBlock}: the chain changed during the scan, retry`,
      );
    }
    return { kind: "batch", fromBlock, toBlock, toHash: after.hash, logs };
  }

  /**
   * Marks a batch as processed: the cursor moves past it and its hashes are remembered.
   *
   * @param step The batch returned by `next()`.
   * @throws {RangeError} When the batch does not start at the cursor.
   */
  commit(step: Extract<ScanStep, { kind: "batch" }>): void {
    if (step.fromBlock !== this.#cursor) {
      throw new RangeError(
        `Cannot commit L1 blocks from ${step.fromBlock}: the cursor is at ${this.#cursor}`,
      );
    }
    for (const log of step.logs) {
      if (log.blockNumber !== null && log.blockHash !== null) this.#track(log.blockNumber, log.blockHash);
    }
    this.#track(step.toBlock, step.toHash);
    this.#cursor = step.toBlock + 1n;
  }

  /**
   * Moves the cursor back to just after `ancestor` and forgets every tracked block above it.
   *
   * @param ancestor The newest block still canonical.
   */
  rewind(ancestor: { number: bigint; hash: Hash | null }): void {
    for (const number of [...this.#tracked.keys()]) {
      if (number > ancestor.number) this.#tracked.delete(number);
    }
    if (ancestor.hash !== null) this.#track(ancestor.number, ancestor.hash);
    if (this.#cursor > ancestor.number + 1n) this.#cursor = ancestor.number + 1n;
  }

  #track(number: bigint, hash: Hash): void {
    this.#tracked.delete(number);
    this.#tracked.set(number, hash);
    const ordered = [...this.#tracked.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    while (ordered.length > TRACKED_L1_BLOCKS) this.#tracked.delete(ordered.shift()!);
  }

  async #checkReorg(head: bigint): Promise<ScanStep | null> {
    const numbers = [...this.#tracked.keys()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
    const newest = numbers[0];
    if (newest === undefined) return null;
    if (newest <= head) {
      const block = await this.#l1.blockByNumber(newest);
      if (block !== null && block.hash === this.#tracked.get(newest)) return null;
    }
    for (const number of numbers) {
      if (number > head) continue;
      const block = await this.#l1.blockByNumber(number);
      if (block !== null && block.hash === this.#tracked.get(number)) {
        return { kind: "reorg", ancestor: { number, hash: block.hash } };
      }
    }
    // Deeper than the window: fall back to the finalized block, which cannot reorg.
    const finalized = await this.#l1.blockByNumber("finalized");
    const oldest = numbers[numbers.length - 1]!;
    const floor = finalized === null ? 0n : finalized.number;
    const number = floor < oldest ? floor : (oldest > 0n ? oldest - 1n : 0n);
    return { kind: "reorg", ancestor: { number, hash: null } };
  }
}
