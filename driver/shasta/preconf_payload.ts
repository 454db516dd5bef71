/**
 * Payload attributes of a preconfirmed block (p2p.md §13.2), computed with the same base fee, mix
 * hash, extraData and payload id rules as L1 derivation so that the block derivation later produces
 * is the same block (lesson S-7).
 *
 * @module
 */
import type { Address, Hex } from "../hex.ts";
import { nextBaseFeeEip4396 } from "./base_fee.ts";
import { encodeExtraData } from "./extra_data.ts";
import { computeMixHash } from "./mix_hash.ts";
import { assemblePayloadAttributes } from "./payload_attributes.ts";
import { encodeTxList } from "./tx_list.ts";
import type { L2BlockHeader, TaikoPayloadAttributes } from "./types.ts";

/** What a preconfirmed block's attributes are computed from. */
export interface PreconfPayloadInput {
  /** The L2 header at `blockNumber − 1`. */
  readonly parent: Pick<
    L2BlockHeader,
    "number" | "hash" | "timestamp" | "gasLimit" | "gasUsed" | "baseFeePerGas" | "difficulty"
  >;
  /** The grandparent's timestamp, or `null` when the parent is genesis. */
  readonly grandparentTimestamp: bigint | null;
  /** The committed block number; must be `parent.number + 1`. */
  readonly blockNumber: bigint;
  /** The committed timestamp, in seconds. */
  readonly timestamp: bigint;
  /** The committed header gas limit. */
  readonly gasLimit: bigint;
  /** The committed fee recipient. */
  readonly coinbase: Address;
  /** The committed proposal id (`uint48`). */
  readonly proposalId: bigint;
  /** The Inbox's `getConfig().basefeeSharingPctg`. */
  readonly basefeeSharingPctg: number;
  /** The block's raw transactions, the preconfer's anchor transaction first. */
  readonly transactions: readonly Hex[];
  /**
   * The chain's base-fee lower clamp, in wei.
   * @default {MIN_BASE_FEE}
   */
  readonly minBaseFee?: bigint;
}

/**
 * Builds the payload attributes of a preconfirmed block: base fee by EIP-4396 from the parent (25 000 000
 * wei after genesis), mix hash from the parent's difficulty and the block number, extraData from the
 * sharing percentage and proposal id, and an L1 origin without an L1 block.
 *
 * @param input The commitment's values, the parent header and the transactions.
 * @returns The attributes to submit through the driver's preconfirmation ingress.
 * @throws {RangeError} When the block does not follow the parent, a value is outside its protocol range,
 *   a transaction is malformed, or a non-genesis parent comes without a base fee or grandparent timestamp.
 *
 * @example
 * ```ts ignore
 * import { buildPreconfPayloadAttributes } from "./preconf_payload.ts";
 * const attrs = buildPreconfPayloadAttributes({ parent, grandparentTimestamp, blockNumber, timestamp,
 *   gasLimit, coinbase, proposalId, basefeeSharingPctg, transactions });
 * ```
 */
export function buildPreconfPayloadAttributes(input: PreconfPayloadInput): TaikoPayloadAttributes {
  const { parent } = input;
  if (input.blockNumber !== parent.number + 1n) {
    throw new RangeError(
      `Cannot build preconfirmation attributes for block ${input.blockNumber}: the parent is block ${parent.number}`,
    );
  }
  let parentBlockTime = 0n;
  if (parent.number !== 0n) {
    if (input.grandparentTimestamp === null) {
      throw new RangeError(
        `Cannot build preconfirmation attributes for block ${input.blockNumber}: no grandparent timestamp`,
      );
    }
    parentBlockTime = parent.timestamp > input.grandparentTimestamp
      ? parent.timestamp - input.grandparentTimestamp
      : 0n;
  }
  let txList: Hex;
  try {
    txList = encodeTxList(input.transactions);
  } catch (cause) {
    throw new RangeError(
      `Cannot build preconfirmation attributes for block ${input.blockNumber}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return assemblePayloadAttributes({
    parentHash: parent.hash,
    blockNumber: input.blockNumber,
    timestamp: input.timestamp,
    coinbase: input.coinbase,
    gasLimit: input.gasLimit,
    baseFeePerGas: nextBaseFeeEip4396(
      parent,
      parentBlockTime,
      input.minBaseFee === undefined ? {} : { minBaseFee: input.minBaseFee },
    ),
    mixHash: computeMixHash(parent.difficulty, input.blockNumber),
    txList,
    extraData: encodeExtraData(input.basefeeSharingPctg, input.proposalId),
    l1Block: null,
    isForcedInclusion: false,
  });
}
