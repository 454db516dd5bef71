/**
 * The client's validation of a commitment, from gossip, catch-up or RPC alike: an ordered list of
 * guards, cheapest first, with signature recovery and the lookahead (which may read L1) last. Each
 * guard names its rule and says what to do on failure: `ignore` drops quietly (stale, clock
 * dependent, not yet verifiable), `reject` also penalises the peer that sent it. A commitment that
 * waits for its parent or for lookahead data is buffered (`buffer` set), never penalised.
 *
 * A second set of guards runs at submission, against the parent block actually in the engine.
 *
 * @module
 */
import type { Address, Hash, Hex } from "viem";
import { keccak256Hex } from "../../internal/keccak.ts";
import {
  ANCHOR_GAS_LIMIT,
  effectiveParentGasLimit,
  gasLimitBounds,
  type L2BlockHeader,
  MAX_BLOCK_GAS_LIMIT,
  MAX_PROPOSAL_ID,
  MIN_BLOCK_GAS_LIMIT,
} from "../../driver/mod.ts";
import { P2pError } from "../p2p/errors.ts";
import { recoverSignerInline } from "../p2p/gossip_validation.ts";
import type { SignerRecovery } from "../p2p/network_ports.ts";
import type { Preconfirmation, SignedCommitment } from "../p2p/wire/commitment.ts";
import { MAX_TXLIST_BYTES } from "../p2p/wire/constants.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import {
  commitmentHashOfEncoded,
  encodedSignedCommitment,
  preconfirmationHashOfEncoded,
} from "../p2p/wire/signing.ts";
import type { CommitmentStore } from "./commitment_store.ts";
import type { ValidationAction, ValidationReason } from "./errors.ts";
import type { LookaheadAnswer, LookaheadSource } from "./lookahead/resolver.ts";
import type { PendingReason } from "./types.ts";

/** The 32-byte zero hash. */
const ZERO_HASH: Hash = "0x0000000000000000000000000000000000000000000000000000000000000000";

/** How far ahead of our clock a block timestamp may be (one L1 slot), in seconds. */
export const MAX_FUTURE_DRIFT_SECONDS = 12n;
/** How many blocks our L1 view may lag the preconfer's when checking an anchor, in L1 blocks. */
export const ANCHOR_HEAD_SLACK_BLOCKS = 4n;

/** Chain rules and local settings validation applies. */
export interface ValidationConfig {
  /** The slasher every commitment must name (lesson V-3: required). */
  readonly expectedSlasher: Address;
  /** The 32-byte signing domain (lesson V-2). */
  readonly signingDomain: Hex;
  /** L2 timestamp from which Shasta applies, in seconds. */
  readonly shastaForkTimestamp: bigint;
  /** Furthest a block timestamp may lag behind its proposal's L1 timestamp, in seconds. */
  readonly timestampMaxOffset: bigint;
  /** Furthest an anchor may lag behind its proposal's origin L1 block, in L1 blocks. */
  readonly maxAnchorOffset: bigint;
  /**
   * Seconds a timestamp may be ahead of our clock.
   * @default {MAX_FUTURE_DRIFT_SECONDS}
   */
  readonly maxFutureDriftSeconds?: bigint;
}

/** The state validation reads. */
export interface ValidationState {
  /** The highest L1-confirmed L2 block (V-8). */
  readonly confirmedTip: bigint;
  /** The highest L2 block in the engine (the preconf tip). */
  readonly preconfTip: bigint;
  /** The last proposal id applied from L1. */
  readonly canonicalProposalId: bigint;
  /** Wall clock, in seconds. */
  readonly nowSeconds: bigint;
  /** The L1 head block number, or `null` when unknown (anchor head bounds are then skipped). */
  readonly l1Head: bigint | null;
}

/** What validation may consult. */
export interface ValidationDeps {
  /** Stored commitments (the parent lookup). */
  readonly store: CommitmentStore;
  /** Who may sign for a timestamp. */
  readonly lookahead: LookaheadSource;
  /**
   * Recovers the signer (the node passes `SignaturePool.recoverSigner`, off the event loop).
   * @default {recoverSignerInline} on the calling thread
   */
  readonly recoverSigner?: SignerRecovery;
}

