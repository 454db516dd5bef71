/**
 * A libp2p node built exactly as the product builds its own (`createLibp2pNode` with the product's
 * gossipsub options, scoring, message id and topics) but without the network layer on top, for
 * transport floors and for a flooding peer.
 *
 * @module
 */
import { TopicValidatorResult } from "@libp2p/gossipsub";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { GossipRouter } from "../../runner/p2p/gossip.ts";
import { loadMessageIdCodec } from "../../runner/p2p/message_id.ts";
import { createLibp2pNode, type P2pLibp2p } from "../../runner/p2p/libp2p_node.ts";
import { createConnectionGater } from "../../runner/p2p/peers/connection_gater.ts";
import { buildGossipScoring } from "../../runner/p2p/peers/gossip_scoring.ts";
import { GOSSIP_KINDS, type GossipKind, gossipTopic } from "../../runner/p2p/topics.ts";

/** The L2 chain id every benchmark network uses (the devnet's). */
export const BENCH_CHAIN_ID = 167_001n;

/** The two topics of the benchmark chain. */
export const BENCH_TOPICS: Record<GossipKind, string> = {
  commitment: gossipTopic("commitment", BENCH_CHAIN_ID),
  raw_txlists: gossipTopic("raw_txlists", BENCH_CHAIN_ID),
};

/**
 * Creates and starts a plain node on 127.0.0.1.
 *
 * @returns The started node (not subscribed to anything yet).
 */
export async function startPlainNode(): Promise<P2pLibp2p> {
  await loadMessageIdCodec();
  const topics = GOSSIP_KINDS.map((kind) => BENCH_TOPICS[kind]);
  const node = await createLibp2pNode({
    privateKey: await generateKeyPair("Ed25519"),
    listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
    advertiseAddresses: [],
    connectionGater: createConnectionGater(() => false, null),
    scoring: buildGossipScoring(topics, () => 0),
    topics,
    dialTimeoutMs: 10_000,
    handshakeTimeoutMs: 10_000,
    maxConnections: 64,
  });
  await node.start();
  return node;
}

/**
 * Waits until `peer` is subscribed to `topic` as `node` sees it.
 *
 * @param node The local node.
 * @param topic The topic.
 * @param peer The remote peer id (base58).
 * @param timeoutMs Deadline.
 * @throws {Error} On timeout.
 */
export async function waitForSubscriber(
  node: P2pLibp2p,
  topic: string,
  peer: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!node.services.pubsub.getSubscribers(topic).some((p) => p.toString() === peer)) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${peer} on ${topic}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Calls `handler` for every gossip message and accepts it (the product's options validate
 * asynchronously, so every message needs a verdict).
 *
 * @param node The node.
 * @param handler Receives the message data and topic.
 */
export function onGossip(node: P2pLibp2p, handler: (data: Uint8Array, topic: string) => void): void {
  const router = node.services.pubsub as unknown as GossipRouter;
  node.services.pubsub.addEventListener("gossipsub:message", (event) => {
    const { msgId, propagationSource, msg } = event.detail;
    handler(msg.data, msg.topic);
    router.reportMessageValidationResult(msgId, propagationSource.toString(), TopicValidatorResult.Accept);
  });
}
