/**
 * Conversions between the engine's hex JSON shapes (`rpc_schema.ts`) and the typed values the driver
 * uses, following spec/driver.md 2.5: flat payload attributes, `blockMetadata.gasLimit` as a JSON
 * number, `blockMetadata.extraData` in base64, L1-origin byte arrays as arrays of numbers, and the
 * `engine_newPayloadV2` parameter built from the V1 fields plus `txHash`, `withdrawalsHash` and
 * `taikoBlock` (no `withdrawals` key). Responses are validated field by field; a malformed one is a
 * `DriverError` of kind `Rpc` naming the field (`driver/rpc/json_fields.ts`).
 *
 * @module
 */
import { numberToHex, toRlp } from "viem";
import type { Address, Hash, Hex } from "../hex.ts";
import { bytesFromHex, hexFromBytes } from "../hex_bytes.ts";
import {
  malformedField,
  readAddress,
  readBoolean,
  readByteArray,
  readBytes,
  readObject,
  readQuantity,
} from "../rpc/json_fields.ts";
import { ZERO_HASH } from "../shasta/constants.ts";
import type { BlockMetadata, L1Origin, TaikoPayloadAttributes } from "../shasta/types.ts";
import type {
  BlockMetadataRpc,
  ForkchoiceStateRpc,
  L1OriginRpc,
  PayloadStatusValue,
  QuantityRpc,
  TaikoExecutionDataRpc,
  TaikoPayloadAttributesRpc,
} from "./rpc_schema.ts";
import { orderedTrieRoot, orderedTrieRootOfBytes } from "./trie_root.ts";

/**
 * The decoded bytes of the transaction lists `parseExecutionPayload` returned (frozen lists): the
 * `txHash` of `serializeNewPayloadParams` hashes them instead of decoding every transaction again.
 */
const payloadTransactionBytes = new WeakMap<readonly Hex[], readonly Uint8Array[]>();

/** Roots computed ahead by {@linkcode hintTransactionsRoot} that are kept, newest first out last. */
const TRANSACTIONS_ROOT_HINTS = 4;
const rootHints: { readonly items: readonly Hex[]; readonly root: Hash }[] = [];

/** Bytes of a payload id (`buildPayloadArgsID`). */
export const PAYLOAD_ID_BYTES = 8;
/** Bytes of an L1-origin signature. */
export const L1_ORIGIN_SIGNATURE_BYTES = 65;
/** The largest integer a JSON number holds exactly; `blockMetadata.gasLimit` must stay below it. */
const MAX_JSON_SAFE_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

/** The forkchoice hashes; the zero hash leaves safe or finalized unset. */
export interface ForkchoiceState {
  /** The block to make the head. */
  readonly headBlockHash: Hash;
  /** The safe block, or the zero hash to leave it unchanged. */
  readonly safeBlockHash: Hash;
  /** The finalized block, or the zero hash to leave it unchanged. */
  readonly finalizedBlockHash: Hash;
}

/** A parsed `PayloadStatusV1`. */
export interface PayloadStatus {
  /** `VALID`, `INVALID`, `SYNCING` or `ACCEPTED`. */
  readonly status: PayloadStatusValue;
  /** The most recent valid block on the payload's branch, if the engine knows it. */
  readonly latestValidHash: Hash | null;
  /** Why the payload is invalid, for `INVALID`. */
  readonly validationError: string | null;
}

/** A parsed `engine_forkchoiceUpdatedV2` result. */
export interface ForkchoiceUpdatedResult {
  /** The status of the forkchoice head. */
  readonly payloadStatus: PayloadStatus;
  /** The 8-byte payload id, or `null` when no payload is being built. */
  readonly payloadId: Hex | null;
}

/** An EIP-4895 withdrawal. */
export interface Withdrawal {
  /** The withdrawal's global index. */
  readonly index: bigint;
  /** The validator's index. */
  readonly validatorIndex: bigint;
  /** The recipient. */
  readonly address: Address;
  /** The amount, in gwei. */
  readonly amount: bigint;
}

