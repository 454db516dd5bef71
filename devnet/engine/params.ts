/**
 * Strict readers of the engine simulator's request parameters, written from spec/driver.md 2.4-2.5
 * independently of the driver's own serialisers so that a driver bug surfaces as a JSON-RPC -32602
 * with a reason, as a real engine's serde would answer. Stricter than a real engine in one way: keys
 * the spec does not list are refused too, so a misspelt key cannot pass unnoticed.
 *
 * @module
 */
import { type Address, getAddress, type Hash, type Hex } from "viem";
import type { L1Origin, TaikoPayloadAttributes } from "../../driver/shasta/types.ts";

/** A request the simulator refuses as malformed (JSON-RPC -32602). */
export class InvalidParamsError extends Error {
  /** The JSON-RPC error code. */
  readonly code = -32602;

  /** @param reason What is wrong, naming the field. */
  constructor(reason: string) {
    super(`invalid params: ${reason}`);
    this.name = "InvalidParamsError";
  }
}

/** The forkchoice hashes of `engine_forkchoiceUpdatedV2`. */
export interface ForkchoiceStateParams {
  readonly headBlockHash: Hash;
  readonly safeBlockHash: Hash;
  readonly finalizedBlockHash: Hash;
}

/** Taiko's `engine_newPayloadV2` parameter, read. */
export interface NewPayloadParams {
  readonly parentHash: Hash;
  readonly feeRecipient: Address;
  readonly stateRoot: Hash;
  readonly receiptsRoot: Hash;
  readonly logsBloom: Hex;
  readonly prevRandao: Hash;
  readonly blockNumber: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly timestamp: bigint;
  readonly extraData: Hex;
  readonly baseFeePerGas: bigint;
  readonly blockHash: Hash;
  readonly transactions: readonly Hex[];
  readonly txHash: Hash;
  readonly withdrawalsHash: Hash;
}

/** A block reference of the `eth_*` methods (a tag, a number, or an EIP-1898 object). */
export type BlockRef =
  | { readonly kind: "tag"; readonly tag: "latest" | "safe" | "finalized" | "earliest" | "pending" }
  | { readonly kind: "number"; readonly number: bigint }
  | { readonly kind: "hash"; readonly hash: Hash; readonly requireCanonical: boolean };

const U64_MAX = (1n << 64n) - 1n;
const FORKCHOICE_KEYS = ["headBlockHash", "safeBlockHash", "finalizedBlockHash"] as const;
const ATTRIBUTES_KEYS = [
  "timestamp",
  "prevRandao",
  "suggestedFeeRecipient",
  "withdrawals",
  "baseFeePerGas",
  "blockMetadata",
  "l1Origin",
] as const;
const METADATA_KEYS = ["beneficiary", "gasLimit", "timestamp", "mixHash", "txList", "extraData"] as const;
const L1_ORIGIN_KEYS = [
  "blockID",
  "l2BlockHash",
  "l1BlockHeight",
  "l1BlockHash",
  "buildPayloadArgsID",
  "isForcedInclusion",
  "signature",
] as const;
const PAYLOAD_V1_KEYS = [
  "parentHash",
  "feeRecipient",
  "stateRoot",
  "receiptsRoot",
  "logsBloom",
  "prevRandao",
  "blockNumber",
  "gasLimit",
  "gasUsed",
  "timestamp",
  "extraData",
  "baseFeePerGas",
  "blockHash",
  "transactions",
] as const;
const NEW_PAYLOAD_KEYS = [...PAYLOAD_V1_KEYS, "txHash", "withdrawalsHash", "taikoBlock"] as const;

/** How many positional parameters a method takes. */
export interface ParamCount {
  /** Fewest parameters accepted. */
  readonly min: number;
  /** Most parameters accepted. */
  readonly max: number;
}

/**
 * Reads the positional parameter list.
 *
 * @param params The request's `params`.
 * @param count How many parameters are accepted.
 * @returns The list.
 * @throws {InvalidParamsError} when it is not an array of that length.
 */
