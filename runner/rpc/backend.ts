/**
 * What the preconfirmation JSON-RPC server asks of the node behind it. The server checks every
 * input's shape (hex, sizes, the txlist hash) and hands typed values to a {@linkcode PreconfRpcBackend};
 * the preconfirmation client implements it and does the protocol checks, the local insertion and the
 * gossip.
 *
 * A backend reports a refusal by throwing `PreconfError` (runner/preconf/errors.ts) with its kind and
 * reason, or a `DriverError`; the server maps those to JSON-RPC error codes in one place
 * (`error_mapping.ts`). Anything else becomes `-32000` InternalError.
 *
 * @module
 */
import type { Address, Hash } from "viem";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";

/** A `preconf_publishBlock` call, checked for shape: what to validate, insert locally and gossip. */
export interface PublishBlockRequest {
  /** The 382-byte SSZ `SignedCommitment`, exactly as the caller sent it (not decoded yet). */
  readonly commitment: Uint8Array;
  /** keccak256 of `commitment`. */
  readonly commitmentHash: Hash;
  /**
   * The compressed txlist with its hash (the server checked that the bytes hash to it and that the
   * size is within `MAX_TXLIST_BYTES`); `null` when the caller sent an empty txlist with the zero
   * hash, i.e. an EOP-only commitment (lesson V-6). The backend still checks it against the
   * commitment's `rawTxListHash`.
   */
  readonly txList: RawTxListGossip | null;
  /**
   * keccak256 of `txList.txlist` as the server computed it from these bytes (it equals
   * `txList.rawTxListHash`, or the call was refused), so the backend does not hash a txlist of up to
   * 2 MiB again. Absent, the backend hashes the bytes itself.
   * @default {undefined}
   */
  readonly verifiedTxListHash?: Hash;
}

/** What happened to a published block on this node (the local half of lesson R-4). */
export type PublishBlockLocalOutcome =
  /** The block was built and inserted on top of its parent. */
  | { readonly kind: "Inserted"; readonly blockHash: Hash }
  /** The same block was already in the engine (a retry): nothing was written (lesson S-1). */
  | { readonly kind: "AlreadyMaterialized"; readonly blockHash: Hash }
  /** An EOP-only commitment: stored and served, but it produces no block (lesson V-6). */
  | { readonly kind: "EopOnly" };

/** Whether the commitment (and txlist) went out on gossip after the local step (lessons R-4, P2P-5). */
export type PublishBlockPropagation =
  /** Handed to gossipsub. */
  | { readonly kind: "Propagated" }
  /** The local step succeeded but publishing failed (e.g. no peers); retrying is not needed for the block. */
  | { readonly kind: "NotPropagated"; readonly reason: string };

/** The answer to a `preconf_publishBlock` that passed validation and the local step. */
export interface PublishBlockResult {
  /** The commitment's L2 block number. */
  readonly blockNumber: bigint;
  /** What happened locally. */
  readonly local: PublishBlockLocalOutcome;
  /** What happened on gossip. */
  readonly propagation: PublishBlockPropagation;
}

/** A `preconf_publishCommitment` call (first-generation API), checked for shape. */
export interface PublishCommitmentRequest {
  /** The 382-byte SSZ `SignedCommitment`, exactly as the caller sent it. */
  readonly commitment: Uint8Array;
  /** keccak256 of `commitment`. */
  readonly commitmentHash: Hash;
}

/** The answer to `preconf_publishCommitment`. */
export interface PublishCommitmentResult {
  /** The commitment's `rawTxListHash`. */
  readonly txListHash: Hash;
}

/** What `preconf_getStatus` reports (lessons R-1, L-4). */
export interface PreconfNodeStatus {
  /** Whether the event syncer has applied every proposal the Inbox has accepted. */
  readonly isSyncedWithInbox: boolean;
  /** The highest L2 block confirmed by L1, or `null` before the event syncer knows it. */
  readonly eventSyncTip: bigint | null;
  /** The engine's `latest` block number, read now (not a counter; lesson L-4). */
  readonly preconfTip: bigint;
  /** The last proposal id the event syncer applied. */
  readonly canonicalProposalId: bigint;
  /** Connected P2P peers. */
  readonly peerCount: number;
  /** This node's libp2p peer id (base58). */
  readonly peerId: string;
}

/** Who may sign for a timestamp, and when their window ends (spec p2p.md 15.5). */
export interface PreconfSlotInfo {
  /** The elected preconfer. */
  readonly signer: Address;
  /** The `submissionWindowEnd` a commitment for this timestamp must carry. */
  readonly submissionWindowEnd: bigint;
}

/** Options of the read calls. */
export interface BackendReadOptions {
  /**
   * Aborts when the server stops.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/**
 * The node behind the JSON-RPC server. The publish calls take no signal on purpose: a caller that
 * disconnects must not cancel an engine insertion halfway (lesson S-3).
 */
export interface PreconfRpcBackend {
  /**
   * Validates a commitment with its txlist, inserts the block locally, then gossips both
   * (`preconf_publishBlock`; lessons, P2P-4). A retry of a block already inserted
   * answers `AlreadyMaterialized`.
   *
   * @param request The checked request.
   * @returns What happened locally and on gossip.
   * @throws {PreconfError} When validation, the txlist codec or the driver refuses the block.
   */
  publishBlock(request: PublishBlockRequest): Promise<PublishBlockResult>;
  /**
   * Validates and gossips a commitment (`preconf_publishCommitment`, first-generation API).
   *
   * @param request The checked request.
   * @returns The commitment's txlist hash.
   * @throws {PreconfError} When the commitment is refused.
   */
  publishCommitment(request: PublishCommitmentRequest): Promise<PublishCommitmentResult>;
  /**
   * Stores and gossips a txlist whose hash the server already checked (`preconf_publishTxList`).
   *
   * @param txList The txlist and its hash.
   * @param verifiedTxListHash keccak256 of `txList.txlist` as the server computed it; absent, the
   *   backend hashes the bytes itself.
   * @returns When stored and handed to gossip.
   * @throws {PreconfError} When the txlist is refused.
   */
  publishTxList(txList: RawTxListGossip, verifiedTxListHash?: Hash): Promise<void>;
  /**
   * Reads the node's status (`preconf_getStatus`).
   *
   * @param options Aborts the reads.
   * @returns The status.
   */
  status(options?: BackendReadOptions): Promise<PreconfNodeStatus>;
  /**
   * Reads the engine's `latest` block number (`preconf_tip`; lesson L-4).
   *
   * @param options Aborts the read.
   * @returns The block number.
   */
  tip(options?: BackendReadOptions): Promise<bigint>;
  /**
   * Reads the last proposal id the event syncer applied (`preconf_canonicalProposalId`).
   *
   * @param options Aborts the read.
   * @returns The proposal id.
   */
  canonicalProposalId(options?: BackendReadOptions): Promise<bigint>;
  /**
   * Answers who may sign for an L2 timestamp (`preconf_getPreconfSlotInfo`).
   *
   * @param timestamp The L2 block timestamp, in seconds.
   * @param options Aborts the lookup.
   * @returns The signer and window end.
   * @throws {PreconfError} `LookaheadOutOfRange` for a timestamp before genesis, too old or too new;
   *   `LookaheadNotYetKnown` or `LookaheadRpc` when the answer is not available.
   */
  slotInfo(timestamp: bigint, options?: BackendReadOptions): Promise<PreconfSlotInfo>;
}
