/**
 * L1-origin bookkeeping of derived blocks and the finalized forkchoice hint.
 *
 * @module
 */
import type { EngineClient } from "../engine/engine_client.ts";
import type { Hash } from "../hex.ts";
import { driverLogger } from "../log.ts";
import type { DriverMetrics } from "../metrics.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import type { DerivedBlock, ProposalMetadata } from "../shasta/derivation.ts";
import type { L1Origin, L2BlockHeader } from "../shasta/types.ts";

/** What the bookkeeping needs. */
export interface L1OriginSyncDeps {
  readonly l2: L2Client;
  readonly engine: EngineClient;
  readonly metrics: DriverMetrics | null;
  /** Called after `taikoAuth_setHeadL1Origin(blockId)` succeeded (the confirmed tip moved). */
  readonly onHeadL1Origin: (blockId: bigint) => void;
}

/** A derived block and the header the engine holds for it. */
export interface PlacedBlock {
  readonly derived: DerivedBlock;
  readonly header: L2BlockHeader;
  /**
   * The engine's L1 origin of the block, when already read (canonical-block detection reads it).
   * @default {undefined} read by {@linkcode syncL1Origins}
   */
  readonly origin?: L1Origin | null;
}

const log = driverLogger("derivation");

/**
 * The finalized forkchoice hint: the last block of the newest finalized proposal, only when that
 * proposal is strictly below the current one; a failed lookup only drops the hint (lesson E-11).
 *
 * @param deps The public L2 and engine clients.
 * @param proposalId The proposal being inserted.
 * @param lastFinalizedProposalId The Inbox's `lastFinalizedProposalId` at the proposal's block, if read.
 * @returns The hash to promote as safe and finalized, or `null`.
 */
export async function finalizedHint(
  deps: Pick<L1OriginSyncDeps, "l2" | "engine">,
  proposalId: bigint,
  lastFinalizedProposalId: bigint | null,
): Promise<Hash | null> {
  if (
    lastFinalizedProposalId === null || lastFinalizedProposalId === 0n ||
    lastFinalizedProposalId >= proposalId
  ) {
    return null;
  }
  try {
    const blockId = await deps.engine.lastBlockIdByBatchId(lastFinalizedProposalId);
    if (blockId === null) return null;
    return (await deps.l2.blockByNumber(blockId))?.hash ?? null;
  } catch (error) {
    log.warn("cannot resolve the finalized block hint {proposalId} {reason}", {
      proposalId: lastFinalizedProposalId,
      reason: describe(error),
    });
    return null;
  }
}

/**
 * Marks a proposal's blocks as L1-confirmed (`taikoAuth_updateL1Origin`, keeping an existing
 * signature and payload id and OR-ing the forced-inclusion flag), then moves the head L1 origin to
 * the last one and records it as the proposal's last block (spec/driver.md 3.4.1). The existing L1
 * origins not already known are read in one batch and the records written in one batch.
 *
 * @param deps The clients, metrics and the tip callback.
 * @param meta The proposal metadata.
 * @param blocks The proposal's derived blocks and the headers the engine holds for them, in order.
 * @returns When written.
 * @throws {DriverError} kind `Rpc` when a call fails.
 */
export async function syncL1Origins(
  deps: L1OriginSyncDeps,
  meta: ProposalMetadata,
  blocks: readonly PlacedBlock[],
): Promise<void> {
  const unknown = blocks.filter((placed) => placed.origin === undefined);
  const read = await deps.l2.l1OriginsById(unknown.map((placed) => placed.header.number));
  const readOrigins = new Map(unknown.map((placed, index) => [placed, read[index] ?? null]));
  await deps.engine.updateL1Origins(
    blocks.map((placed) =>
      confirmedOrigin(
        meta,
        placed,
        placed.origin === undefined ? readOrigins.get(placed) ?? null : placed.origin,
      )
    ),
  );
  deps.metrics?.derivation.l1OriginUpdates.inc(blocks.length);
  const last = blocks[blocks.length - 1];
  if (last === undefined) return;
  await deps.engine.setHeadL1Origin(last.header.number);
  await deps.engine.setBatchToLastBlock(meta.proposalId, last.header.number);
  deps.onHeadL1Origin(last.header.number);
}

/** The block's L1 origin as confirmed by the proposal, keeping what an existing record carries. */
function confirmedOrigin(meta: ProposalMetadata, placed: PlacedBlock, existing: L1Origin | null): L1Origin {
  const derivedOrigin = placed.derived.attributes.l1Origin;
  const keepPayloadId = existing !== null && !/^0x0{16}$/.test(existing.buildPayloadArgsId);
  return {
    ...derivedOrigin,
    blockId: placed.header.number,
    l2BlockHash: placed.header.hash,
    l1BlockHeight: meta.l1BlockNumber,
    l1BlockHash: meta.l1BlockHash,
    buildPayloadArgsId: keepPayloadId ? existing.buildPayloadArgsId : derivedOrigin.buildPayloadArgsId,
    isForcedInclusion: derivedOrigin.isForcedInclusion || (existing?.isForcedInclusion ?? false),
    signature: existing?.signature ?? derivedOrigin.signature,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
