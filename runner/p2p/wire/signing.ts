/**
 * Hashing and secp256k1 signing of commitments (p2p.md section 3): the signing hash is
 * `keccak256(domain ‖ SSZ(PreconfCommitment))` with a 32-byte domain, signatures are `r ‖ s ‖ v`
 * with v in {0, 1}, and the parent link is `keccak256(SSZ(Preconfirmation))`.
 *
 * The three hashes cover prefixes of the 382-byte `SignedCommitment` encoding: the preconfirmation
 * is bytes 0..297, the commitment 0..317 and the signature 317..382 (p2p.md 2.1-2.3). A path that
 * starts from bytes hashes them directly (the `…OfEncoded` functions); a signed commitment decoded
 * from bytes that were handed to {@linkcode rememberEncoding} is hashed and recovered from those
 * bytes too, so it is never re-encoded. Hashing and recovery run on WebAssembly (hash-wasm keccak,
 * libsecp256k1).
 *
 * @module
 */
import { bytesToHex, stringToHex } from "viem";
import { signRecoverable } from "tiny-secp256k1";
import type { Address, Hash, Hex } from "../../../driver/mod.ts";
import { checksumAddress } from "../../../internal/checksum_address.ts";
import { keccak256Bytes, keccak256Hex } from "../../../internal/keccak.ts";
import { recoverAddressBytes } from "../../../internal/secp256k1.ts";
import { P2pError } from "../errors.ts";
import {
  encodePreconfCommitment,
  encodePreconfirmation,
  encodeSignedCommitment,
  type PreconfCommitment,
  type Preconfirmation,
  type SignedCommitment,
} from "./commitment.ts";
import { PRECONF_COMMITMENT_BYTES, PRECONFIRMATION_BYTES, SIGNED_COMMITMENT_BYTES } from "./constants.ts";
import { fixedBytes } from "./_ssz.ts";

/**
 * The reference's signing domain: the 32 ASCII bytes `TAIKO_PRECONF_DOMAIN_PLACEHOLDER`. Networks
 * may configure another 32-byte domain; every node of one network must use the same.
 */
export const DEFAULT_SIGNING_DOMAIN: Hex = stringToHex("TAIKO_PRECONF_DOMAIN_PLACEHOLDER");

/**
 * The SSZ bytes of signed commitments decoded from the wire, keyed by the decoded objects. Bound: a
 * WeakMap entry lives exactly as long as its object, 382 bytes per decoded commitment; nothing else
 * keeps them.
 */
const encodings = new WeakMap<SignedCommitment, Uint8Array>();

/**
 * Records the 382 bytes a signed commitment was decoded from, so that {@linkcode commitmentHash},
 * {@linkcode recoverSigner} and {@linkcode encodedSignedCommitment} (which validation and the
 * signature pool hash from) use these bytes instead of encoding the object again. The bytes are
 * copied (a view could keep a large network buffer alive).
 *
 * @param signed The commitment `decodeSignedCommitment(encoded)` returned. The objects are
 *   readonly: hashing a mutated one would hash the bytes it was decoded from.
 * @param encoded Its 382-byte SSZ encoding.
 * @throws {RangeError} `encoded` is not 382 bytes long.
 */
export function rememberEncoding(signed: SignedCommitment, encoded: Uint8Array): void {
  checkLength(encoded, SIGNED_COMMITMENT_BYTES, "signed commitment");
  // A copy into a plain array: Node's Buffer (what libp2p hands over) would share memory on slice().
  const copy = new Uint8Array(SIGNED_COMMITMENT_BYTES);
  copy.set(encoded);
  encodings.set(signed, copy);
}

/**
 * The 382-byte SSZ of a signed commitment: the bytes it was decoded from when they were
 * remembered, otherwise its encoding (then remembered, so it is encoded once).
 *
 * @param signed The signed commitment.
 * @returns The SSZ bytes (shared: do not modify).
 * @throws {TypeError} A field is malformed.
 * @throws {RangeError} A number does not fit a uint256.
 */
