/**
 * Packs bytes into EIP-4844 blobs with the OP-stack / Kona "version 0" encoding that the Shasta driver
 * decodes (driver.md §4.2): 4096 field elements of 32 bytes, each field element's first byte keeping
 * its top two bits clear; 1024 rounds of 4 field elements carry 127 bytes each (the first round 123,
 * after a header of version 0 and a 24-bit big-endian length).
 *
 * @module
 */
import { BLOB_SIZE_BYTES } from "./kzg.ts";

/** The most data one blob carries: (4·31 + 3)·1024 − 4. */
export const BLOB_MAX_DATA_BYTES = 130_044;
/** The encoding version written to byte 1 of every blob. */
export const BLOB_ENCODING_VERSION = 0;

const ROUNDS = 1024;

/**
 * Encodes at most {@link BLOB_MAX_DATA_BYTES} bytes into one blob.
 *
 * @param data The payload.
 * @returns A blob of 131072 bytes.
 * @throws RangeError when `data` is longer than one blob carries.
 */
export function encodeBlob(data: Uint8Array): Uint8Array {
  if (data.length > BLOB_MAX_DATA_BYTES) {
    throw new RangeError(
      `Cannot encode ${data.length} bytes into one blob: at most ${BLOB_MAX_DATA_BYTES} fit, split with encodeBlobs()`,
    );
  }
  const blob = new Uint8Array(BLOB_SIZE_BYTES);
  let read = 0;
  let write = 0;
  const readByte = (): number => (read < data.length ? data[read++] ?? 0 : (read++, 0));
  // Writes one field element: a header byte holding 6 bits, then `length` payload bytes (31, or 27
  // after the version and length in the blob's first element).
  const writeElement = (header: number, payloadAt: number, length: number): void => {
    blob[write] = header;
    blob.set(data.subarray(Math.min(read, data.length), read + length), write + payloadAt);
    read += length;
    write += 32;
  };
  for (let round = 0; round < ROUNDS && (round === 0 || read < data.length); round++) {
    // The header of each element is only known after the payload that precedes its spare byte, so
    // the payload is written first and the header patched in.
    const first = write;
    if (round === 0) {
      blob[1] = BLOB_ENCODING_VERSION;
      blob[2] = (data.length >> 16) & 0xff;
      blob[3] = (data.length >> 8) & 0xff;
      blob[4] = data.length & 0xff;
      writeElement(0, 5, 27);
    } else {
      writeElement(0, 1, 31);
    }
    const x = readByte();
    blob[first] = x & 0x3f;

    const second = write;
    writeElement(0, 1, 31);
    const y = readByte();
    blob[second] = (y & 0x0f) | ((x & 0xc0) >> 2);

    const third = write;
    writeElement(0, 1, 31);
    const z = readByte();
    blob[third] = z & 0x3f;

    const fourth = write;
    writeElement(0, 1, 31);
    blob[fourth] = ((z & 0xc0) >> 2) | ((y & 0xf0) >> 4);
  }
  return blob;
}

/**
 * Splits `data` into chunks of {@link BLOB_MAX_DATA_BYTES} and encodes each into a blob.
 *
 * @param data The payload; empty data still yields one blob.
 * @returns The blobs, in order.
 */
export function encodeBlobs(data: Uint8Array): Uint8Array[] {
  const blobs: Uint8Array[] = [];
  for (let start = 0; start < data.length || blobs.length === 0; start += BLOB_MAX_DATA_BYTES) {
    blobs.push(encodeBlob(data.subarray(start, start + BLOB_MAX_DATA_BYTES)));
  }
  return blobs;
}
