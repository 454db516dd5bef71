/**
 * Hashing and secp256k1 signing of commitments (p2p.md section 3): the signing hash is
 * `keccak256(domain ‖ SSZ(PreconfCommitment))` with a 32-byte domain, signatures are `r ‖ s ‖ v`
 * with v in {0, 1}, and the parent link is `keccak256(SSZ(Preconfirmation))`.
 *
 * @module
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, concatBytes, hexToBytes, keccak256, stringToHex } from "viem";
import type { Address, Hash, Hex } from "../../../driver/mod.ts";
import { publicKeyToAddress } from "viem/accounts";
import { P2pError } from "../errors.ts";
import {
  encodePreconfCommitment,
  encodePreconfirmation,
  encodeSignedCommitment,
  type PreconfCommitment,
  type Preconfirmation,
  type SignedCommitment,
} from "./commitment.ts";
import { fixedBytes } from "./_ssz.ts";

/**
 * The reference's signing domain: the 32 ASCII bytes `TAIKO_PRECONF_DOMAIN_PLACEHOLDER`. Networks
 * may configure another 32-byte domain; every node of one network must use the same.
 */
export const DEFAULT_SIGNING_DOMAIN: Hex = stringToHex("TAIKO_PRECONF_DOMAIN_PLACEHOLDER");

/**
 * The digest a preconfer signs: `keccak256(domain ‖ SSZ(commitment))` (349-byte preimage, no
 * EIP-191 prefix).
 *
 * @param commitment The commitment.
 * @param domain 32 bytes of hex.
 * @returns The digest.
 * @throws {TypeError} The domain is not 32 bytes, or a commitment field is malformed.
 * @throws {RangeError} A commitment number does not fit a uint256.
 */
export function signingHash(commitment: PreconfCommitment, domain: Hex = DEFAULT_SIGNING_DOMAIN): Hash {
  return keccak256(
    concatBytes([fixedBytes(domain, 32, "signing domain"), encodePreconfCommitment(commitment)]),
  );
}

/**
 * The parent-link hash: `keccak256(SSZ(preconf))`, which a child's `parentPreconfirmationHash`
 * carries. It covers neither the domain, the slasher nor the signature.
 *
 * @param preconf The preconfirmation.
 * @returns The hash.
 * @throws {TypeError} A field is malformed.
 * @throws {RangeError} A number does not fit a uint256.
 */
export function preconfirmationHash(preconf: Preconfirmation): Hash {
  return keccak256(encodePreconfirmation(preconf));
}

/**
 * The RPC `commitmentHash`: `keccak256` of the whole 382-byte signed commitment.
 *
 * @param signed The signed commitment.
 * @returns The hash.
 * @throws {TypeError} A field is malformed.
 * @throws {RangeError} A number does not fit a uint256.
 */
export function commitmentHash(signed: SignedCommitment): Hash {
  return keccak256(encodeSignedCommitment(signed));
}

/**
 * Signs a commitment with RFC 6979 (deterministic, low-S), byte-identical to the reference's
 * libsecp256k1 signer.
 *
 * @param commitment The commitment.
 * @param privateKey The 32-byte secp256k1 key.
 * @param domain 32 bytes of hex.
 * @returns The commitment with its `r ‖ s ‖ v` signature (v in {0, 1}).
 * @throws {TypeError} The key or domain is not 32 bytes, or a commitment field is malformed.
 * @throws {Error} The key is zero or not below the curve order.
 * @example
 * ```ts ignore
 * const signed = signCommitment(commitment, privateKey);
 * recoverSigner(signed); // the key's address
 * ```
 */
export function signCommitment(
  commitment: PreconfCommitment,
  privateKey: Hex,
  domain: Hex = DEFAULT_SIGNING_DOMAIN,
): SignedCommitment {
  const digest = hexToBytes(signingHash(commitment, domain));
  // noble's "recovered" layout is v ‖ r ‖ s; the wire wants r ‖ s ‖ v.
  const recovered = secp256k1.sign(digest, fixedBytes(privateKey, 32, "private key"), {
    prehash: false,
    format: "recovered",
  });
  const signature = new Uint8Array(65);
  signature.set(recovered.subarray(1), 0);
  signature[64] = recovered[0] as number;
  return { commitment, signature: bytesToHex(signature) };
}

/**
 * Recovers the address that signed a commitment. Like libsecp256k1, a high-S signature is
 * accepted; v must be a raw recovery id (0..3), so 27/28 are refused. Authorization (is this the
 * elected signer?) is the caller's comparison.
 *
 * @param signed The signed commitment.
 * @param domain 32 bytes of hex.
 * @returns The checksummed signer address.
 * @throws {P2pError} kind `InvalidSignature` when v ≥ 4, r or s is zero or not below the curve
 *   order, or no key can be recovered.
 * @throws {TypeError} The domain or the signature is malformed hex of the wrong length.
 */
export function recoverSigner(signed: SignedCommitment, domain: Hex = DEFAULT_SIGNING_DOMAIN): Address {
  const signature = fixedBytes(signed.signature, 65, "signature");
  const v = signature[64] as number;
  if (v > 3) {
    throw new P2pError(
      "InvalidSignature",
      `Cannot recover commitment signer: recovery id v must be 0..3, got ${v}`,
    );
  }
  const digest = hexToBytes(signingHash(signed.commitment, domain));
  try {
    const point = secp256k1.Signature.fromBytes(signature.subarray(0, 64), "compact")
      .addRecoveryBit(v)
      .recoverPublicKey(digest);
    return publicKeyToAddress(bytesToHex(point.toBytes(false)));
  } catch (cause) {
    throw new P2pError(
      "InvalidSignature",
      `Cannot recover commitment signer: ${(cause as Error).message ?? cause}`,
      { cause },
    );
  }
}