/** A commitment that passed every guard. */
export interface ValidCommitment {
  /** Passed every guard. */
  readonly ok: true;
  /** The recovered signer. */
  readonly signer: Address;
  /** `keccak256` of the 382-byte SSZ. */
  readonly commitmentHash: Hash;
  /** `keccak256(SSZ(preconf))`, the child's parent link. */
  readonly preconfHash: Hash;
  /** `eop` with a zero txlist hash: a handoff marker without a block. */
  readonly eopOnly: boolean;
}

/** A commitment a guard refused. */
export interface InvalidCommitment {
  /** A guard refused it. */
  readonly ok: false;
  /** Which guard. */
  readonly reason: ValidationReason;
  /** Ignore, or reject and penalise the sender. */
  readonly action: ValidationAction;
  /** Set when the commitment should wait in the pending buffer instead of being dropped. */
  readonly buffer: PendingReason | null;
  /** Sentence case: what failed and the values involved. */
  readonly message: string;
  /** The recovered signer, when a guard after the recovery refused (a buffered entry keeps it). */
  readonly signer?: Address;
}

/** The outcome of {@linkcode validateCommitment}. */
export type CommitmentValidation = ValidCommitment | InvalidCommitment;

function fail(
  reason: ValidationReason,
  action: ValidationAction,
  message: string,
  buffer: PendingReason | null = null,
): InvalidCommitment {
  return { ok: false, reason, action, buffer, message };
}

/**
 * Whether a preconfirmation is EOP-only: `eop` with a zero txlist hash (no block, a handoff).
 *
 * @param preconf The preconfirmation.
 * @returns `true` for a handoff marker.
 */
export function isEopOnly(preconf: Preconfirmation): boolean {
  return preconf.eop && preconf.rawTxListHash === ZERO_HASH;
}

/**
 * Runs every guard on a decoded commitment, in order; the first failure wins.
 *
 * @param signed The commitment.
 * @param deps The store (parent lookup) and the lookahead.
 * @param config Chain rules and local settings.
 * @param state Tips, proposal id, clock and L1 head.
 * @param knownSigner The signer already recovered from `signed` under `config.signingDomain` (by
 *   the network's gossip or catch-up checks); given, the signature is not recovered again.
 * @returns The verdict; never throws for bad input.
 */
export async function validateCommitment(
  signed: SignedCommitment,
  deps: ValidationDeps,
  config: ValidationConfig,
  state: ValidationState,
  knownSigner?: Address,
): Promise<CommitmentValidation> {
  const preconf = signed.commitment.preconf;
  const n = preconf.blockNumber;

  // [IGNORE] lesson V-8: nothing at or below the L1-confirmed tip is preconfirmed, on every path.
  if (n <= state.confirmedTip) {
    return fail("Stale", "ignore", `Block ${n} is at or below the confirmed tip ${state.confirmedTip}`);
  }
  // [REJECT] p2p.md 4.1 rule 2, lesson V-6: only an EOP commitment may omit the txlist hash.
  if (!preconf.eop && preconf.rawTxListHash === ZERO_HASH) {
    return fail("InvalidEop", "reject", `Block ${n} has a zero txlist hash without eop`);
  }
  // [REJECT] lesson V-3: the commitment must name the configured slasher.
  if (signed.commitment.slasherAddress.toLowerCase() !== config.expectedSlasher.toLowerCase()) {
    return fail(
      "SlasherMismatch",
      "reject",
      `Block ${n} names slasher ${signed.commitment.slasherAddress}, expected ${config.expectedSlasher}`,
    );
  }
  const paramFailure = checkStaticParams(preconf, config, state);
  if (paramFailure !== null) return paramFailure;

  // [REJECT] p2p.md 3: a signer must be recoverable under the configured domain.
  let signer: Address;
  try {
    signer = knownSigner ?? await (deps.recoverSigner ?? recoverSignerInline)(signed, config.signingDomain);
  } catch (error) {
    if (error instanceof P2pError || error instanceof TypeError) {
      return fail("InvalidSignature", "reject", `Block ${n} has no recoverable signature: ${error.message}`);
    }
    throw error;
  }

  const parent = deps.store.commitmentAt(n - 1n);
  const eopOnly = isEopOnly(preconf);
  if (parent !== undefined) {
    const linkFailure = checkAgainstParentCommitment(
      preconf,
      parent.signed.commitment.preconf,
      parent.preconfHash,
    );
    if (linkFailure !== null) return linkFailure;
  } else if (n - 1n > state.preconfTip && n - 1n > state.confirmedTip && !eopOnly) {
    // [IGNORE, buffer] lesson V-1: the parent is neither stored nor executed; the link is checked once it is.
    return {
      ...fail("AwaitingParent", "ignore", `Block ${n} waits for its parent ${n - 1n}`, "AwaitingParent"),
      signer,
    };
  }

  // [REJECT] p2p.md 4.2, lesson V-5: the signer and window end must be the elected slot's.
  const lookaheadFailure = await checkLookahead(signed, signer, deps);
  if (lookaheadFailure !== null) return { ...lookaheadFailure, signer };

  // The bytes it was decoded from when the network remembered them, else one encoding for both hashes.
  const encoded = encodedSignedCommitment(signed);
  return {
    ok: true,
    signer,
    commitmentHash: commitmentHashOfEncoded(encoded),
    preconfHash: preconfirmationHashOfEncoded(encoded),
    eopOnly,
  };
}

