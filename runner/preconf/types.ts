/**
 * Types shared by the preconfirmation client's parts: accepted and pending commitment records, the
 * driver, chain and network the client talks to (small interfaces, so tests use doubles and the
 * runner passes the real EventSyncer, L2 client and P2pNetwork).
 *
 * @module
 */
import type { Address, Hash } from "viem";
import type { L2BlockHeader, PreconfSubmissionOutcome, TaikoPayloadAttributes } from "../../driver/mod.ts";
import type { SignedCommitment } from "../p2p/wire/commitment.ts";
import type { P2pEvent } from "../p2p/events.ts";
import type { RecoveredCommitment } from "../p2p/network_ports.ts";
import type { PublishOutcome } from "../p2p/gossip.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import type { PreconfHead } from "../p2p/wire/reqresp_messages.ts";
import type { PreconfSource } from "./metrics.ts";

/** A commitment that passed every validation guard. */
export interface AcceptedCommitment {
  /** The commitment. */
  readonly signed: SignedCommitment;
  /** `keccak256` of the 382-byte SSZ (the RPC's commitmentHash), identifies this exact message. */
  readonly commitmentHash: Hash;
  /** `keccak256(SSZ(preconf))`, what a child's `parentPreconfirmationHash` names. */
  readonly preconfHash: Hash;
  /** The recovered signer. */
  readonly signer: Address;
  /** `eop` with a zero txlist hash: a handoff marker that produces no block (lesson V-6). */
  readonly eopOnly: boolean;
  /** Where it came from. */
  readonly source: PreconfSource;
}

/** Why a commitment waits in the pending buffer. */
export type PendingReason = "AwaitingParent" | "LookaheadNotYetKnown";

/** A commitment that passed the cheap guards and waits for its parent or for lookahead data. */
export interface PendingCommitment {
  /** The commitment. */
  readonly signed: SignedCommitment;
  /** `keccak256` of its 382-byte SSZ. */
  readonly commitmentHash: Hash;
  /** What it waits for. */
  readonly reason: PendingReason;
  /** Where it came from. */
  readonly source: PreconfSource;
  /** The peer it came from, for logs (`"local"` for RPC). */
  readonly from: string;
  /** Wall-clock milliseconds when it was buffered. */
  readonly bufferedAtMs: number;
  /** The signer recovered before it was buffered; re-validation does not recover it again. */
  readonly signer?: Address;
}

/** What the client did with one commitment handed to it. */
export type IngestOutcome =
  /** Passed every guard and was stored. */
  | "accepted"
  /** The same commitment was already accepted. */
  | "duplicate"
  /** Buffered until its parent or the lookahead is known. */
  | "pending"
  /** Refused (stale, invalid, equivocating, or known bad). */
  | "refused";

export type { PreconfSubmissionOutcome };

/** What the client needs from the driver; the runner passes its EventSyncer. */
export interface PreconfDriver {
  /**
   * Inserts a preconfirmed block through the driver's ingress.
   *
   * @throws {DriverError} When the engine or the ingress refuses it.
   */
  submitPreconfirmationPayload(
    attrs: TaikoPayloadAttributes,
    options?: { parentHash?: Hash; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<PreconfSubmissionOutcome>;
  /** The highest L2 block confirmed by L1; nothing at or below it may be preconfirmed (V-8). */
  readonly confirmedTip: bigint;
}

/** The chain reads the client needs (L2 headers, the Inbox's fee sharing, the L1 head). */
export interface PreconfChain {
  /** `eth_getBlockByNumber(n)` on L2; `null` when absent. */
  l2Block(number: bigint): Promise<L2BlockHeader | null>;
  /** The L2 `latest` block number (the preconf tip). */
  l2Head(): Promise<bigint>;
  /** `Inbox.getConfig().basefeeSharingPctg` on L1. */
  basefeeSharingPctg(): Promise<number>;
  /** The L1 head block number (anchor bounds). */
  l1Head(): Promise<bigint>;
  /** `Inbox.getCoreState().nextProposalId` on L1 (whether event sync has caught up). */
  inboxNextProposalId(): Promise<bigint>;
}

/** The P2P operations the client uses; the runner passes its `P2pNetwork`. */
export interface PreconfNetwork {
  /** Gossips a commitment; resolves even with zero peers (`peers: 0`). */
  publishCommitment(signed: SignedCommitment): Promise<PublishOutcome>;
  /** Gossips a txlist; resolves even with zero peers. */
  publishRawTxList(message: RawTxListGossip): Promise<PublishOutcome>;
  /** `get_head` from one peer. */
  requestHead(peer?: string, options?: { signal?: AbortSignal }): Promise<PreconfHead>;
  /** `get_commitments_by_number` from one peer (entries already checked, with their recovered signers). */
  requestCommitments(
    start: bigint,
    maxCount: number,
    peer?: string,
    options?: { signal?: AbortSignal },
  ): Promise<RecoveredCommitment[]>;
  /** `get_raw_txlist` from one peer; `null` when the peer does not have it. */
  requestRawTxList(
    hash: Hash,
    peer?: string,
    options?: { signal?: AbortSignal },
  ): Promise<RawTxListGossip | null>;
  /** Sets the head served on `get_head`. */
  updateHead(head: PreconfHead): void;
  /** The connected peers, as base58 peer ids. */
  peers(): string[];
  /** This node's peer id (base58). */
  readonly peerId: string;
  /** Connected peers. */
  readonly peerCount: number;
  /** Network events (peers coming and going) until the signal aborts. */
  events(options?: { signal?: AbortSignal }): AsyncIterable<P2pEvent>;
}