/** A parsed execution payload (V1, or V2 when `withdrawals` is a list). */
export interface ExecutionPayload {
  /** The parent block's hash. */
  readonly parentHash: Hash;
  /** The block's coinbase. */
  readonly feeRecipient: Address;
  /** The post-state root. */
  readonly stateRoot: Hash;
  /** The receipts trie root. */
  readonly receiptsRoot: Hash;
  /** The 256-byte logs bloom. */
  readonly logsBloom: Hex;
  /** The header's mixHash. */
  readonly prevRandao: Hash;
  /** The block number. */
  readonly blockNumber: bigint;
  /** The block gas limit. */
  readonly gasLimit: bigint;
  /** The gas the block used. */
  readonly gasUsed: bigint;
  /** The block timestamp, in unix seconds. */
  readonly timestamp: bigint;
  /** The header's extraData. */
  readonly extraData: Hex;
  /** The base fee, in wei. */
  readonly baseFeePerGas: bigint;
  /** The block hash the builder computed. */
  readonly blockHash: Hash;
  /** EIP-2718 encoded transactions. */
  readonly transactions: readonly Hex[];
  /** `null` for a V1 payload. */
  readonly withdrawals: readonly Withdrawal[] | null;
}

/** A parsed `engine_getPayloadV2` result. */
export interface GetPayloadResult {
  /** The built payload. */
  readonly executionPayload: ExecutionPayload;
  /** The fees the builder expects, in wei. */
  readonly blockValue: bigint;
}

/**
 * Writes a forkchoice state.
 *
 * @param state The three hashes.
 * @returns The JSON shape of `engine_forkchoiceUpdatedV2`'s first parameter.
 */
export function serializeForkchoiceState(state: ForkchoiceState): ForkchoiceStateRpc {
  return {
    headBlockHash: state.headBlockHash,
    safeBlockHash: state.safeBlockHash,
    finalizedBlockHash: state.finalizedBlockHash,
  };
}

/**
 * Writes Taiko payload attributes in alethia-reth's wire format.
 *
 * @param attrs The typed attributes.
 * @returns The flat JSON object of `engine_forkchoiceUpdatedV2`'s second parameter.
 * @throws {RangeError} when a value does not fit its wire field (gas limit above 2^53, bad byte lengths).
 *
 * @example
 * ```ts ignore
 * const json = serializePayloadAttributes(attrs);
 * typeof json.blockMetadata.gasLimit; // "number"
 * ```
 */
export function serializePayloadAttributes(attrs: TaikoPayloadAttributes): TaikoPayloadAttributesRpc {
  return {
    timestamp: quantity(attrs.timestamp),
    prevRandao: attrs.prevRandao,
    suggestedFeeRecipient: attrs.suggestedFeeRecipient,
    withdrawals: [],
    baseFeePerGas: quantity(attrs.baseFeePerGas),
    blockMetadata: serializeBlockMetadata(attrs.blockMetadata),
    l1Origin: serializeL1Origin(attrs.l1Origin),
  };
}

/**
 * Writes an L1 origin (`RpcL1Origin`).
 *
 * @param origin The typed L1 origin.
 * @returns Its JSON shape, byte strings as arrays of numbers.
 * @throws {RangeError} when the payload id is not 8 bytes or the signature not 65.
 */
export function serializeL1Origin(origin: L1Origin): L1OriginRpc {
  return {
    blockID: quantity(origin.blockId),
    l2BlockHash: origin.l2BlockHash,
    l1BlockHeight: origin.l1BlockHeight === null ? null : quantity(origin.l1BlockHeight),
    l1BlockHash: origin.l1BlockHash,
    buildPayloadArgsID: byteArray(origin.buildPayloadArgsId, PAYLOAD_ID_BYTES, "buildPayloadArgsId"),
    isForcedInclusion: origin.isForcedInclusion,
    signature: byteArray(origin.signature, L1_ORIGIN_SIGNATURE_BYTES, "signature"),
  };
}

/**
 * Reads an L1 origin returned by the engine.
 *
 * @param json The `RpcL1Origin` object.
 * @returns The typed L1 origin.
 * @throws {DriverError} kind `Rpc` when a field is missing or malformed.
 */
