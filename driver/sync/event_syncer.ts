/**
 * The EventSyncer (spec/driver.md section 3): resume point, L1 `Proposed` scanning with live
 * follow, per-proposal derivation and insertion, L1 reorg handling, and the preconfirmation ingress
 * the runner submits to, all around one production lock.
 *
 * Generations (lessons E-4, E-5, E-10): any L1 failure ends the current generation; ingress closes
 * at once (also on a WebSocket drop), the loop backs off exponentially and resumes from the last
 * processed block. Ingress reopens only after the scanner is live again and the readiness probe
 * passes (lesson E-3).
 *
 * @module
 */
import { Watch } from "../../internal/watch.ts";
import { applyPayload } from "../engine/apply_payload.ts";
import { DriverError, SyncError } from "../errors.ts";
import type { Hash } from "../hex.ts";
import { driverLogger } from "../log.ts";
import type { DriverMetrics } from "../metrics.ts";
import type { DriverClient } from "../rpc/driver_client.ts";
import { decodeProposedLog } from "../shasta/abi.ts";
import { type ShastaChainConfig, shastaChainConfig } from "../shasta/chain_config.ts";
import type { TaikoPayloadAttributes } from "../shasta/types.ts";
import { EngineWriteLock } from "./engine_writer.ts";
import {
  DEFAULT_L1_POLL_INTERVAL_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  type EventSyncerOptions,
  RECONNECT_BASE_DELAY_MS,
} from "./event_syncer_options.ts";
import {
  PreconfIngress,
  type PreconfSubmissionOutcome,
  type SubmitPreconfirmationOptions,
} from "./ingress.ts";
import { processProposal } from "./proposal_processor.ts";
import { processWithRetries } from "./proposal_retry.ts";
import { probeConfirmedSync } from "./readiness.ts";
import { ProposalScanner, type ScanStep } from "./proposal_scanner.ts";
import { reconcileHeadL1Origin } from "./reorg.ts";
import { resolveResumePoint } from "./resume.ts";
import { isTransientError } from "./retriable.ts";
import { abortableDelay, backoffDelayMs, retry } from "./retry.ts";

const log = driverLogger("sync");

/**
 * Follows L1 and keeps the engine's chain right; the runner's preconfirmation ingress.
 *
 * @example
 * ```ts ignore
 * const client = await createDriverClient(config);
 * const syncer = new EventSyncer({ client, metrics: null }, { preconfirmationEnabled: true });
 * const controller = new AbortController();
 * const running = syncer.run(controller.signal);
 * await syncer.waitPreconfIngressReady();
 * const outcome = await syncer.submitPreconfirmationPayload(attrs, { parentHash });
 * ```
 */
export class EventSyncer {
  readonly #client: DriverClient;
  readonly #metrics: DriverMetrics | null;
  readonly #options: EventSyncerOptions;
  readonly #lock = new EngineWriteLock();
  readonly #proposalId = new Watch(0n);
  readonly #ingress: PreconfIngress | null;
  #confirmedTip: bigint | null = null;
  #skipThrough = 0n;
  #started = false;

  /**
   * Builds a syncer; nothing runs until `run()`.
   *
   * @param deps The driver client and metrics (`null` for none).
   * @param options Ingress, polling, retry and chain settings.
   */
  constructor(
    deps: { client: DriverClient; metrics: DriverMetrics | null },
    options: EventSyncerOptions = {},
  ) {
    this.#client = deps.client;
    this.#metrics = deps.metrics;
    this.#options = options;
    this.#ingress = options.preconfirmationEnabled === true
      ? new PreconfIngress({
        l2: deps.client.l2,
        lock: this.#lock,
        metrics: deps.metrics,
        confirmedTip: () => this.#confirmedTip,
        insert: async (attrs, parentHash) =>
          (await applyPayload({ engine: deps.client.engine, l2: deps.client.l2 }, attrs, parentHash)).block,
      }, {
        ...(options.preconfQueueCapacity === undefined ? {} : { capacity: options.preconfQueueCapacity }),
        ...(options.preconfSubmitTimeoutMs === undefined
          ? {}
          : { submitTimeoutMs: options.preconfSubmitTimeoutMs }),
      })
      : null;
  }

  /** The last proposal id processed from L1 (after a restart: the resume point, not 0). */
  get lastCanonicalProposalId(): bigint {
    return this.#proposalId.value;
  }

  /** The highest L2 block confirmed by L1 (the engine's head L1 origin as the syncer last set or read it). */
  get confirmedTip(): bigint {
    return this.#confirmedTip ?? 0n;
  }

