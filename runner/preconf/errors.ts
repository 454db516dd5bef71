/**
 * The preconfirmation client's error class. Callers switch on `kind` (and, for validation
 * failures, on `reason`), never on message text.
 *
 * @module
 */

/** What went wrong in the preconfirmation client, as a closed set. */
export type PreconfErrorKind =
  /** A commitment or txlist failed a validation guard; `reason` and `action` say which and what to do. */
  | "Validation"
  /** A txlist does not decode (zlib, size cap or RLP); `reason` names the step. */
  | "TxListCodec"
  /** The lookahead cannot answer for this timestamp (before genesis, too old or too new). */
  | "LookaheadOutOfRange"
  /** The lookahead for this timestamp is not known yet (not indexed, or L1 unreachable); retry later. */
  | "LookaheadNotYetKnown"
  /** An L1 read of the lookahead contracts or the beacon genesis failed. */
  | "LookaheadRpc"
  /** Building the engine payload failed (missing parent block, value out of range). */
  | "PayloadBuild"
  /** The driver refused or failed a submission. */
  | "Driver"
  /** A P2P request or publish failed. */
  | "Network"
  /** A configuration value is unusable. */
  | "Config";

/** Why a commitment was refused, one value per validation guard (see `validation.ts`). */
export type ValidationReason =
  /** At or below the L1-confirmed tip (lesson V-8). */
  | "Stale"
  /** The bytes are not a 382-byte SSZ SignedCommitment. */
  | "InvalidSsz"
  /** No signer can be recovered from the signature. */
  | "InvalidSignature"
  /** The commitment names another slasher contract (lesson V-3). */
  | "SlasherMismatch"
  /** A non-EOP commitment has a zero txlist hash, or a block follows an EOP in its window (V-6). */
  | "InvalidEop"
  /** The lookahead for the block's timestamp is not known yet: buffered, not penalised. */
  | "LookaheadNotYetKnown"
  /** The lookahead cannot answer for this timestamp (clock skew or long downtime): dropped, not penalised. */
  | "LookaheadOutOfRange"
  /** The recovered signer is not the elected preconfer for the timestamp. */
  | "SignerMismatch"
  /** `submissionWindowEnd` differs from the elected slot's. */
  | "SubmissionWindowMismatch"
  /** `parentPreconfirmationHash` does not match the stored parent commitment (lesson V-1). */
  | "ParentHashMismatch"
  /** The parent block is neither stored nor executed yet: buffered until it is. */
  | "AwaitingParent"
  /** The block number does not follow the parent's. */
  | "BlockNumberMismatch"
  /** The timestamp breaks the derivation bounds (V-4). */
  | "TimestampOutOfBounds"
  /** The gas limit breaks the derivation bounds (V-4). */
  | "GasLimitOutOfBounds"
  /** The anchor block number breaks the derivation bounds (V-4). */
  | "AnchorOutOfBounds"
  /** The proposal id breaks the derivation rules or exceeds uint48 (V-4). */
  | "ProposalIdOutOfBounds"
  /** Another commitment for this block is already accepted: the first is kept. */
  | "Equivocation"
  /** The same commitment was already accepted. */
  | "Duplicate"
  /** A txlist is larger than the cap or does not hash to its declared hash. */
  | "InvalidTxList";

/** What the caller does with a refused message: ignore drops it quietly, reject also penalises the peer. */
export type ValidationAction = "ignore" | "reject";

/** Context fields a preconfirmation error may carry. */
export interface PreconfErrorContext {
  /** The L2 block concerned. */
  readonly blockNumber?: bigint;
  /** The L2 timestamp concerned. */
  readonly timestamp?: bigint;
  /** Which guard or decoding step failed. */
  readonly reason?: ValidationReason | TxListCodecReason;
  /** What to do with the message that failed. */
  readonly action?: ValidationAction;
  /** The peer it came from. */
  readonly peer?: string;
}

/** Which step of txlist decoding failed. */
export type TxListCodecReason =
  /** More compressed bytes than `MAX_TXLIST_BYTES`. */
  | "CompressedTooLarge"
  /** Inflates past the cap (a decompression bomb). */
  | "InflatedTooLarge"
  /** Not a zlib stream, or a truncated one. */
  | "ZlibDecode"
  /** Not an RLP list of well-formed transactions, or trailing bytes after it. */
  | "RlpDecode";

/** An error raised by the preconfirmation client. */
export class PreconfError extends Error {
  /** What went wrong. */
  readonly kind: PreconfErrorKind;
  /** Values that identify what failed. */
  readonly context: PreconfErrorContext;

  /**
   * Creates a preconfirmation error.
   *
   * @param kind What went wrong.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause and context.
   */
  constructor(
    kind: PreconfErrorKind,
    message: string,
    options: { cause?: unknown; context?: PreconfErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PreconfError";
    this.kind = kind;
    this.context = options.context ?? {};
  }
}
