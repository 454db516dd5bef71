/**
 * Preconfirmation ingress: a bounded queue drained by one worker under the production lock.
 *
 * Rules (spec/driver.md 3.5 and lessons E-1, E-3, E-5, S-1..S-4, V-8):
 * - the gate is opened and closed only by the event loop; while it is closed every submission and
 *   every queued job answers NotReady;
 * - a block at or below the confirmed tip is Stale, checked before enqueue and again under the lock;
 * - each job carries the parent hash the caller validated (or the one observed at submission) and
 *   is refused when the engine's block at n-1 differs;
 * - a caller's deadline or abort removes its job while it is still waiting, so a retry can never
 *   land a sibling; a job that already started runs to the end (never cancelled mid-injection);
 * - a payload already in the engine answers AlreadyMaterialized without any engine call.
 *
 * @module
 */
import type { Hash } from "../hex.ts";
import { BoundedQueue } from "../../internal/bounded_queue.ts";
import { Watch } from "../../internal/watch.ts";
import { DriverError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import type { DriverMetrics } from "../metrics.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import type { L2BlockHeader, TaikoPayloadAttributes } from "../shasta/types.ts";
import type { EngineWriteLock } from "./engine_writer.ts";
import { findMaterializedBlock } from "./preconf_match.ts";

/** Jobs the ingress queue holds at most; a submission beyond it is refused (overflow policy: reject newest). */
export const DEFAULT_PRECONF_QUEUE_CAPACITY = 1024;
/** How long a submission may wait for its job to start, in milliseconds (lesson S-2: longer than a proposal's tail). */
export const DEFAULT_PRECONF_SUBMIT_TIMEOUT_MS = 24_000;

/** The explicit result of a preconfirmation submission (lesson S-4). */
export type PreconfSubmissionOutcome =
  /** The payload was built and imported; `block` is the new head. */
  | { readonly kind: "Inserted"; readonly block: L2BlockHeader }
  /** The engine already had exactly this block on this parent; nothing was sent to the engine. */
  | { readonly kind: "AlreadyMaterialized"; readonly block: L2BlockHeader }
  /** The block is at or below the L1-confirmed tip; nothing was sent to the engine. */
  | { readonly kind: "Stale"; readonly confirmedTip: bigint }
  /** Ingress is closed (not caught up with L1, or the L1 connection is down); retry later. */
  | { readonly kind: "NotReady" };

/** Options of one submission. */
export interface SubmitPreconfirmationOptions {
  /**
   * Hash of block n-1 the caller validated the payload against; when absent, the hash observed at
   * submission is bound into the job.
   * @default {undefined}
   */
  readonly parentHash?: Hash;
  /**
   * Abandons the job if it has not started; a started job still finishes.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
  /**
   * How long the job may wait to start, in milliseconds.
   * @default {DEFAULT_PRECONF_SUBMIT_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
}

/** What the ingress needs. */
export interface PreconfIngressDeps {
  /** Public L2 reads (parent lookup, materialization check). */
  readonly l2: L2Client;
  /** The production lock shared with the L1 path. */
  readonly lock: EngineWriteLock;
  /** Builds and imports one payload on `parentHash` (strict statuses); returns the new block. */
  readonly insert: (attrs: TaikoPayloadAttributes, parentHash: Hash) => Promise<L2BlockHeader>;
  /** The highest L2 block confirmed by L1, or `null` while unknown. */
  readonly confirmedTip: () => bigint | null;
  /** Metrics, or `null`. */
  readonly metrics: DriverMetrics | null;
}

/** Tuning of {@linkcode PreconfIngress}. */
export interface PreconfIngressOptions {
  /**
   * Queue capacity.
   * @default {DEFAULT_PRECONF_QUEUE_CAPACITY}
   */
  readonly capacity?: number;
  /**
   * Default submission deadline, in milliseconds.
   * @default {DEFAULT_PRECONF_SUBMIT_TIMEOUT_MS}
   */
  readonly submitTimeoutMs?: number;
}

type JobState = "queued" | "running" | "done" | "abandoned";

interface Job {
  readonly attrs: TaikoPayloadAttributes;
  readonly parentHash: Hash;
  state: JobState;
  readonly resolve: (outcome: PreconfSubmissionOutcome) => void;
  readonly reject: (error: unknown) => void;
  readonly settled: Promise<PreconfSubmissionOutcome>;
}

const NOT_READY: PreconfSubmissionOutcome = Object.freeze({ kind: "NotReady" });
const log = driverLogger("ingress");

/** The preconfirmation ingress queue, gate and worker. */
export class PreconfIngress {
  readonly #deps: PreconfIngressDeps;
  readonly #queue: BoundedQueue<Job>;
  readonly #submitTimeoutMs: number;
  readonly #gate = new Watch(false);

  /**
   * @param deps L2 reads, the production lock, the insert function, the tip and metrics.
   * @param options Capacity and default deadline.
   * @throws {RangeError} When the capacity or the deadline is not positive.
   */
  constructor(deps: PreconfIngressDeps, options: PreconfIngressOptions = {}) {
    const submitTimeoutMs = options.submitTimeoutMs ?? DEFAULT_PRECONF_SUBMIT_TIMEOUT_MS;
    if (!(submitTimeoutMs > 0)) {
      throw new RangeError(
        `Cannot create preconfirmation ingress: submitTimeoutMs must be > 0, got ${submitTimeoutMs}`,
      );
    }
    this.#deps = deps;
    this.#submitTimeoutMs = submitTimeoutMs;
    this.#queue = new BoundedQueue<Job>({ capacity: options.capacity ?? DEFAULT_PRECONF_QUEUE_CAPACITY });
  }

  /** Whether submissions are accepted now. */
  get isOpen(): boolean {
    return this.#gate.value;
  }

  /** Jobs waiting in the queue. */
  get queueDepth(): number {
    return this.#queue.size;
  }

  /** Opens the gate (called only by the event loop once confirmed sync is ready). */
  open(): void {
    if (this.#gate.value) return;
    this.#gate.set(true);
    log.info("preconfirmation ingress open {queueCapacity}", { queueCapacity: this.#queue.capacity });
  }

  /**
   * Closes the gate: the state flips first, then every queued job answers NotReady (lesson E-5).
   * A job that is already running finishes.
   */
  close(): void {
    if (this.#gate.value) {
      this.#gate.set(false);
      log.info("preconfirmation ingress closed");
    }
    for (let job = this.#queue.poll(); job !== undefined; job = this.#queue.poll()) {
      this.#finish(job, NOT_READY);
    }
    this.#deps.metrics?.preconf.queueDepth.set(0);
  }

  /**
   * Resolves once the gate is open.
   *
   * @param options Aborts the wait.
   * @returns `true`.
   * @throws `signal.reason` when the signal aborts first.
   */
  async waitOpen(options: { signal?: AbortSignal } = {}): Promise<true> {
    while (!this.#gate.value) await this.#gate.changed(options);
    return true;
  }

  /**
   * Submits one payload.
   *
   * @param attrs The payload; its height is `l1Origin.blockId`.
   * @param options Parent hash, signal and deadline.
   * @returns Inserted, AlreadyMaterialized, Stale or NotReady.
   * @throws {TypeError} When the payload is not a preconfirmation (height 0 or an L1 height set).
   * @throws {DriverError} `PreconfQueueFull`, `PreconfSubmissionTimeout` (the job never started),
   *   `PreconfParentMismatch` (n-1 missing or different), `PreconfInjectionFailed` (engine failure).
   * @throws `signal.reason` when the caller aborts (a started job still finishes).
   */
  async submit(
    attrs: TaikoPayloadAttributes,
    options: SubmitPreconfirmationOptions = {},
  ): Promise<PreconfSubmissionOutcome> {
    const height = attrs.l1Origin.blockId;
    if (height < 1n) {
      throw new TypeError(`Cannot submit preconfirmation: block id must be >= 1, got ${height}`);
    }
    if (attrs.l1Origin.l1BlockHeight !== null && attrs.l1Origin.l1BlockHeight !== 0n) {
      throw new TypeError(
        `Cannot submit preconfirmation for block ${height}: its L1 origin names L1 block ${attrs.l1Origin.l1BlockHeight}, expected none`,
      );
    }
    options.signal?.throwIfAborted();
    const early = this.#gateVerdict(height);
    if (early !== null) return early;
    const parentHash = options.parentHash ?? await this.#observedParent(height);

    let resolve!: (outcome: PreconfSubmissionOutcome) => void;
    let reject!: (error: unknown) => void;
    const settled = new Promise<PreconfSubmissionOutcome>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = { attrs, parentHash, state: "queued", resolve, reject, settled };
    if (!this.#queue.push(job)) {
      this.#deps.metrics?.preconf.enqueueFailures.inc();
      throw new DriverError(
        "PreconfQueueFull",
        `Cannot queue preconfirmation for block ${height}: ${this.#queue.capacity} jobs are waiting, retry later`,
        { context: { blockNumber: height } },
      );
    }
    this.#deps.metrics?.preconf.queueDepth.set(this.#queue.size);
    return await this.#await(job, options.signal, options.timeoutMs ?? this.#submitTimeoutMs);
  }

  /**
   * Drains the queue, one job at a time under the production lock, until the signal aborts; a job
   * in progress finishes first.
   *
   * @param signal Stops the worker.
   * @returns When stopped.
   */
  async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      let job: Job;
      try {
        job = await this.#queue.take({ signal });
      } catch {
        return;
      }
      this.#deps.metrics?.preconf.queueDepth.set(this.#queue.size);
      if (job.state !== "queued") continue;
      await this.#deps.lock.runExclusive(() => this.#runJob(job));
    }
  }

  /** Answers every job still queued with NotReady and refuses new ones (on stop). */
  shutdown(): void {
    this.close();
    this.#queue.close();
  }

  #gateVerdict(height: bigint): PreconfSubmissionOutcome | null {
    const tip = this.#deps.confirmedTip();
    if (!this.#gate.value || tip === null) {
      this.#deps.metrics?.preconf.notReady.inc();
      return NOT_READY;
    }
    if (height <= tip) {
      this.#deps.metrics?.preconf.stale.inc();
      return { kind: "Stale", confirmedTip: tip };
    }
    return null;
  }

  async #observedParent(height: bigint): Promise<Hash> {
    const parent = await this.#lookupParent(height);
    if (parent === null) {
      throw new DriverError(
        "PreconfParentMismatch",
        `Cannot submit preconfirmation for block ${height}: parent block ${height - 1n} is not in the engine`,
        { context: { blockNumber: height } },
      );
    }
    return parent.hash;
  }

  async #lookupParent(height: bigint): Promise<L2BlockHeader | null> {
    const started = performance.now();
    try {
      return await this.#deps.l2.blockByNumber(height - 1n);
    } catch (error) {
      this.#deps.metrics?.preconf.parentHashLookupFailures.inc();
      throw error;
    } finally {
      this.#deps.metrics?.preconf.parentHashLookupDuration.observe((performance.now() - started) / 1000);
    }
  }

  #await(job: Job, signal: AbortSignal | undefined, timeoutMs: number): Promise<PreconfSubmissionOutcome> {
    const height = job.attrs.l1Origin.blockId;
    return new Promise<PreconfSubmissionOutcome>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const onTimeout = () => {
        if (!this.#abandon(job)) return;
        cleanup();
        this.#deps.metrics?.preconf.enqueueTimeouts.inc();
        reject(
          new DriverError(
            "PreconfSubmissionTimeout",
            `Cannot submit preconfirmation for block ${height}: the job did not start within ${timeoutMs} ms and was dropped, retry`,
            { context: { blockNumber: height } },
          ),
        );
      };
      const onAbort = () => {
        // A running job is never cancelled: the caller leaves, the injection completes.
        if (this.#abandon(job)) this.#deps.metrics?.preconf.enqueueTimeouts.inc();
        cleanup();
        reject(signal?.reason);
      };
      const timer = setTimeout(onTimeout, timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      job.settled.then(
        (outcome) => {
          cleanup();
          resolve(outcome);
        },
        (error) => {
          cleanup();
          reject(error);
        },
      );
    });
  }

  /** Drops a job that has not started; returns whether it was dropped. */
  #abandon(job: Job): boolean {
    if (job.state !== "queued") return false;
    job.state = "abandoned";
    this.#queue.removeWhere((queued) => queued === job);
    this.#deps.metrics?.preconf.queueDepth.set(this.#queue.size);
    // Nobody awaits an abandoned job's promise; keep it from reporting an unhandled rejection.
    job.settled.catch(() => {});
    return true;
  }

  #finish(job: Job, outcome: PreconfSubmissionOutcome): void {
    if (job.state === "done") return;
    job.state = "done";
    job.resolve(outcome);
  }

  async #runJob(job: Job): Promise<void> {
    if (job.state !== "queued") return;
    job.state = "running";
    const started = performance.now();
    const height = job.attrs.l1Origin.blockId;
    try {
      const outcome = await this.#produce(job);
      this.#deps.metrics?.preconf.injectionSuccess.inc();
      if (outcome.kind === "Inserted") {
        log.info("preconfirmation payload injected {blockNumber} {blockHash} {payloadId}", {
          blockNumber: height,
          blockHash: outcome.block.hash,
          payloadId: job.attrs.l1Origin.buildPayloadArgsId,
          durationSecs: (performance.now() - started) / 1000,
        });
      }
      job.state = "done";
      job.resolve(outcome);
    } catch (error) {
      this.#deps.metrics?.preconf.injectionFailures.inc();
      log.error("preconfirmation processing failed {blockNumber} {reason}", {
        blockNumber: height,
        reason: error instanceof Error ? error.message : String(error),
      });
      job.state = "done";
      job.reject(error);
    } finally {
      this.#deps.metrics?.preconf.injectionDuration.observe((performance.now() - started) / 1000);
    }
  }

  async #produce(job: Job): Promise<PreconfSubmissionOutcome> {
    const height = job.attrs.l1Origin.blockId;
    // [E-5] The gate may have closed while the job waited; [E-1] the tip may have moved past it.
    const verdict = this.#gateVerdict(height);
    if (verdict !== null) return verdict;
    // [S-4] Build only on the parent the caller validated.
    const parent = await this.#lookupParent(height);
    if (parent === null || parent.hash.toLowerCase() !== job.parentHash.toLowerCase()) {
      this.#deps.metrics?.preconf.parentHashLookupFailures.inc();
      throw new DriverError(
        "PreconfParentMismatch",
        `Cannot inject preconfirmation for block ${height}: the engine's block ${height - 1n} is ${
          parent === null ? "missing" : `"${parent.hash}"`
        }, the job expects "${job.parentHash}"`,
        { context: { blockNumber: height } },
      );
    }
    // [S-1] A retry of a payload that already landed must not touch the engine. When the parent is
    // the head this driver set last, the engine has no block at this height: nothing to look up.
    const head = this.#deps.l2.recentHeaders?.head() ?? null;
    const onOwnHead = head !== null && head.number === height - 1n && head.hash === parent.hash.toLowerCase();
    const existing = onOwnHead ? null : await findMaterializedBlock(this.#deps.l2, job.attrs, job.parentHash);
    if (existing !== null) {
      this.#deps.metrics?.preconf.alreadyMaterialized.inc();
      return { kind: "AlreadyMaterialized", block: existing };
    }
    try {
      const block = await this.#deps.insert(job.attrs, job.parentHash);
      return { kind: "Inserted", block };
    } catch (cause) {
      throw new DriverError(
        "PreconfInjectionFailed",
        `Cannot inject preconfirmation for block ${height}: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
        { cause, context: { blockNumber: height } },
      );
    }
  }
}
