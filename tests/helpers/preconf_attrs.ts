/**
 * Builds the payload attributes a preconfer would submit for a block that a later L1 proposal will
 * derive identically: the same pure derivation code, run on the engine's current head, with the
 * proposal's planned id, L1 time and anchor, and an L1 origin without an L1 block (a preconf block).
 *
 * @module
 */
import { zeroHash } from "viem";
import type { DriverClient } from "../../driver/rpc/driver_client.ts";
import { shastaChainConfig } from "../../driver/shasta/chain_config.ts";
import { deriveBlock, parentState } from "../../driver/shasta/derivation.ts";
import type { BlockManifest, L2BlockHeader, TaikoPayloadAttributes } from "../../driver/shasta/types.ts";

/** The proposer address of the devnet's demo proposer (anvil account #2). */
export const DEVNET_PROPOSER_ADDRESS = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** What the planned proposal will look like on L1. */
export interface PlannedProposal {
  readonly proposalId: bigint;
  /** Timestamp of the L1 block that will hold the proposal. */
  readonly l1Timestamp: bigint;
  /** Number of the L1 block that will hold the proposal. */
  readonly l1BlockNumber: bigint;
  /** `basefeeSharingPctg` of the Inbox config. */
  readonly basefeeSharingPctg: number;
}

/**
 * The attributes of `block` on top of `parent` (the engine's block n-1), as derivation will build
 * them, but with a preconfirmation L1 origin.
 *
 * @param client The driver client (L1 anchor block, L2 nonce, engine anchor state).
 * @param parent The parent header.
 * @param block The manifest block.
 * @param plan The proposal's planned values.
 * @returns The attributes to submit.
 */
export async function preconfAttrsLikeDerivation(
  client: DriverClient,
  parent: L2BlockHeader,
  block: BlockManifest,
  plan: PlannedProposal,
): Promise<TaikoPayloadAttributes> {
  const grandparent = parent.number === 0n ? null : await client.l2.blockByHash(parent.parentHash);
  const anchor = await client.engine.anchorBlockState(parent.hash);
  const state = parentState(parent, grandparent?.timestamp ?? null, anchor.anchorBlockNumber);
  const anchorBlock = await client.l1.blockByNumber(block.anchorBlockNumber);
  if (anchorBlock === null) throw new Error(`L1 block ${block.anchorBlockNumber} is missing`);
  const derived = deriveBlock({
    block,
    parent: state,
    meta: {
      proposalId: plan.proposalId,
      proposer: DEVNET_PROPOSER_ADDRESS,
      basefeeSharingPctg: plan.basefeeSharingPctg,
      proposalTimestamp: plan.l1Timestamp,
      l1BlockNumber: plan.l1BlockNumber,
      l1BlockHash: zeroHash,
      originBlockNumber: plan.l1BlockNumber - 1n,
    },
    isForcedInclusion: false,
    anchorBlock,
    anchorNonce: await client.l2.goldenTouchNonce(parent.hash),
    chain: shastaChainConfig(client.chainId),
  });
  return {
    ...derived.attributes,
    l1Origin: { ...derived.attributes.l1Origin, l1BlockHeight: null, l1BlockHash: null },
  };
}