export function readParamList(params: unknown, count: ParamCount): unknown[] {
  const { min, max } = count;
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list)) throw new InvalidParamsError("params must be a positional array");
  if (list.length < min || list.length > max) {
    throw new InvalidParamsError(
      `expected ${min === max ? min : `${min} to ${max}`} params, found ${list.length}`,
    );
  }
  return list;
}

/**
 * Reads a forkchoice state.
 * @param value The JSON value.
 * @returns The three hashes.
 * @throws {InvalidParamsError} when malformed.
 */
export function readForkchoiceState(value: unknown): ForkchoiceStateParams {
  const o = record(value, "forkchoiceState", FORKCHOICE_KEYS);
  return {
    headBlockHash: readHash(o.headBlockHash, "forkchoiceState.headBlockHash"),
    safeBlockHash: readHash(o.safeBlockHash, "forkchoiceState.safeBlockHash"),
    finalizedBlockHash: readHash(o.finalizedBlockHash, "forkchoiceState.finalizedBlockHash"),
  };
}

/**
 * Reads flat Taiko payload attributes.
 * @param value The JSON value.
 * @returns The typed attributes.
 * @throws {InvalidParamsError} when malformed (e.g. hex extraData, a string gasLimit, a missing key).
 */
export function readPayloadAttributes(value: unknown): TaikoPayloadAttributes {
  const o = record(value, "payloadAttributes", ATTRIBUTES_KEYS);
  if (!Array.isArray(o.withdrawals)) {
    throw new InvalidParamsError("payloadAttributes.withdrawals must be an array");
  }
  if (o.withdrawals.length !== 0) {
    throw new InvalidParamsError(
      "payloadAttributes.withdrawals must be empty: Taiko blocks carry no withdrawals",
    );
  }
  const m = record(o.blockMetadata, "blockMetadata", METADATA_KEYS, ["txList"]);
  return {
    timestamp: readQuantity(o.timestamp, "payloadAttributes.timestamp", { max: U64_MAX }),
    prevRandao: readHash(o.prevRandao, "payloadAttributes.prevRandao"),
    suggestedFeeRecipient: readAddress(o.suggestedFeeRecipient, "payloadAttributes.suggestedFeeRecipient"),
    withdrawals: [],
    baseFeePerGas: readQuantity(o.baseFeePerGas, "payloadAttributes.baseFeePerGas", {
      max: (1n << 256n) - 1n,
    }),
    blockMetadata: {
      beneficiary: readAddress(m.beneficiary, "blockMetadata.beneficiary"),
      gasLimit: readJsonU64(m.gasLimit, "blockMetadata.gasLimit"),
      timestamp: readQuantity(m.timestamp, "blockMetadata.timestamp", { max: (1n << 256n) - 1n }),
      mixHash: readHash(m.mixHash, "blockMetadata.mixHash"),
      txList: m.txList === undefined ? null : readBytes(m.txList, "blockMetadata.txList"),
      extraData: readBase64(m.extraData, "blockMetadata.extraData"),
    },
    l1Origin: readL1Origin(o.l1Origin, "l1Origin"),
  };
}

/**
 * Reads an `RpcL1Origin`.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The typed L1 origin.
 * @throws {InvalidParamsError} when malformed (e.g. a hex payload id instead of 8 numbers).
 */
export function readL1Origin(value: unknown, field: string): L1Origin {
  const o = record(value, field, L1_ORIGIN_KEYS);
  return {
    blockId: readQuantity(o.blockID, `${field}.blockID`, { max: (1n << 256n) - 1n }),
    l2BlockHash: readHash(o.l2BlockHash, `${field}.l2BlockHash`),
    l1BlockHeight: o.l1BlockHeight === null
      ? null
      : readQuantity(o.l1BlockHeight, `${field}.l1BlockHeight`, { max: (1n << 256n) - 1n }),
    l1BlockHash: o.l1BlockHash === null ? null : readHash(o.l1BlockHash, `${field}.l1BlockHash`),
    buildPayloadArgsId: readNumberBytes(o.buildPayloadArgsID, 8, `${field}.buildPayloadArgsID`),
    isForcedInclusion: readBoolean(o.isForcedInclusion, `${field}.isForcedInclusion`),
    signature: readNumberBytes(o.signature, 65, `${field}.signature`),
  };
}

