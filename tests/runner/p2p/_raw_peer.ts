/** A raw gossipsub peer (no validation, no scoring of its own) and a P2P network with metrics. */
import { noise } from "@chainsafe/libp2p-noise";
import { gossipsub, StrictNoSign, StrictSign } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { Registry } from "prom-client";
import { createP2pMetrics } from "../../../runner/p2p/metrics.ts";
import { P2pNetwork } from "../../../runner/p2p/p2p_network.ts";
import { gossipTopic } from "../../../runner/p2p/topics.ts";
import {
  CHAIN_ID,
  FAST,
  MemoryStorage,
  RecordingValidator,
  stopAll,
  type TestNode,
  waitFor,
} from "./_helpers.ts";

export const TXLIST_TOPIC = gossipTopic("raw_txlists", CHAIN_ID);
export const COMMITMENT_TOPIC = gossipTopic("commitment", CHAIN_ID);

/** A gossipsub peer on 127.0.0.1 with no validation of its own; `sign` false sends unsigned messages. */
export async function rawPeer(sign: boolean) {
  const node = await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify({ protocolPrefix: "ipfs" }),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        globalSignaturePolicy: sign ? StrictSign : StrictNoSign,
        maxInboundDataLength: 16 * 1024 * 1024,
      }),
    },
  });
  await node.start();
  node.services.pubsub.subscribe(TXLIST_TOPIC);
  node.services.pubsub.subscribe(COMMITMENT_TOPIC);
  return node;
}

/** Starts a P2P network on 127.0.0.1 with fast settings and its metrics in `registry`. */
export async function startWithMetrics(): Promise<TestNode & { registry: Registry }> {
  const registry = new Registry();
  const storage = new MemoryStorage();
  const validator = new RecordingValidator();
  const net = new P2pNetwork({ storage, validator, metrics: createP2pMetrics(registry) }, {
    chainId: CHAIN_ID,
    ...FAST,
  });
  await net.start();
  return { net, storage, validator, registry };
}

/** How many gossip messages of `kind` the network refused for their size. */
export async function sizeRejections(registry: Registry, kind: string): Promise<number> {
  const metric = await registry.getSingleMetric("p2p_gossip_invalid")?.get();
  return metric?.values.find((v) => v.labels.kind === kind && v.labels.reason === "size")?.value ?? 0;
}

export type RawPeer = Awaited<ReturnType<typeof rawPeer>>;

/** Dials the server and waits until the raw peer sees it on both topics. */
export async function dialAndWait(raw: RawPeer, server: TestNode): Promise<void> {
  await raw.dial(multiaddr(server.net.listenAddresses()[0] as string));
  const serverId = server.net.peerId;
  await waitFor(
    "the server's subscriptions",
    () =>
      [TXLIST_TOPIC, COMMITMENT_TOPIC].every((t) =>
        raw.services.pubsub.getSubscribers(t).some((p) => p.toString() === serverId)
      ),
  );
}

/**
 * Runs `body` with a P2P network with metrics and a raw peer already dialled to it, then stops both.
 *
 * @param sign Whether the raw peer signs its messages.
 * @param body The test.
 */
export async function withRawPeer(
  sign: boolean,
  body: (server: TestNode & { registry: Registry }, raw: RawPeer) => Promise<void>,
): Promise<void> {
  let server: (TestNode & { registry: Registry }) | undefined;
  let raw: RawPeer | undefined;
  try {
    server = await startWithMetrics();
    raw = await rawPeer(sign);
    await dialAndWait(raw, server);
    await body(server, raw);
  } finally {
    await stopAll([server]);
    await raw?.stop();
  }
}
