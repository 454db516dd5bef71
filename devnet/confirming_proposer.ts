/**
 * The devnet's proposer loop: it reads the L2 engine's chain and proposes, on L1, the blocks that no
 * proposal has covered yet, so preconfirmed blocks become confirmed, as a real proposer does. Each
 * manifest block copies the L2 block's timestamp, coinbase and transactions; the anchor block number
 * comes from the block's `anchorV4` transaction (which the driver re-creates, so it is left out) and
 * the gas limit excludes the anchor's budget (driver.md §4.6).
 *
 * @module
 */
import {
  type Address,
  createPublicClient,
  decodeFunctionData,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  serializeTransaction,
  type Transaction,
  type TransactionSerializable,
} from "viem";
import { anchorAbi } from "../driver/shasta/abi.ts";
import { ANCHOR_GAS_LIMIT, PROPOSAL_MAX_BLOCKS } from "../driver/shasta/constants.ts";
import type { BlockManifest } from "../driver/shasta/types.ts";
import { type PostedProposal, proposeManifest, type ProposerDeps } from "./proposer.ts";

/** How often the loop looks for unproposed L2 blocks. */
export const DEFAULT_PROPOSE_INTERVAL_MS = 4_000;

/** What the loop reads and where it posts. */
export interface ConfirmingProposerDeps {
  readonly proposer: ProposerDeps;
  /** Public JSON-RPC of the L2 engine whose chain is proposed. */
  readonly l2Url: string;
}

/** How the loop is tuned. */
export interface ConfirmingProposerOptions {
  /**
   * Pause between rounds.
   * @default DEFAULT_PROPOSE_INTERVAL_MS
   */
  readonly intervalMs?: number;
  /**
   * Most L2 blocks per proposal.
   * @default PROPOSAL_MAX_BLOCKS
   */
  readonly maxBlocksPerProposal?: number;
}

/** Re-serializes an RPC transaction into its EIP-2718 bytes and checks it against the hash. */
function rawTransaction(tx: Transaction): Hex {
  const raw = serializeTransaction(tx as TransactionSerializable, {
    r: tx.r,
    s: tx.s,
    ...(tx.type === "legacy" ? { v: tx.v } : { yParity: tx.yParity ?? 0 }),
  });
  if (keccak256(raw) !== tx.hash) {
    throw new Error(`Cannot re-encode L2 transaction "${tx.hash}": the serialized bytes hash differently`);
  }
  return raw;
}

/** The checkpoint block number of an `anchorV4` call, or `null` when `tx` is not one. */
function anchorBlockNumberOf(tx: Transaction | undefined): bigint | null {
  if (tx === undefined) return null;
  try {
    const call = decodeFunctionData({ abi: anchorAbi, data: tx.input });
    return call.functionName === "anchorV4" ? BigInt(call.args[0].blockNumber) : null;
  } catch {
    return null;
  }
}

/** Proposes the L2 engine's unproposed blocks to the L1 Inbox, round after round. */
export class ConfirmingProposer {
  readonly #deps: ConfirmingProposerDeps;
  readonly #l2: PublicClient;
  readonly #intervalMs: number;
  readonly #maxBlocks: number;
  #proposedThrough = 0n;
  #lastAnchor = 0n;
  #proposals = 0;
  #lastError: unknown = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;

  /**
   * @param deps Where to read L2 blocks and how to post proposals.
   * @param options Interval and blocks per proposal.
   * @throws RangeError for a block count outside 1..PROPOSAL_MAX_BLOCKS.
   */
  constructor(deps: ConfirmingProposerDeps, options: ConfirmingProposerOptions = {}) {
    this.#deps = deps;
    this.#intervalMs = options.intervalMs ?? DEFAULT_PROPOSE_INTERVAL_MS;
    this.#maxBlocks = options.maxBlocksPerProposal ?? PROPOSAL_MAX_BLOCKS;
    if (!Number.isInteger(this.#maxBlocks) || this.#maxBlocks < 1 || this.#maxBlocks > PROPOSAL_MAX_BLOCKS) {
      throw new RangeError(
        `Cannot propose "${this.#maxBlocks}" blocks per proposal: expected 1..${PROPOSAL_MAX_BLOCKS}`,
      );
    }
    this.#l2 = createPublicClient({ transport: http(deps.l2Url, { retryCount: 0 }), cacheTime: 0 });
  }

  /** The highest L2 block some proposal of this loop covers (0 = genesis only). */
  get proposedThrough(): bigint {
    return this.#proposedThrough;
  }

  /** How many proposals this loop posted. */
  get proposals(): number {
    return this.#proposals;
  }

  /** The last round's failure, `null` after a successful round. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /**
   * Proposes the next unproposed L2 blocks, at most `maxBlocksPerProposal`, in one proposal.
   *
   * @returns The posted proposal, or `null` when every L2 block is already proposed.
   * @throws Error when an L2 read or the L1 transaction fails.
   */
  async proposeOnce(): Promise<PostedProposal | null> {
    const head = await this.#l2.getBlockNumber();
    if (head <= this.#proposedThrough) return null;
    const last = head < this.#proposedThrough + BigInt(this.#maxBlocks)
      ? head
      : this.#proposedThrough + BigInt(this.#maxBlocks);
    const blocks: BlockManifest[] = [];
    let anchor = this.#lastAnchor;
    for (let n = this.#proposedThrough + 1n; n <= last; n++) {
      const block = await this.#l2.getBlock({ blockNumber: n, includeTransactions: true });
      const anchorNumber = anchorBlockNumberOf(block.transactions[0]);
      if (anchorNumber !== null) anchor = anchorNumber;
      const transactions = block.transactions.slice(anchorNumber === null ? 0 : 1).map(rawTransaction);
      blocks.push({
        timestamp: block.timestamp,
        coinbase: block.miner.toLowerCase() as Address,
        anchorBlockNumber: anchor,
        gasLimit: block.gasLimit > ANCHOR_GAS_LIMIT ? block.gasLimit - ANCHOR_GAS_LIMIT : 0n,
        transactions,
      });
    }
    const posted = await proposeManifest(this.#deps.proposer, { blocks });
    this.#proposedThrough = last;
    this.#lastAnchor = anchor;
    this.#proposals += 1;
    return posted;
  }

  /** Starts proposing every `intervalMs`; a failed round is kept in `lastError` and retried. Idempotent. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const round = (): void => {
      this.#running = this.proposeOnce().then(
        () => this.#lastError = null,
        (error) => this.#lastError = error,
      ).finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(round, this.#intervalMs);
      });
    };
    round();
  }

  /** Stops the loop and waits for a round in flight. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
