/**
 * Typed protocol values of Shasta derivation and of the engine API. Wire (hex JSON) shapes live in
 * `driver/engine/wire.ts`; everything here is already parsed: chain quantities are `bigint`, byte
 * strings are viem `Hex`.
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";

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
  /** Whether the source is a forced inclusion (exactly one block, inherited metadata). */
  readonly isForcedInclusion: boolean;
  /** Where the source's manifest is. */
  readonly blobSlice: BlobSlice;
}

/** A decoded Inbox `Proposed` event with the L1 log context the driver needs. */
export interface Proposal {
  /** The proposal id (`uint48`). */
  readonly id: bigint;
  /** The account that proposed. */
  readonly proposer: Address;
  /** Hash of the previous proposal (not used by derivation). */
  readonly parentProposalHash: Hash;
  /** End of the proposer's submission window, in seconds (not used by derivation). */
  readonly endOfSubmissionWindowTimestamp: bigint;
  /** Share of the base fee paid to the coinbase, in percent (`uint8`). */
  readonly basefeeSharingPctg: number;
  /** Derivation sources: forced inclusions first, the proposer's own source last. */
  readonly sources: readonly DerivationSource[];
  /** Number of the L1 block that emitted the event. */
  readonly l1BlockNumber: bigint;
  /** Hash of the L1 block that emitted the event. */
  readonly l1BlockHash: Hash;
  /** Hash of the proposing L1 transaction. */
  readonly l1TransactionHash: Hash;
  /** Index of the log in its L1 block. */
  readonly logIndex: number;
}

/** One block of a derivation source manifest (`BlockManifest` RLP). */
export interface BlockManifest {
  /** Block timestamp, in seconds. */
  readonly timestamp: bigint;
  /** Fee recipient. */
  readonly coinbase: Address;
  /** The L1 block the block anchors to. */
  readonly anchorBlockNumber: bigint;
  /** Gas limit excluding the anchor transaction's budget. */
  readonly gasLimit: bigint;
  /** Transactions in EIP-2718 encoding (a legacy transaction is its RLP list). */
  readonly transactions: readonly Hex[];
}

/** A decoded `DerivationSourceManifest`. */
export interface SourceManifest {
  /** The blocks, in order. */
  readonly blocks: readonly BlockManifest[];
}

/** Taiko block metadata carried inside payload attributes. */
export interface BlockMetadata {
  /** Fee recipient (the same as `suggestedFeeRecipient`). */
  readonly beneficiary: Address;
  /** Header gas limit, including the anchor budget. */
  readonly gasLimit: bigint;
  /** Block timestamp, in seconds. */
  readonly timestamp: bigint;
  /** The block's mix hash (the same as `prevRandao`). */
  readonly mixHash: Hash;
  /** RLP list of the block's transactions (anchor first); `null` lets the engine use its mempool. */
  readonly txList: Hex | null;
  /** The block's extraData (`basefeeSharingPctg` and proposal id). */
  readonly extraData: Hex;
}

/** The L1 origin record the engine keeps per L2 block. */
export interface L1Origin {
  /** The L2 block number. */
  readonly blockId: bigint;
  /** The L2 block hash (zero in payload attributes, before the block exists). */
  readonly l2BlockHash: Hash;
  /** `null` (or 0) marks a preconfirmed block not yet confirmed by L1. */
  readonly l1BlockHeight: bigint | null;
  /** The proposal's L1 block hash, or `null` for a preconfirmed block. */
  readonly l1BlockHash: Hash | null;
  /** The 8-byte payload id. */
  readonly buildPayloadArgsId: Hex;
  /** Whether the block comes from a forced-inclusion source. */
  readonly isForcedInclusion: boolean;
  /** 65 bytes. */
  readonly signature: Hex;
}

/** `TaikoPayloadAttributes` of alethia-reth, parsed. */
export interface TaikoPayloadAttributes {
  /** Block timestamp, in seconds. */
  readonly timestamp: bigint;
  /** The block's randomness (Shasta mix hash). */
  readonly prevRandao: Hash;
  /** Fee recipient. */
  readonly suggestedFeeRecipient: Address;
  /** The driver always sends an empty withdrawals list. */
  readonly withdrawals: readonly [];
  /** The block's base fee, in wei. */
  readonly baseFeePerGas: bigint;
  /** Taiko block metadata. */
  readonly blockMetadata: BlockMetadata;
  /** The L1 origin the engine stores for the block. */
  readonly l1Origin: L1Origin;
}

/** The subset of an L2 block header the driver reads. */
export interface L2BlockHeader {
  /** Block number. */
  readonly number: bigint;
  /** Block hash. */
  readonly hash: Hash;
  /** Parent block hash. */
  readonly parentHash: Hash;
  /** Block timestamp, in seconds. */
  readonly timestamp: bigint;
  /** Header gas limit. */
  readonly gasLimit: bigint;
  /** Gas used by the block's transactions. */
  readonly gasUsed: bigint;
  /** Base fee, in wei; `null` before London. */
  readonly baseFeePerGas: bigint | null;
  /** Header difficulty (0 for Shasta blocks). */
  readonly difficulty: bigint;
  /** Header mix hash. */
  readonly mixHash: Hash;
  /** Header extraData. */
  readonly extraData: Hex;
  /** Fee recipient (coinbase). */
  readonly miner: Address;
}
