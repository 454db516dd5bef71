/**
 * Decoding of a derivation source manifest (driver.md §4.3): a 32-byte version word, a 32-byte size
 * word, then `size` bytes of zlib holding `rlp([blocks])`. Every failure yields the default manifest,
 * never an error: a malformed source must not stall derivation (lesson S-8).
 *
 * @module
 */
import { inflateSync } from "node:zlib";
import { bytesToBigInt, bytesToHex, fromRlp, zeroAddress } from "viem";
import type { Address, Hex } from "../hex.ts";
import {
  MANIFEST_HEADER_BYTES,
  MANIFEST_MAX_INFLATED_BYTES,
  MANIFEST_MAX_OFFSET_BYTES,
  MAX_UINT64,
  PROPOSAL_MAX_BLOCKS,
  SHASTA_PAYLOAD_VERSION,
} from "./constants.ts";
import { decodeBlob } from "./blob_codec.ts";
import { type RlpNode, transactionsFromRlpNodes } from "./tx_list.ts";
import type { BlobSlice, BlockManifest, SourceManifest } from "./types.ts";

/** The manifest a source falls back to: one all-zero block without transactions. */
export const DEFAULT_MANIFEST: SourceManifest = Object.freeze({
  blocks: Object.freeze([
    Object.freeze({
      timestamp: 0n,
      coinbase: zeroAddress,
      anchorBlockNumber: 0n,
      gasLimit: 0n,
      transactions: Object.freeze([]) as readonly Hex[],
    }),
  ]),
});

/** Why a source fell back to the default manifest. */
export type ManifestDecodeFailureKind =
  /** The blob slice has no blob hashes, or its offset leaves no room for a header. */
  | "NoPayload"
  /** A blob is not a valid version-0 encoding. */
  | "InvalidBlob"
  /** Fewer than `offset + 64` bytes. */
  | "HeaderOutOfBounds"
  /** The version word is not 1. */
  | "UnsupportedVersion"
  /** The size word points past the end of the bytes. */
  | "SizeOutOfBounds"
  /** The zlib stream is corrupt or truncated. */
  | "Inflate"
  /** The zlib stream inflates past the cap. */
  | "InflateCap"
  /** The inflated bytes are not a well-formed manifest RLP (including any bad transaction). */
  | "Rlp"
  /** More blocks than the per-source limit. */
  | "TooManyBlocks";

/** The outcome of decoding one source: the manifest to use and, when it is the fallback, why. */
export interface ManifestDecodeResult {
  /** The decoded manifest, or {@link DEFAULT_MANIFEST}. */
  readonly manifest: SourceManifest;
  /** Why the default manifest is used; `null` when the source decoded. */
  readonly failure: { readonly kind: ManifestDecodeFailureKind; readonly message: string } | null;
}

/** Limits of manifest decoding. */
export interface DecodeManifestOptions {
  /**
   * Cap on the inflated size, in bytes; past it the source yields the default manifest.
   * @default {MANIFEST_MAX_INFLATED_BYTES}
   */
  readonly maxInflatedBytes?: number;
  /**
   * Most blocks a manifest may carry.
   * @default {PROPOSAL_MAX_BLOCKS}
   */
  readonly maxBlocks?: number;
}

/**
 * Decodes the manifest at `offset` of a source's concatenated blob payloads. Never throws.
 *
 * @param bytes The decoded blob payloads of one source, concatenated in blob-hash order.
 * @param offset The blob slice's offset (bytes before the manifest header).
 * @param options Inflate cap and block limit.
 * @returns The manifest, or {@link DEFAULT_MANIFEST} on any failure.
 *
 * @example
 * ```ts
 * import { DEFAULT_MANIFEST, decodeManifest } from "./manifest_codec.ts";
 * console.assert(decodeManifest(new Uint8Array(10), 0) === DEFAULT_MANIFEST);
 * ```
 */
export function decodeManifest(
  bytes: Uint8Array,
  offset: number,
  options: DecodeManifestOptions = {},
): SourceManifest {
  return decodeManifestDetailed(bytes, offset, options).manifest;
}

/**
 * Like {@link decodeManifest}, and says why the default manifest was used, for logs and metrics.
 *
 * @param bytes The decoded blob payloads of one source, concatenated in blob-hash order.
 * @param offset The blob slice's offset.
 * @param options Inflate cap and block limit.
 * @returns The manifest and the failure (or `null`).
 *
 * @example
 * ```ts
 * import { decodeManifestDetailed } from "./manifest_codec.ts";
 * console.assert(decodeManifestDetailed(new Uint8Array(10), 0).failure?.kind === "HeaderOutOfBounds");
 * ```
 */
