/**
 * L2 blocks as the public L2 RPC returns them (`eth_getBlockByNumber` / `eth_getBlockByHash`), read
 * field by field into typed values.
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";
import type { L2BlockHeader } from "../shasta/types.ts";
import { malformedField, readAddress, readBytes, readObject, readQuantity } from "./json_fields.ts";

/** A transaction of a block fetched with full transactions. */
export interface L2Transaction {
  /** The transaction hash. */
  readonly hash: Hash;
  /** The recovered sender. */
  readonly from: Address;
  /** `null` for a contract creation. */
  readonly to: Address | null;
  /** The calldata. */
  readonly input: Hex;
  /** The sender's nonce. */
  readonly nonce: bigint;
  /** The gas limit. */
  readonly gas: bigint;
  /** The EIP-2718 type as a quantity (`0x0` legacy, `0x2` EIP-1559). */
  readonly type: Hex;
}

/** A block with its full transactions and the header fields canonical-block detection compares. */
export interface L2Block extends L2BlockHeader {
  /** The ommers hash (always the empty-list hash on Taiko). */
  readonly sha3Uncles: Hash;
  /** The post-state root. */
  readonly stateRoot: Hash;
  /** The transactions trie root. */
  readonly transactionsRoot: Hash;
  /** `null` before Shanghai. */
  readonly withdrawalsRoot: Hash | null;
  /** Number of withdrawals in the body (0 when the key is absent). */
  readonly withdrawalCount: number;
  /** The transactions, anchor first. */
  readonly transactions: readonly L2Transaction[];
}

/**
 * Reads the header fields the driver uses from a block object.
 *
 * @param json The block object.
 * @returns The typed header.
 * @throws {DriverError} kind `Rpc` when a field is missing or malformed.
 */
export function parseL2BlockHeader(json: unknown): L2BlockHeader {
  const o = readObject(json, "block");
  return {
    number: readQuantity(o.number, "block.number"),
    hash: readBytes(o.hash, "block.hash", { length: 32 }) as Hash,
    parentHash: readBytes(o.parentHash, "block.parentHash", { length: 32 }) as Hash,
    timestamp: readQuantity(o.timestamp, "block.timestamp"),
    gasLimit: readQuantity(o.gasLimit, "block.gasLimit"),
    gasUsed: readQuantity(o.gasUsed, "block.gasUsed"),
    baseFeePerGas: o.baseFeePerGas === undefined || o.baseFeePerGas === null
      ? null
      : readQuantity(o.baseFeePerGas, "block.baseFeePerGas"),
    difficulty: readQuantity(o.difficulty, "block.difficulty"),
    mixHash: readBytes(o.mixHash, "block.mixHash", { length: 32 }) as Hash,
    extraData: readBytes(o.extraData, "block.extraData"),
    miner: readAddress(o.miner, "block.miner"),
  };
}

/**
 * Reads a block fetched with full transactions.
 *
 * @param json The block object (`eth_getBlockBy*` with `fullTx = true`).
 * @returns The typed block.
 * @throws {DriverError} kind `Rpc` when a field is missing or malformed, or a transaction is only a hash.
 */
export function parseL2Block(json: unknown): L2Block {
  const header = parseL2BlockHeader(json);
  const o = readObject(json, "block");
  const transactions = o.transactions;
  if (!Array.isArray(transactions)) {
    throw malformedField("block.transactions", { expected: "an array", found: transactions });
  }
  const withdrawals = o.withdrawals;
  if (withdrawals !== undefined && withdrawals !== null && !Array.isArray(withdrawals)) {
    throw malformedField("block.withdrawals", { expected: "an array", found: withdrawals });
  }
  return {
    ...header,
    sha3Uncles: readBytes(o.sha3Uncles, "block.sha3Uncles", { length: 32 }) as Hash,
    stateRoot: readBytes(o.stateRoot, "block.stateRoot", { length: 32 }) as Hash,
    transactionsRoot: readBytes(o.transactionsRoot, "block.transactionsRoot", { length: 32 }) as Hash,
    withdrawalsRoot: o.withdrawalsRoot === undefined || o.withdrawalsRoot === null
      ? null
      : readBytes(o.withdrawalsRoot, "block.withdrawalsRoot", { length: 32 }) as Hash,
    withdrawalCount: Array.isArray(withdrawals) ? withdrawals.length : 0,
    transactions: transactions.map((tx, i) => parseTransaction(tx, `block.transactions[${i}]`)),
  };
}

function parseTransaction(json: unknown, field: string): L2Transaction {
  const o = readObject(json, field);
  return {
    hash: readBytes(o.hash, `${field}.hash`, { length: 32 }) as Hash,
    from: readAddress(o.from, `${field}.from`),
    to: o.to === null || o.to === undefined ? null : readAddress(o.to, `${field}.to`),
    input: readBytes(o.input, `${field}.input`),
    nonce: readQuantity(o.nonce, `${field}.nonce`),
    gas: readQuantity(o.gas, `${field}.gas`),
    type: `0x${readQuantity(o.type, `${field}.type`).toString(16)}`,
  };
}
