/**
 * A flooding peer: a libp2p node that speaks the product's transport and gossip (TCP, Noise, Yamux,
 * gossipsub with signed messages on the two topics) but makes its message ids cheaply from the
 * first bytes (an attacker picks its own), publishes to a peer that did not graft it, and accepts a
 * far larger outbound buffer than an honest node would.
 *
 * @module
 */
import { noise } from "@chainsafe/libp2p-noise";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { type GossipSub, gossipsub, StrictSign } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { createLibp2p, type Libp2p } from "libp2p";
import { BENCH_TOPICS } from "./plain_node.ts";

/** The flooder's node. */
export type FlooderNode = Libp2p<{ pubsub: GossipSub }>;

/**
 * Starts the flooder on 127.0.0.1, subscribed to both topics.
 *
 * @returns The node.
 */
export async function startFlooderNode(): Promise<FlooderNode> {
  const node = await createLibp2p({
    privateKey: await generateKeyPair("Ed25519"),
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify({ protocolPrefix: "ipfs" }),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictSign,
        floodPublish: true,
        allowPublishToZeroTopicPeers: true,
        msgIdFn: (message) => message.data.subarray(0, 20),
        maxInboundDataLength: 16 * 1024 * 1024,
        maxOutboundBufferSize: 256 * 1024 * 1024,
      }),
    },
  });
  for (const topic of Object.values(BENCH_TOPICS)) node.services.pubsub.subscribe(topic);
  return node;
}
