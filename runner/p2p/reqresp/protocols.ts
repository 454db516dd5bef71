/**
 * Request/response protocol ids, frame caps (p2p.md section 6) and the per-protocol rate limits,
 * in one table with a rationale per row.
 *
 * @module
 */

/** A request/response protocol, as a closed set (also the metric label `kind`). */
export type ReqRespKind = "head" | "commitments" | "raw_txlists";

/** Every request/response kind, in a fixed order. */
export const REQRESP_KINDS: readonly ReqRespKind[] = ["head", "commitments", "raw_txlists"];

const PROTOCOL_SUFFIX: Record<ReqRespKind, string> = {
  head: "get_head",
  commitments: "get_commitments_by_number",
  raw_txlists: "get_raw_txlist",
};

/**
 * The multistream protocol id of one kind on one chain, e.g.
 * `/taiko/167001/preconf/1/get_commitments_by_number`.
 *
 * @param kind The protocol.
 * @param chainId The L2 chain id.
 * @returns The protocol id.
 * @throws {RangeError} The chain id is not positive.
 */
export function reqRespProtocol(kind: ReqRespKind, chainId: bigint): string {
  if (typeof chainId !== "bigint" || chainId <= 0n) {
    throw new RangeError(
      `Cannot build protocol id for chain id "${String(chainId)}": expected a positive bigint`,
    );
  }
  return `/taiko/${chainId}/preconf/1/${PROTOCOL_SUFFIX[kind]}`;
}

/** Frame caps of one protocol (encoded SSZ, without the varint), enforced before allocation. */
export interface FrameCaps {
  /** Largest request body, in bytes. */
  readonly requestBytes: number;
  /** Largest response body, in bytes. */
  readonly responseBytes: number;
}

/** The reference's caps (p2p.md 6.2); they apply when writing and when reading. */
export const FRAME_CAPS: Record<ReqRespKind, FrameCaps> = {
  head: { requestBytes: 128, responseBytes: 65_536 },
  commitments: { requestBytes: 512, responseBytes: 256 * 4096 },
  raw_txlists: { requestBytes: 256, responseBytes: 2 * 1024 * 1024 + 4096 },
};

/** A token bucket: `burst` requests at once, refilled at `refillPerSecond`. */
export interface TokenBucketLimit {
  /** Bucket size: how many requests may arrive back to back. */
  readonly burst: number;
  /** Tokens added per second (the sustained rate). */
  readonly refillPerSecond: number;
}

/**
 * Inbound limits per (peer, protocol). A refusal closes the stream without an answer and costs the
 * peer one reputation failure (capped per window), never an instant ban.
 *
 * - head: a node asks once at start-up and after reconnects; 8 back to back and one every 2 s is
 *   generous, and matches the Rust limiter's 8 per window so Rust peers see the same budget.
 * - commitments: a Rust catch-up pages in batches of 64 without pacing (one request per 64 blocks),
 *   so a 1,000-block gap is 16 pages plus the tip request: burst 32 serves that at once, and
 *   1 per second sustained keeps a flood (each answer can be ~100 KB) cheap.
 * - raw_txlists: a Rust catch-up fetches one txlist per block with concurrency 4; burst 64 with
 *   4 per second covers a long gap, while a 2 MiB answer each makes a higher rate a bandwidth risk.
 */
export const INBOUND_RATE_LIMITS: Record<ReqRespKind, TokenBucketLimit> = {
  head: { burst: 8, refillPerSecond: 0.5 },
  commitments: { burst: 32, refillPerSecond: 1 },
  raw_txlists: { burst: 64, refillPerSecond: 4 },
};

/** A sliding window: at most `maxRequests` in any `windowMs`. */
export interface SlidingWindowLimit {
  /** Requests allowed per window. */
  readonly maxRequests: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
}

/**
 * Our own outbound pacing per (peer, protocol). A Rust responder bans a requester that sends more
 * than 8 requests of one protocol in a 10 s window (p2p.md 9.3), so every row stays below it: 7
 * per 11 s leaves one request and one second of margin for network jitter. Requests wait for a
 * slot (within their deadline) instead of failing.
 */
export const OUTBOUND_RATE_LIMITS: Record<ReqRespKind, SlidingWindowLimit> = {
  head: { maxRequests: 7, windowMs: 11_000 },
  commitments: { maxRequests: 7, windowMs: 11_000 },
  raw_txlists: { maxRequests: 7, windowMs: 11_000 },
};

/** Deadline of one request/response exchange (the reference's `request_timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Most concurrent inbound and outbound streams per protocol per connection (the reference's 100). */
export const MAX_REQRESP_STREAMS = 100;
