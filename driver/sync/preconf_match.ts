/**
 * Is a payload already in the engine? Used by the canonical fast path (spec/driver.md section
 * 3.4.2: a preconfirmed block that L1 now confirms is only marked, not rebuilt) and by the ingress
 * (lesson S-1: a retried submission answers AlreadyMaterialized instead of building a sibling).
 *
 * @module
 */
import type { Hash } from "viem";
import { orderedTrieRoot } from "../engine/trie_root.ts";
import type { L2Block } from "../rpc/l2_block.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import { EMPTY_UNCLE_HASH } from "../shasta/constants.ts";
import { decodeTxList } from "../shasta/tx_list.ts";
import type { L1Origin, L2BlockHeader, TaikoPayloadAttributes } from "../shasta/types.ts";

const ZERO_PAYLOAD_ID = "0x0000000000000000";
const ZERO_HASH_PATTERN = /^0x0{64}$/;

/**
 * Compares a block and its L1 origin with the payload that would build it on `parentHash`.
 *
 * @example
 * ```ts ignore
 * const reason = payloadMismatch(block, origin, attrs, parentHash);
 * if (reason === null) console.log("already in the engine");
 * ```
 *
 * @param block The engine's block at the payload's height, with transactions.
 * @param origin The engine's L1 origin record of that height, or `null`.
 * @param attrs The payload attributes.
 * @param parentHash The parent the payload builds on.
 * @returns `null` when the block is exactly what the payload builds (same payload id, header fields
 *   and transaction root), otherwise the first difference, for a debug log.
 */
export function payloadMismatch(
  block: L2Block,
  origin: L1Origin | null,
  attrs: TaikoPayloadAttributes,
  parentHash: Hash,
): string | null {
  const meta = attrs.blockMetadata;
  const expectedId = attrs.l1Origin.buildPayloadArgsId.toLowerCase();
  if (origin === null) return "no L1 origin";
  const storedId = origin.buildPayloadArgsId.toLowerCase();
  if (storedId === ZERO_PAYLOAD_ID) return "L1 origin has no payload id";
  if (storedId !== expectedId) return `payload id ${storedId} differs from ${expectedId}`;
  if (!ZERO_HASH_PATTERN.test(origin.l2BlockHash) && !sameHex(origin.l2BlockHash, block.hash)) {
    return "L1 origin points at another block";
  }
  if (block.number !== attrs.l1Origin.blockId) return "number differs";
  if (!sameHex(block.parentHash, parentHash)) return "parent hash differs";
  if (!sameHex(block.sha3Uncles, EMPTY_UNCLE_HASH)) return "uncle hash differs";
  if (!sameHex(block.miner, attrs.suggestedFeeRecipient)) return "coinbase differs";
  if (block.difficulty !== 0n) return "difficulty is not 0";
  if (!sameHex(block.mixHash, attrs.prevRandao)) return "mix hash differs";
  if (block.gasLimit !== meta.gasLimit) return "gas limit differs";
  if (block.timestamp !== attrs.timestamp) return "timestamp differs";
  if (!sameHex(block.extraData, meta.extraData)) return "extra data differs";
  if (block.baseFeePerGas === null || block.baseFeePerGas !== attrs.baseFeePerGas) return "base fee differs";
  if (block.withdrawalCount !== 0) return "block has withdrawals";
  if (meta.txList !== null) {
    let root: Hash;
    try {
      root = orderedTrieRoot(decodeTxList(meta.txList));
    } catch {
      return "payload tx list does not decode";
    }
    if (!sameHex(block.transactionsRoot, root)) return "transactions differ";
  }
  return null;
}

/**
 * Reads the engine's block at the payload's height and tells whether it already is that payload.
 *
 * @param l2 The public L2 client.
 * @param attrs The payload attributes (height = `l1Origin.blockId`).
 * @param parentHash The parent the payload builds on.
 * @returns The existing block when it matches, otherwise `null`.
 * @throws {DriverError} kind `Rpc` when a read fails.
 */
export async function findMaterializedBlock(
  l2: L2Client,
  attrs: TaikoPayloadAttributes,
  parentHash: Hash,
): Promise<L2BlockHeader | null> {
  const height = attrs.l1Origin.blockId;
  const origin = await l2.l1OriginById(height);
  if (origin === null || origin.buildPayloadArgsId.toLowerCase() === ZERO_PAYLOAD_ID) return null;
  const block = await l2.blockWithTransactions(height);
  if (block === null) return null;
  return payloadMismatch(block, origin, attrs, parentHash) === null ? block : null;
}

function sameHex(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
