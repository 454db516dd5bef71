/**
 * Validation of a derivation source manifest against its parent block and proposal (driver.md §4.6),
 * and the inherited metadata that forced-inclusion and default manifests take from the parent
 * (driver.md §3.4.1). A manifest that fails is replaced by the default manifest, never retried.
 *
 * @module
 */
import type { Address } from "../hex.ts";
import {
  ANCHOR_GAS_LIMIT,
  BLOCK_GAS_LIMIT_MAX_CHANGE,
  GAS_LIMIT_DENOMINATOR,
  MAX_ANCHOR_OFFSET,
  MAX_BLOCK_GAS_LIMIT,
  MIN_BLOCK_GAS_LIMIT,
  TIMESTAMP_MAX_OFFSET,
} from "./constants.ts";
import type { SourceManifest } from "./types.ts";

/** What a segment is validated against. */
export interface ManifestValidationContext {
  /** Timestamp of the parent L2 block, in seconds. */
  readonly parentTimestamp: bigint;
  /** Gas limit of the parent L2 block (including the anchor budget unless it is genesis). */
  readonly parentGasLimit: bigint;
  /** Number of the parent L2 block. */
  readonly parentNumber: bigint;
  /** Anchor block number of the parent L2 block. */
  readonly parentAnchorBlockNumber: bigint;
  /** L1 timestamp of the block that emitted the proposal, in seconds. */
  readonly proposalTimestamp: bigint;
  /** The proposal's L1 block number minus one. */
  readonly originBlockNumber: bigint;
  /** Whether the segment is a forced inclusion (exempt from the anchor-advance rule). */
  readonly isForcedInclusion: boolean;
  /** Shasta fork timestamp of the chain, in seconds. */
  readonly shastaForkTimestamp: bigint;
  /**
   * Anchor lag bound, in L1 blocks.
   * @default {MAX_ANCHOR_OFFSET}
   */
  readonly maxAnchorOffset?: bigint;
  /**
   * Timestamp lag bound, in seconds.
   * @default {TIMESTAMP_MAX_OFFSET}
   */
  readonly timestampMaxOffset?: bigint;
}

/** Why a manifest was rejected. `EmptyManifest` and all the others lead to the default manifest. */
export type ManifestRejectionKind =
  | "EmptyManifest"
  | "InvalidTimestamp"
  | "InvalidAnchorBlockNumber"
  | "AnchorNotAdvanced"
  | "InvalidGasLimit";

/** The outcome of {@link validateSourceManifest}. */
export type ManifestValidation =
  | { readonly valid: true }
  | { readonly valid: false; readonly kind: ManifestRejectionKind; readonly message: string };

/**
 * Checks a manifest's timestamps, anchor block numbers and gas limits, block by block, each against
 * the previous block (the parent for the first). Coinbases are not checked.
 *
 * @param manifest The decoded (or inherited) manifest.
 * @param context The parent block and proposal it is checked against.
 * @returns `{valid: true}`, or the first rule broken.
 *
 * @example
 * ```ts
 * import { validateSourceManifest } from "./manifest_validation.ts";
 * const result = validateSourceManifest({ blocks: [] }, {
 *   parentTimestamp: 0n, parentGasLimit: 30_000_000n, parentNumber: 0n, parentAnchorBlockNumber: 0n,
 *   proposalTimestamp: 100n, originBlockNumber: 10n, isForcedInclusion: false, shastaForkTimestamp: 0n,
 * });
 * console.assert(!result.valid && result.kind === "EmptyManifest");
 * ```
 */
