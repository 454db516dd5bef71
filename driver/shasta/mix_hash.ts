/**
 * The Shasta `mixHash` / `prevRandao` of a block (driver.md §3.4.1, p2p.md §13.2).
 *
 * @module
 */
import { numberToBytes } from "viem";
import { keccak256Hex } from "../../internal/keccak.ts";
import type { Hash } from "../hex.ts";

/**
 * `keccak256(abi.encode(bytes32 parentDifficulty, uint256 blockNumber))`: the parent header's
 * `difficulty` as a 32-byte big-endian word, then the new block's number. Shasta headers have
 * difficulty 0, so in practice this is `keccak256(0³² ‖ n)`.
 *
 * @param parentDifficulty The parent header's `difficulty`.
 * @param blockNumber The number of the block being built.
 * @returns The 32-byte mix hash.
 * @throws {RangeError} When either value is negative or exceeds 256 bits.
 *
 * @example
 * ```ts
 * import { computeMixHash } from "./mix_hash.ts";
 * console.assert(
 *   computeMixHash(0n, 1n) === "0xa6eef7e35abe7026729641147f7915573c7e97b47efa546f5f6e3230263bcb49",
 * );
 * ```
 */
export function computeMixHash(parentDifficulty: bigint, blockNumber: bigint): Hash {
  for (
    const [name, value] of [["parentDifficulty", parentDifficulty], ["blockNumber", blockNumber]] as const
  ) {
    if (value < 0n || value >= 1n << 256n) {
      throw new RangeError(`Cannot compute mixHash: ${name} ${value} is not a 256-bit unsigned integer`);
    }
  }
  // abi.encode of two static 32-byte values is the two big-endian words one after the other; hashing
  // them directly spares viem's ABI encoder and a hex round trip (about 4 ms per 64 blocks here).
  return keccak256Hex(
    numberToBytes(parentDifficulty, { size: 32 }),
    numberToBytes(blockNumber, { size: 32 }),
  );
}
