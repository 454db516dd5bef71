/**
 * Merkle Patricia trie roots (Ethereum yellow paper, appendix D) for the lists the engine API hashes:
 * the transactions of a payload (`txHash`, the header's `transactionsRoot`) and its withdrawals.
 *
 * Written on viem's `toRlp`/`keccak256` instead of adding `@ethereumjs/trie`: a root over an in-memory
 * list needs no database, proofs or state, and the whole algorithm is the forty lines below, while the
 * library would bring its own RLP, utility and hashing packages into the driver's dependency graph.
 *
 * @module
 */
import { bytesToHex, hexToBytes, keccak256, toRlp } from "viem";
import type { Hash, Hex } from "../hex.ts";

/** RLP input: a byte string or a nested list of them. */
type RlpItem = Hex | readonly RlpItem[];

/** One key/value pair of a trie, keys as nibble paths. */
interface NibbleEntry {
  readonly path: readonly number[];
  readonly value: Hex;
}

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
    nibbleEntries.push({ path: toNibbles(key), value });
  }
  nibbleEntries.sort((a, b) => comparePaths(a.path, b.path));
  return keccak256(toRlp(node(nibbleEntries, 0) as Hex[]));
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
  return trieRoot(items.map((item, index) => [toRlp(indexBytes(index)), item] as const));
}

/** The minimal big-endian bytes of an index (0 is the empty string). */
function indexBytes(index: number): Hex {
  if (index === 0) return "0x";
  const hex = index.toString(16);
  return `0x${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

function toNibbles(key: Hex): number[] {
  const nibbles: number[] = [];
  for (const byte of hexToBytes(key)) nibbles.push(byte >> 4, byte & 0x0f);
  return nibbles;
}

function comparePaths(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** Hex-prefix encoding of a nibble path (yellow paper, appendix C). */
function hexPrefix(nibbles: readonly number[], leaf: boolean): Hex {
  const flag = (leaf ? 2 : 0) + (nibbles.length % 2);
  const all = nibbles.length % 2 === 1 ? [flag, ...nibbles] : [flag, 0, ...nibbles];
  const bytes = new Uint8Array(all.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = ((all[2 * i] as number) << 4) | (all[2 * i + 1] as number);
  }
  return bytesToHex(bytes);
}

/** How a node is referenced from its parent: inline when its RLP is shorter than 32 bytes. */
function reference(item: RlpItem): RlpItem {
  const encoded = toRlp(item as Hex[]);
  return (encoded.length - 2) / 2 < 32 ? item : keccak256(encoded);
}

/** The node holding `entries` (sorted, sharing their first `depth` nibbles). */
function node(entries: readonly NibbleEntry[], depth: number): RlpItem {
  const first = entries[0];
  if (first === undefined) return "0x";
  if (entries.length === 1) return [hexPrefix(first.path.slice(depth), true), first.value];
  const last = entries[entries.length - 1] as NibbleEntry;
  let shared = 0;
  // Sorted paths: the prefix shared by the first and the last is shared by all.
  while (
    depth + shared < first.path.length && depth + shared < last.path.length &&
    first.path[depth + shared] === last.path[depth + shared]
  ) shared++;
  if (shared > 0) {
    return [
      hexPrefix(first.path.slice(depth, depth + shared), false),
      reference(node(entries, depth + shared)),
    ];
  }
  const branch: RlpItem[] = [];
  let value: Hex = "0x";
  let rest = entries;
  if (first.path.length === depth) {
    value = first.value;
    rest = entries.slice(1);
  }
  for (let nibble = 0; nibble < 16; nibble++) {
    const child = rest.filter((entry) => entry.path[depth] === nibble);
    branch.push(child.length === 0 ? "0x" : reference(node(child, depth + 1)));
  }
  branch.push(value);
  return branch;
}
