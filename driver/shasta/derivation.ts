/**
 * Pure Shasta derivation (driver.md §3.4, §3.4.1): the rolling parent state, the proposal metadata,
 * segment preparation (forced-inclusion and default-manifest rules, inherited metadata, validation)
 * and the payload attributes of one block. The event syncer fetches the inputs (blobs, headers, the
 * anchor block, the golden-touch nonce) and calls these in order:
 *
 * ```
 * meta = proposalMetadata(proposal, l1Timestamp)
 * for each source: segment = prepareSegment(manifest, state, meta, {isForcedInclusion, chain})
 *   for each block of segment.manifest:
 *     derived = deriveBlock({block, parent: state, meta, isForcedInclusion, anchorBlock, anchorNonce, chain})
 *     header = engine insert (or match) of derived.attributes
 *     state = advanceParentState(state, header, derived.anchorBlockNumber)
 * ```
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";
import { DriverError } from "../errors.ts";
import { buildAnchorV4Transaction } from "./anchor_tx.ts";
import { nextBaseFeeEip4396 } from "./base_fee.ts";
import type { ShastaChainConfig } from "./chain_config.ts";
import { ANCHOR_GAS_LIMIT } from "./constants.ts";
import { encodeExtraData } from "./extra_data.ts";
import { DEFAULT_MANIFEST, isDefaultManifest } from "./manifest_codec.ts";
import {
  applyInheritedMetadata,
  type ManifestRejectionKind,
  validateSourceManifest,
} from "./manifest_validation.ts";
import { computeMixHash } from "./mix_hash.ts";
import { assemblePayloadAttributes } from "./payload_attributes.ts";
import { encodeBlockTxList } from "./tx_list.ts";
import type {
  BlockManifest,
  L2BlockHeader,
  Proposal,
  SourceManifest,
  TaikoPayloadAttributes,
} from "./types.ts";

/** The parent header fields derivation reads. */
export type ParentHeader = Pick<
  L2BlockHeader,
  "number" | "hash" | "timestamp" | "gasLimit" | "gasUsed" | "baseFeePerGas" | "difficulty"
>;

/** The block the next derived block builds on. */
export interface ParentState {
  /** The parent block's header. */
  readonly header: ParentHeader;
  /** The parent's anchor block number (Anchor `getBlockState()` at the parent). */
  readonly anchorBlockNumber: bigint;
  /** `parent.timestamp − grandparent.timestamp`, in seconds; 0 for a genesis parent. */
  readonly parentBlockTime: bigint;
}

/** Proposal-level values shared by every block of a proposal. */
export interface ProposalMetadata {
  /** The proposal id (`uint48`). */
  readonly proposalId: bigint;
  /** The proposer: the coinbase of inherited and default blocks. */
  readonly proposer: Address;
  /** Share of the base fee paid to the coinbase, in percent. */
  readonly basefeeSharingPctg: number;
  /** Timestamp of the L1 block that emitted the proposal, in seconds. */
  readonly proposalTimestamp: bigint;
  /** Number and hash of the L1 block that emitted the proposal. */
  readonly l1BlockNumber: bigint;
  /** Hash of the L1 block that emitted the proposal. */
  readonly l1BlockHash: Hash;
  /** `l1BlockNumber − 1`: the newest L1 block an anchor may reference. */
  readonly originBlockNumber: bigint;
}

/** A segment ready for block derivation. */
export interface PreparedSegment {
  /** The manifest whose blocks are derived: at least one block. */
  readonly manifest: SourceManifest;
  /** Whether the source is a forced inclusion. */
  readonly isForcedInclusion: boolean;
  /** Why the source's own manifest was replaced by the default one, or `null`. */
  readonly rejection: {
    readonly kind: ManifestRejectionKind | "ForcedInclusionBlockCount";
    readonly message: string;
  } | null;
}

/** The values of one derived block. */
export interface DerivedBlock {
  /** The payload attributes for `engine_forkchoiceUpdatedV2`. */
  readonly attributes: TaikoPayloadAttributes;
  /** The signed anchor transaction (also the first transaction of `attributes.blockMetadata.txList`). */
  readonly anchorTransaction: Hex;
  /** The hash of the block this one builds on. */
  readonly parentHash: Hash;
  /** The new block's number. */
  readonly blockNumber: bigint;
  /** The L1 block the new block anchors to (its parent state's anchor afterwards). */
  readonly anchorBlockNumber: bigint;
}

/** The inputs of {@link deriveBlock}. */
export interface DeriveBlockInput {
  /** A block of a {@link PreparedSegment}'s manifest. */
  readonly block: BlockManifest;
  /** The block's parent. */
  readonly parent: ParentState;
  /** The proposal the block belongs to. */
  readonly meta: ProposalMetadata;
  /** Whether the block's segment is a forced inclusion. */
  readonly isForcedInclusion: boolean;
  /** Hash and state root of the L1 block `block.anchorBlockNumber`. */
  readonly anchorBlock: { readonly hash: Hash; readonly stateRoot: Hash };
  /** The golden-touch account's nonce at the parent block. */
  readonly anchorNonce: bigint;
  /** The chain's parameters (chain id, anchor contract, fork timestamp, base-fee clamp). */
  readonly chain: ShastaChainConfig;
}