export function parseL1Origin(json: unknown): L1Origin {
  const o = readObject(json, "l1Origin");
  return {
    blockId: readQuantity(o.blockID, "l1Origin.blockID"),
    l2BlockHash: readBytes(o.l2BlockHash, "l1Origin.l2BlockHash", { length: 32 }) as Hash,
    l1BlockHeight: o.l1BlockHeight === null || o.l1BlockHeight === undefined
      ? null
      : readQuantity(o.l1BlockHeight, "l1Origin.l1BlockHeight"),
    l1BlockHash: o.l1BlockHash === null || o.l1BlockHash === undefined
      ? null
      : readBytes(o.l1BlockHash, "l1Origin.l1BlockHash", { length: 32 }) as Hash,
    buildPayloadArgsId: readByteArray(o.buildPayloadArgsID, "l1Origin.buildPayloadArgsID", {
      length: PAYLOAD_ID_BYTES,
    }),
    isForcedInclusion: readBoolean(o.isForcedInclusion, "l1Origin.isForcedInclusion"),
    signature: readByteArray(o.signature, "l1Origin.signature", { length: L1_ORIGIN_SIGNATURE_BYTES }),
  };
}

/**
 * Reads a `PayloadStatusV1`.
 *
 * @param json The status object.
 * @returns The typed status.
 * @throws {DriverError} kind `Rpc` when it is malformed or the status is unknown.
 */
export function parsePayloadStatus(json: unknown): PayloadStatus {
  const o = readObject(json, "payloadStatus");
  const status = o.status;
  if (status !== "VALID" && status !== "INVALID" && status !== "SYNCING" && status !== "ACCEPTED") {
    throw malformedField("payloadStatus.status", {
      expected: "VALID, INVALID, SYNCING or ACCEPTED",
      found: status,
    });
  }
  const error = o.validationError;
  if (error !== null && error !== undefined && typeof error !== "string") {
    throw malformedField("payloadStatus.validationError", { expected: "a string or null", found: error });
  }
  return {
    status,
    latestValidHash: o.latestValidHash === null || o.latestValidHash === undefined
      ? null
      : readBytes(o.latestValidHash, "payloadStatus.latestValidHash", { length: 32 }) as Hash,
    validationError: error ?? null,
  };
}

/**
 * Reads an `engine_forkchoiceUpdatedV2` result.
 *
 * @param json The result object.
 * @returns The status and payload id.
 * @throws {DriverError} kind `Rpc` when it is malformed.
 */
export function parseForkchoiceUpdatedResult(json: unknown): ForkchoiceUpdatedResult {
  const o = readObject(json, "forkchoiceUpdated");
  return {
    payloadStatus: parsePayloadStatus(o.payloadStatus),
    payloadId: o.payloadId === null || o.payloadId === undefined
      ? null
      : readBytes(o.payloadId, "payloadId", { length: PAYLOAD_ID_BYTES }),
  };
}

/**
 * Reads an execution payload (V1 or V2).
 *
 * @param json The `executionPayload` object.
 * @returns The typed payload.
 * @throws {DriverError} kind `Rpc` when a field is missing or malformed.
 */
