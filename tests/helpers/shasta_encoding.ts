/**
 * Test-only encoders for Shasta blobs and manifest payloads, written independently of the driver's
 * decoders (and of devnet/'s proposer) so round trips check one against the other. They can also
 * build what a correct encoder refuses to: more than 192 blocks, wrong versions, bad sizes.
 *
 * @module
 */
import { deflateSync } from "node:zlib";
import { bytesToHex, fromRlp, type Hex, hexToBytes, numberToBytes, toRlp } from "viem";
import type { RlpItem } from "../../driver/shasta/tx_list.ts";
import { privateKeyToAccount } from "viem/accounts";
import type { BlockManifest } from "../../driver/shasta/types.ts";

export const TEST_BLOB_BYTES = 131_072;
export const TEST_BLOB_CAPACITY = 130_044;

/**
 * Packs up to 130044 bytes into one version-0 blob: per round, four field elements each get 31 data
 * bytes, and three more data bytes are split into the four 6-bit field-element headers.
 */
export function encodeTestBlob(data: Uint8Array): Uint8Array {
  if (data.length > TEST_BLOB_CAPACITY) throw new RangeError("too much data for one blob");
  const blob = new Uint8Array(TEST_BLOB_BYTES);
  let read = 0;
  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    const part = data.subarray(read, Math.min(read + n, data.length));
    out.set(part);
    read += n;
    return out;
  };
  let fe = 0;
  const put = (header: number, body: Uint8Array): void => {
    blob[fe * 32] = header;
    blob.set(body, fe * 32 + 1);
    fe++;
  };
  for (let round = 0; round < 1024 && read < data.length; round++) {
    let first: Uint8Array;
    if (round === 0) {
      first = new Uint8Array(31);
      first[0] = 0;
      first[1] = (data.length >> 16) & 0xff;
      first[2] = (data.length >> 8) & 0xff;
      first[3] = data.length & 0xff;
      first.set(take(27), 4);
    } else {
      first = take(31);
    }
    const x = take(1)[0]!;
    put(x & 0x3f, first);
    const second = take(31);
    const y = take(1)[0]!;
    put((y & 0x0f) | ((x & 0xc0) >> 2), second);
    const third = take(31);
    const z = take(1)[0]!;
    put(z & 0x3f, third);
    const fourth = take(31);
    put(((z & 0xc0) >> 2) | ((y & 0xf0) >> 4), fourth);
  }
  return blob;
}

/** Splits data into 130044-byte chunks, one blob each. */
export function encodeTestBlobs(data: Uint8Array): Uint8Array[] {
  const blobs: Uint8Array[] = [];
  for (let at = 0; at < data.length || blobs.length === 0; at += TEST_BLOB_CAPACITY) {
    blobs.push(encodeTestBlob(data.subarray(at, at + TEST_BLOB_CAPACITY)));
  }
  return blobs;
}

function word(value: bigint): Uint8Array {
  return numberToBytes(value, { size: 32 });
}

function rlpInt(value: bigint): Hex {
  return value === 0n ? "0x" : bytesToHex(numberToBytes(value));
}

/** One block as its RLP structure: a legacy transaction (first byte >= 0xc0) nested as a list. */
export function blockRlp(block: BlockManifest): RlpItem {
  return [
    rlpInt(block.timestamp),
    block.coinbase.toLowerCase() as Hex,
    rlpInt(block.anchorBlockNumber),
    rlpInt(block.gasLimit),
    block.transactions.map((tx) => hexToBytes(tx)[0]! >= 0xc0 ? fromRlp(tx, "hex") : tx),
  ];
}

/** `rlp([blocks])` of a manifest, without any block limit. */
export function manifestRlp(blocks: readonly BlockManifest[]): Uint8Array {
  return toRlp([blocks.map(blockRlp)], "bytes");
}

/** Options to build a deliberately broken payload. */
export interface PayloadOptions {
  readonly version?: bigint;
  /** The size word; defaults to the compressed length. */
  readonly size?: bigint;
  /** Bytes to put before the header. */
  readonly prefix?: Uint8Array;
  /** Raw bytes to use instead of zlib(rlp). */
  readonly compressed?: Uint8Array;
}

/** `version ‖ size ‖ zlib(rlp)`. */
export function manifestPayload(rlp: Uint8Array, options: PayloadOptions = {}): Uint8Array {
  const compressed = options.compressed ?? new Uint8Array(deflateSync(rlp));
  const prefix = options.prefix ?? new Uint8Array(0);
  const out = new Uint8Array(prefix.length + 64 + compressed.length);
  out.set(prefix, 0);
  out.set(word(options.version ?? 1n), prefix.length);
  out.set(word(options.size ?? BigInt(compressed.length)), prefix.length + 32);
  out.set(compressed, prefix.length + 64);
  return out;
}

/** A block with the given fields and defaults elsewhere. */
export function testBlock(fields: Partial<BlockManifest> = {}): BlockManifest {
  return {
    timestamp: 1_000n,
    coinbase: "0x00000000000000000000000000000000000000c0",
    anchorBlockNumber: 5n,
    gasLimit: 30_000_000n,
    transactions: [],
    ...fields,
  };
}

const SENDER = privateKeyToAccount(`0x${"2a".repeat(32)}`);

/** A signed EIP-1559 transaction (typed, carried as a byte string). */
export async function signedEip1559Tx(nonce = 0, data: Hex = "0x"): Promise<Hex> {
  return await SENDER.signTransaction({
    type: "eip1559",
    chainId: 167001,
    nonce,
    maxPriorityFeePerGas: 1n,
    maxFeePerGas: 30_000_000n,
    gas: 21_000n,
    to: "0x00000000000000000000000000000000000000aa",
    value: 1n,
    data,
  });
}

/** A signed legacy (EIP-155) transaction (an RLP list). */
export async function signedLegacyTx(nonce = 0): Promise<Hex> {
  return await SENDER.signTransaction({
    type: "legacy",
    chainId: 167001,
    nonce,
    gasPrice: 30_000_000n,
    gas: 21_000n,
    to: "0x00000000000000000000000000000000000000bb",
    value: 2n,
    data: "0x1234",
  });
}

/** Hex to bytes, shorthand for tests. */
export function bytes(hex: Hex): Uint8Array {
  return hexToBytes(hex);
}

/** Deterministic incompressible bytes (xorshift32). */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = Math.imul(seed, 0x9e3779b1) | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