  /**
   * Yields the last canonical proposal id now and after each change (latest value only).
   *
   * @param options Ends the subscription.
   * @returns The id stream.
   */
  canonicalProposalIdChanges(options: { signal?: AbortSignal } = {}): AsyncGenerator<bigint> {
    return this.#proposalId.values(options);
  }

  /**
   * Resolves when preconfirmation ingress is open.
   *
   * @param options Aborts the wait.
   * @returns `true` once open; `null` at once when preconfirmation is disabled.
   * @throws `signal.reason` when the signal aborts first.
   */
  async waitPreconfIngressReady(options: { signal?: AbortSignal } = {}): Promise<true | null> {
    if (this.#ingress === null) return null;
    return await this.#ingress.waitOpen(options);
  }

  /**
   * Submits a preconfirmed block: Stale at or below the confirmed tip, NotReady while ingress is
   * closed, refused when the engine's block n-1 is not `parentHash`, AlreadyMaterialized when the
   * engine already has it, else built and inserted under the production lock.
   *
   * @param attrs The payload; its height is `l1Origin.blockId`.
   * @param options Parent hash, signal and deadline.
   * @returns Inserted, AlreadyMaterialized, Stale or NotReady.
   * @throws {DriverError} `PreconfirmationDisabled`, or the ingress's typed failures.
   */
  submitPreconfirmationPayload(
    attrs: TaikoPayloadAttributes,
    options: SubmitPreconfirmationOptions = {},
  ): Promise<PreconfSubmissionOutcome> {
    if (this.#ingress === null) {
      return Promise.reject(
        new DriverError(
          "PreconfirmationDisabled",
          "Cannot submit preconfirmation: ingress is disabled on this syncer",
        ),
      );
    }
    return this.#ingress.submit(attrs, options);
  }

  /**
   * Runs event sync until the signal aborts.
   *
   * @param signal Stops the syncer.
   * @returns When stopped.
   * @throws {SyncError} On a fatal error (unsupported chain, undecodable log, proven INVALID block,
   *   a proposal failing deterministically).
   * @throws {Error} When called a second time (a syncer runs once).
   */
  async run(signal?: AbortSignal): Promise<void> {
    if (this.#started) throw new Error("Cannot run the event syncer twice: create a new EventSyncer");
    this.#started = true;
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const unsubscribe = this.#client.l1.onDisconnect(() => {
      log.warn("L1 connection lost; closing preconfirmation ingress until caught up again");
      this.#ingress?.close();
    });
    const worker = this.#ingress?.run(stop.signal) ?? Promise.resolve();
    try {
      await this.#sync(stop.signal);
    } catch (error) {
      if (stop.signal.aborted && !(error instanceof SyncError)) return;
      log.error("event syncer stopped {reason}", {
        reason: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      unsubscribe();
      this.#ingress?.shutdown();
      stop.abort();
      await worker;
    }
  }

  async #sync(signal: AbortSignal): Promise<void> {
    const chain = shastaChainConfig(
      this.#client.chainId,
      this.#options.chainOverrides ?? this.#client.chainOverrides ?? {},
    );
    const resume = await retry(
      () => resolveResumePoint({ ...this.#client, inbox: this.#client.inboxAddress }),
      {
        maxAttempts: Infinity,
        isRetriable: (error) => !(error instanceof SyncError),
        maxDelayMs: this.#options.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
        signal,
        onRetry: (error, attempt) =>
          log.warn("cannot compute the resume point; retrying {attempt} {reason}", {
            attempt,
            reason: String(error),
          }),
      },
    );
    log.info("event sync resuming {l1StartBlock} {lastProposalId} {confirmedTip}", { ...resume });
    this.#confirmedTip = resume.confirmedTip;
    this.#skipThrough = resume.lastProposalId;
    this.#setProposalId(resume.lastProposalId);
    const scanner = new ProposalScanner({ l1: this.#client.l1, inbox: this.#client.inboxAddress }, {
      startBlock: resume.l1StartBlock,
      ...(this.#options.logChunkBlocks === undefined ? {} : { chunkBlocks: this.#options.logChunkBlocks }),
    });
    const pollIntervalMs = this.#options.pollIntervalMs ?? DEFAULT_L1_POLL_INTERVAL_MS;
    let failures = 0;
    for (;;) {
      signal.throwIfAborted();
      let step: ScanStep;
      try {
        step = await scanner.next();
        if (step.kind === "reorg") {
          await this.#onReorg(scanner, step.ancestor);
          continue;
        }
        if (step.kind === "live") {
          failures = 0;
          await this.#openIngressWhenReady();
          await abortableDelay(pollIntervalMs, signal);
          continue;
        }
        const result = await this.#processBatch(step, chain, signal);
        if (result === "reorged") {
          await abortableDelay(pollIntervalMs, signal);
          continue;
        }
        scanner.commit(step);
      } catch (error) {
        if (signal.aborted || error instanceof SyncError) throw error;
        failures++;
        this.#metrics?.eventScanner.errors.inc();
        this.#ingress?.close();
        const delay = backoffDelayMs(failures, {
          baseDelayMs: RECONNECT_BASE_DELAY_MS,
          maxDelayMs: this.#options.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
        });
        log.error("L1 scanner generation ended; resuming from block {cursor} in {delayMs} ms {reason}", {
          cursor: scanner.cursor,
          delayMs: delay,
          reason: error instanceof Error ? error.message : String(error),
        });
        await abortableDelay(delay, signal);
      }
    }
  }

  async #processBatch(
    step: Extract<ScanStep, { kind: "batch" }>,
    chain: ShastaChainConfig,
    signal: AbortSignal,
  ): Promise<"done" | "reorged"> {
    if (step.logs.length > 0) this.#metrics?.eventScanner.batches.inc();
    for (const raw of step.logs) {
      const proposal = decodeProposedLog(raw);
      this.#metrics?.event.proposals.inc();
      if (proposal.id === 0n || proposal.id <= this.#skipThrough) {
        this.#metrics?.event.proposalsSkipped.inc();
        continue;
      }
      const deps = {
        ...this.#client,
        inbox: this.#client.inboxAddress,
        chain,
        lock: this.#lock,
        metrics: this.#metrics,
        onHeadL1Origin: (blockId: bigint) => this.#confirmedTip = blockId,
      };
      const result = await processWithRetries(
        { l1: this.#client.l1, metrics: this.#metrics },
        proposal,
        () => processProposal(deps, proposal),
        {
          signal,
          ...(this.#options.proposalRetryBaseMs === undefined
            ? {}
            : { baseDelayMs: this.#options.proposalRetryBaseMs }),
          ...(this.#options.proposalRetryMaxMs === undefined
            ? {}
            : { maxDelayMs: this.#options.proposalRetryMaxMs }),
        },
      );
      if (result.kind === "reorged") return "reorged";
      const { blocks, canonicalHit } = result.outcome;
      this.#setProposalId(proposal.id);
      this.#metrics?.event.derivedBlocks.inc(blocks.length);
      const last = blocks.at(-1);
      log.info(
        "successfully processed proposal into L2 blocks {proposalId} {blockCount} {lastBlock} {lastHash}",
        {
          proposalId: proposal.id,
          blockCount: blocks.length,
          lastBlock: last?.number,
          lastHash: last?.hash,
          canonicalHit,
        },
      );
    }
    return "done";
  }

  async #onReorg(scanner: ProposalScanner, ancestor: { number: bigint; hash: Hash | null }): Promise<void> {
    this.#metrics?.eventScanner.reorgs.inc();
    log.warn("L1 reorg detected; replaying from the common ancestor {ancestor}", {
      ancestor: ancestor.number,
    });
    await this.#lock.runExclusive(async () => {
      try {
        const reconciled = await reconcileHeadL1Origin(
          { l1: this.#client.l1, engine: this.#client.engine, inbox: this.#client.inboxAddress },
          ancestor,
        );
        if (reconciled.headBlockId !== null) this.#confirmedTip = reconciled.headBlockId;
        if (reconciled.lastProposalId < this.#skipThrough) this.#skipThrough = reconciled.lastProposalId;
        this.#setProposalId(reconciled.lastProposalId);
        log.info("head L1 origin reconciled after the reorg {proposalId} {headBlock}", {
          proposalId: reconciled.lastProposalId,
          headBlock: reconciled.headBlockId,
        });
      } catch (error) {
        // [E-8] Tolerated: the replay from the ancestor rewrites the origins anyway.
        if (!isTransientError(error)) throw error;
        log.warn("cannot reconcile the head L1 origin after the reorg {reason}", { reason: String(error) });
      }
    });
    scanner.rewind(ancestor);
  }

  /** [E-3] Opens ingress once confirmed sync is ready; a failed probe is retried on the next poll. */
  async #openIngressWhenReady(): Promise<void> {
    if (this.#ingress === null || this.#ingress.isOpen) return;
    try {
      const tip = await probeConfirmedSync({ ...this.#client, inbox: this.#client.inboxAddress });
      if (tip === null) return;
      this.#confirmedTip = tip;
      this.#ingress.open();
    } catch (error) {
      log.warn("readiness probe failed {reason}", {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #setProposalId(id: bigint): void {
    if (this.#proposalId.value !== id || this.#proposalId.version === 0) this.#proposalId.set(id);
    this.#metrics?.event.lastCanonicalProposalId.set(Number(id));
  }
}
