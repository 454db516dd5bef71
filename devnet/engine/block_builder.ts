/**
 * How the engine simulator turns payload attributes into a block, and how it judges an imported
 * payload. No EVM runs, so three header fields are deterministic stand-ins that any honest builder
 * of the same block reproduces:
 * - `gasUsed` = the sum of the transactions' gas limits, capped at the block gas limit;
 * - `stateRoot` = keccak256(rlp([parent.stateRoot, transactionsRoot]));
 * - `receiptsRoot` = keccak256(rlp([transactionsRoot, gasUsed])); `logsBloom` is all zero.
 * Everything else is real: the transactions root is the ordered trie of the transactions, the hash
 * is keccak256 of the RLP header, and every non-genesis block must start with a golden-touch
 * `anchorV4` transaction carrying the golden-touch account's next nonce.
 *
 * @module
 */
import {
  type Address,
  decodeFunctionData,
  fromRlp,
  type Hash,
  type Hex,
  isAddressEqual,
  padHex,
  parseTransaction,
  serializeTransaction,
  toRlp,
  type TransactionSerialized,
} from "viem";
import { checksumAddress } from "../../internal/checksum_address.ts";
import { keccak256Bytes, keccak256Hex } from "../../internal/keccak.ts";
import { recoverAddressBytes } from "../../internal/secp256k1.ts";
import { orderedTrieRoot } from "../../driver/engine/trie_root.ts";
import { bytesFromHex } from "../../driver/hex_bytes.ts";
import { anchorAbi } from "../../driver/shasta/abi.ts";
import {
  ANCHOR_GAS_LIMIT,
  EMPTY_TRIE_ROOT,
  EMPTY_UNCLE_HASH,
  GOLDEN_TOUCH_ADDRESS,
} from "../../driver/shasta/constants.ts";
import type { TaikoPayloadAttributes } from "../../driver/shasta/types.ts";
import type { NewPayloadParams } from "./params.ts";
import { headerHash, rlpInteger, type SimBlock, type SimHeader, type SimTransaction } from "./sim_block.ts";

/** A block the simulator refuses to build or import, with the reason a real engine would give. */
export class BlockRejectedError extends Error {
  /** @param reason Why the block is invalid. */
  constructor(reason: string) {
    super(reason);
    this.name = "BlockRejectedError";
  }
}

/** What block rules depend on. */
export interface ChainRules {
  /** The L2 chain id anchor transactions must carry. */
  readonly chainId: bigint;
  /** The Anchor contract anchor transactions must call. */
  readonly anchorAddress: Address;
  /** Transactions already read, by hash (recovery is the costly step of a build). */
  readonly senders: SenderCache;
}

/** Most recovered senders kept; the oldest is dropped first. */
export const SENDER_CACHE_MAX_ENTRIES = 65_536;

/** What reading a transaction learns once: its sender and gas limit. */
export interface ReadTransaction {
  readonly from: Address;
  readonly gas: bigint;
}

/** A bounded map from transaction hash to recovered sender and gas limit. */
export class SenderCache {
  readonly #senders = new Map<Hash, ReadTransaction>();

  /**
   * @param hash A transaction hash.
   * @returns The sender and gas read earlier, if still kept.
   */
  get(hash: Hash): ReadTransaction | undefined {
    return this.#senders.get(hash);
  }

  /**
   * @param hash A transaction hash.
   * @param read Its recovered sender and gas limit.
   */
  set(hash: Hash, read: ReadTransaction): void {
    this.#senders.set(hash, read);
    if (this.#senders.size > SENDER_CACHE_MAX_ENTRIES) {
      this.#senders.delete(this.#senders.keys().next().value as Hash);
    }
  }
}

/** The zero logs bloom (no EVM, no logs). */
export const EMPTY_LOGS_BLOOM: Hex = `0x${"00".repeat(256)}`;
/** The zero header nonce of a post-merge block. */
const ZERO_NONCE: Hex = "0x0000000000000000";

/** A build request: the attributes and the block they build on. */
export interface BuildRequest {
  /** The block to build on. */
  readonly parent: SimBlock;
  /** The payload attributes. */
  readonly attributes: TaikoPayloadAttributes;
}

