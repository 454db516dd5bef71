/**
 * One proposal into L2 blocks (spec/driver.md section 3.4): fetch and decode each source's manifest
 * (an undecodable source degrades to the default manifest, lesson S-8), then, under the production
 * lock, load the proposal's parent and either
 * - confirm blocks a preconfirmation already produced (the canonical fast path: only L1 origins are
 *   written, no forkchoice update or newPayload), or
 * - rebuild every block from the proposal's parent, which replaces any differing blocks.
 *
 * @module
 */
import type { Address, Hash } from "../hex.ts";
import { applyPayload } from "../engine/apply_payload.ts";
import type { EngineClient } from "../engine/engine_client.ts";
import { DriverError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import type { DriverMetrics } from "../metrics.ts";
import type { BlobSource } from "../rpc/blob_source.ts";
import { readCoreState } from "../rpc/inbox_reader.ts";
import type { L1BlockRef, L1Client } from "../rpc/l1_client.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import type { ShastaChainConfig } from "../shasta/chain_config.ts";
import {
  advanceParentState,
  deriveBlock,
  type DerivedBlock,
  type ParentState,
  prepareSegment,
  type ProposalMetadata,
  proposalMetadata,
} from "../shasta/derivation.ts";
import { manifestFromBlobs, sliceHasPayload } from "../shasta/manifest_codec.ts";
import type { BlockManifest, L2BlockHeader, Proposal, SourceManifest } from "../shasta/types.ts";
import type { EngineWriteLock } from "./engine_writer.ts";
import { finalizedHint, type PlacedBlock, syncL1Origins } from "./l1_origin_sync.ts";
import { loadParentState } from "./parent_state.ts";
import { payloadMismatch } from "./preconf_match.ts";

/** What processing a proposal needs. */
export interface ProposalProcessorDeps {
  readonly l1: L1Client;
  readonly l2: L2Client;
  readonly engine: EngineClient;
  readonly blobs: BlobSource;
  readonly inbox: Address;
  readonly chain: ShastaChainConfig;
  /** The production lock shared with the preconfirmation path. */
  readonly lock: EngineWriteLock;
  readonly metrics: DriverMetrics | null;
  /** Called after `taikoAuth_setHeadL1Origin(blockId)` succeeded (the confirmed tip moved). */
  readonly onHeadL1Origin: (blockId: bigint) => void;
}

/** The L2 blocks of a processed proposal. */
export interface ProposalOutcome {
  /** The proposal's blocks in order, as the engine has them now. */
  readonly blocks: readonly L2BlockHeader[];
  /** True when every block was already in the engine and only L1 origins were written. */
  readonly canonicalHit: boolean;
}

interface Segment {
  readonly manifest: SourceManifest;
  readonly isForcedInclusion: boolean;
}

const log = driverLogger("derivation");

/**
 * Derives one proposal and makes the engine hold its blocks.
 *
 * @example
 * ```ts ignore
 * const { blocks, canonicalHit } = await processProposal(deps, decodeProposedLog(log));
 * ```
 *
 * @param deps Clients, chain parameters, the lock and metrics.
 * @param proposal The decoded `Proposed` event (id > 0).
 * @returns The proposal's blocks and whether the fast path confirmed them.
 * @throws {DriverError} kind `Rpc`/`BlobUnavailable` for transient failures, `Engine` for an engine
 *   verdict (see `context.engineStatus`), `Derivation` when the proposal cannot be derived yet.
 */
export async function processProposal(
  deps: ProposalProcessorDeps,
  proposal: Proposal,
): Promise<ProposalOutcome> {
  if (proposal.sources.length === 0) {
    throw new DriverError(
      "Derivation",
      `Cannot derive proposal ${proposal.id}: the Proposed event has no derivation sources`,
      { context: { proposalId: proposal.id } },
    );
  }
  // The L1 reads and the blob fetches are independent: they run concurrently.
  const [l1Block, lastFinalizedProposalId, manifests] = await Promise.all([
    deps.l1.blockByHash(proposal.l1BlockHash),
    readLastFinalizedProposalId(deps, proposal),
    Promise.all(proposal.sources.map((_, index) => fetchManifest(deps, proposal, index))),
  ]);
  if (l1Block === null) {
    throw new DriverError(
      "Rpc",
      `Cannot derive proposal ${proposal.id}: L1 block "${proposal.l1BlockHash}" is unavailable`,
      { context: { proposalId: proposal.id, blockNumber: proposal.l1BlockNumber } },
    );
  }
  const meta = proposalMetadata(proposal, l1Block.timestamp);
  const segments: Segment[] = proposal.sources.map((source, index) => ({
    manifest: manifests[index]!,
    isForcedInclusion: source.isForcedInclusion,
  }));
  return await deps.lock.runExclusive(async () => {
    const start = await loadParentState(deps, proposal.id - 1n);
    const anchors = new Map<bigint, L1BlockRef>();
    const known = await detectKnownCanonical(deps, segments, start, meta, anchors);
    if (known !== null) {
      await syncL1Origins(deps, meta, known);
      deps.metrics?.derivation.canonicalHits.inc();
      log.info("proposal already in the engine; confirmed its L1 origins {proposalId} {blockCount}", {
        proposalId: proposal.id,
        blockCount: known.length,
      });
      return { blocks: known.map((placed) => placed.header), canonicalHit: true };
    }
    const finalizedHash = await finalizedHint(deps, proposal.id, lastFinalizedProposalId);
    const placed = await rebuild(deps, segments, start, meta, anchors, finalizedHash);
    await syncL1Origins(deps, meta, placed);
    return { blocks: placed.map((entry) => entry.header), canonicalHit: false };
  });
}

/** Core state at the proposal's block; optional (lesson E-11: a failed read only drops the hint). */
async function readLastFinalizedProposalId(
  deps: ProposalProcessorDeps,
  proposal: Proposal,
): Promise<bigint | null> {
  try {
    const state = await readCoreState(deps.l1, deps.inbox, { blockHash: proposal.l1BlockHash });
    if (state === null) return null;
    deps.metrics?.derivation.lastFinalizedProposalId.set(Number(state.lastFinalizedProposalId));
    return state.lastFinalizedProposalId;
  } catch (error) {
    log.warn(
      "cannot read the inbox core state at the proposal block; no finalized hint {proposalId} {reason}",
      {
        proposalId: proposal.id,
        reason: describe(error),
      },
    );
    return null;
  }
}

async function fetchManifest(
  deps: ProposalProcessorDeps,
  proposal: Proposal,
  index: number,
): Promise<SourceManifest> {
  const slice = proposal.sources[index]!.blobSlice;
  // Fetch failures propagate (retried); only content that cannot be decoded degrades (lesson S-8).
  const blobs = sliceHasPayload(slice)
    ? await deps.blobs.getBlobs(slice.timestamp, slice.blobHashes)
    : slice.blobHashes.map(() => new Uint8Array(0));
  const result = manifestFromBlobs(blobs, slice);
  if (result.failure !== null) {
    deps.metrics?.derivation.defaultManifests.inc();
    log.warn(
      "source manifest cannot be decoded; using the default manifest {proposalId} {source} {kind} {reason}",
      {
        proposalId: proposal.id,
        source: index,
        kind: result.failure.kind,
        reason: result.failure.message,
      },
    );
  }
  return result.manifest;
}

async function deriveNext(
  deps: ProposalProcessorDeps,
  block: BlockManifest,
  state: ParentState,
  meta: ProposalMetadata,
  isForcedInclusion: boolean,
  anchors: Map<bigint, L1BlockRef>,
): Promise<DerivedBlock> {
  let anchorBlock = anchors.get(block.anchorBlockNumber);
  if (anchorBlock === undefined) {
    const fetched = await deps.l1.blockByNumber(block.anchorBlockNumber);
    if (fetched === null) {
      throw new DriverError(
        "Rpc",
        `Cannot build the anchor of block ${
          state.header.number + 1n
        }: L1 block ${block.anchorBlockNumber} is unavailable`,
        { context: { blockNumber: state.header.number + 1n, proposalId: meta.proposalId } },
      );
    }
    anchors.set(block.anchorBlockNumber, fetched);
    anchorBlock = fetched;
  }
  const anchorNonce = await deps.l2.goldenTouchNonce(state.header.hash);
  return deriveBlock({
    block,
    parent: state,
    meta,
    isForcedInclusion,
    anchorBlock,
    anchorNonce,
    chain: deps.chain,
  });
}

/** Walks the proposal over the engine's blocks; returns them when every one matches, else `null`. */
async function detectKnownCanonical(
  deps: ProposalProcessorDeps,
  segments: readonly Segment[],
  start: ParentState,
  meta: ProposalMetadata,
  anchors: Map<bigint, L1BlockRef>,
): Promise<PlacedBlock[] | null> {
  let state = start;
  const placed: PlacedBlock[] = [];
  for (const segment of segments) {
    const prepared = prepareSegment(segment.manifest, state, meta, {
      isForcedInclusion: segment.isForcedInclusion,
      chain: deps.chain,
    });
    for (const block of prepared.manifest.blocks) {
      const derived = await deriveNext(deps, block, state, meta, segment.isForcedInclusion, anchors);
      const existing = await deps.l2.blockWithTransactions(derived.blockNumber);
      if (existing === null) return null;
      const origin = await deps.l2.l1OriginById(derived.blockNumber);
      const mismatch = payloadMismatch(existing, origin, derived.attributes, derived.parentHash);
      if (mismatch !== null) {
        log.debug("engine block differs from the derived one {blockNumber} {reason}", {
          blockNumber: derived.blockNumber,
          reason: mismatch,
        });
        return null;
      }
      placed.push({ derived, header: existing, origin });
      state = advanceParentState(state, existing, derived.anchorBlockNumber);
    }
  }
  return placed.length > 0 ? placed : null;
}

async function rebuild(
  deps: ProposalProcessorDeps,
  segments: readonly Segment[],
  start: ParentState,
  meta: ProposalMetadata,
  anchors: Map<bigint, L1BlockRef>,
  finalizedHash: Hash | null,
): Promise<PlacedBlock[]> {
  let state = start;
  const placed: PlacedBlock[] = [];
  for (const [index, segment] of segments.entries()) {
    const prepared = prepareSegment(segment.manifest, state, meta, {
      isForcedInclusion: segment.isForcedInclusion,
      chain: deps.chain,
    });
    if (prepared.rejection !== null) {
      log.info("source manifest replaced by the default manifest {proposalId} {source} {kind} {reason}", {
        proposalId: meta.proposalId,
        source: index,
        kind: prepared.rejection.kind,
        reason: prepared.rejection.message,
      });
    }
    for (const block of prepared.manifest.blocks) {
      const derived = await deriveNext(deps, block, state, meta, segment.isForcedInclusion, anchors);
      const { block: header } = await applyPayload(
        deps,
        derived.attributes,
        derived.parentHash,
        finalizedHash === null ? {} : { finalizedHash },
      );
      placed.push({ derived, header });
      state = advanceParentState(state, header, derived.anchorBlockNumber);
    }
  }
  return placed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
