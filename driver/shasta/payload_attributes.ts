/**
 * Assembly of `TaikoPayloadAttributes` from a block's computed parameters, shared by L1 derivation
 * and the preconfirmation payload builder so both produce identical attributes (lesson S-7).
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";
import { MAX_UINT64, ZERO_HASH } from "./constants.ts";
import { taikoPayloadId } from "./payload_id.ts";
import type { TaikoPayloadAttributes } from "./types.ts";

/** 65 zero bytes: the L1 origin signature the driver always sends. */
const ZERO_SIGNATURE: Hex = `0x${"00".repeat(65)}`;

/** A block's parameters, already computed. */
export interface PayloadAttributesFields {
  /** The block the payload builds on. */
  readonly parentHash: Hash;
  /** The new block's number (the L1 origin's block id). */
  readonly blockNumber: bigint;
  /** The block timestamp, in seconds. */
  readonly timestamp: bigint;
  /** Fee recipient and beneficiary. */
  readonly coinbase: Address;
  /** The header gas limit (including the anchor budget). */
  readonly gasLimit: bigint;
  /** The block's base fee, in wei. */
  readonly baseFeePerGas: bigint;
  /** Used as both `prevRandao` and `mixHash`. */
  readonly mixHash: Hash;
  /** The block's transaction list (anchor first). */
  readonly txList: Hex;
  /** The block's extraData. */
  readonly extraData: Hex;
  /** The proposal's L1 block, or `null` for a preconfirmed block not yet proposed. */
  readonly l1Block: { readonly number: bigint; readonly hash: Hash } | null;
  /** Whether the block comes from a forced-inclusion source. */
  readonly isForcedInclusion: boolean;
}

/**
 * Builds the payload attributes and their L1 origin, whose `buildPayloadArgsId` is the payload id
 * the engine will answer with (driver.md §3.4.1, p2p.md §13.2).
 *
 * @param fields The block's parameters.
 * @returns The attributes, with an empty withdrawals list and a zero L1 origin signature.
 * @throws {RangeError} When the block number, timestamp or gas limit does not fit 64 bits.
 *
 * @example
 * ```ts ignore
 * import { assemblePayloadAttributes } from "./payload_attributes.ts";
 * const attrs = assemblePayloadAttributes({ parentHash, blockNumber: 2n, ...fields });
 * ```
 */
export function assemblePayloadAttributes(fields: PayloadAttributesFields): TaikoPayloadAttributes {
  for (const name of ["blockNumber", "timestamp", "gasLimit"] as const) {
    const value = fields[name];
    if (value < 0n || value > MAX_UINT64) {
      throw new RangeError(`Cannot build payload attributes: ${name} ${value} is not a uint64`);
    }
  }
  const attributes = {
    timestamp: fields.timestamp,
    prevRandao: fields.mixHash,
    suggestedFeeRecipient: fields.coinbase,
    withdrawals: [] as const,
    baseFeePerGas: fields.baseFeePerGas,
    blockMetadata: {
      beneficiary: fields.coinbase,
      gasLimit: fields.gasLimit,
      timestamp: fields.timestamp,
      mixHash: fields.mixHash,
      txList: fields.txList,
      extraData: fields.extraData,
    },
  };
  return {
    ...attributes,
    l1Origin: {
      blockId: fields.blockNumber,
      l2BlockHash: ZERO_HASH,
      l1BlockHeight: fields.l1Block?.number ?? null,
      l1BlockHash: fields.l1Block?.hash ?? null,
      buildPayloadArgsId: taikoPayloadId(fields.parentHash, attributes),
      isForcedInclusion: fields.isForcedInclusion,
      signature: ZERO_SIGNATURE,
    },
  };
}
