/**
 * The outbound side of request/response (p2p.md 6.4): pace below the Rust limiter, open one stream,
 * write one frame, close our write side, read one capped frame, validate it. A bad or missing
 * answer costs the peer one failure; a valid one earns a reward ("not found" earns nothing).
 *
 * @module
 */
import type { PeerId } from "@libp2p/interface";
import { type Address, type Hex, isAddressEqual } from "viem";
import { keccak256Hex } from "../../../internal/keccak.ts";
import { P2pError } from "../errors.ts";
import type { P2pLibp2p } from "../libp2p_node.ts";
import type { P2pMetrics } from "../metrics.ts";
import { applyPeerAction, reqRespFailureAction } from "../peers/peer_actions.ts";
import type { PeerReputation } from "../peers/reputation.ts";
import type { RecoveredCommitment, SignerRecovery } from "../network_ports.ts";
import type { SignedCommitment } from "../wire/commitment.ts";
import {
  MAX_COMMITMENTS_PER_RESPONSE,
  MAX_TXLIST_BYTES,
  SIGNED_COMMITMENT_BYTES,
} from "../wire/constants.ts";
import type { RawTxListGossip } from "../wire/raw_txlist.ts";
import {
  decodeGetCommitmentsByNumberResponse,
  decodeGetRawTxListResponse,
  decodePreconfHead,
  encodeGetCommitmentsByNumberRequest,
  encodeGetHeadRequest,
  encodeGetRawTxListRequest,
  type PreconfHead,
} from "../wire/reqresp_messages.ts";
import { recoverSignerInline } from "../gossip_validation.ts";
import { rememberEncoding } from "../wire/signing.ts";
import { readFrame, writeFrame } from "./framing.ts";
import { FRAME_CAPS, type ReqRespKind, reqRespProtocol } from "./protocols.ts";
import type { OutboundPacer } from "./rate_limit.ts";

/** What the requester uses. */
export interface RequesterDeps {
  /** The libp2p node. */
  readonly node: P2pLibp2p;
  /** The chain id of the protocol ids. */
  readonly chainId: bigint;
  /** Paces our requests per (peer, protocol). */
  readonly pacer: OutboundPacer;
  /** Reputation of responders. */
  readonly reputation: PeerReputation;
  /** Metrics, or `null`. */
  readonly metrics: P2pMetrics | null;
  /** Deadline of one exchange (after pacing), in milliseconds. */
  readonly timeoutMs: number;
  /** Domain for checking response signatures. */
  readonly signingDomain: Hex;
  /** Slasher responses must name, when configured. */
  readonly expectedSlasher?: Hex;
  /** Recovers response signers (the node passes its worker pool). @default {recoverSignerInline} */
  readonly recoverSigner?: SignerRecovery;
}

/**
 * One exchange with one peer: returns the decoded and validated response.
 *
 * @param kind The protocol.
 * @param peer The peer to ask.
 * @param request The request body.
 * @param validate Decodes and checks the response body; throws P2pError `InvalidResponse`.
 * @param deps Node, pacer, reputation, metrics.
 * @param signal The caller's cancellation.
 * @returns The response and whether it deserves a reward.
 * @throws {P2pError} `Timeout`, `NoResponse`, `Framing`, `InvalidResponse`, `Transport`, `Stopped`.
 */
