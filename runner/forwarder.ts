/**
 * The forwarder between the event syncer and the preconfirmation node (step 5): the node's
 * validated blocks go to `submitPreconfirmationPayload`, and the proposal state (canonical proposal
 * id from the syncer, preconf tip from L2's latest head) goes back to the node. A failure to read
 * the L2 latest head ends `run()` with that error, which stops the runner.
 *
 * @module
 */
import type { TaikoPayloadAttributes } from "../driver/mod.ts";
import { Watch } from "../internal/watch.ts";
import { runnerLogger } from "./log.ts";
import type {
  PreconfDriver,
  PreconfSubmissionOutcome,
  PreconfSubmitOptions,
  ProposalState,
  ProposalStateReader,
  RunnerEventSyncer,
} from "./parts.ts";
import { type LatestL2BlockReader, resolvePreconfTipFromL2 } from "./preconf_tip.ts";

const log = runnerLogger("forwarder");

/** What the forwarder needs. */
export interface PreconfForwarderDeps {
  /** The event syncer the blocks go to and the proposal id comes from. */
  readonly syncer: RunnerEventSyncer;
  /** L2, for the preconf tip. */
  readonly l2: LatestL2BlockReader;
}

/** Forwards blocks to the syncer and publishes the proposal state to the node. */
export class PreconfForwarder implements PreconfDriver {
  readonly #syncer: RunnerEventSyncer;
  readonly #l2: LatestL2BlockReader;
  readonly #state: Watch<ProposalState>;
  /** Bumped whenever the state may have changed; the publisher coalesces bursts into one read. */
  readonly #dirty = new Watch<number>(0);

  /**
   * @param deps The syncer and L2.
   * @param initial The state published before `run()` starts (see {@linkcode PreconfForwarder.create}).
   */
  private constructor(deps: PreconfForwarderDeps, initial: ProposalState) {
    this.#syncer = deps.syncer;
    this.#l2 = deps.l2;
    this.#state = new Watch(initial);
  }

  /**
   * Reads the first proposal state and returns a forwarder that publishes it.
   *
   * @param deps The syncer and L2.
   * @returns The forwarder.
   * @throws {RunnerError} kind `MissingL2LatestHead` or `L2LatestHeadQuery` when L2 has no latest head.
   */
  static async create(deps: PreconfForwarderDeps): Promise<PreconfForwarder> {
    const preconfTip = await resolvePreconfTipFromL2(deps.l2);
    return new PreconfForwarder(deps, {
      canonicalProposalId: deps.syncer.lastCanonicalProposalId,
      preconfTip,
    });
  }

  /** The latest proposal state, for the node. */
  get proposalState(): ProposalStateReader {
    return this.#state;
  }

  /** The last proposal id the syncer applied from L1. */
  get lastCanonicalProposalId(): bigint {
    return this.#syncer.lastCanonicalProposalId;
  }

  /** The highest L2 block confirmed by L1. */
  get confirmedTip(): bigint {
    return this.#syncer.confirmedTip;
  }

  /**
   * Submits a block to the event syncer and, when it changed the chain, republishes the state.
   *
   * @param attrs The block's payload attributes.
   * @param options Parent binding, signal and deadline.
   * @returns The syncer's outcome.
   * @throws {DriverError} whatever the syncer throws.
   */
  async submitPreconfirmationPayload(
    attrs: TaikoPayloadAttributes,
    options?: PreconfSubmitOptions,
  ): Promise<PreconfSubmissionOutcome> {
    const outcome = await this.#syncer.submitPreconfirmationPayload(attrs, options);
    if (outcome.kind === "Inserted" || outcome.kind === "AlreadyMaterialized") this.#markDirty();
    return outcome;
  }

  /**
   * Republishes the proposal state whenever the canonical proposal id changes or a submission
   * lands, until the signal aborts.
   *
   * @param signal Stops the forwarder.
   * @returns When the signal aborts.
   * @throws {RunnerError} kind `MissingL2LatestHead` or `L2LatestHeadQuery` when L2's latest head
   *   cannot be read; whatever the syncer's id subscription throws.
   */
  async run(signal: AbortSignal): Promise<void> {
    const inner = new AbortController();
    const stop = AbortSignal.any([signal, inner.signal]);
    const follow = this.#followProposalIds(stop);
    // The subscription ending is harmless (submissions still republish); only its failure ends the run.
    const followFailed = new Promise<never>((_, reject) => void follow.catch(reject));
    try {
      await Promise.race([this.#publishLoop(stop), followFailed]);
    } finally {
      inner.abort();
      await follow.catch(() => {});
    }
  }

  async #followProposalIds(signal: AbortSignal): Promise<void> {
    for await (const id of this.#syncer.canonicalProposalIdChanges({ signal })) {
      if (signal.aborted) return;
      log.debug("Canonical proposal id changed to {proposalId}", { proposalId: id });
      this.#markDirty();
    }
  }

  async #publishLoop(signal: AbortSignal): Promise<void> {
    let seen = this.#dirty.version;
    while (!signal.aborted) {
      try {
        await this.#dirty.changed({ sinceVersion: seen, signal });
      } catch {
        return;
      }
      seen = this.#dirty.version;
      const preconfTip = await resolvePreconfTipFromL2(this.#l2);
      const canonicalProposalId = this.#syncer.lastCanonicalProposalId;
      const current = this.#state.value;
      if (current.preconfTip === preconfTip && current.canonicalProposalId === canonicalProposalId) continue;
      this.#state.set({ canonicalProposalId, preconfTip });
      log.debug("Published proposal state: proposal {proposalId}, preconf tip {blockNumber}", {
        proposalId: canonicalProposalId,
        blockNumber: preconfTip,
      });
    }
  }

  #markDirty(): void {
    this.#dirty.set(this.#dirty.value + 1);
  }
}
