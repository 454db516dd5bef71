/**
 * What the engine simulator remembers: every block it has seen (forks included; the devnet's
 * lifetime bounds them), the canonical chain that its forkchoice head selects, the payloads it has
 * built, and the three Taiko tables (per-block L1 origin, head L1 origin, proposal → last block).
 *
 * @module
 */
import type { Hash, Hex } from "viem";
import type { L1Origin } from "../../driver/shasta/types.ts";
import type { SimBlock } from "./sim_block.ts";

/** Most built payloads kept for `engine_getPayloadV2`; the oldest is dropped first. */
export const BUILT_PAYLOADS_MAX_ENTRIES = 1024;

/** Bytes of a Shasta extraData: basefeeSharingPctg, then the proposal id as 6 bytes. */
const SHASTA_EXTRA_DATA_BYTES = 7;

/** The answer of a proposal → last block lookup. */
export type LastBlockLookup =
  | { readonly kind: "found"; readonly blockId: bigint }
  /** The only match is the head, and no mapping was recorded: the proposal may still grow. */
  | { readonly kind: "uncertain" }
  | { readonly kind: "missing" };

/** The simulator's chain and tables. */
export class ChainState {
  readonly #blocks = new Map<Hash, SimBlock>();
  /** Canonical block hash by number, from genesis to the head. */
  #canonical: Hash[] = [];
  #safe: Hash | null = null;
  #finalized: Hash | null = null;
  readonly #payloads = new Map<Hex, SimBlock>();
  readonly #l1Origins = new Map<bigint, L1Origin>();
  #headL1Origin: bigint | null = null;
  readonly #lastBlockByBatch = new Map<bigint, bigint>();

  /** @param genesis Block 0, the first head. */
  constructor(genesis: SimBlock) {
    this.#blocks.set(genesis.hash, genesis);
    this.#canonical = [genesis.hash];
  }

  /** The forkchoice head. */
  get head(): SimBlock {
    return this.#blocks.get(this.#canonical[this.#canonical.length - 1] as Hash) as SimBlock;
  }

  /** The safe block, if a forkchoice update set one. */
  get safe(): SimBlock | null {
    return this.#safe === null ? null : this.#blocks.get(this.#safe) ?? null;
  }

  /** The finalized block, if a forkchoice update set one. */
  get finalized(): SimBlock | null {
    return this.#finalized === null ? null : this.#blocks.get(this.#finalized) ?? null;
  }

  /** The head-L1-origin pointer. */
  get headL1OriginId(): bigint | null {
    return this.#headL1Origin;
  }

  /**
   * @param hash A block hash.
   * @returns The block, canonical or not, if seen.
   */
  block(hash: Hash): SimBlock | undefined {
    return this.#blocks.get(hash.toLowerCase() as Hash);
  }

  /**
   * @param number A block number.
   * @returns The canonical block at that height, if any.
   */
  canonicalAt(number: bigint): SimBlock | undefined {
    if (number < 0n || number >= BigInt(this.#canonical.length)) return undefined;
    return this.#blocks.get(this.#canonical[Number(number)] as Hash);
  }

  /**
   * @param hash A block hash.
   * @returns Whether the block is on the canonical chain.
   */
  isCanonical(hash: Hash): boolean {
    const block = this.block(hash);
    return block !== undefined && this.#canonical[Number(block.header.number)] === block.hash;
  }

  /** @returns Every block seen, in insertion order. */
  blocks(): SimBlock[] {
    return [...this.#blocks.values()];
  }

  /** @param block A block whose parent is known. */
  add(block: SimBlock): void {
    this.#blocks.set(block.hash, block);
  }

  /**
   * Makes a known block the head; the canonical chain becomes its ancestry (a reorg when it is not a
   * descendant of the old head).
   * @param hash The new head.
   * @returns `false` when the block is unknown.
   */
  setHead(hash: Hash): boolean {
    let block = this.block(hash);
    if (block === undefined) return false;
    const canonical = this.#canonical.slice(0, Number(block.header.number) + 1);
    while (canonical[Number(block.header.number)] !== block.hash) {
      canonical[Number(block.header.number)] = block.hash;
      const parent = this.#blocks.get(block.header.parentHash);
      if (parent === undefined) break;
      block = parent;
    }
    this.#canonical = canonical;
    return true;
  }

  /** @param hash The new safe block (known). */
  setSafe(hash: Hash): void {
    this.#safe = hash.toLowerCase() as Hash;
  }

  /** @param hash The new finalized block (known). */
  setFinalized(hash: Hash): void {
    this.#finalized = hash.toLowerCase() as Hash;
  }

  /**
   * Keeps a built payload under its id.
   * @param payloadId The 8-byte id.
   * @param block The built block.
   */
  storePayload(payloadId: Hex, block: SimBlock): void {
    this.#payloads.delete(payloadId);
    this.#payloads.set(payloadId, block);
    while (this.#payloads.size > BUILT_PAYLOADS_MAX_ENTRIES) {
      this.#payloads.delete(this.#payloads.keys().next().value as Hex);
    }
  }

  /**
   * @param payloadId The 8-byte id.
   * @returns The built block, if still kept.
   */
  payload(payloadId: Hex): SimBlock | undefined {
    return this.#payloads.get(payloadId.toLowerCase() as Hex);
  }

  /**
   * @param blockId An L2 block number.
   * @returns Its L1 origin, if recorded.
   */
  l1Origin(blockId: bigint): L1Origin | undefined {
    return this.#l1Origins.get(blockId);
  }

  /** @param origin The record to store under its block id. */
  setL1Origin(origin: L1Origin): void {
    this.#l1Origins.set(origin.blockId, origin);
  }

  /** @param blockId The new head-L1-origin block. */
  setHeadL1Origin(blockId: bigint): void {
    this.#headL1Origin = blockId;
  }

  /**
   * Records the last block of a proposal.
   * @param proposalId The proposal id.
   * @param blockId Its last L2 block.
   */
  setBatchLastBlock(proposalId: bigint, blockId: bigint): void {
    this.#lastBlockByBatch.set(proposalId, blockId);
  }

  /**
   * The last block of a proposal: the recorded mapping, else the highest canonical block whose
   * extraData carries the proposal id, which is "uncertain" when it is the head (as alethia-reth).
   * @param proposalId The proposal id.
   * @returns The lookup's outcome.
   */
  lastBlockOfBatch(proposalId: bigint): LastBlockLookup {
    const recorded = this.#lastBlockByBatch.get(proposalId);
    if (recorded !== undefined) return { kind: "found", blockId: recorded };
    for (let n = this.#canonical.length - 1; n > 0; n--) {
      const block = this.#blocks.get(this.#canonical[n] as Hash) as SimBlock;
      const id = proposalIdOf(block.header.extraData);
      if (id === null || id > proposalId) continue;
      if (id < proposalId) break;
      return n === this.#canonical.length - 1 ? { kind: "uncertain" } : { kind: "found", blockId: BigInt(n) };
    }
    return { kind: "missing" };
  }
}

function proposalIdOf(extraData: Hex): bigint | null {
  if (extraData.length !== 2 + 2 * SHASTA_EXTRA_DATA_BYTES) return null;
  return BigInt(`0x${extraData.slice(4)}`);
}
