/**
 * Commitment signature recovery on worker threads, so validation uses every core and the event loop
 * never waits on secp256k1 (issue 7, target 1). The calling thread computes the signing hash (one
 * keccak, microseconds) and queues `digest ‖ r ‖ s ‖ v`; requests are batched per microtask and sent
 * to the least busy worker. The answer is the same as `recoverSigner()`'s: a checksummed address,
 * or `P2pError` `InvalidSignature`.
 *
 * Bound: at most {@linkcode SIGNATURE_POOL_MAX_PENDING} recoveries queued or in flight; beyond it a
 * request is recovered on the calling thread (never dropped, counted in `inlineRecoveries`).
 *
 * A lone request while every worker is idle is recovered on the calling thread too (about 0.3 ms with
 * libsecp256k1-WASM, against about 1 ms for the round trip to a worker: a third of a gossiped block's
 * way to the engine at 10 blocks/s), at most {@linkcode SIGNATURE_POOL_IDLE_INLINE_PER_SECOND} times a
 * second, so a steady trickle of lone messages cannot move the recovery load back onto the loop.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { P2pError } from "../p2p/errors.ts";
import type { SignedCommitment } from "../p2p/wire/commitment.ts";
import {
  DEFAULT_SIGNING_DOMAIN,
  encodedSignedCommitment,
  recoverableSignature,
  signingHashBytes,
} from "../p2p/wire/signing.ts";
import {
  recoverBatch,
  SIGNATURE_RECORD_BYTES,
  type SignatureBatchRequest,
  type SignatureBatchResponse,
  type SignatureWorkerMessage,
} from "./signature_worker.ts";

/** Most recoveries sent to a worker in one message. */
export const SIGNATURE_POOL_BATCH_SIZE = 32;
/** Most recoveries queued or in flight; beyond it requests are recovered on the calling thread. */
export const SIGNATURE_POOL_MAX_PENDING = 4096;

/**
 * Most lone recoveries per second done on the calling thread while the workers are idle (about
 * 30 ms of event-loop time a second at most); beyond it lone requests go to the workers as well.
 */
export const SIGNATURE_POOL_IDLE_INLINE_PER_SECOND = 100;

/** Tuning of a {@linkcode SignaturePool}. */
export interface SignaturePoolOptions {
  /**
   * Worker threads.
   * @default {navigator.hardwareConcurrency}
   */
  readonly workers?: number;
  /**
   * Recoveries per worker message.
   * @default {SIGNATURE_POOL_BATCH_SIZE}
   */
  readonly batchSize?: number;
  /**
   * Recoveries queued or in flight before the calling thread recovers itself.
   * @default {SIGNATURE_POOL_MAX_PENDING}
   */
  readonly maxPending?: number;
  /**
   * Lone recoveries per second done on the calling thread while the workers are idle; 0 sends every
   * request to the workers.
   * @default {SIGNATURE_POOL_IDLE_INLINE_PER_SECOND}
   */
  readonly idleInlinePerSecond?: number;
}

interface Waiter {
  readonly resolve: (signer: Address) => void;
  readonly reject: (error: Error) => void;
  readonly v: number;
}

interface Queued {
  readonly record: Uint8Array;
  readonly waiter: Waiter;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly batches: Map<number, Queued[]>;
  inFlight: number;
  /** Set by the worker's first message; nothing is sent before (it would be lost). */
  ready: boolean;
}

/** A pool of worker threads recovering commitment signers. */
export class SignaturePool {
  readonly #size: number;
  readonly #batchSize: number;
  readonly #maxPending: number;
  #workers: PoolWorker[] = [];
  #queue: Queued[] = [];
  #flushScheduled = false;
  #nextBatchId = 0;
  #pending = 0;
  #inline = 0;
  readonly #idleInlinePerSecond: number;
  #idleInline = 0;
  #idleWindowStartMs = Number.NEGATIVE_INFINITY;
  #idleInlineInWindow = 0;

  /**
   * @param options Worker count, batch size and the pending bound.
   * @throws {RangeError} A count is not a positive integer.
   */
  constructor(options: SignaturePoolOptions = {}) {
    this.#size = positive(options.workers ?? navigator.hardwareConcurrency, "workers");
    this.#batchSize = positive(options.batchSize ?? SIGNATURE_POOL_BATCH_SIZE, "batchSize");
    this.#maxPending = positive(options.maxPending ?? SIGNATURE_POOL_MAX_PENDING, "maxPending");
    const idle = options.idleInlinePerSecond ?? SIGNATURE_POOL_IDLE_INLINE_PER_SECOND;
    if (!Number.isInteger(idle) || idle < 0) {
      throw new RangeError(
        `Cannot create signature pool: idleInlinePerSecond must be a non-negative integer, got ${idle}`,
      );
    }
    this.#idleInlinePerSecond = idle;
  }

  /** Recoveries done on the calling thread because the pool was full or stopped. */
  get inlineRecoveries(): number {
    return this.#inline;
  }

  /** Lone recoveries done on the calling thread because every worker was idle. */
  get idleInlineRecoveries(): number {
    return this.#idleInline;
  }

  /** Whether the workers run. */
  get running(): boolean {
    return this.#workers.length > 0;
  }

