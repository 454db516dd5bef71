/**
 * The Shasta Inbox (L1) and Anchor (L2) ABIs the driver uses, as the Rust and Go client bindings
 * define them (driver.md §2.2), and the decoder of the Inbox `Proposed` log.
 *
 * @module
 */
import { decodeEventLog } from "viem";
import type { Hash, Hex } from "../hex.ts";
import { SyncError } from "../errors.ts";
import type { Proposal } from "./types.ts";

/** The Shasta Inbox functions and event the driver and runner call or scan. */
export const inboxAbi = [
  {
    type: "event",
    name: "Proposed",
    anonymous: false,
    inputs: [
      { name: "id", type: "uint48", indexed: true },
      { name: "proposer", type: "address", indexed: true },
      { name: "parentProposalHash", type: "bytes32", indexed: false },
      { name: "endOfSubmissionWindowTimestamp", type: "uint48", indexed: false },
      { name: "basefeeSharingPctg", type: "uint8", indexed: false },
      {
        name: "sources",
        type: "tuple[]",
        indexed: false,
        components: [
          { name: "isForcedInclusion", type: "bool" },
          {
            name: "blobSlice",
            type: "tuple",
            components: [
              { name: "blobHashes", type: "bytes32[]" },
              { name: "offset", type: "uint24" },
              { name: "timestamp", type: "uint48" },
            ],
          },
        ],
      },
    ],
  },
  {
    type: "function",
    name: "getCoreState",
    stateMutability: "view",
    inputs: [],
    outputs: [{
      name: "",
      type: "tuple",
      components: [
        { name: "nextProposalId", type: "uint48" },
        { name: "lastProposalBlockId", type: "uint48" },
        { name: "lastFinalizedProposalId", type: "uint48" },
        { name: "lastFinalizedTimestamp", type: "uint48" },
        { name: "lastCheckpointTimestamp", type: "uint48" },
        { name: "lastFinalizedBlockHash", type: "bytes32" },
      ],
    }],
  },
  {
    type: "function",
    name: "getConfig",
    stateMutability: "view",
    inputs: [],
    outputs: [{
      name: "",
      type: "tuple",
      components: [
        { name: "proofVerifier", type: "address" },
        { name: "proposerChecker", type: "address" },
        { name: "proverWhitelist", type: "address" },
        { name: "signalService", type: "address" },
        { name: "bondToken", type: "address" },
        { name: "minBond", type: "uint64" },
        { name: "livenessBond", type: "uint64" },
        { name: "withdrawalDelay", type: "uint48" },
        { name: "provingWindow", type: "uint48" },
        { name: "permissionlessProvingDelay", type: "uint48" },
        { name: "maxProofSubmissionDelay", type: "uint48" },
        { name: "ringBufferSize", type: "uint48" },
        { name: "basefeeSharingPctg", type: "uint8" },
        { name: "forcedInclusionDelay", type: "uint16" },
        { name: "forcedInclusionFeeInGwei", type: "uint64" },
        { name: "forcedInclusionFeeDoubleThreshold", type: "uint64" },
        { name: "permissionlessInclusionMultiplier", type: "uint8" },
      ],
    }],
  },
  {
    type: "function",
    name: "activationTimestamp",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint48" }],
  },
] as const;

/** The L2 Anchor functions the driver calls or encodes (the older single-checkpoint `anchorV4`). */
export const anchorAbi = [
  {
    type: "function",
    name: "anchorV4",
    stateMutability: "nonpayable",
    outputs: [],
    inputs: [{
      name: "_checkpoint",
      type: "tuple",
      components: [
        { name: "blockNumber", type: "uint48" },
        { name: "blockHash", type: "bytes32" },
        { name: "stateRoot", type: "bytes32" },
      ],
    }],
  },
  {
    type: "function",
    name: "getBlockState",
    stateMutability: "view",
    inputs: [],
    outputs: [{
      name: "",
      type: "tuple",
      components: [
        { name: "anchorBlockNumber", type: "uint48" },
        { name: "ancestorsHash", type: "bytes32" },
      ],
    }],
  },
] as const;

/** The log fields `decodeProposedLog` reads; viem's `Log` satisfies it. */
export interface ProposedLogInput {
  /** Event signature, then the indexed `id` and `proposer`. */
  readonly topics: readonly Hex[];
  /** ABI-encoded non-indexed fields. */
  readonly data: Hex;
  /** L1 block number; `null` for a pending log. */
  readonly blockNumber: bigint | null;
  /** L1 block hash; `null` for a pending log. */
  readonly blockHash: Hash | null;
  /** Hash of the proposing transaction; `null` for a pending log. */
  readonly transactionHash: Hash | null;
  /** Index of the log in its block; `null` for a pending log. */
  readonly logIndex: number | null;
}

/**
 * Decodes an Inbox `Proposed` log into a {@link Proposal} with its L1 context.
 *
 * @param log A log from `eth_getLogs` or a subscription, filtered on the Inbox address.
 * @returns The proposal, with every chain quantity as a `bigint`.
 * @throws {SyncError} `InvalidProposalLog` when the log is pending (no block hash, number, transaction
 *   hash or index) or does not decode as `Proposed`.
 *
 * @example
 * ```ts ignore
 * import { decodeProposedLog } from "./abi.ts";
 * const logs = await l1.getLogs({ address: inbox, event: inboxAbi[0] });
 * const proposals = logs.map(decodeProposedLog);
 * ```
 */
export function decodeProposedLog(log: ProposedLogInput): Proposal {
  const where = `transaction ${log.transactionHash ?? "(none)"} in L1 block ${
    log.blockNumber ?? "(pending)"
  }`;
  const context = {
    ...(log.blockNumber === null ? {} : { blockNumber: log.blockNumber }),
    ...(log.transactionHash === null ? {} : { transactionHash: log.transactionHash }),
  };
  if (
    log.blockNumber === null || log.blockHash === null || log.transactionHash === null ||
    log.logIndex === null
  ) {
    throw new SyncError(
      "InvalidProposalLog",
      `Cannot decode Proposed log of ${where}: the log is pending, fetch logs of mined blocks only`,
      { context },
    );
  }
  let decoded;
  try {
    decoded = decodeEventLog({
      abi: inboxAbi,
      eventName: "Proposed",
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    });
  } catch (cause) {
    throw new SyncError(
      "InvalidProposalLog",
      `Cannot decode Proposed log of ${where}: it does not match the Shasta Proposed event, check the inbox address`,
      { cause, context },
    );
  }
  const args = decoded.args;
  return {
    id: BigInt(args.id),
    proposer: args.proposer,
    parentProposalHash: args.parentProposalHash,
    endOfSubmissionWindowTimestamp: BigInt(args.endOfSubmissionWindowTimestamp),
    basefeeSharingPctg: args.basefeeSharingPctg,
    sources: args.sources.map((source) => ({
      isForcedInclusion: source.isForcedInclusion,
      blobSlice: {
        blobHashes: [...source.blobSlice.blobHashes],
        offset: source.blobSlice.offset,
        timestamp: BigInt(source.blobSlice.timestamp),
      },
    })),
    l1BlockNumber: log.blockNumber,
    l1BlockHash: log.blockHash,
    l1TransactionHash: log.transactionHash,
    logIndex: log.logIndex,
  };
}