export function decodeManifestDetailed(
  bytes: Uint8Array,
  offset: number,
  options: DecodeManifestOptions = {},
): ManifestDecodeResult {
  const maxInflatedBytes = options.maxInflatedBytes ?? MANIFEST_MAX_INFLATED_BYTES;
  const maxBlocks = options.maxBlocks ?? PROPOSAL_MAX_BLOCKS;

  if (!Number.isSafeInteger(offset) || offset < 0 || bytes.length - offset < MANIFEST_HEADER_BYTES) {
    return fallback(
      "HeaderOutOfBounds",
      `need 64 header bytes at offset ${offset}, have ${bytes.length} bytes`,
    );
  }
  // The header words are read as go-ethereum's big.Int.Uint64() does (the Rust client aligned to it
  // in #21764): the version must fit 64 bits and its low 32 bits must be 1; the size keeps its low
  // 64 bits.
  const version = bytesToBigInt(bytes.subarray(offset, offset + 32));
  if (version > MAX_UINT64 || (version & 0xffff_ffffn) !== SHASTA_PAYLOAD_VERSION) {
    return fallback("UnsupportedVersion", `version word is ${version}, expected ${SHASTA_PAYLOAD_VERSION}`);
  }
  const size = bytesToBigInt(bytes.subarray(offset + 32, offset + 64)) & MAX_UINT64;
  const start = offset + MANIFEST_HEADER_BYTES;
  if (size > BigInt(bytes.length - start)) {
    return fallback(
      "SizeOutOfBounds",
      `size ${size} exceeds the ${bytes.length - start} bytes after the header`,
    );
  }

  let inflated: Uint8Array;
  try {
    inflated = inflateSync(bytes.subarray(start, start + Number(size)), {
      maxOutputLength: maxInflatedBytes,
    });
  } catch (cause) {
    if (cause instanceof RangeError) {
      return fallback("InflateCap", `zlib stream inflates past the cap of ${maxInflatedBytes} bytes`);
    }
    return fallback("Inflate", `zlib stream does not inflate: ${(cause as Error).message}`);
  }

  let items: readonly RlpNode[];
  try {
    items = blockItems(fromRlp(inflated, "bytes"));
  } catch (cause) {
    return fallback("Rlp", `manifest RLP does not decode: ${(cause as Error).message}`);
  }
  // Counting the blocks before decoding their transactions keeps a huge block list cheap to refuse.
  if (items.length > maxBlocks) {
    return fallback("TooManyBlocks", `manifest has ${items.length} blocks, the limit is ${maxBlocks}`);
  }
  try {
    return { manifest: { blocks: items.map((item, index) => blockFromRlp(item, index)) }, failure: null };
  } catch (cause) {
    return fallback("Rlp", `manifest RLP does not decode: ${(cause as Error).message}`);
  }
}

/**
 * Decodes one source's manifest from its blobs: each blob is decoded, the payloads concatenated and
 * the manifest read at the slice's offset. A slice without blobs or with an offset past
 * `131072 − 64`, an invalid blob encoding, or any manifest failure yields the default manifest
 * (lesson S-8); fetching the blobs, which can fail transiently, is the caller's.
 *
 * @param blobs The source's blobs, in blob-hash order (empty when the slice has no hashes).
 * @param slice The source's blob slice from the `Proposed` event.
 * @param options Inflate cap and block limit.
 * @returns The manifest and why it is the default one, if it is.
 * @throws {RangeError} When the number of blobs differs from the slice's blob hashes.
 *
 * @example
 * ```ts
 * import { manifestFromBlobs } from "./manifest_codec.ts";
 * const result = manifestFromBlobs([], { blobHashes: [], offset: 0, timestamp: 0n });
 * console.assert(result.failure?.kind === "NoPayload");
 * ```
 */
