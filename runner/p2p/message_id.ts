/**
 * The gossip message id of the kona preset (p2p.md section 5.2), which the Rust peers use, so that
 * IHAVE/IWANT/IDONTWANT and de-duplication interoperate:
 *
 * ```
 * d = snappy_block_decompress(data)  ok:   sha256(01000000 ‖ d)[0..20]
 *                                    fail: sha256(00000000 ‖ data)[0..20]
 * ```
 *
 * The topic, source and sequence number are not part of the id. The decoder is `snappy-wasm`, a
 * WebAssembly build of the Rust `snap` crate that kona itself calls, so exactly the same inputs
 * decode. (`snappyjs` is laxer: it accepts `01` and `0001`, which `snap` rejects.)
 *
 * A payload larger than any valid message of its topic (382 bytes for a commitment, 2 MiB + 36 for
 * a txlist) gets a cheap id instead: `sha256(02000000 ‖ u32 length ‖ first 1 KiB ‖ last 1 KiB)`.
 * gossipsub computes the id before our validator runs, and the full id of a 10 MiB flood costs tens
 * of milliseconds of event loop per message; the validator then rejects it on size and penalises
 * the peer as before. The `02` domain keeps these ids apart from kona's; two oversized payloads that
 * share length and ends share an id and the second is dropped as a duplicate, which only spares work.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as snappyWasm from "snappy-wasm";
import { decode as decodeVarint } from "uint8-varint";
import type { GossipKind } from "./topics.ts";
import { MAX_GOSSIP_SIZE_BYTES, MAX_TXLIST_BYTES, SIGNED_COMMITMENT_BYTES } from "./wire/constants.ts";

/** Length of a gossip message id. */
export const MESSAGE_ID_BYTES = 20;

/** The largest valid payload of each topic, in bytes (p2p.md 2.3 and 2.4). */
export const MAX_VALID_GOSSIP_PAYLOAD_BYTES: Readonly<Record<GossipKind, number>> = {
  commitment: SIGNED_COMMITMENT_BYTES,
  raw_txlists: 36 + MAX_TXLIST_BYTES,
};

/** Bytes taken from each end of an oversized payload for its cheap id. */
export const OVERSIZED_ID_SAMPLE_BYTES = 1024;

/**
 * Largest decompressed size the id function tries to decode. A snappy header claiming more is
 * treated as "not snappy" without allocating; such a message cannot be a valid preconfirmation
 * payload (both topics carry raw SSZ far below this size), so the id may differ from kona's only for
 * garbage that validation rejects anyway.
 */
export const MESSAGE_ID_MAX_DECOMPRESSED_BYTES = MAX_GOSSIP_SIZE_BYTES;

// The package's .d.ts is read as CommonJS, which hides that the ES build's default export is the
// async WebAssembly initialiser.
const initSnappy = (snappyWasm as unknown as { default: () => Promise<unknown> }).default;

const VALID_SNAPPY_DOMAIN = Uint8Array.of(0x01, 0x00, 0x00, 0x00);
const INVALID_SNAPPY_DOMAIN = Uint8Array.of(0x00, 0x00, 0x00, 0x00);
const OVERSIZED_DOMAIN = Uint8Array.of(0x02, 0x00, 0x00, 0x00);

let loading: Promise<void> | null = null;
let loaded = false;

/**
 * Loads the snappy WebAssembly module once per process. Call (and await) it before the first
 * {@linkcode gossipMessageId}; `P2pNetwork.start()` does.
 *
 * @returns A promise that resolves when the decoder is ready.
 */
export function loadMessageIdCodec(): Promise<void> {
  if (loading === null) {
    loading = initSnappy().then(() => {
      loaded = true;
    });
  }
  return loading;
}

/**
 * Computes the kona-preset message id of a gossip payload, or the cheap id of one larger than
 * `maxValidBytes`.
 *
 * @param data The message data as carried on the wire.
 * @param maxValidBytes The largest valid payload of the message's topic (see
 *   {@linkcode MAX_VALID_GOSSIP_PAYLOAD_BYTES}). @default {MAX_GOSSIP_SIZE_BYTES} every payload gets the kona id
 * @returns The 20-byte id.
 * @throws {Error} {@linkcode loadMessageIdCodec} has not completed.
 * @example
 * ```ts
 * await loadMessageIdCodec();
 * gossipMessageId(Uint8Array.of(1, 2, 3, 4, 5)).length; // 20
 * ```
 */
export function gossipMessageId(data: Uint8Array, maxValidBytes: number = MAX_GOSSIP_SIZE_BYTES): Uint8Array {
  if (data.length > maxValidBytes) return oversizedId(data);
  const decompressed = trySnappyDecompress(data);
  const hash = decompressed === null
    ? sha256(INVALID_SNAPPY_DOMAIN, data)
    : sha256(VALID_SNAPPY_DOMAIN, decompressed);
  return hash.slice(0, MESSAGE_ID_BYTES);
}

function trySnappyDecompress(data: Uint8Array): Uint8Array | null {
  if (!loaded) {
    throw new Error(
      "Cannot compute gossip message id: the snappy decoder is not loaded, await loadMessageIdCodec()",
    );
  }
  let declared: number;
  try {
    declared = decodeVarint(data);
  } catch {
    return null;
  }
  if (declared > MESSAGE_ID_MAX_DECOMPRESSED_BYTES) return null;
  try {
    return snappyWasm.decompress_raw(data);
  } catch {
    return null;
  }
}

function oversizedId(data: Uint8Array): Uint8Array {
  const sample = Math.min(OVERSIZED_ID_SAMPLE_BYTES, data.length);
  const input = new Uint8Array(OVERSIZED_DOMAIN.length + 4 + 2 * sample);
  input.set(OVERSIZED_DOMAIN, 0);
  new DataView(input.buffer).setUint32(OVERSIZED_DOMAIN.length, data.length);
  input.set(data.subarray(0, sample), OVERSIZED_DOMAIN.length + 4);
  input.set(data.subarray(data.length - sample), OVERSIZED_DOMAIN.length + 4 + sample);
  return sha256(input).slice(0, MESSAGE_ID_BYTES);
}

/**
 * SHA-256 of the parts in order, natively: every gossiped txlist (up to 2 MiB) is hashed once in and
 * once out, and @noble/hashes takes 0.53 ms per 100 KiB here against 0.06 ms.
 */
function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  const digest = hash.digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