export function encodedSignedCommitment(signed: SignedCommitment): Uint8Array {
  const known = encodings.get(signed);
  if (known !== undefined) return known;
  const encoded = encodeSignedCommitment(signed);
  rememberEncoding(signed, encoded);
  return encoded;
}

let lastDomain: Hex | undefined;
let lastDomainBytes: Uint8Array = new Uint8Array(0);

/** The domain's 32 bytes; the last one parsed is kept (a node uses one domain). */
function domainBytes(domain: Hex): Uint8Array {
  if (domain !== lastDomain) {
    lastDomainBytes = fixedBytes(domain, 32, "signing domain");
    lastDomain = domain;
  }
  return lastDomainBytes;
}

function checkLength(encoded: Uint8Array, expected: number, what: string): void {
  prefixOf(encoded, expected, [expected], what);
}

/** Checks that `encoded` is one of the given SSZ sizes and returns its first `prefix` bytes. */
function prefixOf(encoded: Uint8Array, prefix: number, sizes: readonly number[], what: string): Uint8Array {
  if (!(encoded instanceof Uint8Array) || !sizes.includes(encoded.length)) {
    throw new RangeError(
      `Cannot hash ${what}: expected ${sizes.join(" or ")} bytes of SSZ, got ${
        encoded instanceof Uint8Array ? encoded.length : typeof encoded
      }`,
    );
  }
  return encoded.length === prefix ? encoded : encoded.subarray(0, prefix);
}

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
  return keccak256Hex(domainBytes(domain), encodePreconfCommitment(commitment));
}

/**
 * {@linkcode signingHash} of an encoded commitment: `keccak256(domain ‖ bytes 0..317)`.
 *
 * @param encoded The 382-byte SSZ `SignedCommitment`, or the 317-byte SSZ `PreconfCommitment`.
 * @param domain 32 bytes of hex.
 * @returns The digest.
 * @throws {TypeError} The domain is not 32 bytes.
 * @throws {RangeError} `encoded` is neither 382 nor 317 bytes long.
 */
export function signingHashOfEncoded(encoded: Uint8Array, domain: Hex = DEFAULT_SIGNING_DOMAIN): Hash {
  const commitment = prefixOf(
    encoded,
    PRECONF_COMMITMENT_BYTES,
    [SIGNED_COMMITMENT_BYTES, PRECONF_COMMITMENT_BYTES],
    "commitment",
  );
  return keccak256Hex(domainBytes(domain), commitment);
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
  return keccak256Hex(encodePreconfirmation(preconf));
}

/**
 * {@linkcode preconfirmationHash} of encoded bytes: `keccak256(bytes 0..297)`.
 *
 * @param encoded The 382-byte SSZ `SignedCommitment`, the 317-byte `PreconfCommitment` or the
 *   297-byte `Preconfirmation`.
 * @returns The hash.
 * @throws {RangeError} `encoded` is none of those sizes.
 */
export function preconfirmationHashOfEncoded(encoded: Uint8Array): Hash {
  return keccak256Hex(
    prefixOf(
      encoded,
      PRECONFIRMATION_BYTES,
      [SIGNED_COMMITMENT_BYTES, PRECONF_COMMITMENT_BYTES, PRECONFIRMATION_BYTES],
      "preconfirmation",
    ),
  );
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
  return keccak256Hex(encodedSignedCommitment(signed));
}

/**
 * {@linkcode commitmentHash} of encoded bytes: `keccak256` of all 382.
 *
 * @param encoded The 382-byte SSZ `SignedCommitment`.
 * @returns The hash.
 * @throws {RangeError} `encoded` is not 382 bytes long.
 */
export function commitmentHashOfEncoded(encoded: Uint8Array): Hash {
  checkLength(encoded, SIGNED_COMMITMENT_BYTES, "signed commitment");
  return keccak256Hex(encoded);
}