export function validateSourceManifest(
  manifest: SourceManifest,
  context: ManifestValidationContext,
): ManifestValidation {
  if (manifest.blocks.length === 0) return reject("EmptyManifest", "the manifest has no blocks");

  let previousTimestamp = context.parentTimestamp;
  for (const [i, block] of manifest.blocks.entries()) {
    const lower = timestampLowerBound(previousTimestamp, context);
    if (lower > context.proposalTimestamp) {
      return reject(
        "InvalidTimestamp",
        `block ${i}: the lowest allowed timestamp ${lower} is after the proposal timestamp ${context.proposalTimestamp}`,
      );
    }
    if (block.timestamp < lower || block.timestamp > context.proposalTimestamp) {
      return reject(
        "InvalidTimestamp",
        `block ${i}: timestamp ${block.timestamp} is outside [${lower}, ${context.proposalTimestamp}]`,
      );
    }
    previousTimestamp = block.timestamp;
  }

  const maxAnchorOffset = context.maxAnchorOffset ?? MAX_ANCHOR_OFFSET;
  const oldestAnchor = context.originBlockNumber > maxAnchorOffset
    ? context.originBlockNumber - maxAnchorOffset
    : 0n;
  let previousAnchor = context.parentAnchorBlockNumber;
  let highestAnchor = context.parentAnchorBlockNumber;
  for (const [i, block] of manifest.blocks.entries()) {
    const anchor = block.anchorBlockNumber;
    if (anchor < previousAnchor || anchor > context.originBlockNumber || anchor < oldestAnchor) {
      return reject(
        "InvalidAnchorBlockNumber",
        `block ${i}: anchor block ${anchor} is outside [max(${previousAnchor}, ${oldestAnchor}), ${context.originBlockNumber}]`,
      );
    }
    if (anchor > highestAnchor) highestAnchor = anchor;
    previousAnchor = anchor;
  }
  if (!context.isForcedInclusion && highestAnchor <= context.parentAnchorBlockNumber) {
    return reject(
      "AnchorNotAdvanced",
      `no block anchors past the parent's anchor block ${context.parentAnchorBlockNumber}`,
    );
  }

  let previousGasLimit = effectiveParentGasLimit(context.parentNumber, context.parentGasLimit);
  for (const [i, block] of manifest.blocks.entries()) {
    const [lower, upper] = gasLimitBounds(previousGasLimit);
    if (block.gasLimit < lower || block.gasLimit > upper) {
      return reject(
        "InvalidGasLimit",
        `block ${i}: gas limit ${block.gasLimit} is outside [${lower}, ${upper}]`,
      );
    }
    previousGasLimit = block.gasLimit;
  }
  return { valid: true };
}

/**
 * The lowest timestamp the block after one at `previousTimestamp` may have:
 * `max(previous + 1, proposalTimestamp − timestampMaxOffset (when positive), shastaForkTimestamp)`.
 *
 * @param previousTimestamp The previous block's timestamp, in seconds.
 * @param context The proposal timestamp, fork timestamp and optional lag bound.
 * @returns The lower bound, in seconds.
 *
 * @example
 * ```ts
 * import { timestampLowerBound } from "./manifest_validation.ts";
 * console.assert(timestampLowerBound(10n, { proposalTimestamp: 5000n, shastaForkTimestamp: 0n }) === 3464n);
 * ```
 */
export function timestampLowerBound(
  previousTimestamp: bigint,
  context: Pick<
    ManifestValidationContext,
    "proposalTimestamp" | "shastaForkTimestamp" | "timestampMaxOffset"
  >,
): bigint {
  const maxOffset = context.timestampMaxOffset ?? TIMESTAMP_MAX_OFFSET;
  let lower = previousTimestamp + 1n;
  if (context.proposalTimestamp > maxOffset && context.proposalTimestamp - maxOffset > lower) {
    lower = context.proposalTimestamp - maxOffset;
  }
  return lower > context.shastaForkTimestamp ? lower : context.shastaForkTimestamp;
}

/**
 * The gas limit a manifest's first block is measured against: the parent's, minus the anchor budget
 * unless the parent is genesis.
 *
 * @param parentNumber The parent block number.
 * @param parentGasLimit The parent block's header gas limit.
 * @returns The effective gas limit (saturating at 0).
 *
 * @example
 * ```ts
 * import { effectiveParentGasLimit } from "./manifest_validation.ts";
 * console.assert(effectiveParentGasLimit(5n, 31_000_000n) === 30_000_000n);
 * console.assert(effectiveParentGasLimit(0n, 31_000_000n) === 31_000_000n);
 * ```
 */
export function effectiveParentGasLimit(parentNumber: bigint, parentGasLimit: bigint): bigint {
  if (parentNumber === 0n) return parentGasLimit;
  return parentGasLimit > ANCHOR_GAS_LIMIT ? parentGasLimit - ANCHOR_GAS_LIMIT : 0n;
}