export function parseExecutionPayload(json: unknown): ExecutionPayload {
  const o = readObject(json, "executionPayload");
  const transactions = o.transactions;
  if (!Array.isArray(transactions)) {
    throw malformedField("executionPayload.transactions", { expected: "an array", found: transactions });
  }
  const withdrawals = o.withdrawals;
  if (withdrawals !== undefined && withdrawals !== null && !Array.isArray(withdrawals)) {
    throw malformedField("executionPayload.withdrawals", { expected: "an array", found: withdrawals });
  }
  return {
    parentHash: readBytes(o.parentHash, "executionPayload.parentHash", { length: 32 }) as Hash,
    feeRecipient: readAddress(o.feeRecipient, "executionPayload.feeRecipient"),
    stateRoot: readBytes(o.stateRoot, "executionPayload.stateRoot", { length: 32 }) as Hash,
    receiptsRoot: readBytes(o.receiptsRoot, "executionPayload.receiptsRoot", { length: 32 }) as Hash,
    logsBloom: readBytes(o.logsBloom, "executionPayload.logsBloom", { length: 256 }),
    prevRandao: readBytes(o.prevRandao, "executionPayload.prevRandao", { length: 32 }) as Hash,
    blockNumber: readQuantity(o.blockNumber, "executionPayload.blockNumber"),
    gasLimit: readQuantity(o.gasLimit, "executionPayload.gasLimit"),
    gasUsed: readQuantity(o.gasUsed, "executionPayload.gasUsed"),
    timestamp: readQuantity(o.timestamp, "executionPayload.timestamp"),
    extraData: readBytes(o.extraData, "executionPayload.extraData"),
    baseFeePerGas: readQuantity(o.baseFeePerGas, "executionPayload.baseFeePerGas"),
    blockHash: readBytes(o.blockHash, "executionPayload.blockHash", { length: 32 }) as Hash,
    transactions: readTransactions(transactions),
    withdrawals: Array.isArray(withdrawals)
      ? withdrawals.map((w, i) => parseWithdrawal(w, `executionPayload.withdrawals[${i}]`))
      : null,
  };
}

/**
 * Reads an `engine_getPayloadV2` result.
 *
 * @param json The result object.
 * @returns The payload and its block value.
 * @throws {DriverError} kind `Rpc` when it is malformed.
 */
export function parseGetPayloadResult(json: unknown): GetPayloadResult {
  const o = readObject(json, "getPayload");
  return {
    executionPayload: parseExecutionPayload(o.executionPayload),
    blockValue: readQuantity(o.blockValue, "blockValue"),
  };
}

/**
 * Builds Taiko's `engine_newPayloadV2` parameter from a payload: its V1 fields, `txHash` (the
 * transactions' ordered-trie root), `withdrawalsHash` (their root, or zero for a V1 payload) and
 * `taikoBlock: true`. The withdrawals list itself is not sent.
 *
 * @param payload The payload returned by `engine_getPayloadV2`.
 * @returns The single parameter object.
 */
export function serializeNewPayloadParams(payload: ExecutionPayload): TaikoExecutionDataRpc {
  return {
    parentHash: payload.parentHash,
    feeRecipient: payload.feeRecipient,
    stateRoot: payload.stateRoot,
    receiptsRoot: payload.receiptsRoot,
    logsBloom: payload.logsBloom,
    prevRandao: payload.prevRandao,
    blockNumber: quantity(payload.blockNumber),
    gasLimit: quantity(payload.gasLimit),
    gasUsed: quantity(payload.gasUsed),
    timestamp: quantity(payload.timestamp),
    extraData: payload.extraData,
    baseFeePerGas: quantity(payload.baseFeePerGas),
    blockHash: payload.blockHash,
    transactions: [...payload.transactions],
    txHash: transactionsRoot(payload.transactions),
    withdrawalsHash: payload.withdrawals === null ? ZERO_HASH : withdrawalsRoot(payload.withdrawals),
    taikoBlock: true,
  };
}

/**
 * Computes the withdrawals root of a header: the ordered trie of `rlp([index, validatorIndex,
 * address, amount])`.
 *
 * @param withdrawals The withdrawals, in order.
 * @returns The root; the empty-trie root for an empty list.
 */
export function withdrawalsRoot(withdrawals: readonly Withdrawal[]): Hash {
  return orderedTrieRoot(
    withdrawals.map((w) =>
      toRlp([rlpInteger(w.index), rlpInteger(w.validatorIndex), w.address, rlpInteger(w.amount)])
    ),
  );
}

/**
 * Writes a non-negative integer as a JSON-RPC quantity (`0x0`, `0x1f`).
 *
 * @param value The integer.
 * @returns Its minimal hex form.
 * @throws {RangeError} when the value is negative.
 */
export function quantity(value: bigint): QuantityRpc {
  if (value < 0n) throw new RangeError(`Cannot write quantity "${value}": it is negative`);
  return numberToHex(value);
}

