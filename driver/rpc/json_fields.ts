/**
 * Field readers for JSON-RPC answers: each checks one field's type and encoding and names the field
 * when it is wrong, so a malformed answer becomes a `DriverError` of kind `Rpc` at the boundary
 * instead of a `bigint` that is secretly `undefined` deeper in.
 *
 * @module
 */
import { bytesToHex, getAddress } from "viem";
import type { Address, Hex } from "../hex.ts";
import { DriverError } from "../errors.ts";

/** Characters of a malformed value quoted in an error message. */
const SHOWN_VALUE_CHARS = 80;

/**
 * Reads a JSON object.
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The object's entries.
 * @throws {DriverError} kind `Rpc` when it is not an object.
 */
export function readObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformedField(field, { expected: "an object", found: value });
  }
  return value as Record<string, unknown>;
}

/** The length a byte-string field must have. */
export interface ByteLengthOptions {
  /**
   * The required length in bytes.
   * @default any length
   */
  readonly length?: number;
}

/**
 * Reads a hex byte string, lower-cased.
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @param options The required length.
 * @returns The bytes as hex.
 * @throws {DriverError} kind `Rpc` when it is not hex bytes of that length.
 */
export function readBytes(value: unknown, field: string, options: ByteLengthOptions = {}): Hex {
  const length = options.length ?? null;
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) {
    throw malformedField(field, { expected: "hex bytes", found: value });
  }
  if (length !== null && value.length !== 2 + 2 * length) {
    throw malformedField(field, { expected: `${length} bytes of hex`, found: value });
  }
  return value.toLowerCase() as Hex;
}

/**
 * Reads a 20-byte address.
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The checksummed address.
 * @throws {DriverError} kind `Rpc` when it is not 20 bytes of hex.
 */
export function readAddress(value: unknown, field: string): Address {
  return getAddress(readBytes(value, field, { length: 20 }));
}

/**
 * Reads a JSON-RPC quantity (`0x` and 1 to 64 hex digits).
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The integer.
 * @throws {DriverError} kind `Rpc` when it is not a hex quantity.
 */
export function readQuantity(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw malformedField(field, { expected: "a hex quantity", found: value });
  }
  return BigInt(value);
}

/**
 * Reads a byte string written as a JSON array of numbers 0..255.
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @param options The required number of bytes.
 * @returns The bytes as hex.
 * @throws {DriverError} kind `Rpc` when it is not such an array of that length.
 */
export function readByteArray(value: unknown, field: string, options: Required<ByteLengthOptions>): Hex {
  const { length } = options;
  if (
    !Array.isArray(value) || value.length !== length ||
    !value.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)
  ) {
    throw malformedField(field, { expected: `an array of ${length} numbers 0..255`, found: value });
  }
  return bytesToHex(Uint8Array.from(value as number[]));
}

/**
 * Reads a JSON boolean.
 *
 * @param value The JSON value.
 * @param field The field's name, for the error.
 * @returns The boolean.
 * @throws {DriverError} kind `Rpc` when it is not a boolean.
 */
export function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw malformedField(field, { expected: "a boolean", found: value });
  return value;
}

/** What a malformed field should hold and what it holds. */
export interface MalformedFieldDetails {
  /** What the field should hold, e.g. "a hex quantity". */
  readonly expected: string;
  /** What it holds (quoted and shortened in the message). */
  readonly found: unknown;
}

/**
 * The error for a malformed field.
 *
 * @param field The field's name.
 * @param details What it should hold and what it holds.
 * @returns A `DriverError` of kind `Rpc`.
 */
export function malformedField(field: string, details: MalformedFieldDetails): DriverError {
  const { expected, found } = details;
  const shown = JSON.stringify(found) ?? String(found);
  return new DriverError(
    "Rpc",
    `Cannot parse answer field "${field}": expected ${expected}, found ${
      shown.length > SHOWN_VALUE_CHARS ? `${shown.slice(0, SHOWN_VALUE_CHARS)}…` : shown
    }; check that the endpoint is a Taiko node`,
  );
}

/** The call whose answer is read. */
export interface AnswerSource {
  /** The JSON-RPC method that answered. */
  readonly method: string;
  /** The endpoint, without credentials. */
  readonly url: string;
}

/**
 * Runs the parser of an answer, naming the method and the endpoint when the answer is malformed.
 *
 * @param source The method and endpoint.
 * @param parse The parser.
 * @returns What the parser returns.
 * @throws {DriverError} kind `Rpc` when the parser throws.
 */
export function readAnswer<T>(source: AnswerSource, parse: () => T): T {
  const { method, url } = source;
  try {
    return parse();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DriverError("Rpc", `Cannot read the answer of ${method} from "${url}": ${reason}`, {
      cause: error,
      context: { method, url },
    });
  }
}