/** Block-parameter guards that need no parent (lesson V-4). */
function checkStaticParams(
  preconf: Preconfirmation,
  config: ValidationConfig,
  state: ValidationState,
): InvalidCommitment | null {
  const n = preconf.blockNumber;
  // [REJECT] lesson V-4, p2p.md 13.2: the proposal id is a uint48.
  if (preconf.proposalId > MAX_PROPOSAL_ID) {
    return fail(
      "ProposalIdOutOfBounds",
      "reject",
      `Block ${n} has proposal id ${preconf.proposalId} above uint48`,
    );
  }
  // [IGNORE] lesson V-4: a proposal already applied from L1 can no longer gain blocks (no penalty: our
  // proposal id may run ahead of the confirmed tip for a moment).
  if (preconf.proposalId <= state.canonicalProposalId) {
    return fail(
      "ProposalIdOutOfBounds",
      "ignore",
      `Block ${n} names proposal ${preconf.proposalId}, already applied from L1 (last ${state.canonicalProposalId})`,
    );
  }
  if (isEopOnly(preconf)) return null;
  // [REJECT] driver.md 4.6: the gas limit without the anchor budget stays within [10M, 45M].
  const gas = preconf.gasLimit - ANCHOR_GAS_LIMIT;
  if (gas < MIN_BLOCK_GAS_LIMIT || gas > MAX_BLOCK_GAS_LIMIT) {
    return fail(
      "GasLimitOutOfBounds",
      "reject",
      `Block ${n} has gas limit ${preconf.gasLimit}, outside [${MIN_BLOCK_GAS_LIMIT + ANCHOR_GAS_LIMIT}, ${
        MAX_BLOCK_GAS_LIMIT + ANCHOR_GAS_LIMIT
      }]`,
    );
  }
  // [REJECT] driver.md 4.6: no block before the Shasta fork.
  if (preconf.timestamp < config.shastaForkTimestamp) {
    return fail(
      "TimestampOutOfBounds",
      "reject",
      `Block ${n} has timestamp ${preconf.timestamp}, before the Shasta fork at ${config.shastaForkTimestamp}`,
    );
  }
  // [IGNORE] lesson V-4: a block from the future cannot be proposed yet (clock dependent: no penalty).
  const drift = config.maxFutureDriftSeconds ?? MAX_FUTURE_DRIFT_SECONDS;
  if (preconf.timestamp > state.nowSeconds + drift) {
    return fail(
      "TimestampOutOfBounds",
      "ignore",
      `Block ${n} has timestamp ${preconf.timestamp}, more than ${drift} s after now (${state.nowSeconds})`,
    );
  }
  // [IGNORE] driver.md 4.6: its proposal lands at or after now, so a timestamp older than the
  // offset would be rewritten by derivation (clock dependent: no penalty).
  if (preconf.timestamp + config.timestampMaxOffset < state.nowSeconds) {
    return fail(
      "TimestampOutOfBounds",
      "ignore",
      `Block ${n} has timestamp ${preconf.timestamp}, more than ${config.timestampMaxOffset} s before now (${state.nowSeconds})`,
    );
  }
  if (state.l1Head !== null) {
    // [IGNORE] driver.md 4.6: the anchor must exist on L1 (our view may lag: no penalty).
    if (preconf.anchorBlockNumber > state.l1Head + ANCHOR_HEAD_SLACK_BLOCKS) {
      return fail(
        "AnchorOutOfBounds",
        "ignore",
        `Block ${n} anchors L1 block ${preconf.anchorBlockNumber}, beyond the L1 head ${state.l1Head}`,
      );
    }
    // [IGNORE] driver.md 4.6: the proposal's origin is at or after the L1 head, so an anchor older
    // than the offset would be rewritten by derivation.
    if (preconf.anchorBlockNumber + config.maxAnchorOffset + ANCHOR_HEAD_SLACK_BLOCKS < state.l1Head) {
      return fail(
        "AnchorOutOfBounds",
        "ignore",
        `Block ${n} anchors L1 block ${preconf.anchorBlockNumber}, more than ${config.maxAnchorOffset} blocks behind the L1 head ${state.l1Head}`,
      );
    }
  }
  return null;
}

