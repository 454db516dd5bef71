/**
 * secp256k1 public-key recovery through libsecp256k1 compiled to WebAssembly (tiny-secp256k1).
 * Recovery is the cost of validating a commitment; measured here, this is about 2.1× the
 * `@noble/curves` 2.x recovery the benchmark report uses as the machine's limit (row L1).
 *
 * Rules match libsecp256k1's `ecdsa_recover`, as the Rust reference's signer recovery does: r and
 * s must be non-zero and below the curve order, a high s is accepted, the recovery id is 0..3.
 *
 * @module
 */
import { recover } from "tiny-secp256k1";
import { keccak256Bytes } from "./keccak.ts";

/**
 * Recovers the uncompressed public key (65 bytes, `0x04 ‖ x ‖ y`) that produced a signature.
 *
 * @param digest The 32-byte message digest that was signed.
 * @param compact `r ‖ s`, 64 bytes.
 * @param recoveryId The raw recovery id, 0..3.
 * @returns The public key.
 * @throws {RangeError} When the recovery id is not 0..3, r or s is zero or not below the curve
 *   order, r is not the x coordinate of a curve point, or no key matches.
 */
export function recoverPublicKey(digest: Uint8Array, compact: Uint8Array, recoveryId: number): Uint8Array {
  if (!Number.isInteger(recoveryId) || recoveryId < 0 || recoveryId > 3) {
    throw new RangeError(`recovery id must be 0..3, got ${recoveryId}`);
  }
  let publicKey: Uint8Array | null;
  try {
    publicKey = recover(digest, compact, recoveryId as 0 | 1 | 2 | 3, false);
  } catch (cause) {
    throw new RangeError(`invalid signature: ${(cause as Error).message}`, { cause });
  }
  if (publicKey === null) throw new RangeError("invalid signature: no public key recovers from it");
  return publicKey;
}

/**
 * Recovers the 20-byte Ethereum address (last 20 bytes of keccak256 of the key's x ‖ y) that
 * produced a signature.
 *
 * @param digest The 32-byte message digest that was signed.
 * @param compact `r ‖ s`, 64 bytes.
 * @param recoveryId The raw recovery id, 0..3.
 * @returns The address bytes (not checksummed hex: callers that compare need no checksum).
 * @throws {RangeError} As {@linkcode recoverPublicKey}.
 */
export function recoverAddressBytes(digest: Uint8Array, compact: Uint8Array, recoveryId: number): Uint8Array {
  return keccak256Bytes(recoverPublicKey(digest, compact, recoveryId).subarray(1)).subarray(12);
}
