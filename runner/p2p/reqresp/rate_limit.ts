/**
 * Per-(peer, protocol) rate limits: token buckets for inbound requests and a sliding-window pacer
 * for our own requests (which must stay below the Rust responder's 8 per 10 s). Both maps are
 * bounded; idle keys are evicted first.
 *
 * @module
 */
import { P2pError } from "../errors.ts";
import type { ReqRespKind, SlidingWindowLimit, TokenBucketLimit } from "./protocols.ts";

/** Most (peer, protocol) keys a limiter tracks; beyond it the least recently used key is evicted. */
export const MAX_RATE_LIMIT_KEYS = 4096;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets for inbound requests, one per (peer, protocol). */
export class InboundRateLimiter {
  readonly #limits: Record<ReqRespKind, TokenBucketLimit>;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  /**
   * @param limits The bucket of each protocol.
   * @param options The clock and the key bound.
   */
  constructor(
    limits: Record<ReqRespKind, TokenBucketLimit>,
    options: { now?: () => number; maxKeys?: number } = {},
  ) {
    for (const [kind, limit] of Object.entries(limits)) {
      if (!(limit.burst >= 1) || !(limit.refillPerSecond > 0)) {
        throw new RangeError(
          `Cannot create rate limiter: "${kind}" needs burst >= 1 and refillPerSecond > 0`,
        );
      }
    }
    this.#limits = limits;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? MAX_RATE_LIMIT_KEYS;
  }

  /**
   * Takes one token for this request if there is one.
   *
   * @param peer The requesting peer.
   * @param kind The protocol.
   * @returns Whether the request may be served.
   */
  tryConsume(peer: string, kind: ReqRespKind): boolean {
    const limit = this.#limits[kind];
    const key = `${kind}/${peer}`;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
      bucket = { tokens: limit.burst, updatedAt: now };
    } else {
      this.#buckets.delete(key);
      const refilled = ((now - bucket.updatedAt) / 1000) * limit.refillPerSecond;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + refilled);
      bucket.updatedAt = now;
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** How many keys are tracked. */
  get size(): number {
    return this.#buckets.size;
  }
}

/** Paces our own requests: at most `maxRequests` per (peer, protocol) in any window. */
export class OutboundPacer {
  readonly #limits: Record<ReqRespKind, SlidingWindowLimit>;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #sent = new Map<string, number[]>();

  /**
   * @param limits The window of each protocol.
   * @param options The clock and the key bound.
   */
  constructor(
    limits: Record<ReqRespKind, SlidingWindowLimit>,
    options: { now?: () => number; maxKeys?: number } = {},
  ) {
    for (const [kind, limit] of Object.entries(limits)) {
      if (!(limit.maxRequests >= 1) || !(limit.windowMs > 0)) {
        throw new RangeError(`Cannot create pacer: "${kind}" needs maxRequests >= 1 and windowMs > 0`);
      }
    }
    this.#limits = limits;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? MAX_RATE_LIMIT_KEYS;
  }

  /**
   * How long the next request must wait, in milliseconds (0: it may go now).
   *
   * @param peer The peer to ask.
   * @param kind The protocol.
   * @returns The wait.
   */
  delayMs(peer: string, kind: ReqRespKind): number {
    const limit = this.#limits[kind];
    const sent = this.#window(`${kind}/${peer}`, limit);
    if (sent.length < limit.maxRequests) return 0;
    return (sent[0] as number) + limit.windowMs - this.#now();
  }

  /**
   * Waits for a free slot, then records the request.
   *
   * @param peer The peer to ask.
   * @param kind The protocol.
   * @param signal Abandons the wait.
   * @throws `signal.reason` when aborted first.
   */
  async acquire(peer: string, kind: ReqRespKind, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const wait = this.delayMs(peer, kind);
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    const key = `${kind}/${peer}`;
    const sent = this.#sent.get(key) ?? [];
    this.#sent.delete(key);
    if (this.#sent.size >= this.#maxKeys) {
      const oldest = this.#sent.keys().next().value;
      if (oldest !== undefined) this.#sent.delete(oldest);
    }
    sent.push(this.#now());
    this.#sent.set(key, sent);
  }

  #window(key: string, limit: SlidingWindowLimit): number[] {
    const sent = this.#sent.get(key);
    if (sent === undefined) return [];
    const cutoff = this.#now() - limit.windowMs;
    while (sent.length > 0 && (sent[0] as number) <= cutoff) sent.shift();
    if (sent.length === 0) this.#sent.delete(key);
    return sent;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new P2pError("Stopped", "Cannot send request: it was cancelled"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
