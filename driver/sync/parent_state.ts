/**
 * The parent state a proposal's derivation starts from (spec/driver.md section 3.4, steps 6-7).
 *
 * @module
 */
import type { EngineClient } from "../engine/engine_client.ts";
import { DriverError } from "../errors.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import { type ParentState, parentState } from "../shasta/derivation.ts";
import type { L2BlockHeader } from "../shasta/types.ts";

/** The reads parent loading makes. */
export interface ParentStateDeps {
  readonly l2: L2Client;
  readonly engine: EngineClient;
}

const ZERO_HASH_PATTERN = /^0x0{64}$/;

/**
 * The parent of proposal `parentProposalId + 1`: the last block of proposal `parentProposalId` (by its
 * L1 origin's hash when the engine has it, else by the batch-to-block mapping; genesis for proposal
 * 0), with its grandparent's timestamp and its anchor block number.
 *
 * @example
 * ```ts ignore
 * const state = await loadParentState({ l2, engine }, proposal.id - 1n);
 * ```
 *
 * @param deps The public L2 and engine clients.
 * @param parentProposalId The proposal whose last block is the parent.
 * @returns The parent state derivation starts from.
 * @throws {DriverError} kind `Derivation` when the engine lacks the block or its mapping (bounded
 *   retries), `Rpc` when a read fails.
 */
export async function loadParentState(deps: ParentStateDeps, parentProposalId: bigint): Promise<ParentState> {
  const header = await loadParentHeader(deps, parentProposalId);
  let grandparentTimestamp: bigint | null = null;
  if (header.number > 0n) {
    const grandparent = await deps.l2.blockByHash(header.parentHash);
    if (grandparent === null) {
      throw new DriverError(
        "Derivation",
        `Cannot derive on block ${header.number}: its parent "${header.parentHash}" is unavailable`,
        {
          context: { blockNumber: header.number - 1n },
        },
      );
    }
    grandparentTimestamp = grandparent.timestamp;
  }
  const anchor = await deps.engine.anchorBlockState(header.hash);
  return parentState(header, grandparentTimestamp, anchor.anchorBlockNumber);
}

async function loadParentHeader(
  deps: ParentStateDeps,
  parentProposalId: bigint,
): Promise<L2BlockHeader> {
  if (parentProposalId === 0n) {
    const genesis = await deps.l2.blockByNumber(0n);
    if (genesis === null) {
      throw new DriverError("Rpc", "Cannot derive proposal 1: the engine has no genesis block");
    }
    return genesis;
  }
  const origin = await deps.engine.lastL1OriginByBatchId(parentProposalId);
  if (origin !== null && !ZERO_HASH_PATTERN.test(origin.l2BlockHash)) {
    const byHash = await deps.l2.blockByHash(origin.l2BlockHash);
    if (byHash !== null) return byHash;
  }
  const lastBlockId = await deps.engine.lastBlockIdByBatchId(parentProposalId);
  if (lastBlockId === null) {
    throw new DriverError(
      "Derivation",
      `Cannot derive proposal ${
        parentProposalId + 1n
      }: the engine has no last block for proposal ${parentProposalId}`,
      { context: { proposalId: parentProposalId } },
    );
  }
  const block = await deps.l2.blockByNumber(lastBlockId);
  if (block === null) {
    throw new DriverError(
      "Derivation",
      `Cannot derive proposal ${
        parentProposalId + 1n
      }: block ${lastBlockId} of proposal ${parentProposalId} is unavailable`,
      { context: { proposalId: parentProposalId, blockNumber: lastBlockId } },
    );
  }
  return block;
}