/** Guards against the stored parent commitment (lessons V-1, V-4, V-6). */
function checkAgainstParentCommitment(
  preconf: Preconfirmation,
  parent: Preconfirmation,
  parentHash: Hash,
): InvalidCommitment | null {
  const n = preconf.blockNumber;
  // [REJECT] lesson V-1: the parent link names the stored parent's preconfirmation hash.
  if (preconf.parentPreconfirmationHash !== parentHash) {
    return fail(
      "ParentHashMismatch",
      "reject",
      `Block ${n} links parent ${preconf.parentPreconfirmationHash}, the stored parent hashes to ${parentHash}`,
    );
  }
  // [REJECT] design doc "invalid EOP": no block may follow an EOP inside the same window.
  if (parent.eop && parent.submissionWindowEnd === preconf.submissionWindowEnd) {
    return fail(
      "InvalidEop",
      "reject",
      `Block ${n} follows an EOP block in the same window ending ${preconf.submissionWindowEnd}`,
    );
  }
  // [REJECT] lesson V-4: each block belongs to its parent's proposal or the next one.
  if (preconf.proposalId !== parent.proposalId && preconf.proposalId !== parent.proposalId + 1n) {
    return fail(
      "ProposalIdOutOfBounds",
      "reject",
      `Block ${n} names proposal ${preconf.proposalId}, its parent ${parent.proposalId}`,
    );
  }
  if (isEopOnly(preconf)) return null;
  // [REJECT] driver.md 4.6: timestamps strictly increase.
  if (preconf.timestamp <= parent.timestamp) {
    return fail(
      "TimestampOutOfBounds",
      "reject",
      `Block ${n} has timestamp ${preconf.timestamp}, not after its parent's ${parent.timestamp}`,
    );
  }
  // [REJECT] driver.md 4.6: anchors never go back.
  if (preconf.anchorBlockNumber < parent.anchorBlockNumber) {
    return fail(
      "AnchorOutOfBounds",
      "reject",
      `Block ${n} anchors L1 block ${preconf.anchorBlockNumber}, below its parent's ${parent.anchorBlockNumber}`,
    );
  }
  return checkGasStep(n, preconf.gasLimit, n - 1n, parent.gasLimit);
}

/** [REJECT] driver.md 4.6: the gas limit moves at most ±200 ppm from the parent's. */
function checkGasStep(
  n: bigint,
  gasLimit: bigint,
  parentNumber: bigint,
  parentGasLimit: bigint,
): InvalidCommitment | null {
  const [lower, upper] = gasLimitBounds(effectiveParentGasLimit(parentNumber, parentGasLimit));
  const gas = gasLimit - ANCHOR_GAS_LIMIT;
  if (gas < lower || gas > upper) {
    return fail(
      "GasLimitOutOfBounds",
      "reject",
      `Block ${n} has gas limit ${gasLimit}, outside [${lower + ANCHOR_GAS_LIMIT}, ${
        upper + ANCHOR_GAS_LIMIT
      }] after the parent's ${parentGasLimit}`,
    );
  }
  return null;
}

async function checkLookahead(
  signed: SignedCommitment,
  signer: Address,
  deps: ValidationDeps,
): Promise<InvalidCommitment | null> {
  const preconf = signed.commitment.preconf;
  const n = preconf.blockNumber;
  const answer = await deps.lookahead.resolve(preconf.timestamp);
  const first = compareSlot(answer, signer, preconf);
  if (first === null || first.buffer !== null || first.reason === "LookaheadOutOfRange") return first;
  // A preconfer that ended its window with EOP hands the next blocks to the following slot early:
  // check against the slot after the handed-off window (design doc "End-of-Preconfirmation").
  const handoff = handoffWindowEnd(n, deps.store);
  if (handoff !== null) {
    const next = compareSlot(await deps.lookahead.resolve(handoff + 1n), signer, preconf);
    if (next === null) return null;
  }
  return first;
}