/**
 * The parent state of a header.
 *
 * @param header The parent header.
 * @param grandparentTimestamp The grandparent's timestamp, or `null` when the parent is genesis.
 * @param anchorBlockNumber The parent's anchor block number.
 * @returns The parent state.
 * @throws {RangeError} When a non-genesis parent comes without a grandparent timestamp.
 *
 * @example
 * ```ts ignore
 * const state = parentState(parent, parent.number === 0n ? null : grandparent.timestamp, anchor);
 * ```
 */
export function parentState(
  header: ParentHeader,
  grandparentTimestamp: bigint | null,
  anchorBlockNumber: bigint,
): ParentState {
  if (header.number === 0n) return { header, anchorBlockNumber, parentBlockTime: 0n };
  if (grandparentTimestamp === null) {
    throw new RangeError(`Cannot build the parent state of block ${header.number}: no grandparent timestamp`);
  }
  return { header, anchorBlockNumber, parentBlockTime: blockTime(header.timestamp, grandparentTimestamp) };
}

/**
 * The parent state after a block was inserted (or found canonical) on top of `state`.
 *
 * @param state The state the block was derived from.
 * @param header The block's header.
 * @param anchorBlockNumber The block's anchor block number.
 * @returns The state for the next block.
 * @throws {DriverError} `Derivation` when the header is not the next block number.
 *
 * @example
 * ```ts ignore
 * state = advanceParentState(state, inserted, derived.anchorBlockNumber);
 * ```
 */
export function advanceParentState(
  state: ParentState,
  header: ParentHeader,
  anchorBlockNumber: bigint,
): ParentState {
  const expected = state.header.number + 1n;
  if (header.number !== expected) {
    throw new DriverError(
      "Derivation",
      `Cannot advance the parent state to block ${header.number}: expected block ${expected}, check the engine's head`,
      { context: { blockNumber: header.number } },
    );
  }
  return {
    header,
    anchorBlockNumber,
    parentBlockTime: blockTime(header.timestamp, state.header.timestamp),
  };
}

/**
 * The proposal-level metadata of a decoded `Proposed` event.
 *
 * @param proposal The decoded event with its L1 log context.
 * @param l1Timestamp The timestamp of the L1 block `proposal.l1BlockHash`, in seconds.
 * @returns The metadata every block of the proposal shares.
 * @throws {RangeError} When the proposal is in L1 block 0.
 *
 * @example
 * ```ts ignore
 * const meta = proposalMetadata(decodeProposedLog(log), l1Block.timestamp);
 * ```
 */
export function proposalMetadata(proposal: Proposal, l1Timestamp: bigint): ProposalMetadata {
  if (proposal.l1BlockNumber === 0n) {
    throw new RangeError(
      `Cannot derive proposal ${proposal.id}: it is in L1 block 0, which has no origin block`,
    );
  }
  return {
    proposalId: proposal.id,
    proposer: proposal.proposer,
    basefeeSharingPctg: proposal.basefeeSharingPctg,
    proposalTimestamp: l1Timestamp,
    l1BlockNumber: proposal.l1BlockNumber,
    l1BlockHash: proposal.l1BlockHash,
    originBlockNumber: proposal.l1BlockNumber - 1n,
  };
}

/**
 * Turns a source's decoded manifest into the manifest whose blocks are derived:
 * 1. a forced inclusion must have exactly one block, else it is the default manifest;
 * 2. a forced inclusion or a default manifest takes inherited metadata (keeping its transactions);
 * 3. a manifest that fails validation becomes the default manifest with inherited metadata.
 *
 * @param manifest The source's decoded manifest (or the default one).
 * @param state The parent the segment's first block builds on.
 * @param meta The proposal metadata.
 * @param options Whether the source is a forced inclusion, and the chain's parameters.
 * @returns The prepared segment; it always has at least one block.
 *
 * @example
 * ```ts ignore
 * const segment = prepareSegment(manifest, state, meta, { isForcedInclusion: source.isForcedInclusion, chain });
 * ```
 */
