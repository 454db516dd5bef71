/**
 * After an L1 reorg: put the engine's head L1 origin back on the last block of the newest proposal
 * that is still on L1 (lesson E-8), so the confirmed tip, and with it the stale guard, follows L1
 * down as well as up.
 *
 * @module
 */
import type { Address, Hash } from "viem";
import type { EngineClient } from "../engine/engine_client.ts";
import { readCoreState } from "../rpc/inbox_reader.ts";
import type { L1Client } from "../rpc/l1_client.ts";

/** Where the engine's L1 bookkeeping stands after the reconcile. */
export interface ReorgReconciliation {
  /** The newest proposal still on L1 at the ancestor (0 when none). */
  readonly lastProposalId: bigint;
  /** Its last L2 block, now the head L1 origin; 0 at genesis; `null` when the engine has no mapping. */
  readonly headBlockId: bigint | null;
}

/**
 * Reads the Inbox core state at the common ancestor and moves `head_l1_origin` to the last block of
 * proposal `nextProposalId - 1` (`taikoAuth_lastBlockIDByBatchID`, which never guesses). Nothing is
 * written at genesis (no proposal left).
 *
 * @example
 * ```ts ignore
 * const { lastProposalId, headBlockId } = await reconcileHeadL1Origin(deps, ancestor);
 * ```
 *
 * @param deps The L1 and engine clients and the Inbox address.
 * @param ancestor The newest L1 block still canonical (its hash when known).
 * @returns The proposal and block the bookkeeping now points at.
 * @throws When an L1 or engine call fails.
 */
export async function reconcileHeadL1Origin(
  deps: { readonly l1: L1Client; readonly engine: EngineClient; readonly inbox: Address },
  ancestor: { readonly number: bigint; readonly hash: Hash | null },
): Promise<ReorgReconciliation> {
  const state = await readCoreState(
    deps.l1,
    deps.inbox,
    ancestor.hash === null ? ancestor.number : { blockHash: ancestor.hash },
  );
  const lastProposalId = state === null || state.nextProposalId === 0n ? 0n : state.nextProposalId - 1n;
  if (lastProposalId === 0n) return { lastProposalId, headBlockId: 0n };
  const headBlockId = await deps.engine.lastBlockIdByBatchId(lastProposalId);
  if (headBlockId === null) return { lastProposalId, headBlockId: null };
  await deps.engine.setHeadL1Origin(headBlockId);
  return { lastProposalId, headBlockId };
}
