import assert from "node:assert/strict";
import type { RPC } from "@libp2p/gossipsub/message";
import type { PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Registry } from "prom-client";
import { keccak256 } from "viem";
import { guardGossipSizes, type OversizedGossip } from "../../../runner/p2p/gossip_size_guard.ts";
import { MAX_VALID_GOSSIP_PAYLOAD_BYTES } from "../../../runner/p2p/message_id.ts";
import { MAX_TXLIST_BYTES } from "../../../runner/p2p/wire/constants.ts";
import { encodeRawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import {
  COMMITMENT_TOPIC,
  dialAndWait,
  type RawPeer,
  rawPeer,
  sizeRejections,
  startWithMetrics,
  TXLIST_TOPIC,
  withRawPeer,
} from "./_raw_peer.ts";
import { connect, stopAll, type TestNode, waitFor } from "./_helpers.ts";

function txListPayload(bytes: number, fill: number): Uint8Array {
  const txlist = new Uint8Array(bytes).fill(fill);
  return encodeRawTxListGossip({ rawTxListHash: keccak256(txlist), txlist });
}

Deno.test("an oversized txlist is refused on size before gossipsub's signature check: an unsigned one still costs the peer", async () => {
  await withRawPeer(false, async (server, raw) => {
    const rawId = raw.peerId.toString();
    // Unsigned and one byte too large: without the guard gossipsub drops it for the missing
    // signature, which never reaches our reputation or size counter.
    await raw.services.pubsub.publish(
      TXLIST_TOPIC,
      new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists + 1),
    );
    await raw.services.pubsub.publish(
      COMMITMENT_TOPIC,
      new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.commitment + 1),
    );
    await waitFor("the penalties", () => server.net.reputationOf(rawId).score <= -1.5);
    assert.equal(await sizeRejections(server.registry, "raw_txlists"), 1);
    assert.equal(await sizeRejections(server.registry, "commitment"), 1);
    assert.equal(server.validator.txlists.length + server.validator.commitments.length, 0);
  });
});

Deno.test("a txlist of the largest valid size (2 MiB) passes and is forwarded while one a byte larger from the same peer is refused", async () => {
  let server: (TestNode & { registry: Registry }) | undefined;
  let far: (TestNode & { registry: Registry }) | undefined;
  let raw: RawPeer | undefined;
  try {
    server = await startWithMetrics();
    far = await startWithMetrics();
    await connect(server, far);
    raw = await rawPeer(true);
    await dialAndWait(raw, server);
    const largest = txListPayload(MAX_TXLIST_BYTES, 7);
    assert.equal(largest.length, MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists);
    const oversized = new Uint8Array(largest.length + 1);
    oversized.set(largest);
    await raw.services.pubsub.publish(TXLIST_TOPIC, oversized);
    await raw.services.pubsub.publish(TXLIST_TOPIC, largest);
    const [s, f] = [server, far];
    await waitFor("the largest txlist at the far node", () => f.validator.txlists.length === 1, 20_000);
    assert.equal(s.validator.txlists.length, 1);
    assert.deepEqual(s.validator.txlists[0]?.txlist, largest.subarray(36));
    assert.equal(f.validator.txlists[0]?.rawTxListHash, keccak256(largest.subarray(36)));
    assert.equal(await sizeRejections(s.registry, "raw_txlists"), 1);
    assert.equal(await sizeRejections(f.registry, "raw_txlists"), 0);
  } finally {
    await stopAll([server, far]);
    await raw?.stop();
  }
});

/** A stand-in with the members the guard wraps, recording what reaches them. */
class RouterDouble {
  readonly handled: RPC[] = [];
  readonly penalised: [string, string][] = [];
  readonly score = {
    rejectInvalidMessage: (peer: string, topic: string) => {
      this.penalised.push([peer, topic]);
    },
    scoreCache: new Map<string, unknown>(),
  };

  handleReceivedRpc(_from: PeerId, rpc: RPC): Promise<void> {
    this.handled.push(rpc);
    return Promise.resolve();
  }
}

Deno.test("`guardGossipSizes()` removes only messages above their topic's bound, penalises each once (dropping the peer's cached score), and passes other RPCs through unchanged", async () => {
  const router = new RouterDouble();
  const refused: OversizedGossip[] = [];
  guardGossipSizes(router, new Map([["a", 4], ["b", 2]]), (r) => refused.push(r));
  const peer = peerIdFromString("12D3KooWLRPJAA5o6Z6wqRKAWzP2jw5kBUcbZAYzSLxGpuy8h1Ke");
  const message = (topic: string, bytes: number): RPC.Message => ({ topic, data: new Uint8Array(bytes) });
  const clean: RPC = { subscriptions: [], messages: [message("a", 4), message("b", 2), message("c", 99)] };
  const other = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";
  router.score.scoreCache.set(peer.toString(), { score: 0 }).set(other, { score: 0 });
  await router.handleReceivedRpc(peer, clean);
  assert.equal(router.handled[0], clean);
  assert.equal(router.score.scoreCache.size, 2, "an RPC without oversized messages keeps the cached scores");
  const mixed: RPC = {
    subscriptions: [{ topic: "a", subscribe: true }],
    messages: [message("a", 5), message("b", 1), message("b", 3), message("a", 0)],
    control: { ihave: [], iwant: [], graft: [], prune: [], idontwant: [] },
  };
  await router.handleReceivedRpc(peer, mixed);
  const handled = router.handled[1] as RPC;
  assert.deepEqual(handled.messages.map((m) => [m.topic, m.data?.length]), [["b", 1], ["a", 0]]);
  assert.equal(handled.subscriptions, mixed.subscriptions);
  assert.equal(handled.control, mixed.control);
  assert.deepEqual(router.penalised, [[peer.toString(), "a"], [peer.toString(), "b"]]);
  // The penalised peer's next frame meets its new score; other peers keep theirs.
  assert.deepEqual([...router.score.scoreCache.keys()], [other]);
  assert.deepEqual(refused, [
    { peer: peer.toString(), topic: "a", bytes: 5 },
    { peer: peer.toString(), topic: "b", bytes: 3 },
  ]);
});

Deno.test("`guardGossipSizes()` refuses a router without the methods it wraps", () => {
  assert.throws(
    () => guardGossipSizes({ handleReceivedRpc: () => Promise.resolve() }, new Map(), () => undefined),
    /Cannot guard gossip sizes/,
  );
});
