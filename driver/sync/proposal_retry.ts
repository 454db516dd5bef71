/**
 * The retry policy of one proposal (lessons E-6, E-7): transient failures are retried with capped
 * exponential backoff and jitter for as long as they last; a proposal whose L1 block left the
 * canonical chain is handed back to the scanner (which rewinds to the common ancestor); a newPayload
 * INVALID on a log that L1 finalized stops the syncer; any other error stops it after a few attempts
 * instead of stalling silently.
 *
 * @module
 */
import { DriverError, SyncError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import type { DriverMetrics } from "../metrics.ts";
import type { L1Client } from "../rpc/l1_client.ts";
import type { Proposal } from "../shasta/types.ts";
import type { ProposalOutcome } from "./proposal_processor.ts";
import { isTransientError } from "./retriable.ts";
import { abortableDelay, backoffDelayMs } from "./retry.ts";

/** Attempts a proposal gets for an error that is not transient before the syncer stops. */
export const MAX_NON_TRANSIENT_PROPOSAL_ATTEMPTS = 8;
/** Default first retry delay of a proposal, in milliseconds. */
export const DEFAULT_PROPOSAL_RETRY_BASE_MS = 100;
/** Default cap of a proposal's retry delay, in milliseconds (the reference's 12 s). */
export const DEFAULT_PROPOSAL_RETRY_MAX_MS = 12_000;

/** Settings of {@linkcode processWithRetries}. */
export interface ProposalRetryOptions {
  /**
   * First retry delay, in milliseconds.
   * @default {DEFAULT_PROPOSAL_RETRY_BASE_MS}
   */
  readonly baseDelayMs?: number;
  /**
   * Cap of any retry delay, in milliseconds.
   * @default {DEFAULT_PROPOSAL_RETRY_MAX_MS}
   */
  readonly maxDelayMs?: number;
  /**
   * Aborts the retries; the call then rejects with `signal.reason`.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/** A processed proposal, or the news that its L1 block is no longer canonical. */
export type ProposalAttemptResult =
  | { readonly kind: "processed"; readonly outcome: ProposalOutcome }
  | { readonly kind: "reorged" };

const log = driverLogger("sync");

/**
 * Whether an error is the engine's newPayload INVALID verdict (deterministic for a given payload).
 *
 * @param error Anything thrown by the processor.
 * @returns True for a `DriverError` of kind `Engine` from `engine_newPayloadV2` with status INVALID.
 */
export function isInvalidPayloadVerdict(error: unknown): boolean {
  return error instanceof DriverError && error.kind === "Engine" &&
    error.context.method === "engine_newPayloadV2" && error.context.engineStatus === "INVALID";
}

/**
 * Runs `attempt` for one proposal under the policy above.
 *
 * @example
 * ```ts ignore
 * const result = await processWithRetries({ l1, metrics }, proposal, () => processProposal(deps, proposal));
 * ```
 *
 * @param deps The L1 client (canonicality checks) and metrics.
 * @param proposal The proposal being processed.
 * @param attempt One processing attempt.
 * @param options Backoff and signal.
 * @returns The outcome, or `reorged` when the proposal's L1 block is gone.
 * @throws {SyncError} `InvalidCanonicalBlock` on a newPayload INVALID for a finalized log;
 *   `ProposalFailed` after {@linkcode MAX_NON_TRANSIENT_PROPOSAL_ATTEMPTS} non-transient failures;
 *   any `SyncError` the attempt throws; `signal.reason` on abort.
 */
export async function processWithRetries(
  deps: { readonly l1: L1Client; readonly metrics: DriverMetrics | null },
  proposal: Proposal,
  attempt: () => Promise<ProposalOutcome>,
  options: ProposalRetryOptions = {},
): Promise<ProposalAttemptResult> {
  const backoff = {
    baseDelayMs: options.baseDelayMs ?? DEFAULT_PROPOSAL_RETRY_BASE_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_PROPOSAL_RETRY_MAX_MS,
  };
  let nonTransient = 0;
  for (let count = 1;; count++) {
    options.signal?.throwIfAborted();
    let failure: unknown;
    try {
      return { kind: "processed", outcome: await attempt() };
    } catch (error) {
      failure = error;
    }
    if (options.signal?.aborted) throw options.signal.reason;
    if (failure instanceof SyncError) throw failure;
    const canonical = await logCanonicality(deps.l1, proposal);
    if (canonical === "orphaned") {
      log.warn("proposal's L1 block left the canonical chain; rescanning {proposalId} {l1Block}", {
        proposalId: proposal.id,
        l1Block: proposal.l1BlockNumber,
      });
      return { kind: "reorged" };
    }
    if (isInvalidPayloadVerdict(failure)) {
      if (canonical === "final") {
        throw new SyncError(
          "InvalidCanonicalBlock",
          `Cannot derive proposal ${proposal.id}: the engine rejected its block as INVALID although L1 finalized block ${proposal.l1BlockNumber}, check the engine and the derivation rules`,
          { cause: failure, context: { proposalId: proposal.id, blockNumber: proposal.l1BlockNumber } },
        );
      }
    } else if (!isTransientError(failure)) {
      nonTransient++;
      if (nonTransient >= MAX_NON_TRANSIENT_PROPOSAL_ATTEMPTS) {
        throw new SyncError(
          "ProposalFailed",
          `Cannot derive proposal ${proposal.id}: ${
            describe(failure)
          } (${nonTransient} attempts), stopping instead of retrying forever`,
          { cause: failure, context: { proposalId: proposal.id, blockNumber: proposal.l1BlockNumber } },
        );
      }
    }
    const delay = backoffDelayMs(count, backoff);
    deps.metrics?.event.proposalRetries.inc();
    log.warn("proposal derivation failed; retrying {proposalId} {attempt} {delayMs} {reason}", {
      proposalId: proposal.id,
      attempt: count,
      delayMs: delay,
      reason: describe(failure),
    });
    await abortableDelay(delay, options.signal);
  }
}

/**
 * Where the proposal's L1 block stands: `final` (canonical and finalized), `canonical`, `orphaned`
 * (another block holds its height, or the chain is shorter), or `unknown` (L1 did not answer).
 */
async function logCanonicality(
  l1: L1Client,
  proposal: Proposal,
): Promise<"final" | "canonical" | "orphaned" | "unknown"> {
  try {
    const [atHeight, finalized, head] = await Promise.all([
      l1.blockByNumber(proposal.l1BlockNumber),
      l1.blockByNumber("finalized"),
      l1.headNumber(),
    ]);
    if (atHeight === null) return head < proposal.l1BlockNumber ? "orphaned" : "unknown";
    if (atHeight.hash.toLowerCase() !== proposal.l1BlockHash.toLowerCase()) return "orphaned";
    return finalized !== null && finalized.number >= proposal.l1BlockNumber ? "final" : "canonical";
  } catch {
    return "unknown";
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
