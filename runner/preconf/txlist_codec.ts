/**
 * The txlist wire format (p2p.md §13.1, lesson V-7): `zlib(RLP list of transactions)` where a typed
 * transaction is a byte string and a legacy one its own RLP list, as go-ethereum encodes
 * `types.Transactions`. The compressed size is capped by `MAX_TXLIST_BYTES` and the inflated size
 * by {@linkcode MAX_INFLATED_TXLIST_BYTES}, so a decompression bomb costs nothing (p2p.md §20
 * item 18). The RLP part is the driver's codec, the same one derivation uses.
 *
 * @module
 */
import { deflateSync, inflateSync } from "node:zlib";
import type { Hex } from "viem";
import { decodeTxListBytes, encodeTxListBytes } from "../../driver/mod.ts";
import { MAX_TXLIST_BYTES } from "../p2p/wire/constants.ts";
import { PreconfError, type TxListCodecReason } from "./errors.ts";

/**
 * Cap on a txlist's inflated size, in bytes. A block holds at most 45M gas of transactions, and the
 * cheapest calldata costs 4 gas per byte, so no valid block's transactions exceed about 11.25 MiB;
 * 16 MiB leaves room for the anchor and RLP overhead.
 */
export const MAX_INFLATED_TXLIST_BYTES = 16 * 1024 * 1024;

/**
 * Inflates and decodes a compressed txlist.
 *
 * @param compressed The zlib bytes exactly as gossiped (their keccak is the commitment's hash).
 * @param options The inflate cap.
 * @returns The raw EIP-2718 transactions, in order (the anchor first, as the preconfer built it).
 * @throws {PreconfError} `TxListCodec` with `context.reason` naming the failed step.
 * @throws {RangeError} When `maxInflatedBytes` is not a positive integer.
 *
 * @example
 * ```ts
 * import { decodeCompressedTxList, encodeCompressedTxList } from "./txlist_codec.ts";
 * console.assert(decodeCompressedTxList(encodeCompressedTxList([])).length === 0);
 * ```
 */
export function decodeCompressedTxList(
  compressed: Uint8Array,
  options: { maxInflatedBytes?: number } = {},
): Hex[] {
  if (compressed.length > MAX_TXLIST_BYTES) {
    throw codecError(
      "CompressedTooLarge",
      `it has ${compressed.length} compressed bytes, the limit is ${MAX_TXLIST_BYTES}`,
    );
  }
  const cap = options.maxInflatedBytes ?? MAX_INFLATED_TXLIST_BYTES;
  if (!Number.isSafeInteger(cap) || cap < 1) {
    throw new RangeError(`Cannot decode txlist: maxInflatedBytes must be a positive integer, got ${cap}`);
  }
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(compressed, { maxOutputLength: cap });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw codecError("InflatedTooLarge", `it inflates past ${cap} bytes`, cause);
    }
    throw codecError("ZlibDecode", `it is not a complete zlib stream (${(cause as Error).message})`, cause);
  }
  try {
    return decodeTxListBytes(inflated);
  } catch (cause) {
    throw codecError("RlpDecode", (cause as Error).message, cause);
  }
}

/**
 * Encodes transactions as a compressed txlist (what a preconfer gossips).
 *
 * @param txs Raw EIP-2718 transactions.
 * @returns The zlib bytes.
 * @throws {PreconfError} `TxListCodec` (`RlpDecode`) when a transaction is malformed, or
 *   (`CompressedTooLarge`) when the result exceeds `MAX_TXLIST_BYTES`.
 *
 * @example
 * ```ts
 * import { encodeCompressedTxList } from "./txlist_codec.ts";
 * console.assert(encodeCompressedTxList([]).length > 0);
 * ```
 */
export function encodeCompressedTxList(txs: readonly Hex[]): Uint8Array {
  let rlp: Uint8Array;
  try {
    rlp = encodeTxListBytes(txs);
  } catch (cause) {
    throw codecError("RlpDecode", (cause as Error).message, cause, "encode");
  }
  const compressed = new Uint8Array(deflateSync(rlp));
  if (compressed.length > MAX_TXLIST_BYTES) {
    throw codecError(
      "CompressedTooLarge",
      `it compresses to ${compressed.length} bytes, the limit is ${MAX_TXLIST_BYTES}`,
      undefined,
      "encode",
    );
  }
  return compressed;
}

function codecError(
  reason: TxListCodecReason,
  state: string,
  cause?: unknown,
  action: "decode" | "encode" = "decode",
): PreconfError {
  return new PreconfError("TxListCodec", `Cannot ${action} txlist: ${state}`, {
    ...(cause === undefined ? {} : { cause }),
    context: { reason },
  });
}