export function manifestFromBlobs(
  blobs: readonly Uint8Array[],
  slice: BlobSlice,
  options: DecodeManifestOptions = {},
): ManifestDecodeResult {
  if (blobs.length !== slice.blobHashes.length) {
    throw new RangeError(
      `Cannot decode a source manifest from ${blobs.length} blobs: the slice names ${slice.blobHashes.length}`,
    );
  }
  if (!sliceHasPayload(slice)) {
    return fallback("NoPayload", `blob slice has ${slice.blobHashes.length} blobs at offset ${slice.offset}`);
  }
  const parts: Uint8Array[] = [];
  for (const [index, blob] of blobs.entries()) {
    try {
      parts.push(decodeBlob(blob));
    } catch (cause) {
      return fallback("InvalidBlob", `blob ${index}: ${(cause as Error).message}`);
    }
  }
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return decodeManifestDetailed(joined, slice.offset, options);
}

/**
 * Whether a blob slice can carry a manifest at all; when it cannot, the source is the default
 * manifest without fetching anything (driver.md §3.4 step 4).
 *
 * @param slice The blob slice from the `Proposed` event.
 * @returns `false` when it has no blob hashes or its offset exceeds `131072 − 64`.
 *
 * @example
 * ```ts
 * import { sliceHasPayload } from "./manifest_codec.ts";
 * console.assert(!sliceHasPayload({ blobHashes: [], offset: 0, timestamp: 0n }));
 * ```
 */
export function sliceHasPayload(slice: BlobSlice): boolean {
  return slice.blobHashes.length > 0 && slice.offset <= MANIFEST_MAX_OFFSET_BYTES;
}

/**
 * Whether a manifest is the default one: exactly one block, all fields zero, no transactions.
 *
 * @param manifest The manifest to test.
 * @returns `true` for the default manifest (by value, not identity).
 *
 * @example
 * ```ts
 * import { DEFAULT_MANIFEST, isDefaultManifest } from "./manifest_codec.ts";
 * console.assert(isDefaultManifest(DEFAULT_MANIFEST));
 * console.assert(!isDefaultManifest({ blocks: [] }));
 * ```
 */
export function isDefaultManifest(manifest: SourceManifest): boolean {
  if (manifest.blocks.length !== 1) return false;
  const block = manifest.blocks[0]!;
  return block.timestamp === 0n && block.coinbase.toLowerCase() === zeroAddress &&
    block.anchorBlockNumber === 0n && block.gasLimit === 0n && block.transactions.length === 0;
}

function fallback(kind: ManifestDecodeFailureKind, message: string): ManifestDecodeResult {
  return { manifest: DEFAULT_MANIFEST, failure: { kind, message } };
}

/** `DerivationSourceManifest` is `[blocks]`: a one-item list whose item is the block list. */
function blockItems(root: RlpNode): readonly RlpNode[] {
  if (!Array.isArray(root) || root.length !== 1 || !Array.isArray(root[0])) {
    throw new SyntaxError("expected [blocks]");
  }
  return root[0];
}

/** `BlockManifest` is `[timestamp, coinbase, anchorBlockNumber, gasLimit, transactions]`. */
function blockFromRlp(node: RlpNode, index: number): BlockManifest {
  if (!Array.isArray(node) || node.length !== 5) throw new SyntaxError(`block ${index} is not a 5-item list`);
  const [timestamp, coinbase, anchorBlockNumber, gasLimit, transactions] = node as [
    RlpNode,
    RlpNode,
    RlpNode,
    RlpNode,
    RlpNode,
  ];
  if (Array.isArray(coinbase) || coinbase.length !== 20) {
    throw new SyntaxError(`block ${index} coinbase is not 20 bytes`);
  }
  if (!Array.isArray(transactions)) throw new SyntaxError(`block ${index} transactions is not a list`);
  return {
    timestamp: uint64(timestamp, `block ${index} timestamp`),
    coinbase: bytesToHex(coinbase as Uint8Array) as Address,
    anchorBlockNumber: uint64(anchorBlockNumber, `block ${index} anchorBlockNumber`),
    gasLimit: uint64(gasLimit, `block ${index} gasLimit`),
    transactions: transactionsFromRlpNodes(transactions),
  };
}

/** A canonical RLP unsigned integer of at most 64 bits: no leading zero bytes, zero as the empty string. */
function uint64(node: RlpNode, what: string): bigint {
  if (Array.isArray(node)) throw new SyntaxError(`${what} is a list`);
  const bytes = node as Uint8Array;
  if (bytes.length > 8) throw new SyntaxError(`${what} exceeds 64 bits`);
  if (bytes[0] === 0) throw new SyntaxError(`${what} has leading zero bytes`);
  return bytes.length === 0 ? 0n : bytesToBigInt(bytes);
}
