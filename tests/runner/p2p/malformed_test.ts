import assert from "node:assert/strict";
import { noise } from "@chainsafe/libp2p-noise";
import { gossipsub } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import { tcp } from "@libp2p/tcp";
import { lpStream } from "@libp2p/utils";
import { yamux } from "@libp2p/yamux";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { encode as encodeVarint } from "uint8-varint";
import { MAX_VALID_GOSSIP_PAYLOAD_BYTES } from "../../../runner/p2p/message_id.ts";
import { FRAME_CAPS, REQRESP_KINDS, reqRespProtocol } from "../../../runner/p2p/reqresp/protocols.ts";
import { gossipTopic } from "../../../runner/p2p/topics.ts";
import { CHAIN_ID, connect, startNode, stopAll, type TestNode, waitFor } from "./_helpers.ts";

/** A bare libp2p node that speaks raw bytes (no validation of its own). */
async function rawNode() {
  const node = await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: gossipsub({ allowPublishToZeroTopicPeers: true }) },
  });
  await node.start();
  return node;
}

/** Sends raw bytes on a fresh stream, closes the write side, and returns what came back. */
async function sendRaw(
  node: Awaited<ReturnType<typeof rawNode>>,
  target: string,
  protocol: string,
  bytes: Uint8Array,
): Promise<number> {
  const stream = await node.dialProtocol(multiaddr(target), protocol);
  stream.send(bytes);
  await stream.close().catch(() => undefined);
  let received = 0;
  try {
    for await (const chunk of stream) received += chunk.byteLength;
  } catch {
    // A reset is one of the refusals.
  }
  return received;
}

Deno.test("oversized, truncated and random frames on every protocol are refused, cost reputation, and crash nothing", async () => {
  let server: TestNode | undefined;
  let client: TestNode | undefined;
  let raw: Awaited<ReturnType<typeof rawNode>> | undefined;
  try {
    server = await startNode();
    raw = await rawNode();
    const target = server.net.listenAddresses()[0] as string;
    const rawId = raw.peerId.toString();
    let sent = 0;
    for (const kind of REQRESP_KINDS) {
      const protocol = reqRespProtocol(kind, CHAIN_ID);
      const cap = FRAME_CAPS[kind].requestBytes;
      const frames = [
        encodeVarint(cap + 1), // oversized: refused from the prefix alone
        Uint8Array.of(...encodeVarint(20), 1, 2, 3), // truncated body
        Uint8Array.of(...encodeVarint(50), ...crypto.getRandomValues(new Uint8Array(50))), // not SSZ of this type
        crypto.getRandomValues(new Uint8Array(7)).map((b) => b | 0x80), // a varint that never ends
      ];
      for (const frame of frames) {
        assert.equal(await sendRaw(raw, target, protocol, frame), 0, `${kind}: no answer`);
        sent++;
      }
    }
    assert.equal(sent, 12);
    const { score, standing } = server.net.reputationOf(rawId);
    assert.ok(score >= -4 && score <= -3.5, `12 failures in one window cost 4: ${score}`);
    assert.equal(standing, "greylisted");
    // The node still serves others.
    client = await startNode();
    await connect(client, server);
    assert.deepEqual(await client.net.requestHead(server.net.peerId), {
      blockNumber: 0n,
      submissionWindowEnd: 0n,
    });
    // A well-formed request over the same raw path is answered (the frame format is right).
    const stream = await raw.dialProtocol(multiaddr(target), reqRespProtocol("head", CHAIN_ID));
    const lp = lpStream(stream);
    await lp.write(Uint8Array.of(4, 0, 0, 0));
    await stream.close();
    assert.equal((await lp.read()).byteLength, 64);
  } finally {
    await stopAll([server, client]);
    await raw?.stop();
  }
});

Deno.test("random bytes on both gossip topics are rejected, never forwarded, and cost the relaying peer", async () => {
  let server: TestNode | undefined;
  let far: TestNode | undefined;
  let raw: Awaited<ReturnType<typeof rawNode>> | undefined;
  try {
    server = await startNode();
    far = await startNode();
    await connect(server, far);
    raw = await rawNode();
    const topics = [gossipTopic("commitment", CHAIN_ID), gossipTopic("raw_txlists", CHAIN_ID)];
    for (const t of topics) raw.services.pubsub.subscribe(t);
    await raw.dial(multiaddr(server.net.listenAddresses()[0] as string));
    const r = raw;
    const serverId = server.net.peerId;
    await waitFor(
      "the server's subscriptions",
      () => topics.every((t) => r.services.pubsub.getSubscribers(t).some((p) => p.toString() === serverId)),
    );
    const payloads = [
      crypto.getRandomValues(new Uint8Array(382)),
      crypto.getRandomValues(new Uint8Array(100)),
      new Uint8Array(0),
    ];
    for (const t of topics) for (const p of payloads) await raw.services.pubsub.publish(t, p);
    const rawId = raw.peerId.toString();
    await waitFor("the penalties", () => server!.net.reputationOf(rawId).score <= -1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(server.net.reputationOf(rawId).score >= -4);
    assert.equal(server.validator.commitments.length + server.validator.txlists.length, 0);
    assert.equal(far.validator.commitments.length + far.validator.txlists.length, 0);
  } finally {
    await stopAll([server, far]);
    await raw?.stop();
  }
});

Deno.test("a txlist payload one byte above the largest valid one is rejected on size and costs the relaying peer", async () => {
  let server: TestNode | undefined;
  let raw: Awaited<ReturnType<typeof rawNode>> | undefined;
  try {
    server = await startNode();
    raw = await rawNode();
    const topic = gossipTopic("raw_txlists", CHAIN_ID);
    raw.services.pubsub.subscribe(topic);
    await raw.dial(multiaddr(server.net.listenAddresses()[0] as string));
    const r = raw;
    const serverId = server.net.peerId;
    await waitFor(
      "the server's subscription",
      () => r.services.pubsub.getSubscribers(topic).some((p) => p.toString() === serverId),
    );
    // Gets the cheap message id (no full hash), then the validator's size check rejects it.
    await raw.services.pubsub.publish(topic, new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists + 1));
    const rawId = raw.peerId.toString();
    // A reject costs 1 point, which then decays slowly toward 0.
    await waitFor("the penalty", () => server!.net.reputationOf(rawId).score < -0.5);
    assert.equal(server.validator.txlists.length, 0);
  } finally {
    await stopAll([server]);
    await raw?.stop();
  }
});
