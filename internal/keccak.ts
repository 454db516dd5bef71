/**
 * keccak256 on bytes through a WebAssembly hasher (hash-wasm). The driver hashes txlists, trie
 * nodes, payload ids and commitments on its hot paths; measured here, this hasher is about 6×
 * `@noble/hashes` on 349-byte preimages and 7× on 100 KiB txlists (bench/REPORT.md, row L2).
 *
 * One hasher instance serves the whole thread. Every function below runs init → update → digest
 * without yielding, so calls can never interleave.
 *
 * @module
 */
import { createKeccak } from "hash-wasm";

const hasher = await createKeccak(256);

/**
 * keccak256 of the concatenation of `parts`, without copying them into one buffer.
 *
 * @param parts The byte strings, hashed in order.
 * @returns The 32-byte digest, a new array.
 * @example
 * ```ts ignore
 * keccak256Bytes(new Uint8Array()); // c5d2…a470
 * ```
 */
export function keccak256Bytes(...parts: readonly Uint8Array[]): Uint8Array {
  hasher.init();
  for (const part of parts) hasher.update(part);
  return hasher.digest("binary");
}

/**
 * keccak256 of the concatenation of `parts`, as 0x-prefixed lowercase hex.
 *
 * @param parts The byte strings, hashed in order.
 * @returns The digest as 66 characters of hex.
 */
export function keccak256Hex(...parts: readonly Uint8Array[]): `0x${string}` {
  hasher.init();
  for (const part of parts) hasher.update(part);
  return `0x${hasher.digest("hex")}`;
}
