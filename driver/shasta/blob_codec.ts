/**
 * Decoding of the OP-stack / Kona "version 0" blob encoding (driver.md §4.2): 4096 field elements of
 * 32 bytes, each carrying 31 payload bytes plus 6 bits in its top byte, so 4 field elements carry 127
 * bytes. The encoder is the proposer's (devnet/).
 *
 * @module
 */
import { DriverError } from "../errors.ts";
import { BLOB_BYTES, BLOB_MAX_PAYLOAD_BYTES } from "./constants.ts";

/** The only blob encoding version the decoder accepts (`blob[1]`). */
export const BLOB_ENCODING_VERSION = 0;

/** Number of 4-field-element rounds in one blob. */
const ROUNDS = 1024;
/** Size of one field element, in bytes. */
const FIELD_ELEMENT_BYTES = 32;

/**
 * Decodes one blob into the bytes it carries. Strict: a wrong version, an oversized length, a field
 * element whose top two bits are set, or any non-zero byte past the payload makes the blob invalid.
 *
 * @param blob The 131072-byte blob.
 * @returns The payload bytes (at most 130044).
 * @throws {DriverError} `Derivation` when the blob is not a valid version-0 encoding.
 *
 * @example
 * ```ts
 * import { decodeBlob } from "./blob_codec.ts";
 * // An all-zero blob is the encoding of the empty payload.
 * console.assert(decodeBlob(new Uint8Array(131072)).length === 0);
 * ```
 */
export function decodeBlob(blob: Uint8Array): Uint8Array {
  if (blob.length !== BLOB_BYTES) {
    throw invalidBlob(`expected ${BLOB_BYTES} bytes, found ${blob.length}`);
  }
  if (blob[1] !== BLOB_ENCODING_VERSION) {
    throw invalidBlob(`encoding version byte is ${blob[1]}, expected ${BLOB_ENCODING_VERSION}`);
  }
  const length = (blob[2]! << 16) | (blob[3]! << 8) | blob[4]!;
  if (length > BLOB_MAX_PAYLOAD_BYTES) {
    throw invalidBlob(`declared length ${length} exceeds ${BLOB_MAX_PAYLOAD_BYTES}`);
  }

  const out = new Uint8Array(BLOB_MAX_PAYLOAD_BYTES);
  out.set(blob.subarray(5, FIELD_ELEMENT_BYTES), 0);
  const cursor = { out: 28, in: FIELD_ELEMENT_BYTES };
  // Round 0: field element 0 holds the version and length, so its 6-bit chunk is blob[0] and only
  // three more field elements follow.
  const chunks = [blob[0]!, 0, 0, 0];
  for (let j = 1; j < 4; j++) chunks[j] = readFieldElement(blob, out, cursor);
  reassemble(out, cursor, chunks);

  for (let round = 1; round < ROUNDS && cursor.out < length; round++) {
    for (let j = 0; j < 4; j++) chunks[j] = readFieldElement(blob, out, cursor);
    reassemble(out, cursor, chunks);
  }

  for (let i = length; i < out.length; i++) {
    if (out[i] !== 0) throw invalidBlob(`non-zero byte at payload position ${i}, past the length ${length}`);
  }
  for (let i = cursor.in; i < BLOB_BYTES; i++) {
    if (blob[i] !== 0) throw invalidBlob(`non-zero byte at blob position ${i}, past the encoded payload`);
  }
  return out.slice(0, length);
}

/** Copies the 31 payload bytes of the field element at `cursor.in` and returns its 6-bit header. */
function readFieldElement(blob: Uint8Array, out: Uint8Array, cursor: { out: number; in: number }): number {
  if (cursor.in + FIELD_ELEMENT_BYTES > BLOB_BYTES || cursor.out + 31 > BLOB_MAX_PAYLOAD_BYTES) {
    throw invalidBlob(`field element at ${cursor.in} reads past the blob`);
  }
  const header = blob[cursor.in]!;
  if ((header & 0b1100_0000) !== 0) {
    throw invalidBlob(`field element at blob position ${cursor.in} has its top two bits set`);
  }
  out.set(blob.subarray(cursor.in + 1, cursor.in + FIELD_ELEMENT_BYTES), cursor.out);
  cursor.out += FIELD_ELEMENT_BYTES;
  cursor.in += FIELD_ELEMENT_BYTES;
  return header;
}

/** Rebuilds the three bytes spread over four 6-bit headers and writes them into the gaps they left. */
function reassemble(out: Uint8Array, cursor: { out: number }, chunks: readonly number[]): void {
  const [e0, e1, e2, e3] = chunks as [number, number, number, number];
  cursor.out -= 1;
  const x = (e0 & 0x3f) | ((e1 & 0x30) << 2);
  const y = (e1 & 0x0f) | ((e3 & 0x0f) << 4);
  const z = (e2 & 0x3f) | ((e3 & 0x30) << 2);
  out[cursor.out - 32] = z;
  out[cursor.out - 64] = y;
  out[cursor.out - 96] = x;
}

function invalidBlob(state: string): DriverError {
  return new DriverError(
    "Derivation",
    `Cannot decode blob: ${state}, the source degrades to the default manifest`,
  );
}
