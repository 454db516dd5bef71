/**
 * KZG for the devnet: c-kzg's native addon with its bundled mainnet trusted setup, loaded once per
 * process, and wrapped as a viem `Kzg` for blob transactions.
 *
 * viem's `setupKzg(cKzg, path)` must not be used: c-kzg 4 takes `loadTrustedSetup(precompute, path?)`
 * and viem passes the path first (devnet-notes §1a).
 *
 * @module
 */
import cKzg from "c-kzg";
import { bytesToHex, commitmentToVersionedHash, type Hash, type Hex, hexToBytes, type Kzg } from "viem";

/** Size of one EIP-4844 blob. */
export const BLOB_SIZE_BYTES = 131_072;

/** One blob with its commitment, proof and versioned hash, all hex. */
export interface BlobSidecar {
  readonly blob: Hex;
  readonly commitment: Hex;
  readonly proof: Hex;
  readonly versionedHash: Hash;
}

let kzg: Kzg | null = null;

/**
 * Loads c-kzg's trusted setup on the first call (about 2 s) and returns the viem adapter.
 *
 * @returns A viem `Kzg` backed by c-kzg.
 * @throws Error when c-kzg's native addon is missing (run `./dev` once to build it).
 */
export function loadKzg(): Kzg {
  if (kzg !== null) return kzg;
  cKzg.loadTrustedSetup(0);
  kzg = {
    blobToKzgCommitment: (blob) => cKzg.blobToKzgCommitment(blob),
    computeBlobKzgProof: (blob, commitment) => cKzg.computeBlobKzgProof(blob, commitment),
  };
  return kzg;
}

/**
 * The EIP-4844 versioned hash of a commitment: sha256 with byte 0 set to 0x01.
 *
 * @param commitment The 48-byte KZG commitment.
 * @returns The 32-byte versioned hash.
 * @throws RangeError when the commitment is not 48 bytes.
 */
export function blobVersionedHash(commitment: Hex | Uint8Array): Hash {
  const bytes = typeof commitment === "string" ? hexToBytes(commitment) : commitment;
  if (bytes.length !== 48) {
    throw new RangeError(`Cannot hash KZG commitment: expected 48 bytes, found ${bytes.length}`);
  }
  return commitmentToVersionedHash({ commitment: bytes, to: "hex" });
}

/**
 * Computes commitment, proof and versioned hash of each blob.
 *
 * @param blobs Blobs of exactly {@link BLOB_SIZE_BYTES} each.
 * @returns One sidecar per blob, in order.
 * @throws RangeError when a blob has the wrong size.
 */
export function computeBlobSidecars(blobs: readonly Uint8Array[]): BlobSidecar[] {
  const backend = loadKzg();
  return blobs.map((blob, index) => {
    if (blob.length !== BLOB_SIZE_BYTES) {
      throw new RangeError(
        `Cannot commit to blob ${index}: expected ${BLOB_SIZE_BYTES} bytes, found ${blob.length}`,
      );
    }
    const commitment = backend.blobToKzgCommitment(blob);
    const proof = backend.computeBlobKzgProof(blob, commitment);
    return {
      blob: bytesToHex(blob),
      commitment: bytesToHex(commitment),
      proof: bytesToHex(proof),
      versionedHash: blobVersionedHash(commitment),
    };
  });
}
