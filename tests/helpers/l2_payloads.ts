/**
 * Builds valid Taiko payload attributes for the next L2 block with the driver's own Shasta builders
 * (golden-touch anchorV4 transaction, txList, mixHash, extraData, payload id), for engine tests.
 */
import type { Address, Hash, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildAnchorV4Transaction } from "../../driver/shasta/anchor_tx.ts";
import { anchorAddress } from "../../driver/shasta/chain_config.ts";
import { encodeExtraData } from "../../driver/shasta/extra_data.ts";
import { computeMixHash } from "../../driver/shasta/mix_hash.ts";
import { assemblePayloadAttributes } from "../../driver/shasta/payload_attributes.ts";
import { encodeTxList } from "../../driver/shasta/tx_list.ts";
import type { TaikoPayloadAttributes } from "../../driver/shasta/types.ts";

/** A 32-byte JWT secret for tests. */
export const TEST_JWT_SECRET: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

/** anvil's second default account, used to sign user transactions of test blocks. */
const USER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7412f4603b6b78690d";

/** The parent a test block builds on. */
export interface TestParent {
  readonly hash: Hash;
  readonly number: bigint;
  readonly timestamp: bigint;
}

/** Choices for one test block. */
export interface TestBlockOptions {
  /** @default 167001n */
  readonly chainId?: bigint;
  /** @default parent.number (one anchor per block since genesis) */
  readonly anchorNonce?: bigint;
  /** @default parent.timestamp + 2n */
  readonly timestamp?: bigint;
  /** @default "0x00000000000000000000000000000000000000c0" */
  readonly coinbase?: Address;
  /** @default 31_000_000n */
  readonly gasLimit?: bigint;
  /** @default 25_000_000n */
  readonly baseFeePerGas?: bigint;
  /** @default 1n */
  readonly proposalId?: bigint;
  /** @default 10n */
  readonly anchorBlockNumber?: bigint;
  /** Transactions after the anchor. @default [] */
  readonly transactions?: readonly Hex[];
  /** The proposal's L1 block; `null` marks a preconfirmed block. @default null */
  readonly l1Block?: { readonly number: bigint; readonly hash: Hash } | null;
}

/**
 * Payload attributes for the block after `parent`.
 *
 * @param parent The parent block.
 * @param options Field choices.
 * @returns The attributes, anchor transaction first in the txList.
 */
export function nextPayloadAttributes(
  parent: TestParent,
  options: TestBlockOptions = {},
): TaikoPayloadAttributes {
  const chainId = options.chainId ?? 167_001n;
  const baseFeePerGas = options.baseFeePerGas ?? 25_000_000n;
  const anchorBlockNumber = options.anchorBlockNumber ?? 10n;
  const anchor = buildAnchorV4Transaction({
    chainId,
    nonce: options.anchorNonce ?? parent.number,
    baseFeePerGas,
    anchorAddress: anchorAddress(chainId),
    checkpoint: {
      blockNumber: anchorBlockNumber,
      blockHash: `0x${anchorBlockNumber.toString(16).padStart(64, "a")}`,
      stateRoot: `0x${"5".repeat(64)}`,
    },
  });
  const number = parent.number + 1n;
  return assemblePayloadAttributes({
    parentHash: parent.hash,
    blockNumber: number,
    timestamp: options.timestamp ?? parent.timestamp + 2n,
    coinbase: options.coinbase ?? "0x00000000000000000000000000000000000000c0",
    gasLimit: options.gasLimit ?? 31_000_000n,
    baseFeePerGas,
    mixHash: computeMixHash(0n, number),
    txList: encodeTxList([anchor, ...(options.transactions ?? [])]),
    extraData: encodeExtraData(50, options.proposalId ?? 1n),
    l1Block: options.l1Block ?? null,
    isForcedInclusion: false,
  });
}

/**
 * A signed EIP-1559 user transaction for L2 test blocks.
 *
 * @param nonce The sender's nonce.
 * @param chainId The L2 chain id.
 * @returns The raw transaction.
 */
export function userTransaction(nonce: number, chainId = 167_001n): Promise<Hex> {
  return privateKeyToAccount(USER_KEY).signTransaction({
    type: "eip1559",
    chainId: Number(chainId),
    nonce,
    to: "0x000000000000000000000000000000000000dEaD",
    value: 1n,
    gas: 21_000n + BigInt(nonce),
    maxFeePerGas: 1_000_000_000n,
    maxPriorityFeePerGas: 1n,
  });
}
