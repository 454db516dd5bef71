/**
 * Merkle Patricia trie roots (Ethereum yellow paper, appendix D) for the lists the engine API hashes:
 * the transactions of a payload (`txHash`, the header's `transactionsRoot`) and its withdrawals.
 *
 * Written on viem's `toRlp` and the WebAssembly keccak of `internal/keccak.ts` instead of adding `@ethereumjs/trie`: a
 * root over an in-memory list needs no database, proofs or state, and the whole algorithm is the
 * forty lines below, while the library would bring its own RLP, utility and hashing packages into the
 * driver's dependency graph. Nodes are built and hashed as bytes: each item is decoded from hex once
 * and hashed once, inside its leaf (hex RLP and hashing hex cost 5x more for a 200 KB list).
 *
 * @module
 */
import { toRlp } from "viem";
import { keccak256Bytes } from "../../internal/keccak.ts";
import type { Hash, Hex } from "../hex.ts";
import { bytesFromHex, hexFromBytes } from "../hex_bytes.ts";

/** RLP input: a byte string or a nested list of them. */
type RlpItem = Uint8Array | readonly RlpItem[];

/** One key/value pair of a trie, keys as nibble paths. */
interface NibbleEntry {
  readonly path: Uint8Array;
  readonly value: Uint8Array;
}

const EMPTY_BYTES = new Uint8Array(0);

/**
 * Computes the root of the trie that maps each key to its value.
 *
 * @param entries Key/value pairs as hex byte strings; a key may appear once. Empty values are not
 *   allowed (a trie cannot store them; deletion is their absence).
 * @returns The keccak256 root; `0x56e81f…b421` for no entries.
 * @throws {RangeError} when a key repeats or a value is empty.
 *
 * @example
 * ```ts
 * import { trieRoot } from "./trie_root.ts";
 * trieRoot([["0x646f", "0x76657262"]]); // keccak of the single leaf
 * ```
 */
export function trieRoot(entries: readonly (readonly [key: Hex, value: Hex])[]): Hash {
  const seen = new Set<string>();
  const nibbleEntries: NibbleEntry[] = [];
  for (const [key, value] of entries) {
    const normalized = key.toLowerCase();
    if (seen.has(normalized)) throw new RangeError(`Cannot build trie: key "${key}" appears twice`);
    if (value === "0x") throw new RangeError(`Cannot build trie: key "${key}" has an empty value`);
    seen.add(normalized);
    nibbleEntries.push({ path: toNibbles(bytesFromHex(key)), value: bytesFromHex(value) });
  }
  nibbleEntries.sort((a, b) => comparePaths(a.path, b.path));
  return rootOf(nibbleEntries);
}

/**
 * Computes the root of an ordered list: key = RLP(index), value = the item's raw bytes. This is the
 * header's `transactionsRoot` for EIP-2718 encoded transactions, and `withdrawalsRoot` for RLP
 * encoded withdrawals.
 *
 * @param items The list's items as hex byte strings, in order.
 * @returns The keccak256 root; `0x56e81f…b421` for an empty list.
 * @throws {RangeError} when an item is empty.
 *
 * @example
 * ```ts
 * import { orderedTrieRoot } from "./trie_root.ts";
 * orderedTrieRoot([]); // "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"
 * ```
 */
export function orderedTrieRoot(items: readonly Hex[]): Hash {
  return orderedTrieRootOfBytes(items.map((item) => bytesFromHex(item)));
}

/**
 * {@linkcode orderedTrieRoot} of items already decoded to bytes.
 *
 * @param items The list's items, in order.
 * @returns The keccak256 root; `0x56e81f…b421` for an empty list.
 * @throws {RangeError} when an item is empty.
 *
 * @example
 * ```ts
 * import { orderedTrieRootOfBytes } from "./trie_root.ts";
 * orderedTrieRootOfBytes([]); // "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"
 * ```
 */
export function orderedTrieRootOfBytes(items: readonly Uint8Array[]): Hash {
  // Keys RLP(0), RLP(1), … are distinct by construction, so trieRoot's duplicate check is skipped,
  // and their byte order is known, so they need no sort: RLP(1) … RLP(127) are the bytes 0x01 … 0x7f,
  // RLP(0) is 0x80, and every larger index is 0x81 + 1 byte, 0x82 + 2 bytes, …, in numeric order.
  const nibbleEntries: NibbleEntry[] = [];
  const entry = (index: number): NibbleEntry => {
    const item = items[index] as Uint8Array;
    if (item.length === 0) {
      throw new RangeError(`Cannot build trie: key "${hexFromBytes(indexKey(index))}" has an empty value`);
    }
    return { path: indexPath(index), value: item };
  };
  for (let index = 1; index < Math.min(items.length, 128); index++) nibbleEntries.push(entry(index));
  if (items.length > 0) nibbleEntries.push(entry(0));
  for (let index = 128; index < items.length; index++) nibbleEntries.push(entry(index));
  return rootOf(nibbleEntries);
}