/**
 * Signs a commitment with RFC 6979 (deterministic, low-S) through libsecp256k1, the reference
 * signer's library (byte-identical signatures).
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
  const key = fixedBytes(privateKey, 32, "private key");
  const digest = keccak256Bytes(domainBytes(domain), encodePreconfCommitment(commitment));
  let signed: { signature: Uint8Array; recoveryId: number };
  try {
    signed = signRecoverable(digest, key);
  } catch (cause) {
    throw new Error(
      `Cannot sign commitment: the private key must be non-zero and below the curve order (${
        (cause as Error).message
      })`,
      { cause },
    );
  }
  const signature = new Uint8Array(65);
  signature.set(signed.signature, 0);
  signature[64] = signed.recoveryId;
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
  const signature = recoverableSignature(signed);
  return recoverSignerOfDigest(signingHashBytes(encodedSignedCommitment(signed), domain), signature);
}

/**
 * The 65 bytes `r ‖ s ‖ v` of a signed commitment, with v judged before anything is hashed: every
 * recovery (here or on the signature pool's workers) refuses the same signatures with the same
 * errors.
 *
 * @param signed The signed commitment.
 * @returns The signature bytes.
 * @throws {TypeError} The signature is not 65 bytes of hex.
 * @throws {P2pError} kind `InvalidSignature` when v ≥ 4 (27/28 included).
 */
export function recoverableSignature(signed: SignedCommitment): Uint8Array {
  const signature = fixedBytes(signed.signature, 65, "signature");
  refuseRecoveryId(signature[64] as number);
  return signature;
}

/**
 * {@linkcode recoverSigner} on encoded bytes: the digest is `keccak256(domain ‖ bytes 0..317)`
 * and the signature bytes 317..382.
 *
 * @param encoded The 382-byte SSZ `SignedCommitment`.
 * @param domain 32 bytes of hex.
 * @returns The checksummed signer address.
 * @throws {P2pError} kind `InvalidSignature` as {@linkcode recoverSigner}.
 * @throws {TypeError} The domain is not 32 bytes.
 * @throws {RangeError} `encoded` is not 382 bytes long.
 */
export function recoverSignerOfEncoded(encoded: Uint8Array, domain: Hex = DEFAULT_SIGNING_DOMAIN): Address {
  checkLength(encoded, SIGNED_COMMITMENT_BYTES, "signed commitment");
  return recoverSignerOfDigest(
    signingHashBytes(encoded, domain),
    encoded.subarray(PRECONF_COMMITMENT_BYTES),
  );
}

/**
 * The signing digest of a 382-byte encoding as bytes (what recovery consumes).
 *
 * @param encoded The 382-byte SSZ `SignedCommitment`.
 * @param domain 32 bytes of hex.
 * @returns The 32-byte digest.
 * @throws {TypeError} The domain is not 32 bytes.
 */
export function signingHashBytes(encoded: Uint8Array, domain: Hex = DEFAULT_SIGNING_DOMAIN): Uint8Array {
  return keccak256Bytes(domainBytes(domain), encoded.subarray(0, PRECONF_COMMITMENT_BYTES));
}

/**
 * Recovers the signer of a digest under the commitment rules: `r ‖ s ‖ v`, v a raw recovery id
 * (0..3, so 27/28 are refused), r and s non-zero and below the curve order, high S accepted.
 *
 * @param digest The 32-byte signing digest.
 * @param signature `r ‖ s ‖ v`, 65 bytes.
 * @returns The checksummed signer address.
 * @throws {P2pError} kind `InvalidSignature` when the signature breaks a rule or no key recovers.
 * @throws {TypeError} The signature is not 65 bytes.
 */
export function recoverSignerOfDigest(digest: Uint8Array, signature: Uint8Array): Address {
  if (signature.length !== 65) {
    throw new TypeError(
      `Cannot recover commitment signer: signature has ${signature.length} bytes, expected 65`,
    );
  }
  const v = signature[64] as number;
  refuseRecoveryId(v);
  try {
    return checksumAddress(recoverAddressBytes(digest, signature.subarray(0, 64), v));
  } catch (cause) {
    throw new P2pError(
      "InvalidSignature",
      `Cannot recover commitment signer: ${(cause as Error).message ?? cause}`,
      { cause },
    );
  }
}

function refuseRecoveryId(v: number): void {
  if (v > 3) {
    throw new P2pError(
      "InvalidSignature",
      `Cannot recover commitment signer: recovery id v must be 0..3, got ${v}`,
    );
  }
}