/**
 * Builds the block that payload attributes describe on top of their parent. Transactions of the
 * txList that do not decode or recover are dropped, as Taiko engines drop invalid list entries; the
 * anchor transaction itself must be valid.
 *
 * @param rules Chain id, anchor contract and sender cache.
 * @param request The parent and the attributes.
 * @returns The new block (not yet part of the chain).
 * @throws {BlockRejectedError} when the attributes cannot yield a valid block.
 */
export function buildBlock(rules: ChainRules, request: BuildRequest): SimBlock {
  const { parent, attributes: attrs } = request;
  const number = parent.header.number + 1n;
  if (attrs.l1Origin.blockId !== number) {
    throw new BlockRejectedError(
      `l1Origin.blockID ${attrs.l1Origin.blockId} is not the next block ${number}`,
    );
  }
  if (attrs.blockMetadata.timestamp !== attrs.timestamp) {
    throw new BlockRejectedError(
      `blockMetadata.timestamp ${attrs.blockMetadata.timestamp} differs from timestamp ${attrs.timestamp}`,
    );
  }
  const txList = attrs.blockMetadata.txList;
  if (txList === null) {
    throw new BlockRejectedError("blockMetadata.txList is required: the simulator has no mempool");
  }
  const transactions: SimTransaction[] = [];
  for (const [index, raw] of decodeTxListItems(txList).entries()) {
    try {
      transactions.push(readTransaction(raw, rules.senders));
    } catch (error) {
      if (index === 0) {
        throw new BlockRejectedError(`the anchor transaction does not decode: ${reason(error)}`);
      }
    }
  }
  const kept = transactions.filter((tx, i) => i === 0 || !isAddressEqual(tx.from, GOLDEN_TOUCH_ADDRESS));
  return assemble(
    parent,
    {
      miner: attrs.blockMetadata.beneficiary,
      gasLimit: attrs.blockMetadata.gasLimit,
      timestamp: attrs.timestamp,
      extraData: attrs.blockMetadata.extraData,
      mixHash: attrs.blockMetadata.mixHash,
      baseFeePerGas: attrs.baseFeePerGas,
    },
    kept,
    rules,
  );
}

/** An import request: the payload and its parent. */
export interface ImportRequest {
  /** The payload's parent. */
  readonly parent: SimBlock;
  /** The `engine_newPayloadV2` parameter. */
  readonly payload: NewPayloadParams;
}

/**
 * Checks an imported payload the way an engine would, then returns it as a block.
 *
 * @param rules Chain id, anchor contract and sender cache.
 * @param request The parent and the payload.
 * @returns The block.
 * @throws {BlockRejectedError} when the payload is invalid (the answer is then INVALID).
 */
export function importBlock(rules: ChainRules, request: ImportRequest): SimBlock {
  const { parent, payload } = request;
  const transactionsRoot = orderedTrieRoot(payload.transactions);
  if (payload.txHash !== transactionsRoot) {
    throw new BlockRejectedError(`txHash ${payload.txHash} is not the transactions root ${transactionsRoot}`);
  }
  if (payload.withdrawalsHash !== EMPTY_TRIE_ROOT) {
    throw new BlockRejectedError(`withdrawalsHash ${payload.withdrawalsHash} is not the empty-trie root`);
  }
  const header: SimHeader = {
    parentHash: payload.parentHash,
    sha3Uncles: EMPTY_UNCLE_HASH,
    miner: payload.feeRecipient,
    stateRoot: payload.stateRoot,
    transactionsRoot,
    receiptsRoot: payload.receiptsRoot,
    logsBloom: payload.logsBloom,
    difficulty: 0n,
    number: payload.blockNumber,
    gasLimit: payload.gasLimit,
    gasUsed: payload.gasUsed,
    timestamp: payload.timestamp,
    extraData: payload.extraData,
    mixHash: payload.prevRandao,
    nonce: ZERO_NONCE,
    baseFeePerGas: payload.baseFeePerGas,
    withdrawalsRoot: payload.withdrawalsHash,
  };
  const computed = headerHash(header);
  if (computed !== payload.blockHash) {
    throw new BlockRejectedError(
      `blockhash mismatch: payload says ${payload.blockHash}, header hashes to ${computed}`,
    );
  }
  const transactions: SimTransaction[] = [];
  for (const [index, raw] of payload.transactions.entries()) {
    try {
      transactions.push(readTransaction(raw, rules.senders));
    } catch (error) {
      throw new BlockRejectedError(`transaction ${index} is invalid: ${reason(error)}`);
    }
  }
  const expected = assemble(
    parent,
    {
      miner: header.miner,
      gasLimit: header.gasLimit,
      timestamp: header.timestamp,
      extraData: header.extraData,
      mixHash: header.mixHash,
      baseFeePerGas: header.baseFeePerGas,
    },
    transactions,
    rules,
  );
  for (const field of ["number", "gasUsed", "stateRoot", "receiptsRoot", "logsBloom"] as const) {
    if (expected.header[field] !== header[field]) {
      throw new BlockRejectedError(
        `${field} ${header[field]} differs from the executed ${expected.header[field]}`,
      );
    }
  }
  return expected;
}

