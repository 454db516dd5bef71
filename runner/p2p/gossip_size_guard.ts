/**
 * Refuses gossip payloads above their topic's largest valid size as soon as an RPC is decoded,
 * before gossipsub spends anything on them. gossipsub checks a message's Ed25519 signature (over
 * the whole payload, re-encoded) and computes its id before any topic validator runs: for a
 * 2 MiB payload that is tens of milliseconds of event loop and several copies of the payload, all
 * for a message the size check then rejects. Here each refused message costs the relaying peer as
 * any rejected message does: our reputation (through `onRefused`) and gossipsub's invalid-delivery
 * counter (P4), so scoring and bans work as before, only cheaper. The peer's cached gossipsub score
 * is dropped with each penalty, so a graylisting it earns applies to its very next frame.
 *
 * The frame limit (`maxInboundDataLength`) stays at the protocol's 10 MiB: an honest js-libp2p peer
 * answers an IWANT with several messages in one RPC and piggybacks control messages on a publish,
 * so a frame just above the largest valid message is not proof of misbehaviour; one message is.
 *
 * @module
 */
import type { PeerId } from "@libp2p/interface";
import type { RPC } from "@libp2p/gossipsub/message";

/** The part of js-gossipsub 17.1.1 the guard wraps (not all of it is in the public type). */
interface GuardedRouter {
  handleReceivedRpc(from: PeerId, rpc: RPC): Promise<void>;
  readonly score?: {
    rejectInvalidMessage?(peer: string, topic: string): void;
    /** Scores computed in the last heartbeat (500 ms), served instead of computing them again. */
    readonly scoreCache?: Map<string, unknown>;
  };
}

/** A refused message, as reported to `onRefused`. */
export interface OversizedGossip {
  /** The relaying peer (base58). */
  readonly peer: string;
  /** The message's topic. */
  readonly topic: string;
  /** Its payload size, in bytes. */
  readonly bytes: number;
}

/**
 * Installs the guard on a gossipsub instance (before it starts): every inbound RPC's messages on a
 * topic of `maxPayloadBytes` whose payload is larger than the topic's bound are removed from the RPC
 * before gossipsub handles it, counted against the peer in gossipsub's score and reported.
 * Messages of other topics are left to gossipsub (it drops topics it does not allow).
 *
 * @param pubsub The gossipsub service.
 * @param maxPayloadBytes Topic string → largest valid payload, in bytes.
 * @param onRefused Called once per refused message (must not throw).
 * @throws {Error} The gossipsub instance lacks the methods the guard relies on (another version).
 */
export function guardGossipSizes(
  pubsub: unknown,
  maxPayloadBytes: ReadonlyMap<string, number>,
  onRefused: (refused: OversizedGossip) => void,
): void {
  const router = pubsub as GuardedRouter;
  const score = router.score;
  if (
    typeof router.handleReceivedRpc !== "function" || typeof score?.rejectInvalidMessage !== "function" ||
    !(score.scoreCache instanceof Map)
  ) {
    throw new Error(
      "Cannot guard gossip sizes: gossipsub lacks handleReceivedRpc, score.rejectInvalidMessage or score.scoreCache, pin @libp2p/gossipsub@17.1.1",
    );
  }
  const handle = router.handleReceivedRpc.bind(router);
  const reject = score.rejectInvalidMessage.bind(score);
  const cache = score.scoreCache;
  const penalise = (peer: string, topic: string): void => {
    reject(peer, topic);
    // The penalty counts from now: a flooder's next frames meet its new score (and the graylist),
    // not the one cached up to a heartbeat ago, during which ~50 more 2 MiB frames were joined.
    cache.delete(peer);
  };
  router.handleReceivedRpc = (from: PeerId, rpc: RPC): Promise<void> => {
    if (!rpc.messages.some((m) => isOversized(m, maxPayloadBytes))) return handle(from, rpc);
    const peer = from.toString();
    const kept = rpc.messages.filter((message) => {
      if (!isOversized(message, maxPayloadBytes)) return true;
      penalise(peer, message.topic);
      onRefused({ peer, topic: message.topic, bytes: message.data?.length ?? 0 });
      return false;
    });
    return handle(from, { ...rpc, messages: kept });
  };
}

function isOversized(message: RPC.Message, maxPayloadBytes: ReadonlyMap<string, number>): boolean {
  const max = maxPayloadBytes.get(message.topic);
  return max !== undefined && (message.data?.length ?? 0) > max;
}