  /** Starts the workers (idempotent). */
  start(): void {
    if (this.#workers.length > 0) return;
    for (let i = 0; i < this.#size; i++) {
      const worker = new Worker(new URL("./signature_worker.ts", import.meta.url).href, { type: "module" });
      const entry: PoolWorker = { worker, batches: new Map(), inFlight: 0, ready: false };
      worker.onmessage = (event: MessageEvent<SignatureWorkerMessage>) => {
        if ("ready" in event.data) {
          entry.ready = true;
          this.#flush();
        } else this.#settle(entry, event.data);
      };
      worker.onerror = (event) => {
        // A crashed worker leaves the pool; its batches are recovered here, the others carry on.
        event.preventDefault();
        entry.worker.terminate();
        this.#workers = this.#workers.filter((w) => w !== entry);
        this.#drainWorker(entry);
        // With no worker left (one that fails to load never gets ready), nothing would send the queue.
        if (this.#workers.length === 0) this.#drainQueue();
      };
      this.#workers.push(entry);
    }
  }

  /**
   * Stops the workers. Requests still queued or in flight are recovered on the calling thread, so
   * none is lost. Idempotent.
   */
  stop(): void {
    const workers = this.#workers;
    this.#workers = [];
    for (const entry of workers) {
      entry.worker.terminate();
      this.#drainWorker(entry);
    }
    this.#drainQueue();
  }

  /** Recovers every queued request on the calling thread. */
  #drainQueue(): void {
    const queued = this.#queue.splice(0);
    this.#pending -= queued.length;
    for (const { record, waiter } of queued) this.#recoverInline(record, waiter);
  }

  /**
   * Recovers the address that signed a commitment, like `recoverSigner()` but off the event loop.
   *
   * @param signed The signed commitment.
   * @param domain 32 bytes of hex.
   * @returns The checksummed signer address.
   * @throws {P2pError} kind `InvalidSignature` when v ≥ 4, r or s is out of range, or no key can be
   *   recovered.
   * @throws {TypeError} The domain or the signature is malformed hex of the wrong length.
   */
  recoverSigner(signed: SignedCommitment, domain: Hex = DEFAULT_SIGNING_DOMAIN): Promise<Address> {
    let signature: Uint8Array;
    let digest: Uint8Array;
    try {
      signature = recoverableSignature(signed);
      digest = signingHashBytes(encodedSignedCommitment(signed), domain);
    } catch (error) {
      return Promise.reject(error);
    }
    const v = signature[64] as number;
    const record = new Uint8Array(SIGNATURE_RECORD_BYTES);
    record.set(digest, 0);
    record.set(signature, 32);
    return new Promise<Address>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, v };
      if (this.#workers.length === 0 || this.#pending >= this.#maxPending) {
        this.#recoverInline(record, waiter);
        return;
      }
      this.#pending++;
      this.#queue.push({ record, waiter });
      if (this.#queue.length >= this.#batchSize) this.#flush();
      else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const lone = this.#queue.length === 1 && this.#pending === 1 ? this.#queue[0] : undefined;
    if (lone !== undefined && this.#takeIdleInlineTurn()) {
      this.#queue.length = 0;
      this.#pending = 0;
      this.#idleInline++;
      this.#settleInline(lone.record, lone.waiter);
      return;
    }
    const ready = this.#workers.filter((w) => w.ready);
    while (this.#queue.length > 0 && ready.length > 0) {
      const items = this.#queue.splice(0, this.#batchSize);
      const records = new Uint8Array(items.length * SIGNATURE_RECORD_BYTES);
      items.forEach((item, i) => records.set(item.record, i * SIGNATURE_RECORD_BYTES));
      const target = ready.reduce((best, w) => (w.inFlight < best.inFlight ? w : best));
      const id = this.#nextBatchId++;
      target.batches.set(id, items);
      target.inFlight += items.length;
      const request: SignatureBatchRequest = { id, records };
      target.worker.postMessage(request, [records.buffer]);
    }
  }

  #settle(entry: PoolWorker, response: SignatureBatchResponse): void {
    const items = entry.batches.get(response.id);
    if (items === undefined) return;
    entry.batches.delete(response.id);
    entry.inFlight -= items.length;
    this.#pending -= items.length;
    items.forEach(({ waiter }, i) => {
      const signer = response.signers[i];
      if (signer === null || signer === undefined) waiter.reject(invalidSignature(waiter.v));
      else waiter.resolve(signer);
    });
  }

  /** Recovers a dead or stopped worker's batches on the calling thread, so no request is lost. */
  #drainWorker(entry: PoolWorker): void {
    const batches = [...entry.batches.values()];
    entry.batches.clear();
    entry.inFlight = 0;
    for (const items of batches) {
      this.#pending -= items.length;
      for (const { record, waiter } of items) this.#recoverInline(record, waiter);
    }
  }

  #takeIdleInlineTurn(): boolean {
    const now = performance.now();
    if (now - this.#idleWindowStartMs >= 1000) {
      this.#idleWindowStartMs = now;
      this.#idleInlineInWindow = 0;
    }
    if (this.#idleInlineInWindow >= this.#idleInlinePerSecond) return false;
    this.#idleInlineInWindow++;
    return true;
  }

  #recoverInline(record: Uint8Array, waiter: Waiter): void {
    this.#inline++;
    this.#settleInline(record, waiter);
  }

  #settleInline(record: Uint8Array, waiter: Waiter): void {
    const [signer] = recoverBatch(record);
    if (signer === null || signer === undefined) waiter.reject(invalidSignature(waiter.v));
    else waiter.resolve(signer);
  }
}

function invalidSignature(v: number): P2pError {
  return new P2pError(
    "InvalidSignature",
    `Cannot recover commitment signer: no public key recovers from this signature (v ${v})`,
  );
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot create signature pool: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
