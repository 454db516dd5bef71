/**
 * The devnet's demo proposer: encodes Shasta manifests into blobs and posts them in real EIP-4844
 * transactions to the Inbox stand-in (`propose`), or queues them as forced inclusions
 * (`storeForcedInclusion`). The posted sidecars are registered with the beacon stub so the driver
 * finds them by the slot of `blobSlice.timestamp`.
 *
 * @module
 */
import {
  type Address,
  encodeFunctionData,
  type Hash,
  type Hex,
  hexToBytes,
  parseEventLogs,
  parseGwei,
  type TransactionReceipt,
} from "viem";
import { decodeProposedLog } from "../driver/shasta/abi.ts";
import type { Proposal, SourceManifest } from "../driver/shasta/types.ts";
import type { BeaconStub, L1BlockRef } from "./beacon_stub.ts";
import { type BlobSidecar, computeBlobSidecars, loadKzg } from "./kzg.ts";
import { connectL1Wallet } from "./l1_wallet.ts";
import { encodeManifestBlobs } from "./manifest_encoder.ts";
import { inboxStandInAbi } from "./stand_in_abis.ts";

/** anvil's dev account #2 (public test key), the proposer upstream's test stack uses. */
export const DEVNET_PROPOSER_KEY: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
/** Gas for one propose call (the stand-in copies a few storage slots per forced inclusion). */
export const PROPOSE_GAS = 3_000_000n;
/** Default ceiling of the blob base fee a proposal pays. */
export const DEFAULT_MAX_FEE_PER_BLOB_GAS: bigint = parseGwei("30");
/** How long to wait for a proposal's receipt. */
export const PROPOSE_RECEIPT_TIMEOUT_MS = 30_000;

/** What the proposer talks to. */
export interface ProposerDeps {
  /** L1 HTTP JSON-RPC endpoint. */
  readonly l1Url: string;
  /** The Inbox stand-in. */
  readonly inbox: Address;
  /** Where posted sidecars are registered; `null` leaves discovery to the stub's L1 scan. */
  readonly beacon: BeaconStub | null;
}

/** How to post. */
export interface PostBlobsOptions {
  /**
   * Bytes of padding before the manifest payload, reported as `blobSlice.offset`.
   * @default 0
   */
  readonly offset?: number;
  /**
   * Private key that signs the blob transaction.
   * @default DEVNET_PROPOSER_KEY
   */
  readonly proposerKey?: Hex;
  /**
   * Ceiling of the blob base fee.
   * @default DEFAULT_MAX_FEE_PER_BLOB_GAS
   */
  readonly maxFeePerBlobGas?: bigint;
}

/** How to propose. */
export interface ProposeOptions extends PostBlobsOptions {
  /**
   * `endOfSubmissionWindowTimestamp` of the event.
   * @default 0n
   */
  readonly endOfSubmissionWindowTimestamp?: bigint;
  /**
   * How many queued forced inclusions this proposal consumes at most.
   * @default 0
   */
  readonly maxForcedInclusions?: number;
}

/** A blob transaction that landed. */
export interface PostedBlobs {
  readonly transactionHash: Hash;
  readonly block: L1BlockRef;
  readonly sidecars: readonly BlobSidecar[];
}

/** A proposal that landed, with its `Proposed` event as the driver decodes it. */
export interface PostedProposal extends PostedBlobs {
  readonly proposal: Proposal;
}

/**
 * Encodes `manifest` into blobs and calls `propose` with them.
 *
 * @param deps L1 endpoint, Inbox address and beacon stub.
 * @param manifest The blocks to propose.
 * @param options Offset, key, fees, submission window and forced inclusions.
 * @returns The transaction, its L1 block, the blobs and the decoded `Proposed` event.
 * @throws RangeError for a manifest that cannot be encoded; Error when the transaction reverts or
 *   emits no `Proposed` event; SyncError when the event does not decode with the driver's ABI.
 * @example
 * ```ts ignore
 * const proposal = await proposeManifest({ l1Url, inbox, beacon }, { blocks: [block] });
 * ```
 */
export async function proposeManifest(
  deps: ProposerDeps,
  manifest: SourceManifest,
  options: ProposeOptions = {},
): Promise<PostedProposal> {
  const maxForced = options.maxForcedInclusions ?? 0;
  if (!Number.isInteger(maxForced) || maxForced < 0 || maxForced > 0xffff) {
    throw new RangeError(
      `Cannot propose with maxForcedInclusions "${maxForced}": expected an integer 0..65535`,
    );
  }
  const offset = options.offset ?? 0;
  const data = encodeFunctionData({
    abi: inboxStandInAbi,
    functionName: "propose",
    args: [offset, Number(options.endOfSubmissionWindowTimestamp ?? 0n), maxForced],
  });
  const { posted, receipt } = await postBlobs(deps, encodeManifestBlobs(manifest, { offset }), data, options);
  const [event] = parseEventLogs({ abi: inboxStandInAbi, eventName: "Proposed", logs: receipt.logs });
  if (event === undefined) {
    throw new Error(`Cannot read the proposal of transaction "${posted.transactionHash}": no Proposed event`);
  }
  return { ...posted, proposal: decodeProposedLog(event) };
}

/**
 * Encodes `manifest` into blobs and queues them as a forced inclusion; the next `propose` with
 * `maxForcedInclusions > 0` includes it.
 *
 * @param deps L1 endpoint, Inbox address and beacon stub.
 * @param manifest The forced blocks.
 * @param options Offset, key and fees.
 * @returns The transaction, its block and the blobs.
 * @throws RangeError for a manifest that cannot be encoded; Error when the transaction reverts.
 */
export async function storeForcedInclusion(
  deps: ProposerDeps,
  manifest: SourceManifest,
  options: PostBlobsOptions = {},
): Promise<PostedBlobs> {
  const offset = options.offset ?? 0;
  const data = encodeFunctionData({
    abi: inboxStandInAbi,
    functionName: "storeForcedInclusion",
    args: [offset],
  });
  const { posted } = await postBlobs(deps, encodeManifestBlobs(manifest, { offset }), data, options);
  return posted;
}

async function postBlobs(
  deps: ProposerDeps,
  blobs: readonly Uint8Array[],
  data: Hex,
  options: PostBlobsOptions,
): Promise<{ posted: PostedBlobs; receipt: TransactionReceipt }> {
  const kzg = loadKzg();
  const sidecars = computeBlobSidecars(blobs);
  const { publicClient, wallet } = await connectL1Wallet(
    deps.l1Url,
    options.proposerKey ?? DEVNET_PROPOSER_KEY,
  );
  const transactionHash = await wallet.sendTransaction({
    to: deps.inbox,
    data,
    blobs: sidecars.map((sidecar) => hexToBytes(sidecar.blob)),
    kzg,
    maxFeePerBlobGas: options.maxFeePerBlobGas ?? DEFAULT_MAX_FEE_PER_BLOB_GAS,
    gas: PROPOSE_GAS,
  });
  const receipt = await publicClient.waitForTransactionReceipt({
    hash: transactionHash,
    timeout: PROPOSE_RECEIPT_TIMEOUT_MS,
  });
  if (receipt.status !== "success") {
    throw new Error(
      `Cannot post blobs: transaction "${transactionHash}" reverted in block ${receipt.blockNumber}`,
    );
  }
  const block = await publicClient.getBlock({ blockHash: receipt.blockHash });
  const ref: L1BlockRef = { number: block.number, hash: block.hash, timestamp: block.timestamp };
  deps.beacon?.registerSidecars(ref, sidecars);
  return { posted: { transactionHash, block: ref, sidecars }, receipt };
}
