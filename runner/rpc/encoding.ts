/**
 * The value encodings of the preconfirmation API (spec p2p.md 17): bytes as `0x` hex, B256 as `0x`
 * plus 64 hex digits, U256 as a hex quantity, u64 as a JSON number. Readers check untrusted params
 * and throw `InvalidParams` naming the field; writers turn typed values into their wire form.
 *
 * @module
 */
import { type Hash, type Hex, numberToHex } from "viem";
import { describe, isPlainObject } from "./json_rpc.ts";
import { RpcServerError } from "./errors.ts";

const HEX_B256 = /^0x[0-9a-fA-F]{64}$/;
const HEX_QUANTITY = /^0x[0-9a-fA-F]+$/;
const MAX_U256 = (1n << 256n) - 1n;

/**
 * Reads a param that must be an object with exactly the given fields (no unknown ones, so a
 * misspelt field is an error rather than silently missing).
 *
 * @param value The param.
 * @param method The method, for messages.
 * @param fields The fields the object may and must have.
 * @returns The object.
 * @throws {RpcServerError} `InvalidParams` when the value is not an object, lacks a field or has another.
 */
export function readParamObject(
  value: unknown,
  method: string,
  fields: readonly string[],
): Record<string, unknown> {
  const shape = `{${fields.join(", ")}}`;
  if (!isPlainObject(value)) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: the param must be ${shape}, found ${describe(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) {
      throw new RpcServerError(
        "InvalidParams",
        `Cannot run ${method}: unknown field "${truncate(key)}", the param must be ${shape}`,
      );
    }
  }
  for (const field of fields) {
    if (!Object.hasOwn(value, field)) {
      throw new RpcServerError(
        "InvalidParams",
        `Cannot run ${method}: field "${field}" is missing from ${shape}`,
      );
    }
  }
  return value;
}

/**
 * Reads a `0x`-prefixed hex byte string with an even number of digits. The digits themselves are
 * checked by {@linkcode decodeHexBytes}, so a caller can check the size of a large value first.
 *
 * @param value The field's value.
 * @param method The method, for messages.
 * @param field The field's name, for messages.
 * @returns The hex string.
 * @throws {RpcServerError} `InvalidParams` when the value is not a `0x` string with an even number of digits.
 */
export function readHexBytes(value: unknown, method: string, field: string): Hex {
  if (typeof value !== "string") {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be a 0x hex string, found ${describe(value)}`,
    );
  }
  if (!value.startsWith("0x") || value.length % 2 !== 0) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be 0x followed by an even number of hex digits`,
    );
  }
  return value as Hex;
}

/**
 * Decodes a hex string from {@linkcode readHexBytes} (natively: a maximal txlist is 4 MiB of hex).
 *
 * @param hex `0x` and an even number of characters.
 * @param method The method, for messages.
 * @param field The field's name, for messages.
 * @returns The bytes.
 * @throws {RpcServerError} `InvalidParams` when a character is not a hex digit.
 */
export function decodeHexBytes(hex: Hex, method: string, field: string): Uint8Array {
  try {
    return Uint8Array.fromHex(hex.slice(2));
  } catch (cause) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be 0x followed by an even number of hex digits`,
      { cause },
    );
  }
}

/**
 * The number of bytes a hex string from {@linkcode readHexBytes} holds.
 *
 * @param hex `0x` hex with an even number of digits.
 * @returns Its length in bytes.
 */
export function hexByteLength(hex: Hex): number {
  return (hex.length - 2) / 2;
}

/**
 * Reads a B256 (`0x` plus 64 hex digits), returned in lower case.
 *
 * @param value The field's value.
 * @param method The method, for messages.
 * @param field The field's name, for messages.
 * @returns The hash.
 * @throws {RpcServerError} `InvalidParams` when the value is not 32 bytes of hex.
 */
export function readB256(value: unknown, method: string, field: string): Hash {
  const hex = readHexBytes(value, method, field);
  if (hex.length !== 66) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be 32 bytes (0x and 64 hex digits), found ${
        hexByteLength(hex)
      } bytes`,
    );
  }
  if (!HEX_B256.test(hex)) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be 0x followed by 64 hex digits`,
    );
  }
  return hex.toLowerCase() as Hash;
}

/**
 * Reads a U256: a hex quantity string (`"0x64"`) or a non-negative whole JSON number.
 *
 * @param value The param.
 * @param method The method, for messages.
 * @param field The param's name, for messages.
 * @returns The value.
 * @throws {RpcServerError} `InvalidParams` when the value is neither, negative, fractional or above 2^256-1.
 */
export function readU256(value: unknown, method: string, field: string): bigint {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RpcServerError(
        "InvalidParams",
        `Cannot run ${method}: "${field}" must be a non-negative whole number below 2^53 or a hex quantity, found ${value}`,
      );
    }
    return BigInt(value);
  }
  if (typeof value !== "string" || !HEX_QUANTITY.test(value) || value.length > 66) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: "${field}" must be a hex quantity such as "0x64" (at most 64 digits), found ${
        describe(value)
      }`,
    );
  }
  return BigInt(value);
}

/**
 * Writes a U256 as a hex quantity (`0x0` for zero).
 *
 * @param value A non-negative value below 2^256.
 * @returns The quantity.
 * @throws {RangeError} when the value is negative or above 2^256-1.
 */
export function serializeU256(value: bigint): Hex {
  if (value < 0n || value > MAX_U256) {
    throw new RangeError(`Cannot encode ${value} as a U256: it must be from 0 to 2^256-1`);
  }
  return numberToHex(value);
}

/**
 * Writes a u64 as a JSON number. Values the API carries this way (proposal ids, peer counts) stay
 * far below 2^53, where a JSON number is exact; anything larger is refused rather than rounded.
 *
 * @param value A non-negative value below 2^53.
 * @returns The number.
 * @throws {RangeError} when the value is negative or not exactly representable.
 */
export function serializeU64(value: bigint | number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new RangeError(
      `Cannot encode ${value} as a JSON number: it must be a whole number from 0 to 2^53-1`,
    );
  }
  return number;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
