/**
 * Where event sync resumes after a start (lesson E-2): from the engine's head L1 origin, or from the
 * RPC head when the engine rewound below it, never from `latest` alone (it may hold preconfirmed
 * blocks L1 never confirmed); and no later than the newest proposal L1 has finalized, so proposals
 * an L1 reorg may have replaced while the node was down are checked again.
 *
 * @module
 */
import type { Address } from "viem";
import type { EngineClient } from "../engine/engine_client.ts";
import { SyncError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import { readActivationTimestamp, readCoreState } from "../rpc/inbox_reader.ts";
import type { L1Client } from "../rpc/l1_client.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import { decodeExtraData } from "../shasta/extra_data.ts";

/** Where the scanner starts and what is already done. */
export interface ResumePoint {
  /** First L1 block to scan. */
  readonly l1StartBlock: bigint;
  /** Proposals up to this id are in the engine and final on L1; their logs are skipped. */
  readonly lastProposalId: bigint;
  /** The engine's L1-confirmed head at start (the stale boundary until sync moves it). */
  readonly confirmedTip: bigint;
}

/** What the resume rule reads. */
export interface ResumeDeps {
  readonly l1: L1Client;
  readonly l2: L2Client;
  readonly engine: EngineClient;
  readonly inbox: Address;
}

const log = driverLogger("resume");

/**
 * Computes the resume point:
 * 1. `B` = the head L1 origin's block, or the RPC head when lower (the engine rewound); no origin
 *    means nothing was ever confirmed here: replay from the Inbox's activation (genesis rule);
 * 2. `C` = the last proposal complete at `B` (B's extraData names its proposal);
 * 3. `F` = the newest proposal in a finalized L1 block (0 when L1 has not finalized any);
 * 4. resume after proposal `min(C, F)`, scanning from the L1 block that proposed it.
 *
 * @example
 * ```ts ignore
 * const { l1StartBlock, lastProposalId, confirmedTip } = await resolveResumePoint(deps);
 * ```
 *
 * @param deps L1, L2 and engine clients and the Inbox address.
 * @returns The resume point.
 * @throws {SyncError} `MissingExecutionBlock` when the engine has no latest block or lacks the
 *   resume block, `MissingAnchorTransaction` when that block's extraData names no proposal; RPC
 *   failures propagate (the caller retries).
 */
export async function resolveResumePoint(deps: ResumeDeps): Promise<ResumePoint> {
  const origin = await deps.l2.headL1Origin();
  let rpcHead: bigint | null = null;
  try {
    const latest = await deps.l2.blockByNumber("latest");
    if (latest === null) {
      throw new SyncError(
        "MissingExecutionBlock",
        "Cannot resume event sync: the engine has no latest block",
      );
    }
    rpcHead = latest.number;
  } catch (error) {
    // [E-2 (e)] With an origin to go by, a failed head read must not stop the start.
    if (error instanceof SyncError || origin === null) throw error;
    log.warn("cannot read the L2 head; resuming from the head L1 origin {reason}", { reason: String(error) });
  }
  if (origin === null) {
    if (rpcHead !== null && rpcHead > 0n) {
      log.warn(
        "no head L1 origin but L2 has {blocks} blocks; replaying every proposal from the inbox activation",
        {
          blocks: rpcHead,
        },
      );
    }
    return { l1StartBlock: await activationBlock(deps), lastProposalId: 0n, confirmedTip: 0n };
  }
  const resumeBlock = rpcHead !== null && rpcHead < origin.blockId ? rpcHead : origin.blockId;
  if (resumeBlock === 0n) {
    return { l1StartBlock: await activationBlock(deps), lastProposalId: 0n, confirmedTip: 0n };
  }

  const header = await deps.l2.blockByNumber(resumeBlock);
  if (header === null) {
    throw new SyncError(
      "MissingExecutionBlock",
      `Cannot resume event sync: the engine has no block ${resumeBlock}`,
      {
        context: { blockNumber: resumeBlock },
      },
    );
  }
  let proposalId: bigint;
  try {
    proposalId = decodeExtraData(header.extraData).proposalId;
  } catch (cause) {
    throw new SyncError(
      "MissingAnchorTransaction",
      `Cannot resume event sync: block ${resumeBlock}'s extraData names no proposal`,
      { cause, context: { blockNumber: resumeBlock } },
    );
  }
  const lastOfProposal = await deps.engine.lastBlockIdByBatchId(proposalId);
  const complete = proposalId === 0n ? 0n : lastOfProposal === resumeBlock ? proposalId : proposalId - 1n;
  const finalizedSafe = await finalizedProposalId(deps);
  const target = complete < finalizedSafe ? complete : finalizedSafe;
  log.info("resume point {resumeBlock} {completeProposal} {finalizedProposal} {target}", {
    resumeBlock,
    completeProposal: complete,
    finalizedProposal: finalizedSafe,
    target,
  });
  if (target === 0n) {
    return { l1StartBlock: await activationBlock(deps), lastProposalId: 0n, confirmedTip: resumeBlock };
  }

  const targetBlock = await deps.engine.lastBlockIdByBatchId(target);
  const targetOrigin = targetBlock === null ? null : await deps.l2.l1OriginById(targetBlock);
  if (targetOrigin === null || targetOrigin.l1BlockHeight === null || targetOrigin.l1BlockHeight === 0n) {
    log.warn("no L1 origin for proposal {proposalId}; replaying from the inbox activation", {
      proposalId: target,
    });
    return { l1StartBlock: await activationBlock(deps), lastProposalId: 0n, confirmedTip: resumeBlock };
  }
  return { l1StartBlock: targetOrigin.l1BlockHeight, lastProposalId: target, confirmedTip: resumeBlock };
}

/** The newest proposal in a finalized L1 block; 0 when L1 has no finalized block or no Inbox there. */
async function finalizedProposalId(deps: ResumeDeps): Promise<bigint> {
  try {
    const state = await readCoreState(deps.l1, deps.inbox, "finalized");
    return state === null || state.nextProposalId === 0n ? 0n : state.nextProposalId - 1n;
  } catch (error) {
    log.warn("cannot read the inbox at the finalized L1 block; replaying from the activation {reason}", {
      reason: String(error),
    });
    return 0n;
  }
}

/** The first L1 block at or after the Inbox's activation time; 0 when the Inbox has none. */
async function activationBlock(deps: ResumeDeps): Promise<bigint> {
  let activation: bigint | null;
  try {
    activation = await readActivationTimestamp(deps.l1, deps.inbox);
  } catch {
    activation = null;
  }
  if (activation === null || activation === 0n) return 0n;
  let low = 0n;
  let high = await deps.l1.headNumber();
  // Binary search for the first block whose timestamp reaches the activation time.
  while (low < high) {
    const middle = (low + high) / 2n;
    const block = await deps.l1.blockByNumber(middle);
    if (block !== null && block.timestamp >= activation) high = middle;
    else low = middle + 1n;
  }
  return low;
}