export function prepareSegment(
  manifest: SourceManifest,
  state: ParentState,
  meta: ProposalMetadata,
  options: { readonly isForcedInclusion: boolean; readonly chain: ShastaChainConfig },
): PreparedSegment {
  const { isForcedInclusion, chain } = options;
  const inherit = (m: SourceManifest): SourceManifest =>
    applyInheritedMetadata(m, {
      parentTimestamp: state.header.timestamp,
      parentNumber: state.header.number,
      parentGasLimit: state.header.gasLimit,
      parentAnchorBlockNumber: state.anchorBlockNumber,
      proposer: meta.proposer,
      proposalTimestamp: meta.proposalTimestamp,
      shastaForkTimestamp: chain.shastaForkTimestamp,
      timestampMaxOffset: chain.timestampMaxOffset,
    });

  if (isForcedInclusion && manifest.blocks.length !== 1) {
    return {
      manifest: inherit(DEFAULT_MANIFEST),
      isForcedInclusion,
      rejection: {
        kind: "ForcedInclusionBlockCount",
        message: `a forced inclusion must have exactly 1 block, found ${manifest.blocks.length}`,
      },
    };
  }
  const candidate = isForcedInclusion || isDefaultManifest(manifest) ? inherit(manifest) : manifest;
  const validation = validateSourceManifest(candidate, {
    parentTimestamp: state.header.timestamp,
    parentGasLimit: state.header.gasLimit,
    parentNumber: state.header.number,
    parentAnchorBlockNumber: state.anchorBlockNumber,
    proposalTimestamp: meta.proposalTimestamp,
    originBlockNumber: meta.originBlockNumber,
    isForcedInclusion,
    shastaForkTimestamp: chain.shastaForkTimestamp,
    maxAnchorOffset: chain.maxAnchorOffset,
    timestampMaxOffset: chain.timestampMaxOffset,
  });
  if (validation.valid) return { manifest: candidate, isForcedInclusion, rejection: null };
  return {
    manifest: inherit(DEFAULT_MANIFEST),
    isForcedInclusion,
    rejection: { kind: validation.kind, message: validation.message },
  };
}

/**
 * The number, base fee and mix hash of the block after `state`'s header.
 *
 * @param state The parent state.
 * @param chain The chain's parameters (fork timestamp, base-fee clamp).
 * @returns The block's parameters.
 * @throws {DriverError} `Derivation` when the parent is before the Shasta fork.
 *
 * @example
 * ```ts ignore
 * const { number, baseFeePerGas, mixHash } = blockParameters(state, chain);
 * ```
 */
export function blockParameters(
  state: ParentState,
  chain: Pick<ShastaChainConfig, "shastaForkTimestamp" | "minBaseFee">,
): { readonly number: bigint; readonly baseFeePerGas: bigint; readonly mixHash: Hash } {
  const number = state.header.number + 1n;
  if (state.header.timestamp < chain.shastaForkTimestamp) {
    throw new DriverError(
      "Derivation",
      `Cannot derive block ${number}: parent timestamp ${state.header.timestamp} is before the Shasta fork at ${chain.shastaForkTimestamp}, check the chain's fork timestamp`,
      { context: { blockNumber: number } },
    );
  }
  return {
    number,
    baseFeePerGas: nextBaseFeeEip4396(state.header, state.parentBlockTime, { minBaseFee: chain.minBaseFee }),
    mixHash: computeMixHash(state.header.difficulty, number),
  };
}

/**
 * Derives one block: its anchor transaction and its payload attributes, with the L1 origin pointing
 * at the proposal's L1 block.
 *
 * @param input The block, its parent, the proposal, the anchor block and nonce, and the chain.
 * @returns The attributes to send to the engine and what the caller needs to check the result.
 * @throws {DriverError} `Derivation` when the parent is before the Shasta fork.
 * @throws {RangeError} When a value is outside its protocol range.
 *
 * @example
 * ```ts ignore
 * const derived = deriveBlock({ block, parent: state, meta, isForcedInclusion, anchorBlock, anchorNonce, chain });
 * ```
 */
export function deriveBlock(input: DeriveBlockInput): DerivedBlock {
  const { block, parent, meta, chain } = input;
  const params = blockParameters(parent, chain);
  const anchorTransaction = buildAnchorV4Transaction({
    chainId: chain.chainId,
    nonce: input.anchorNonce,
    baseFeePerGas: params.baseFeePerGas,
    anchorAddress: chain.anchorAddress,
    checkpoint: {
      blockNumber: block.anchorBlockNumber,
      blockHash: input.anchorBlock.hash,
      stateRoot: input.anchorBlock.stateRoot,
    },
  });
  const attributes = assemblePayloadAttributes({
    parentHash: parent.header.hash,
    blockNumber: params.number,
    timestamp: block.timestamp,
    coinbase: block.coinbase,
    // The manifest's gas limit excludes the anchor transaction's budget.
    gasLimit: block.gasLimit + ANCHOR_GAS_LIMIT,
    baseFeePerGas: params.baseFeePerGas,
    mixHash: params.mixHash,
    txList: encodeBlockTxList(anchorTransaction, block.transactions),
    extraData: encodeExtraData(meta.basefeeSharingPctg, meta.proposalId),
    l1Block: { number: meta.l1BlockNumber, hash: meta.l1BlockHash },
    isForcedInclusion: input.isForcedInclusion,
  });
  return {
    attributes,
    anchorTransaction,
    parentHash: parent.header.hash,
    blockNumber: params.number,
    anchorBlockNumber: block.anchorBlockNumber,
  };
}

function blockTime(timestamp: bigint, previousTimestamp: bigint): bigint {
  return timestamp > previousTimestamp ? timestamp - previousTimestamp : 0n;
}
