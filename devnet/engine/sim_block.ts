/**
 * Blocks as the engine simulator keeps them: a Shasta header (the Shanghai field list: difficulty 0,
 * nonce 0, a withdrawals root and no blob or requests fields), its keccak hash, and the block's
 * transactions with their recovered senders; plus their JSON-RPC renderings.
 *
 * @module
 */
import {
  type Address,
  type Hash,
  type Hex,
  numberToHex,
  parseTransaction,
  toRlp,
  type TransactionSerialized,
} from "viem";
import { keccak256Hex } from "../../internal/keccak.ts";

/** The header fields of a Shasta block, in RLP order. */
export interface SimHeader {
  readonly parentHash: Hash;
  readonly sha3Uncles: Hash;
  readonly miner: Address;
  readonly stateRoot: Hash;
  readonly transactionsRoot: Hash;
  readonly receiptsRoot: Hash;
  readonly logsBloom: Hex;
  readonly difficulty: bigint;
  readonly number: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly timestamp: bigint;
  readonly extraData: Hex;
  readonly mixHash: Hash;
  /** 8 bytes. */
  readonly nonce: Hex;
  readonly baseFeePerGas: bigint;
  readonly withdrawalsRoot: Hash;
}

/** A transaction of a kept block. */
export interface SimTransaction {
  /** EIP-2718 bytes. */
  readonly raw: Hex;
  readonly hash: Hash;
  readonly from: Address;
  /** Its gas limit. */
  readonly gas: bigint;
}

/** A block the simulator has seen. */
export interface SimBlock {
  readonly hash: Hash;
  readonly header: SimHeader;
  readonly transactions: readonly SimTransaction[];
  /** The golden-touch account's nonce after this block (its anchor transactions so far). */
  readonly goldenTouchNonce: bigint;
  /** The L1 block this block's anchor transaction checkpoints (0 for genesis). */
  readonly anchorBlockNumber: bigint;
}

/**
 * The RLP bytes of an integer header field: minimal big-endian, zero as the empty string.
 *
 * @param value The integer.
 * @returns Its RLP byte string.
 */
export function rlpInteger(value: bigint): Hex {
  if (value === 0n) return "0x";
  const hex = value.toString(16);
  return `0x${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

/**
 * The block hash: keccak256 of the RLP list of the header fields.
 *
 * @param header The header.
 * @returns The hash.
 */
export function headerHash(header: SimHeader): Hash {
  return keccak256Hex(toRlp([
    header.parentHash,
    header.sha3Uncles,
    header.miner,
    header.stateRoot,
    header.transactionsRoot,
    header.receiptsRoot,
    header.logsBloom,
    rlpInteger(header.difficulty),
    rlpInteger(header.number),
    rlpInteger(header.gasLimit),
    rlpInteger(header.gasUsed),
    rlpInteger(header.timestamp),
    header.extraData,
    header.mixHash,
    header.nonce,
    rlpInteger(header.baseFeePerGas),
    header.withdrawalsRoot,
  ], "bytes"));
}

/**
 * Renders a block as `eth_getBlockBy*` does.
 *
 * @param block The block.
 * @param fullTransactions Whether to include transaction objects instead of hashes.
 * @returns The JSON object.
 */
export function blockToJson(block: SimBlock, fullTransactions: boolean): Record<string, unknown> {
  const h = block.header;
  const body = toRlp([
    [],
    block.transactions.map((tx) => tx.raw),
    [],
    [],
  ]);
  return {
    hash: block.hash,
    parentHash: h.parentHash,
    sha3Uncles: h.sha3Uncles,
    miner: h.miner,
    stateRoot: h.stateRoot,
    transactionsRoot: h.transactionsRoot,
    receiptsRoot: h.receiptsRoot,
    logsBloom: h.logsBloom,
    difficulty: numberToHex(h.difficulty),
    totalDifficulty: "0x0",
    number: numberToHex(h.number),
    gasLimit: numberToHex(h.gasLimit),
    gasUsed: numberToHex(h.gasUsed),
    timestamp: numberToHex(h.timestamp),
    extraData: h.extraData,
    mixHash: h.mixHash,
    nonce: h.nonce,
    baseFeePerGas: numberToHex(h.baseFeePerGas),
    withdrawalsRoot: h.withdrawalsRoot,
    withdrawals: [],
    uncles: [],
    size: numberToHex(BigInt((body.length - 2) / 2)),
    transactions: fullTransactions
      ? block.transactions.map((tx, index) => transactionToJson(tx, { block, index }))
      : block.transactions.map((tx) => tx.hash),
  };
}

const TYPE_NUMBERS = { legacy: 0, eip2930: 1, eip1559: 2, eip4844: 3, eip7702: 4 } as const;

/** Where a transaction sits. */
export interface TransactionPosition {
  /** Its block. */
  readonly block: SimBlock;
  /** Its index in the block. */
  readonly index: number;
}

/**
 * Renders a transaction as `eth_getTransactionBy*` and full blocks do.
 *
 * @param tx The transaction.
 * @param position Its block and index.
 * @returns The JSON object.
 */
export function transactionToJson(
  tx: SimTransaction,
  position: TransactionPosition,
): Record<string, unknown> {
  const { block, index } = position;
  const parsed = parseTransaction(tx.raw as TransactionSerialized);
  const type = parsed.type ?? "legacy";
  const json: Record<string, unknown> = {
    blockHash: block.hash,
    blockNumber: numberToHex(block.header.number),
    transactionIndex: numberToHex(index),
    hash: tx.hash,
    from: tx.from,
    to: parsed.to ?? null,
    nonce: numberToHex(parsed.nonce ?? 0),
    gas: numberToHex(parsed.gas ?? 0n),
    value: numberToHex(parsed.value ?? 0n),
    input: parsed.data ?? "0x",
    type: numberToHex(TYPE_NUMBERS[type]),
    r: parsed.r,
    s: parsed.s,
  };
  if (parsed.chainId !== undefined) json.chainId = numberToHex(parsed.chainId);
  if (parsed.yParity !== undefined && type !== "legacy") {
    json.yParity = numberToHex(parsed.yParity);
    json.v = numberToHex(parsed.yParity);
  }
  if (parsed.v !== undefined && type === "legacy") json.v = numberToHex(parsed.v);
  if (parsed.gasPrice !== undefined) json.gasPrice = numberToHex(parsed.gasPrice);
  if (parsed.maxFeePerGas !== undefined) {
    json.maxFeePerGas = numberToHex(parsed.maxFeePerGas);
    json.maxPriorityFeePerGas = numberToHex(parsed.maxPriorityFeePerGas ?? 0n);
    const tip = parsed.maxPriorityFeePerGas ?? 0n;
    const base = block.header.baseFeePerGas;
    json.gasPrice = numberToHex(base + tip < parsed.maxFeePerGas ? base + tip : parsed.maxFeePerGas);
  }
  if ("accessList" in parsed && parsed.accessList !== undefined) json.accessList = parsed.accessList;
  return json;
}