/**
 * Reads Taiko's `engine_newPayloadV2` parameter: the V1 fields plus `txHash`, `withdrawalsHash` and
 * `taikoBlock: true`, and no `withdrawals` key.
 * @param value The JSON value.
 * @returns The typed parameter.
 * @throws {InvalidParamsError} when malformed.
 */
export function readNewPayload(value: unknown): NewPayloadParams {
  if (typeof value === "object" && value !== null && "withdrawals" in value) {
    throw new InvalidParamsError(
      "executionPayload must not carry withdrawals: a Taiko newPayloadV2 sends the V1 fields and withdrawalsHash",
    );
  }
  const o = record(value, "executionPayload", NEW_PAYLOAD_KEYS);
  if (o.taikoBlock !== true) throw new InvalidParamsError("executionPayload.taikoBlock must be true");
  if (!Array.isArray(o.transactions)) {
    throw new InvalidParamsError("executionPayload.transactions must be an array");
  }
  return {
    parentHash: readHash(o.parentHash, "executionPayload.parentHash"),
    feeRecipient: readAddress(o.feeRecipient, "executionPayload.feeRecipient"),
    stateRoot: readHash(o.stateRoot, "executionPayload.stateRoot"),
    receiptsRoot: readHash(o.receiptsRoot, "executionPayload.receiptsRoot"),
    logsBloom: readFixedBytes(o.logsBloom, 256, "executionPayload.logsBloom"),
    prevRandao: readHash(o.prevRandao, "executionPayload.prevRandao"),
    blockNumber: readQuantity(o.blockNumber, "executionPayload.blockNumber", { max: U64_MAX }),
    gasLimit: readQuantity(o.gasLimit, "executionPayload.gasLimit", { max: U64_MAX }),
    gasUsed: readQuantity(o.gasUsed, "executionPayload.gasUsed", { max: U64_MAX }),
    timestamp: readQuantity(o.timestamp, "executionPayload.timestamp", { max: U64_MAX }),
    extraData: readBytes(o.extraData, "executionPayload.extraData"),
    baseFeePerGas: readQuantity(o.baseFeePerGas, "executionPayload.baseFeePerGas", {
      max: (1n << 256n) - 1n,
    }),
    blockHash: readHash(o.blockHash, "executionPayload.blockHash"),
    transactions: o.transactions.map((tx, i) => {
      const raw = readBytes(tx, `executionPayload.transactions[${i}]`);
      if (raw === "0x") throw new InvalidParamsError(`executionPayload.transactions[${i}] is empty`);
      return raw;
    }),
    txHash: readHash(o.txHash, "executionPayload.txHash"),
    withdrawalsHash: readHash(o.withdrawalsHash, "executionPayload.withdrawalsHash"),
  };
}

/**
 * Reads a block reference: a tag, a quantity, or an EIP-1898 object.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The reference.
 * @throws {InvalidParamsError} when malformed.
 */
export function readBlockRef(value: unknown, field: string): BlockRef {
  if (
    value === "latest" || value === "safe" || value === "finalized" || value === "earliest" ||
    value === "pending"
  ) {
    return { kind: "tag", tag: value };
  }
  if (typeof value === "string") {
    return { kind: "number", number: readQuantity(value, field, { max: U64_MAX }) };
  }
  if (typeof value === "object" && value !== null && "blockHash" in value) {
    const o = record(value, field, ["blockHash", "requireCanonical"], ["requireCanonical"]);
    const requireCanonical = o.requireCanonical === undefined
      ? false
      : readBoolean(o.requireCanonical, `${field}.requireCanonical`);
    return { kind: "hash", hash: readHash(o.blockHash, `${field}.blockHash`), requireCanonical };
  }
  if (typeof value === "object" && value !== null && "blockNumber" in value) {
    const o = record(value, field, ["blockNumber"]);
    return { kind: "number", number: readQuantity(o.blockNumber, `${field}.blockNumber`, { max: U64_MAX }) };
  }
  throw new InvalidParamsError(`${field} must be a block tag, a quantity or an EIP-1898 object`);
}

/** The range of a quantity. */
export interface QuantityRange {
  /** The largest value accepted. */
  readonly max: bigint;
}