/**
 * The block a genesis configuration describes.
 *
 * @param fields The genesis header fields.
 * @returns The genesis block (no transactions).
 */
export function genesisBlock(fields: {
  readonly timestamp: bigint;
  readonly gasLimit: bigint;
  readonly baseFeePerGas: bigint;
  readonly extraData: Hex;
  readonly stateRoot: Hash;
  readonly miner: Address;
}): SimBlock {
  const header: SimHeader = {
    parentHash: `0x${"00".repeat(32)}`,
    sha3Uncles: EMPTY_UNCLE_HASH,
    miner: fields.miner,
    stateRoot: fields.stateRoot,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: EMPTY_LOGS_BLOOM,
    difficulty: 0n,
    number: 0n,
    gasLimit: fields.gasLimit,
    gasUsed: 0n,
    timestamp: fields.timestamp,
    extraData: fields.extraData,
    mixHash: `0x${"00".repeat(32)}`,
    nonce: ZERO_NONCE,
    baseFeePerGas: fields.baseFeePerGas,
    withdrawalsRoot: EMPTY_TRIE_ROOT,
  };
  return { hash: headerHash(header), header, transactions: [], goldenTouchNonce: 0n, anchorBlockNumber: 0n };
}

interface BlockFields {
  readonly miner: Address;
  readonly gasLimit: bigint;
  readonly timestamp: bigint;
  readonly extraData: Hex;
  readonly mixHash: Hash;
  readonly baseFeePerGas: bigint;
}

function assemble(
  parent: SimBlock,
  fields: BlockFields,
  transactions: SimTransaction[],
  rules: ChainRules,
): SimBlock {
  const number = parent.header.number + 1n;
  if (fields.timestamp <= parent.header.timestamp) {
    throw new BlockRejectedError(
      `timestamp ${fields.timestamp} is not after the parent's ${parent.header.timestamp}`,
    );
  }
  if (fields.gasLimit === 0n) throw new BlockRejectedError("gas limit is zero");
  const anchorBlockNumber = checkAnchor(parent, transactions, rules);
  const transactionsRoot = orderedTrieRoot(transactions.map((tx) => tx.raw));
  const gasSum = transactions.reduce((sum, tx) => sum + tx.gas, 0n);
  const gasUsed = gasSum < fields.gasLimit ? gasSum : fields.gasLimit;
  const header: SimHeader = {
    parentHash: parent.hash,
    sha3Uncles: EMPTY_UNCLE_HASH,
    miner: fields.miner,
    stateRoot: keccak256Hex(toRlp([parent.header.stateRoot, transactionsRoot], "bytes")),
    transactionsRoot,
    receiptsRoot: keccak256Hex(toRlp([transactionsRoot, rlpInteger(gasUsed)], "bytes")),
    logsBloom: EMPTY_LOGS_BLOOM,
    difficulty: 0n,
    number,
    gasLimit: fields.gasLimit,
    gasUsed,
    timestamp: fields.timestamp,
    extraData: fields.extraData,
    mixHash: fields.mixHash,
    nonce: ZERO_NONCE,
    baseFeePerGas: fields.baseFeePerGas,
    withdrawalsRoot: EMPTY_TRIE_ROOT,
  };
  return {
    hash: headerHash(header),
    header,
    transactions,
    goldenTouchNonce: parent.goldenTouchNonce + 1n,
    anchorBlockNumber,
  };
}

