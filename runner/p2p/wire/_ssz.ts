/**
 * Helpers shared by the wire codecs: strict SSZ decoding and checked conversions between SSZ byte
 * fields and viem's hex types.
 *
 * @module
 */
import type { Type } from "@chainsafe/ssz";
import { bytesToHex, type Hex, hexToBytes, isHex } from "viem";
import { P2pError } from "../errors.ts";
import { MAX_UINT256 } from "./constants.ts";

/**
 * Decodes `bytes` as `type`, mapping every library error to a `Decode` P2pError. `@chainsafe/ssz`
 * rejects short input, trailing bytes, bad offsets, over-limit lists and non-0/1 booleans.
 */
export function decodeSsz<T>(type: Type<T>, bytes: Uint8Array, name: string): T {
  // Node's Buffer (what libp2p hands over under Deno) would leak into decoded byte fields.
  const plain = bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return type.deserialize(plain);
  } catch (cause) {
    throw new P2pError(
      "Decode",
      `Cannot decode ${name} from ${bytes.length} bytes: ${(cause as Error).message ?? cause}`,
      { cause, context: { sizeBytes: bytes.length } },
    );
  }
}

/** Returns the bytes of a hex value of exactly `length` bytes; throws TypeError otherwise. */
export function fixedBytes(value: Hex, length: number, field: string): Uint8Array {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length !== 2 + 2 * length) {
    throw new TypeError(`Cannot encode ${field} "${String(value)}": expected ${length} bytes of 0x-hex`);
  }
  return hexToBytes(value);
}

/** Checks that a bigint fits an SSZ uint256; throws RangeError otherwise. */
export function uint256(value: bigint, field: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > MAX_UINT256) {
    throw new RangeError(`Cannot encode ${field} "${String(value)}": expected a bigint in [0, 2^256)`);
  }
  return value;
}

/** SSZ bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): Hex {
  return bytesToHex(bytes);
}