/**
 * Reads a hex quantity (`0x0` or `0x` and hex digits without leading zeros).
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @param range The largest value accepted.
 * @returns The integer.
 * @throws {InvalidParamsError} when malformed or too large.
 */
export function readQuantity(value: unknown, field: string, range: QuantityRange): bigint {
  const { max } = range;
  if (typeof value === "number") {
    throw new InvalidParamsError(`${field} must be a hex quantity, found a JSON number`);
  }
  if (typeof value !== "string" || !/^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/.test(value)) {
    throw new InvalidParamsError(
      `${field} must be a hex quantity without leading zeros, found ${show(value)}`,
    );
  }
  const n = BigInt(value);
  if (n > max) throw new InvalidParamsError(`${field} ${value} is out of range`);
  return n;
}

/**
 * Reads a 32-byte hash.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The lower-case hash.
 * @throws {InvalidParamsError} when it is not 32 bytes of hex.
 */
export function readHash(value: unknown, field: string): Hash {
  return readFixedBytes(value, 32, field) as Hash;
}

/**
 * Reads a 20-byte address.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The checksummed address.
 * @throws {InvalidParamsError} when it is not 20 bytes of hex.
 */
export function readAddress(value: unknown, field: string): Address {
  return getAddress(readFixedBytes(value, 20, field));
}

/**
 * Reads hex bytes of any length.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The lower-case hex.
 * @throws {InvalidParamsError} when it is not `0x` and an even number of hex digits.
 */
export function readBytes(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) {
    throw new InvalidParamsError(`${field} must be hex bytes, found ${show(value)}`);
  }
  return value.toLowerCase() as Hex;
}

/**
 * Reads a boolean.
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The boolean.
 * @throws {InvalidParamsError} when it is not a boolean.
 */
export function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") {
    throw new InvalidParamsError(`${field} must be a boolean, found ${show(value)}`);
  }
  return value;
}

function readFixedBytes(value: unknown, length: number, field: string): Hex {
  const hex = readBytes(value, field);
  if (hex.length !== 2 + 2 * length) {
    throw new InvalidParamsError(`${field} must be ${length} bytes, found ${(hex.length - 2) / 2}`);
  }
  return hex;
}

/** A u64 that alethia-reth's serde reads from a JSON number (never a string). */
function readJsonU64(value: unknown, field: string): bigint {
  if (typeof value === "string") {
    throw new InvalidParamsError(`${field} must be a JSON number (u64), found the string ${show(value)}`);
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidParamsError(`${field} must be a non-negative integer JSON number, found ${show(value)}`);
  }
  return BigInt(value);
}

function readBase64(value: unknown, field: string): Hex {
  if (typeof value === "string" && value.startsWith("0x")) {
    throw new InvalidParamsError(`${field} must be base64, found hex ${show(value)}`);
  }
  if (typeof value !== "string" || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new InvalidParamsError(`${field} must be padded standard base64, found ${show(value)}`);
  }
  const binary = atob(value);
  let hex = "0x";
  for (let i = 0; i < binary.length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, "0");
  return hex as Hex;
}

function readNumberBytes(value: unknown, length: number, field: string): Hex {
  if (typeof value === "string") {
    throw new InvalidParamsError(
      `${field} must be an array of ${length} numbers, found the string ${show(value)}`,
    );
  }
  if (!Array.isArray(value) || value.length !== length) {
    throw new InvalidParamsError(`${field} must be an array of ${length} numbers, found ${show(value)}`);
  }
  let hex = "0x";
  for (const n of value) {
    if (!Number.isInteger(n) || n < 0 || n > 255) {
      throw new InvalidParamsError(`${field} must hold numbers 0..255, found ${show(n)}`);
    }
    hex += (n as number).toString(16).padStart(2, "0");
  }
  return hex as Hex;
}

function record(
  value: unknown,
  field: string,
  keys: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidParamsError(`${field} must be an object, found ${show(value)}`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) throw new InvalidParamsError(`${field} has unknown key "${key}"`);
  }
  for (const key of keys) {
    if (!(key in o) && !optional.includes(key)) {
      throw new InvalidParamsError(`${field} is missing key "${key}"`);
    }
  }
  return o;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