/** Checks the anchor rules and returns the anchored L1 block number. */
function checkAnchor(parent: SimBlock, transactions: readonly SimTransaction[], rules: ChainRules): bigint {
  const anchor = transactions[0];
  if (anchor === undefined) throw new BlockRejectedError("the block has no anchor transaction");
  const tx = parseTransaction(anchor.raw as TransactionSerialized);
  if (tx.type !== "eip1559") {
    throw new BlockRejectedError(`the anchor transaction has type ${tx.type}, not eip1559`);
  }
  if (!isAddressEqual(anchor.from, GOLDEN_TOUCH_ADDRESS)) {
    throw new BlockRejectedError(
      `the anchor transaction is signed by ${anchor.from}, not the golden-touch account`,
    );
  }
  if (tx.to === undefined || tx.to === null || !isAddressEqual(tx.to, rules.anchorAddress)) {
    throw new BlockRejectedError(
      `the anchor transaction calls ${tx.to}, not the anchor ${rules.anchorAddress}`,
    );
  }
  if (BigInt(tx.chainId) !== rules.chainId) {
    throw new BlockRejectedError(`the anchor transaction has chain id ${tx.chainId}, not ${rules.chainId}`);
  }
  if (tx.gas !== ANCHOR_GAS_LIMIT) throw new BlockRejectedError(`the anchor transaction has gas ${tx.gas}`);
  if (BigInt(tx.nonce ?? 0) !== parent.goldenTouchNonce) {
    throw new BlockRejectedError(
      `the anchor transaction has nonce ${
        tx.nonce ?? 0
      }, the golden-touch account is at ${parent.goldenTouchNonce}`,
    );
  }
  if (transactions.slice(1).some((other) => isAddressEqual(other.from, GOLDEN_TOUCH_ADDRESS))) {
    throw new BlockRejectedError("only the first transaction may be sent by the golden-touch account");
  }
  try {
    const call = decodeFunctionData({ abi: anchorAbi, data: tx.data ?? "0x" });
    if (call.functionName !== "anchorV4") throw new Error(`it calls ${call.functionName}`);
    return BigInt(call.args[0].blockNumber);
  } catch (error) {
    throw new BlockRejectedError(`the anchor transaction is not an anchorV4 call: ${reason(error)}`);
  }
}

/** Splits an RLP transaction list into EIP-2718 transactions (legacy ones are RLP lists). */
function decodeTxListItems(txList: Hex): Hex[] {
  let items: unknown;
  try {
    items = fromRlp(txList, "hex");
  } catch (error) {
    throw new BlockRejectedError(`blockMetadata.txList is not RLP: ${reason(error)}`);
  }
  if (!Array.isArray(items)) throw new BlockRejectedError("blockMetadata.txList is not an RLP list");
  return items.map((item) => Array.isArray(item) ? toRlp(item as Hex[]) : item as Hex);
}

function readTransaction(raw: Hex, senders: SenderCache): SimTransaction {
  const hash = keccak256Hex(bytesFromHex(raw));
  const known = senders.get(hash);
  if (known !== undefined) return { raw, hash, ...known };
  const parsed = parseTransaction(raw as TransactionSerialized);
  const read = { from: recoverSender(parsed), gas: parsed.gas ?? 0n };
  senders.set(hash, read);
  return { raw, hash, ...read };
}

/** The signer of a transaction: its signature over the keccak of its unsigned serialization. */
function recoverSender(parsed: ReturnType<typeof parseTransaction>): Address {
  const { r, s, v: _v, yParity, ...unsigned } = parsed;
  if (r === undefined || s === undefined || yParity === undefined) {
    throw new Error("the transaction is not signed");
  }
  const digest = keccak256Bytes(bytesFromHex(serializeTransaction({ ...unsigned, sidecars: undefined })));
  const signature = new Uint8Array(64);
  // A parsed scalar drops its leading zero bytes.
  signature.set(bytesFromHex(padHex(r, { size: 32 })), 0);
  signature.set(bytesFromHex(padHex(s, { size: 32 })), 32);
  return checksumAddress(recoverAddressBytes(digest, signature, yParity));
}

function reason(error: unknown): string {
  return error instanceof Error
    ? (error as { shortMessage?: string }).shortMessage ?? error.message
    : String(error);
}
