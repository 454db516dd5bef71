/**
 * SSZ codec of `RawTxListGossip` (p2p.md section 2.4): a 32-byte hash, a 4-byte offset (always 36)
 * and up to 2 MiB of compressed txlist bytes.
 *
 * @module
 */
import { ByteListType, ByteVectorType, ContainerType } from "@chainsafe/ssz";
import type { Hash } from "viem";
import { decodeSsz, fixedBytes, toHex } from "./_ssz.ts";
import { MAX_TXLIST_BYTES } from "./constants.ts";

/** SSZ type of `RawTxListGossip` (also the layout of `GetRawTxListResponse`). */
export const RawTxListGossipSsz = new ContainerType({
  rawTxListHash: new ByteVectorType(32),
  txlist: new ByteListType(MAX_TXLIST_BYTES),
}, { typeName: "RawTxListGossip" });

/** A compressed txlist with the hash commitments refer to it by. */
export interface RawTxListGossip {
  /** keccak256 of `txlist` exactly as carried. */
  readonly rawTxListHash: Hash;
  /** The compressed (zlib) RLP transaction list, at most 2 MiB. */
  readonly txlist: Uint8Array;
}

/**
 * Encodes a txlist message (gossip payload or `get_raw_txlist` response body).
 *
 * @param message The hash and txlist; the hash is not checked here.
 * @returns `hash ‖ 24000000 ‖ txlist`.
 * @throws {TypeError} The hash is not 32 bytes of hex, or the txlist is not a Uint8Array.
 * @throws {RangeError} The txlist is larger than 2 MiB.
 * @example
 * ```ts ignore
 * const payload = encodeRawTxListGossip({ rawTxListHash: keccak256(txlist), txlist });
 * ```
 */
export function encodeRawTxListGossip(message: RawTxListGossip): Uint8Array {
  if (!(message.txlist instanceof Uint8Array)) {
    throw new TypeError("Cannot encode txlist: expected a Uint8Array");
  }
  if (message.txlist.length > MAX_TXLIST_BYTES) {
    throw new RangeError(
      `Cannot encode txlist of ${message.txlist.length} bytes: the limit is ${MAX_TXLIST_BYTES} bytes`,
    );
  }
  return RawTxListGossipSsz.serialize({
    rawTxListHash: fixedBytes(message.rawTxListHash, 32, "rawTxListHash"),
    txlist: message.txlist,
  });
}

/**
 * Decodes a txlist message. The hash is not checked against the bytes here.
 *
 * @param bytes The SSZ bytes (36 + n, n at most 2 MiB).
 * @returns The hash and txlist.
 * @throws {P2pError} kind `Decode` on a short input, a wrong offset or an over-limit txlist.
 */
export function decodeRawTxListGossip(bytes: Uint8Array): RawTxListGossip {
  const v = decodeSsz(RawTxListGossipSsz, bytes, "RawTxListGossip");
  return { rawTxListHash: toHex(v.rawTxListHash), txlist: v.txlist };
}
