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
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import * as snappyWasm from "snappy-wasm";
import { decode as decodeVarint } from "uint8-varint";
import { MAX_GOSSIP_SIZE_BYTES } from "./wire/constants.ts";

/** Length of a gossip message id. */
export const MESSAGE_ID_BYTES = 20;

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
 * Computes the kona-preset message id of a gossip payload.
 *
 * @param data The message data as carried on the wire.
 * @returns The 20-byte id.
 * @throws {Error} {@linkcode loadMessageIdCodec} has not completed.
 * @example
 * ```ts
 * await loadMessageIdCodec();
 * gossipMessageId(Uint8Array.of(1, 2, 3, 4, 5)).length; // 20
 * ```
 */
export function gossipMessageId(data: Uint8Array): Uint8Array {
  const decompressed = trySnappyDecompress(data);
  const hash = decompressed === null
    ? sha256(concat(INVALID_SNAPPY_DOMAIN, data))
    : sha256(concat(VALID_SNAPPY_DOMAIN, decompressed));
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

function concat(prefix: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}