/**
 * The gas limits allowed after a block with `previousGasLimit`: at most ±200 ppm, within
 * [10M, 45M] (the lower bound never exceeds the upper one).
 *
 * @param previousGasLimit The previous block's gas limit, excluding the anchor budget.
 * @returns `[lower, upper]`, inclusive.
 *
 * @example
 * ```ts
 * import { gasLimitBounds } from "./manifest_validation.ts";
 * const [lower, upper] = gasLimitBounds(30_000_000n);
 * console.assert(lower === 29_994_000n && upper === 30_006_000n);
 * ```
 */
export function gasLimitBounds(previousGasLimit: bigint): readonly [bigint, bigint] {
  const scaledUp = previousGasLimit * (GAS_LIMIT_DENOMINATOR + BLOCK_GAS_LIMIT_MAX_CHANGE) /
    GAS_LIMIT_DENOMINATOR;
  const upper = scaledUp < MAX_BLOCK_GAS_LIMIT ? scaledUp : MAX_BLOCK_GAS_LIMIT;
  const scaledDown = previousGasLimit * (GAS_LIMIT_DENOMINATOR - BLOCK_GAS_LIMIT_MAX_CHANGE) /
    GAS_LIMIT_DENOMINATOR;
  const floored = scaledDown > MIN_BLOCK_GAS_LIMIT ? scaledDown : MIN_BLOCK_GAS_LIMIT;
  return [floored < upper ? floored : upper, upper];
}

/** What inherited metadata is taken from. */
export interface InheritedMetadataInput {
  /** Timestamp of the parent L2 block, in seconds. */
  readonly parentTimestamp: bigint;
  /** Number of the parent L2 block. */
  readonly parentNumber: bigint;
  /** Gas limit of the parent L2 block. */
  readonly parentGasLimit: bigint;
  /** Anchor block number of the parent L2 block. */
  readonly parentAnchorBlockNumber: bigint;
  /** The proposer, who becomes every block's coinbase. */
  readonly proposer: Address;
  /** L1 timestamp of the proposal, in seconds. */
  readonly proposalTimestamp: bigint;
  /** Shasta fork timestamp of the chain, in seconds. */
  readonly shastaForkTimestamp: bigint;
  /**
   * Timestamp lag bound, in seconds.
   * @default {TIMESTAMP_MAX_OFFSET}
   */
  readonly timestampMaxOffset?: bigint;
}

/**
 * Overwrites every block's metadata with what it inherits from the parent, keeping its transactions:
 * each timestamp is the lower bound after the previous one, the coinbase is the proposer, the anchor
 * is the parent's and the gas limit the parent's effective gas limit.
 *
 * @param manifest A forced-inclusion or default manifest.
 * @param input The parent block and proposal values.
 * @returns A new manifest; the input is not changed.
 *
 * @example
 * ```ts
 * import { applyInheritedMetadata } from "./manifest_validation.ts";
 * import { DEFAULT_MANIFEST } from "./manifest_codec.ts";
 * const inherited = applyInheritedMetadata(DEFAULT_MANIFEST, {
 *   parentTimestamp: 100n, parentNumber: 3n, parentGasLimit: 31_000_000n, parentAnchorBlockNumber: 7n,
 *   proposer: "0x00000000000000000000000000000000000000aa", proposalTimestamp: 200n, shastaForkTimestamp: 0n,
 * });
 * console.assert(inherited.blocks[0]!.timestamp === 101n && inherited.blocks[0]!.gasLimit === 30_000_000n);
 * ```
 */
export function applyInheritedMetadata(
  manifest: SourceManifest,
  input: InheritedMetadataInput,
): SourceManifest {
  const gasLimit = effectiveParentGasLimit(input.parentNumber, input.parentGasLimit);
  let previousTimestamp = input.parentTimestamp;
  return {
    blocks: manifest.blocks.map((block) => {
      const timestamp = timestampLowerBound(previousTimestamp, input);
      previousTimestamp = timestamp;
      return {
        timestamp,
        coinbase: input.proposer,
        anchorBlockNumber: input.parentAnchorBlockNumber,
        gasLimit,
        transactions: block.transactions,
      };
    }),
  };
}

function reject(kind: ManifestRejectionKind, message: string): ManifestValidation {
  return { valid: false, kind, message };
}
