/**
 * The Taiko payload id (alethia-reth `payload_id_taiko`, driver.md §4.5): the engine's id for a build
 * job, which commits to the parent, the block's attributes and its transaction list.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, hexToBytes, numberToBytes } from "viem";
import { keccak256Bytes } from "../../internal/keccak.ts";
import type { Hash, Hex } from "../hex.ts";
import { bytesFromHex } from "../hex_bytes.ts";
import { MAX_UINT64, PAYLOAD_ID_VERSION } from "./constants.ts";
import type { TaikoPayloadAttributes } from "./types.ts";

/** RLP of an empty list: the withdrawals field of every Taiko payload. */
const EMPTY_WITHDRAWALS_RLP = new Uint8Array([0xc0]);

/**
 * The 8-byte payload id: the first 8 bytes of `sha256(parentHash ‖ u64be(timestamp) ‖ prevRandao ‖
 * suggestedFeeRecipient ‖ rlp(withdrawals) ‖ keccak256(txList) ‖ extraData)`, with byte 0 replaced by
 * the version (2). A `null` txList hashes as 32 zero bytes.
 *
 * @param parentHash The hash of the block the payload builds on.
 * @param attrs The payload attributes (the L1 origin is not part of the id).
 * @returns `0x` and 16 hex digits.
 * @throws {RangeError} When the timestamp does not fit 64 bits.
 *
 * @example
 * ```ts ignore
 * import { taikoPayloadId } from "./payload_id.ts";
 * const id = taikoPayloadId(parent.hash, attrs); // e.g. "0x02a1b2c3d4e5f601"
 * ```
 */
export function taikoPayloadId(parentHash: Hash, attrs: Omit<TaikoPayloadAttributes, "l1Origin">): Hex {
  if (attrs.timestamp < 0n || attrs.timestamp > MAX_UINT64) {
    throw new RangeError(`Cannot compute the payload id: timestamp ${attrs.timestamp} is not a uint64`);
  }
  const txList = attrs.blockMetadata.txList;
  const digest = sha256(concatBytes([
    hexToBytes(parentHash, { size: 32 }),
    numberToBytes(attrs.timestamp, { size: 8 }),
    hexToBytes(attrs.prevRandao, { size: 32 }),
    hexToBytes(attrs.suggestedFeeRecipient, { size: 20 }),
    EMPTY_WITHDRAWALS_RLP,
    // The txList is the one large field: decoded natively and hashed as bytes with the WebAssembly
    // keccak (viem's keccak256 of hex took 15 ms for 224 KB, @noble/hashes on bytes 5 ms).
    txList === null ? new Uint8Array(32) : keccak256Bytes(bytesFromHex(txList)),
    hexToBytes(attrs.blockMetadata.extraData),
  ]));
  const id = digest.slice(0, 8);
  id[0] = PAYLOAD_ID_VERSION;
  return bytesToHex(id);
}
