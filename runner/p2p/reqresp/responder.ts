/**
 * The inbound side of request/response (p2p.md 6.3): refuse banned and rate-limited peers by
 * closing the stream unanswered, read one capped frame, clamp the count, answer from the storage,
 * and close. A malformed request costs the peer one failure; nothing here can throw out of the
 * handler.
 *
 * @module
 */
import type { Connection, Stream } from "@libp2p/interface";
import type { Logger } from "@logtape/logtape";
import type { P2pEventHub } from "../events.ts";
import { P2pError } from "../errors.ts";
import type { P2pMetrics } from "../metrics.ts";
import type { PreconfStorage } from "../network_ports.ts";
import { applyPeerAction } from "../peers/peer_actions.ts";
import type { PeerReputation } from "../peers/reputation.ts";
import { MAX_COMMITMENTS_PER_RESPONSE } from "../wire/constants.ts";
import {
  decodeGetCommitmentsByNumberRequest,
  decodeGetHeadRequest,
  decodeGetRawTxListRequest,
  encodeGetCommitmentsByNumberResponse,
  encodeGetRawTxListResponse,
  encodePreconfHead,
  type PreconfHead,
} from "../wire/reqresp_messages.ts";
import { readFrame, writeFrame } from "./framing.ts";
import { FRAME_CAPS, type ReqRespKind } from "./protocols.ts";
import type { InboundRateLimiter } from "./rate_limit.ts";

/** What the responder reads and updates. */
export interface ResponderDeps {
  /** Serves commitments and txlists. */
  readonly storage: PreconfStorage;
  /** The head served on `get_head`. */
  readonly head: () => PreconfHead;
  /** Reputation of requesters. */
  readonly reputation: PeerReputation;
  /** Inbound buckets. */
  readonly limiter: InboundRateLimiter;
  /** Metrics, or `null`. */
  readonly metrics: P2pMetrics | null;
  /** Where `InboundRequest` events go. */
  readonly events: P2pEventHub;
  /** The P2P logger. */
  readonly log: Logger;
  /** Deadline of one exchange, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Handles one inbound stream of one protocol.
 *
 * @param kind The protocol.
 * @param stream The stream.
 * @param connection The connection it arrived on.
 * @param deps Storage, head, reputation, limits, metrics, events.
 * @returns When the exchange has ended (answered, refused or failed).
 */
export async function respond(
  kind: ReqRespKind,
  stream: Stream,
  connection: Connection,
  deps: ResponderDeps,
): Promise<void> {
  const peer = connection.remotePeer.toString();
  if (deps.reputation.standing(peer) === "banned") {
    deps.metrics?.reqrespDropped.inc({ kind, reason: "banned" });
    stream.abort(new Error("banned"));
    return;
  }
  if (!deps.limiter.tryConsume(peer, kind)) {
    deps.metrics?.reqrespRateLimited.inc({ kind });
    applyPeerAction(peer, "Failure", deps);
    deps.log.debug("Refused {kind} request from {peer}: rate limit", { kind, peer });
    await closeQuietly(stream);
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  try {
    const request = await readFrame(stream, FRAME_CAPS[kind].requestBytes, controller.signal);
    const body = answer(kind, request, deps);
    await writeFrame(stream, body, FRAME_CAPS[kind].responseBytes, controller.signal);
    await stream.close({ signal: controller.signal });
    deps.metrics?.reqrespSuccess.inc({ kind, direction: "inbound" });
    deps.events.emit("InboundRequest", { peer, kind });
  } catch (cause) {
    const error = cause instanceof P2pError
      ? cause
      : new P2pError("Transport", `Cannot answer ${kind} request: ${(cause as Error).message}`, { cause });
    deps.metrics?.reqrespError.inc({ kind, direction: "inbound", reason: error.kind });
    if (error.kind !== "Transport") applyPeerAction(peer, "Failure", deps);
    deps.log.debug("Failed {kind} request from {peer}: {error}", { kind, peer, error: error.message });
    stream.abort(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Decodes a request and builds the response body; decode errors are P2pErrors. */
function answer(kind: ReqRespKind, request: Uint8Array, deps: ResponderDeps): Uint8Array {
  switch (kind) {
    case "head":
      decodeGetHeadRequest(request);
      return encodePreconfHead(deps.head());
    case "commitments": {
      const { startBlockNumber, maxCount } = decodeGetCommitmentsByNumberRequest(request);
      const max = Math.min(maxCount, MAX_COMMITMENTS_PER_RESPONSE);
      const commitments = max === 0 ? [] : deps.storage.commitmentsFrom(startBlockNumber, max).slice(0, max);
      return encodeGetCommitmentsByNumberResponse({ commitments });
    }
    case "raw_txlists": {
      const { rawTxListHash } = decodeGetRawTxListRequest(request);
      const found = deps.storage.getTxList(rawTxListHash);
      if (found === undefined) {
        deps.metrics?.reqrespNotFound.inc({ kind, direction: "inbound" });
        return encodeGetRawTxListResponse({ rawTxListHash, txlist: new Uint8Array(0) });
      }
      return encodeGetRawTxListResponse(found);
    }
  }
}

async function closeQuietly(stream: Stream): Promise<void> {
  try {
    await stream.close();
  } catch {
    stream.abort(new Error("closed"));
  }
}