/** The window end of an EOP that hands block `n` to the next preconfer, or `null`. */
function handoffWindowEnd(n: bigint, store: CommitmentStore): bigint | null {
  const marker = store.eopMarkerAt(n);
  if (marker !== undefined) return marker.signed.commitment.preconf.submissionWindowEnd;
  const parent = store.commitmentAt(n - 1n)?.signed.commitment.preconf;
  return parent?.eop === true ? parent.submissionWindowEnd : null;
}

function compareSlot(
  answer: LookaheadAnswer,
  signer: Address,
  preconf: Preconfirmation,
): InvalidCommitment | null {
  const n = preconf.blockNumber;
  switch (answer.kind) {
    case "NotYetKnown":
      // [IGNORE, buffer] lesson V-5(c): the lookahead is not indexed yet; retry, never penalise.
      return fail(
        "LookaheadNotYetKnown",
        "ignore",
        `Block ${n} waits for the lookahead: ${answer.reason}`,
        "LookaheadNotYetKnown",
      );
    case "OutOfRange":
      if (answer.reason === "TooNew") {
        // [IGNORE, buffer] the timestamp is in an epoch that has not started for us (clock skew).
        return fail(
          "LookaheadNotYetKnown",
          "ignore",
          `Block ${n} is ahead of the current epoch`,
          "LookaheadNotYetKnown",
        );
      }
      // [IGNORE] lesson V-5(b): too old to verify; dropping costs the peer nothing.
      return fail(
        "LookaheadOutOfRange",
        "ignore",
        `Block ${n} cannot be checked against the lookahead: ${answer.reason}`,
      );
    case "Known":
      if (signer.toLowerCase() !== answer.signer.toLowerCase()) {
        return fail(
          "SignerMismatch",
          "reject",
          `Block ${n} is signed by ${signer}, the elected signer is ${answer.signer}`,
        );
      }
      if (preconf.submissionWindowEnd !== answer.submissionWindowEnd) {
        return fail(
          "SubmissionWindowMismatch",
          "reject",
          `Block ${n} names window end ${preconf.submissionWindowEnd}, the elected slot ends ${answer.submissionWindowEnd}`,
        );
      }
      return null;
  }
}

/**
 * Guards against the parent block actually in the engine, run right before submission (lesson
 * V-4): the number follows, the timestamp increases and the gas limit stays within its step.
 *
 * @param preconf The block's preconfirmation.
 * @param parent The engine's block at `blockNumber - 1`.
 * @returns The failure, or `null` when the block fits its parent.
 */
export function checkAgainstParentHeader(
  preconf: Preconfirmation,
  parent: Pick<L2BlockHeader, "number" | "timestamp" | "gasLimit">,
): InvalidCommitment | null {
  const n = preconf.blockNumber;
  if (parent.number + 1n !== n) {
    return fail(
      "BlockNumberMismatch",
      "reject",
      `Block ${n} does not follow the engine's block ${parent.number}`,
    );
  }
  if (preconf.timestamp <= parent.timestamp) {
    return fail(
      "TimestampOutOfBounds",
      "reject",
      `Block ${n} has timestamp ${preconf.timestamp}, not after the parent block's ${parent.timestamp}`,
    );
  }
  return checkGasStep(n, preconf.gasLimit, parent.number, parent.gasLimit);
}

/**
 * Checks a txlist against its declared hash and the size cap (p2p.md 4.1 rule 4).
 *
 * @param gossip The txlist message.
 * @param verifiedTxListHash `keccak256(gossip.txlist)` as the caller already computed it from
 *   these exact bytes (for example at the RPC boundary); given, the txlist is not hashed again and
 *   this hash is compared with the declared one instead. Omit it when the bytes were not hashed.
 * @returns The failure, or `null`.
 */
export function validateTxList(gossip: RawTxListGossip, verifiedTxListHash?: Hash): InvalidCommitment | null {
  if (gossip.txlist.length > MAX_TXLIST_BYTES) {
    return fail(
      "InvalidTxList",
      "reject",
      `Txlist has ${gossip.txlist.length} bytes, the limit is ${MAX_TXLIST_BYTES}`,
    );
  }
  const actual = verifiedTxListHash?.toLowerCase() ?? keccak256Hex(gossip.txlist);
  if (actual !== gossip.rawTxListHash) {
    return fail("InvalidTxList", "reject", `Txlist hashes to ${actual}, declared ${gossip.rawTxListHash}`);
  }
  return null;
}
