/**
 * Typed protocol values of Shasta derivation and of the engine API. Wire (hex JSON) shapes live in
 * `driver/engine/wire.ts`; everything here is already parsed: chain quantities are `bigint`, byte
 * strings are viem `Hex`.
 *
 * @module
 */
import type { Address, Hash, Hex } from "viem";

/** One blob slice of a derivation source, as emitted in the Inbox `Proposed` event. */
export interface BlobSlice {
  /** Versioned hashes of the blobs, in order. */
  readonly blobHashes: readonly Hash[];
  /** Byte offset of the manifest payload inside the concatenated decoded blobs. */
  readonly offset: number;
  /** L1 timestamp used to locate the blobs' beacon slot. */
  readonly timestamp: bigint;
}

/** A derivation source: the proposer's own blobs or a forced inclusion. */
export interface DerivationSource {
  readonly isForcedInclusion: boolean;
  readonly blobSlice: BlobSlice;
}

/** A decoded Inbox `Proposed` event with the L1 log context the driver needs. */
export interface Proposal {
  readonly id: bigint;
  readonly proposer: Address;
  readonly parentProposalHash: Hash;
  readonly endOfSubmissionWindowTimestamp: bigint;
  readonly basefeeSharingPctg: number;
  readonly sources: readonly DerivationSource[];
  readonly l1BlockNumber: bigint;
  readonly l1BlockHash: Hash;
  readonly l1TransactionHash: Hash;
  readonly logIndex: number;
}

/** One block of a derivation source manifest (`BlockManifest` RLP). */
export interface BlockManifest {
  readonly timestamp: bigint;
  readonly coinbase: Address;
  readonly anchorBlockNumber: bigint;
  /** Gas limit excluding the anchor transaction's budget. */
  readonly gasLimit: bigint;
  /** Transactions in EIP-2718 encoding (a legacy transaction is its RLP list). */
  readonly transactions: readonly Hex[];
}

/** A decoded `DerivationSourceManifest`. */
export interface SourceManifest {
  readonly blocks: readonly BlockManifest[];
}

/** Taiko block metadata carried inside payload attributes. */
export interface BlockMetadata {
  readonly beneficiary: Address;
  readonly gasLimit: bigint;
  readonly timestamp: bigint;
  readonly mixHash: Hash;
  /** RLP list of the block's transactions (anchor first); `null` lets the engine use its mempool. */
  readonly txList: Hex | null;
  readonly extraData: Hex;
}

/** The L1 origin record the engine keeps per L2 block. */
export interface L1Origin {
  readonly blockId: bigint;
  readonly l2BlockHash: Hash;
  /** `null` (or 0) marks a preconfirmed block not yet confirmed by L1. */
  readonly l1BlockHeight: bigint | null;
  readonly l1BlockHash: Hash | null;
  /** The 8-byte payload id. */
  readonly buildPayloadArgsId: Hex;
  readonly isForcedInclusion: boolean;
  /** 65 bytes. */
  readonly signature: Hex;
}

/** `TaikoPayloadAttributes` of alethia-reth, parsed. */
export interface TaikoPayloadAttributes {
  readonly timestamp: bigint;
  readonly prevRandao: Hash;
  readonly suggestedFeeRecipient: Address;
  /** The driver always sends an empty withdrawals list. */
  readonly withdrawals: readonly [];
  readonly baseFeePerGas: bigint;
  readonly blockMetadata: BlockMetadata;
  readonly l1Origin: L1Origin;
}

/** The subset of an L2 block header the driver reads. */
export interface L2BlockHeader {
  readonly number: bigint;
  readonly hash: Hash;
  readonly parentHash: Hash;
  readonly timestamp: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly baseFeePerGas: bigint | null;
  readonly difficulty: bigint;
  readonly mixHash: Hash;
  readonly extraData: Hex;
  readonly miner: Address;
}