/**
 * Nibble paths of the ordered-trie keys RLP(0) … RLP(n − 1), computed once: every block's txHash
 * needs the same ones. Only indices below this bound are kept (a block holds far fewer transactions).
 */
const INDEX_PATH_CACHE_ENTRIES = 4096;
const indexPaths: Uint8Array[] = [];

function indexPath(index: number): Uint8Array {
  if (index >= INDEX_PATH_CACHE_ENTRIES) return toNibbles(indexKey(index));
  for (let next = indexPaths.length; next <= index; next++) indexPaths.push(toNibbles(indexKey(next)));
  return indexPaths[index] as Uint8Array;
}

/** RLP of an index: its minimal big-endian bytes (0 is the empty string) as an RLP string. */
function indexKey(index: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = index; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return toRlp(new Uint8Array(bytes), "bytes");
}

function rootOf(sorted: readonly NibbleEntry[]): Hash {
  return hexFromBytes(keccak256Bytes(toRlp(node(sorted, 0) as Uint8Array[], "bytes")));
}

function toNibbles(key: Uint8Array): Uint8Array {
  const nibbles = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    const byte = key[i] as number;
    nibbles[2 * i] = byte >> 4;
    nibbles[2 * i + 1] = byte & 0x0f;
  }
  return nibbles;
}

function comparePaths(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/**
 * Leaf hex-prefixes by path and depth: the ordered trie's paths are the cached `indexPath` objects,
 * so every block's trie reuses the same few prefixes instead of encoding one per leaf.
 */
const leafPrefixes = new WeakMap<Uint8Array, Uint8Array[]>();

function leafPrefix(path: Uint8Array, depth: number): Uint8Array {
  let byDepth = leafPrefixes.get(path);
  if (byDepth === undefined) {
    byDepth = [];
    leafPrefixes.set(path, byDepth);
  }
  return byDepth[depth] ??= hexPrefix(path.subarray(depth), true);
}

/** Hex-prefix encoding of a nibble path (yellow paper, appendix C). */
function hexPrefix(nibbles: Uint8Array, leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const flag = (leaf ? 2 : 0) + odd;
  const bytes = new Uint8Array(1 + (nibbles.length - odd) / 2);
  // An odd path puts its first nibble beside the flag; an even one pads the flag byte with 0.
  bytes[0] = (flag << 4) | (odd === 1 ? nibbles[0] as number : 0);
  for (let i = odd, b = 1; i < nibbles.length; i += 2, b++) {
    bytes[b] = ((nibbles[i] as number) << 4) | (nibbles[i + 1] as number);
  }
  return bytes;
}

/** How a node is referenced from its parent: inline when its RLP is shorter than 32 bytes. */
function reference(item: RlpItem): RlpItem {
  const encoded = toRlp(item as Uint8Array[], "bytes");
  return encoded.length < 32 ? item : keccak256Bytes(encoded);
}

/** The node holding `entries` (sorted, sharing their first `depth` nibbles). */
function node(entries: readonly NibbleEntry[], depth: number): RlpItem {
  const first = entries[0];
  if (first === undefined) return EMPTY_BYTES;
  if (entries.length === 1) return [leafPrefix(first.path, depth), first.value];
  const last = entries[entries.length - 1] as NibbleEntry;
  let shared = 0;
  // Sorted paths: the prefix shared by the first and the last is shared by all.
  while (
    depth + shared < first.path.length && depth + shared < last.path.length &&
    first.path[depth + shared] === last.path[depth + shared]
  ) shared++;
  if (shared > 0) {
    return [
      hexPrefix(first.path.subarray(depth, depth + shared), false),
      reference(node(entries, depth + shared)),
    ];
  }
  const branch: RlpItem[] = [];
  let value: Uint8Array = EMPTY_BYTES;
  let rest = entries;
  if (first.path.length === depth) {
    value = first.value;
    rest = entries.slice(1);
  }
  // Sorted entries: each child's entries are one consecutive run of the same nibble at `depth`.
  let start = 0;
  for (let nibble = 0; nibble < 16; nibble++) {
    let end = start;
    while (end < rest.length && (rest[end] as NibbleEntry).path[depth] === nibble) end++;
    branch.push(end === start ? EMPTY_BYTES : reference(node(rest.slice(start, end), depth + 1)));
    start = end;
  }
  branch.push(value);
  return branch;
}