export async function exchange<T>(
  kind: ReqRespKind,
  peer: PeerId,
  request: Uint8Array,
  validate: (body: Uint8Array) => { value: T; reward: boolean } | Promise<{ value: T; reward: boolean }>,
  deps: RequesterDeps,
  signal: AbortSignal | undefined,
): Promise<T> {
  const peerText = peer.toString();
  await deps.pacer.acquire(peerText, kind, signal ?? new AbortController().signal);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const started = performance.now();
  let stream;
  try {
    stream = await deps.node.dialProtocol(peer, reqRespProtocol(kind, deps.chainId), {
      signal: controller.signal,
    });
    await writeFrame(stream, request, FRAME_CAPS[kind].requestBytes, controller.signal);
    await stream.close({ signal: controller.signal });
    const body = await readFrame(stream, FRAME_CAPS[kind].responseBytes, controller.signal);
    const { value, reward } = await validate(body);
    if (reward) applyPeerAction(peerText, "Success", deps);
    else deps.metrics?.reqrespNotFound.inc({ kind, direction: "outbound" });
    deps.metrics?.reqrespSuccess.inc({ kind, direction: "outbound" });
    deps.metrics?.reqrespRttSeconds.observe(
      { protocol: kind, outcome: "ok" },
      (performance.now() - started) / 1000,
    );
    return value;
  } catch (cause) {
    const error = toP2pError(cause, kind, controller.signal, signal);
    stream?.abort(error);
    deps.metrics?.reqrespError.inc({ kind, direction: "outbound", reason: error.kind });
    deps.metrics?.reqrespRttSeconds.observe(
      { protocol: kind, outcome: "error" },
      (performance.now() - started) / 1000,
    );
    if (signal?.aborted !== true) applyPeerAction(peerText, reqRespFailureAction(error.kind), deps);
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function toP2pError(
  cause: unknown,
  kind: ReqRespKind,
  deadline: AbortSignal,
  caller: AbortSignal | undefined,
): P2pError {
  if (caller?.aborted === true) {
    return new P2pError("Stopped", `Cannot finish ${kind} request: it was cancelled`, { cause });
  }
  if (cause instanceof P2pError) return cause;
  if (deadline.aborted) {
    return new P2pError("Timeout", `Cannot finish ${kind} request: the deadline passed`, { cause });
  }
  return new P2pError("Transport", `Cannot finish ${kind} request: ${(cause as Error)?.message ?? cause}`, {
    cause,
  });
}

function invalid(kind: ReqRespKind, message: string, cause?: unknown): P2pError {
  return new P2pError("InvalidResponse", `Cannot accept ${kind} response: ${message}`, { cause });
}

/**
 * The `get_head` request and its check (heads are not validated beyond decoding).
 *
 * @returns The request body and the response check.
 */
export function headExchange(): {
  request: Uint8Array;
  validate: (b: Uint8Array) => { value: PreconfHead; reward: boolean };
} {
  return {
    request: encodeGetHeadRequest(),
    validate: (body) => {
      try {
        return { value: decodePreconfHead(body), reward: true };
      } catch (cause) {
        throw invalid("head", (cause as Error).message, cause);
      }
    },
  };
}

/**
 * The `get_commitments_by_number` request and its check: at most `maxCount` (and 256) entries, at
 * or above `start`, strictly ascending, each with a recoverable signature, the EOP rule and the
 * configured slasher. One bad entry rejects the whole response (p2p.md 4.1 rule 5). Each entry
 * carries the signer recovered here, so the client need not recover it again.
 *
 * @param start The first block number.
 * @param maxCount The most entries (at most 256).
 * @param deps Signing domain and expected slasher.
 * @returns The request body and the response check.
 * @throws {RangeError} `maxCount` is not in [1, 256].
 */
export function commitmentsExchange(
  start: bigint,
  maxCount: number,
  deps: Pick<RequesterDeps, "signingDomain" | "expectedSlasher" | "recoverSigner">,
): {
  request: Uint8Array;
  validate: (b: Uint8Array) => Promise<{ value: RecoveredCommitment[]; reward: boolean }>;
} {
  if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_COMMITMENTS_PER_RESPONSE) {
    throw new RangeError(
      `Cannot request ${maxCount} commitments: expected 1..${MAX_COMMITMENTS_PER_RESPONSE}`,
    );
  }
  return {
    request: encodeGetCommitmentsByNumberRequest({ startBlockNumber: start, maxCount }),
    validate: async (body) => {
      let commitments: SignedCommitment[];
      try {
        commitments = [...decodeGetCommitmentsByNumberResponse(body).commitments];
      } catch (cause) {
        throw invalid("commitments", (cause as Error).message, cause);
      }
      // The list's entries follow its 4-byte offset back to back: recovery and validation hash
      // these bytes instead of encoding each commitment again.
      if (body.length === 4 + commitments.length * SIGNED_COMMITMENT_BYTES) {
        commitments.forEach((sc, i) => {
          const start = 4 + i * SIGNED_COMMITMENT_BYTES;
          rememberEncoding(sc, body.subarray(start, start + SIGNED_COMMITMENT_BYTES));
        });
      }
      if (commitments.length > maxCount) {
        throw invalid("commitments", `${commitments.length} entries, asked ${maxCount}`);
      }
      let previous = start - 1n;
      for (const sc of commitments) {
        const p = sc.commitment.preconf;
        if (p.blockNumber <= previous) {
          throw invalid("commitments", `block ${p.blockNumber} is below ${start} or out of order`);
        }
        previous = p.blockNumber;
        if (!p.eop && /^0x0{64}$/.test(p.rawTxListHash)) {
          throw invalid("commitments", `block ${p.blockNumber} has no txlist hash`);
        }
        if (
          deps.expectedSlasher !== undefined &&
          !isAddressEqual(sc.commitment.slasherAddress, deps.expectedSlasher)
        ) {
          throw invalid(
            "commitments",
            `block ${p.blockNumber} names slasher ${sc.commitment.slasherAddress}`,
          );
        }
      }
      // Every entry's recovery is started before any is awaited, so a worker pool runs them in parallel.
      const recover = deps.recoverSigner ?? recoverSignerInline;
      const signers = await Promise.allSettled(commitments.map((sc) => recover(sc, deps.signingDomain)));
      const recovered: RecoveredCommitment[] = [];
      for (const [i, sc] of commitments.entries()) {
        const outcome = signers[i] as PromiseSettledResult<Address>;
        if (outcome.status === "rejected") {
          const cause: unknown = outcome.reason;
          const n = sc.commitment.preconf.blockNumber;
          throw invalid("commitments", `block ${n}: ${(cause as Error).message}`, cause);
        }
        recovered.push({ signed: sc, signer: outcome.value });
      }
      return { value: recovered, reward: true };
    },
  };
}

/**
 * The `get_raw_txlist` request and its check: the echoed hash must match; an empty txlist means
 * "not found" (no reward, no penalty); otherwise the bytes must hash to it and fit 2 MiB.
 *
 * @param hash The wanted txlist hash.
 * @returns The request body and the response check (value `null` for "not found").
 */
export function rawTxListExchange(
  hash: Hex,
): { request: Uint8Array; validate: (b: Uint8Array) => { value: RawTxListGossip | null; reward: boolean } } {
  return {
    request: encodeGetRawTxListRequest({ rawTxListHash: hash }),
    validate: (body) => {
      let response: RawTxListGossip;
      try {
        response = decodeGetRawTxListResponse(body);
      } catch (cause) {
        throw invalid("raw_txlists", (cause as Error).message, cause);
      }
      if (response.rawTxListHash !== hash.toLowerCase()) {
        throw invalid("raw_txlists", `echoed hash ${response.rawTxListHash}, asked ${hash}`);
      }
      if (response.txlist.length === 0) return { value: null, reward: false };
      if (
        response.txlist.length > MAX_TXLIST_BYTES || keccak256Hex(response.txlist) !== response.rawTxListHash
      ) {
        throw invalid("raw_txlists", "the txlist bytes do not hash to the requested hash");
      }
      return { value: response, reward: true };
    },
  };
}
