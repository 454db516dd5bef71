/**
 * The Shasta block `extraData` (driver.md §3.4.1): `basefeeSharingPctg` (1 byte) then the proposal id
 * (6 bytes, big-endian).
 *
 * @module
 */
import { bytesToBigInt, bytesToHex, hexToBytes, isHex } from "viem";
import type { Hex } from "../hex.ts";
import { EXTRA_DATA_BYTES, MAX_PROPOSAL_ID } from "./constants.ts";

/** The values a Shasta block's extraData carries. */
export interface ShastaExtraData {
  /** Share of the base fee paid to the coinbase, in percent (`uint8`). */
  readonly basefeeSharingPctg: number;
  /** The proposal the block belongs to (`uint48`). */
  readonly proposalId: bigint;
}

/**
 * Encodes a Shasta block's extraData.
 *
 * @param basefeeSharingPctg An integer in [0, 255].
 * @param proposalId An integer in [0, 2⁴⁸ − 1].
 * @returns The 7-byte extraData.
 * @throws {RangeError} When a value is out of range.
 *
 * @example
 * ```ts
 * import { encodeExtraData } from "./extra_data.ts";
 * console.assert(encodeExtraData(9, 0x010203040506n) === "0x09010203040506");
 * ```
 */
export function encodeExtraData(basefeeSharingPctg: number, proposalId: bigint): Hex {
  if (!Number.isInteger(basefeeSharingPctg) || basefeeSharingPctg < 0 || basefeeSharingPctg > 255) {
    throw new RangeError(`Cannot encode extraData: basefeeSharingPctg ${basefeeSharingPctg} is not a uint8`);
  }
  if (proposalId < 0n || proposalId > MAX_PROPOSAL_ID) {
    throw new RangeError(`Cannot encode extraData: proposal id ${proposalId} is not a uint48`);
  }
  const bytes = new Uint8Array(EXTRA_DATA_BYTES);
  bytes[0] = basefeeSharingPctg;
  let rest = proposalId;
  for (let i = EXTRA_DATA_BYTES - 1; i >= 1; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytesToHex(bytes);
}

/**
 * Decodes a Shasta block's extraData.
 *
 * @param extraData The header's extraData.
 * @returns The sharing percentage and the proposal id.
 * @throws {RangeError} When it is not hex of exactly 7 bytes.
 *
 * @example
 * ```ts
 * import { decodeExtraData } from "./extra_data.ts";
 * const { basefeeSharingPctg, proposalId } = decodeExtraData("0x05000000000007");
 * console.assert(basefeeSharingPctg === 5 && proposalId === 7n);
 * ```
 */
export function decodeExtraData(extraData: Hex): ShastaExtraData {
  if (!isHex(extraData, { strict: true }) || extraData.length !== 2 + 2 * EXTRA_DATA_BYTES) {
    throw new RangeError(`Cannot decode extraData "${extraData}": expected ${EXTRA_DATA_BYTES} bytes of hex`);
  }
  const bytes = hexToBytes(extraData);
  return { basefeeSharingPctg: bytes[0]!, proposalId: bytesToBigInt(bytes.subarray(1)) };
}
