/**
 * Builds the bytes a Shasta proposal carries in its blobs, the inverse of the driver's manifest decoder
 * (driver.md §4.3): `version (uint256 = 1) ‖ size (uint256) ‖ zlib(RLP([blocks]))`, each block being
 * `[timestamp, coinbase, anchorBlockNumber, gasLimit, transactions]`.
 *
 * @module
 */
import { deflateSync } from "node:zlib";
import { bytesToHex, fromRlp, type Hex, hexToBytes, numberToBytes, toRlp } from "viem";
import type { BlockManifest, SourceManifest } from "../driver/shasta/types.ts";
import { encodeBlobs } from "./blob_encoder.ts";

/** The payload version the driver accepts. */
export const MANIFEST_PAYLOAD_VERSION = 1n;
/** The most blocks one manifest may hold (the driver's PROPOSAL_MAX_BLOCKS). */
export const MANIFEST_MAX_BLOCKS = 192;

const U64_MAX = (1n << 64n) - 1n;

/** An RLP item: a byte string or a list of items. */
type RlpItem = Hex | readonly RlpItem[];

function rlpUint(value: bigint, field: string): Hex {
  if (value < 0n || value > U64_MAX) {
    throw new RangeError(`Cannot encode manifest field "${field}" = ${value}: expected a u64`);
  }
  return value === 0n ? "0x" : bytesToHex(numberToBytes(value));
}

/** A legacy transaction is embedded as its RLP list; a typed one as a byte string of its 2718 bytes. */
function rlpTransaction(tx: Hex): RlpItem {
  const first = hexToBytes(tx)[0];
  if (first === undefined) throw new RangeError("Cannot encode an empty transaction into a manifest");
  return first >= 0xc0 ? fromRlp(tx, "hex") : tx;
}

function rlpBlock(block: BlockManifest, index: number): RlpItem {
  if (!/^0x[0-9a-fA-F]{40}$/.test(block.coinbase)) {
    throw new RangeError(
      `Cannot encode block ${index} of a manifest: coinbase "${block.coinbase}" is not 20 bytes`,
    );
  }
  return [
    rlpUint(block.timestamp, `blocks[${index}].timestamp`),
    block.coinbase.toLowerCase() as Hex,
    rlpUint(block.anchorBlockNumber, `blocks[${index}].anchorBlockNumber`),
    rlpUint(block.gasLimit, `blocks[${index}].gasLimit`),
    block.transactions.map(rlpTransaction),
  ];
}

/**
 * RLP-encodes a manifest as `[[block, ...]]` (the outer list is the `DerivationSourceManifest`).
 *
 * @param manifest The blocks.
 * @returns The RLP bytes.
 * @throws RangeError when a value does not fit its field or there are more than {@link MANIFEST_MAX_BLOCKS} blocks.
 */
export function encodeManifestRlp(manifest: SourceManifest): Uint8Array {
  if (manifest.blocks.length > MANIFEST_MAX_BLOCKS) {
    throw new RangeError(
      `Cannot encode a manifest of ${manifest.blocks.length} blocks: at most ${MANIFEST_MAX_BLOCKS} are allowed`,
    );
  }
  return toRlp([manifest.blocks.map(rlpBlock)], "bytes");
}

/**
 * Encodes a manifest into the versioned, sized, zlib-compressed payload.
 *
 * @param manifest The blocks.
 * @returns `version ‖ size ‖ zlib(rlp)`.
 * @throws RangeError as {@link encodeManifestRlp}.
 */
export function encodeManifestPayload(manifest: SourceManifest): Uint8Array {
  const compressed = deflateSync(encodeManifestRlp(manifest));
  const payload = new Uint8Array(64 + compressed.length);
  payload.set(numberToBytes(MANIFEST_PAYLOAD_VERSION, { size: 32 }), 0);
  payload.set(numberToBytes(BigInt(compressed.length), { size: 32 }), 32);
  payload.set(compressed, 64);
  return payload;
}

/** How to lay the payload out in blobs. */
export interface EncodeManifestBlobsOptions {
  /**
   * Bytes of zero padding before the payload; the proposal's `offset` must name the same number.
   * @default 0
   */
  readonly offset?: number;
}

/**
 * Encodes a manifest into as many blobs as it needs.
 *
 * @param manifest The blocks.
 * @param options The payload's offset inside the concatenated blob data.
 * @returns The blobs, in order.
 * @throws RangeError for a negative or fractional offset, or as {@link encodeManifestRlp}.
 */
export function encodeManifestBlobs(
  manifest: SourceManifest,
  options: EncodeManifestBlobsOptions = {},
): Uint8Array[] {
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset >= 1 << 24) {
    throw new RangeError(`Cannot place a manifest at offset "${offset}": expected an integer 0..2^24-1`);
  }
  const payload = encodeManifestPayload(manifest);
  const data = new Uint8Array(offset + payload.length);
  data.set(payload, offset);
  return encodeBlobs(data);
}
