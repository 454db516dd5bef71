import assert from "node:assert/strict";
import { peerIdFromString } from "@libp2p/peer-id";
import { Uint8ArrayList } from "uint8arraylist";
import type { PeerId } from "@libp2p/interface";
import type { Registry } from "prom-client";
import { dropGraylistedFrames } from "../../../runner/p2p/graylisted_frames.ts";
import { MAX_VALID_GOSSIP_PAYLOAD_BYTES } from "../../../runner/p2p/message_id.ts";
import { COMMITMENT_TOPIC, sizeRejections, withRawPeer } from "./_raw_peer.ts";

const PEER = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

async function droppedGraylisted(registry: Registry): Promise<number> {
  return (await registry.getSingleMetric("p2p_gossip_dropped_graylisted")?.get())?.values[0]?.value ?? 0;
}

Deno.test("once gossipsub graylists a flooding peer, its frames are dropped unread instead of refused one by one", async () => {
  await withRawPeer(true, async (server, raw) => {
    const sent = 15;
    for (let i = 0; i < sent; i++) {
      const data = new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.commitment + 1);
      new DataView(data.buffer).setUint32(0, i);
      // Back to back: the size guard drops the peer's cached score with each penalty, so the graylist
      // applies from the next frame rather than a heartbeat (500 ms) later.
      await raw.services.pubsub.publish(COMMITMENT_TOPIC, data);
    }
    let refused = 0;
    let dropped = 0;
    for (let i = 0; i < 50 && refused + dropped < sent; i++) {
      refused = await sizeRejections(server.registry, "commitment");
      dropped = await droppedGraylisted(server.registry);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Two invalid deliveries take gossipsub's score below its graylist threshold (P4 weight -2,
    // squared); every later frame of the peer (its other RPCs too) is dropped without being read.
    assert.equal(refused, 2, `refused ${refused} of ${sent} before the graylist`);
    assert.ok(dropped >= sent - refused, `dropped ${dropped} frames, refused ${refused} of ${sent}`);
    assert.equal(server.validator.commitments.length, 0);
  });
});

/** The one member the filter wraps, recording what gossipsub would read. */
class FrameReaderDouble {
  readonly read: number[] = [];

  async pipePeerReadStream(_peerId: PeerId, stream: AsyncIterable<Uint8ArrayList>): Promise<void> {
    for await (const frame of stream) this.read.push(frame.byteLength);
  }
}

Deno.test("`dropGraylistedFrames()` passes frames while the peer is not graylisted and reports each one it drops", async () => {
  const router = new FrameReaderDouble();
  let graylisted = false;
  const dropped: [string, number][] = [];
  dropGraylistedFrames(
    router,
    (peer) => peer === PEER && graylisted,
    (peer, bytes) => dropped.push([peer, bytes]),
  );
  async function* frames(): AsyncGenerator<Uint8ArrayList> {
    yield new Uint8ArrayList(new Uint8Array(3));
    graylisted = true;
    yield new Uint8ArrayList(new Uint8Array(4), new Uint8Array(5));
    yield new Uint8ArrayList(new Uint8Array(6));
    graylisted = false;
    yield new Uint8ArrayList(new Uint8Array(7));
  }
  await router.pipePeerReadStream(peerIdFromString(PEER), frames());
  assert.deepEqual(router.read, [3, 7]);
  assert.deepEqual(dropped, [[PEER, 9], [PEER, 6]]);
});

Deno.test("`dropGraylistedFrames()` refuses a router without the method it wraps", () => {
  assert.throws(
    () => dropGraylistedFrames({}, () => false, () => undefined),
    /^Error: Cannot drop graylisted gossip frames: gossipsub lacks pipePeerReadStream/,
  );
});