/** The RLP form of an integer: minimal big-endian bytes, zero as the empty string. */
function rlpInteger(value: bigint): Hex {
  if (value === 0n) return "0x";
  const hex = value.toString(16);
  return `0x${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

function serializeBlockMetadata(metadata: BlockMetadata): BlockMetadataRpc {
  if (metadata.gasLimit < 0n || metadata.gasLimit > MAX_JSON_SAFE_INTEGER) {
    throw new RangeError(
      `Cannot write block metadata gas limit "${metadata.gasLimit}": it must fit a JSON number (0..2^53-1)`,
    );
  }
  return {
    beneficiary: metadata.beneficiary,
    gasLimit: Number(metadata.gasLimit),
    timestamp: quantity(metadata.timestamp),
    mixHash: metadata.mixHash,
    ...(metadata.txList === null ? {} : { txList: metadata.txList }),
    extraData: encodeBase64(bytesFromHex(metadata.extraData)),
  };
}

/** Reads the payload's transactions as hex bytes (lower-cased), keeping their decoded bytes. */
function readTransactions(list: readonly unknown[]): readonly Hex[] {
  const bytes: Uint8Array[] = [];
  const hex = list.map((tx, i): Hex => {
    // Decoding validates the digits: a separate pattern check would scan every transaction twice.
    const decoded = typeof tx === "string" && tx.startsWith("0x") && tx.length % 2 === 0
      ? hexBytes(tx)
      : null;
    if (decoded === null) {
      throw malformedField(`executionPayload.transactions[${i}]`, { expected: "hex bytes", found: tx });
    }
    bytes.push(decoded);
    return (tx as string).toLowerCase() as Hex;
  });
  const transactions = Object.freeze(hex);
  payloadTransactionBytes.set(transactions, Object.freeze(bytes));
  return transactions;
}

function hexBytes(hex: string): Uint8Array | null {
  try {
    return bytesFromHex(hex as Hex);
  } catch {
    return null;
  }
}

/**
 * Computes now the transactions root of a payload expected later (the block being built from these
 * transactions), so `serializeNewPayloadParams` finds it instead of hashing the payload's
 * transactions: a caller waiting on the engine can do the hashing meanwhile. The hint is used only
 * for a payload whose transactions are byte for byte these; the newest
 * {@linkcode TRANSACTIONS_ROOT_HINTS} are kept.
 *
 * @param items The expected transactions (EIP-2718 bytes), in order.
 * @throws {RangeError} when an item is empty.
 */
export function hintTransactionsRoot(items: readonly Uint8Array[]): void {
  // Kept as lower-case hex: the payload's transactions are compared as strings, which is far
  // cheaper than comparing their bytes one by one.
  rootHints.push({ items: items.map((item) => hexFromBytes(item)), root: orderedTrieRootOfBytes(items) });
  if (rootHints.length > TRANSACTIONS_ROOT_HINTS) rootHints.shift();
}

function transactionsRoot(transactions: readonly Hex[]): Hash {
  const bytes = payloadTransactionBytes.get(transactions);
  if (bytes === undefined) return orderedTrieRoot(transactions);
  const hint = rootHints.find((candidate) =>
    candidate.items.length === transactions.length &&
    candidate.items.every((item, i) => item === transactions[i])
  );
  return hint?.root ?? orderedTrieRootOfBytes(bytes);
}

function parseWithdrawal(json: unknown, field: string): Withdrawal {
  const o = readObject(json, field);
  return {
    index: readQuantity(o.index, `${field}.index`),
    validatorIndex: readQuantity(o.validatorIndex, `${field}.validatorIndex`),
    address: readAddress(o.address, `${field}.address`),
    amount: readQuantity(o.amount, `${field}.amount`),
  };
}

/** Writes a base64 string (standard alphabet, padded), as serde does for `Bytes`. */
function encodeBase64(data: Uint8Array): string {
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function byteArray(hex: Hex, length: number, field: string): number[] {
  const data = bytesFromHex(hex);
  if (data.length !== length) {
    throw new RangeError(
      `Cannot write L1 origin ${field} "${hex}": expected ${length} bytes, found ${data.length}`,
    );
  }
  return [...data];
}
