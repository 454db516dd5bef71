/**
 * Drops the gossip frames of a peer gossipsub has graylisted before gossipsub joins and decodes
 * them. gossipsub reads every frame a peer sends, copies its chunks into one buffer and decodes the
 * RPC, and only then sees that the peer is graylisted and ignores it (`acceptFrom`). For a peer
 * flooding 2 MiB frames that copy was most of the node's event-loop time (bench T6 profile: tasks
 * of 120-140 ms, about 90 % of them in the join) and a 2 MiB allocation per frame. Here a frame that
 * arrives while the peer is graylisted is counted and let go as the list of chunks it came in.
 *
 * The outcome is the one gossipsub would reach itself: a graylisted peer's RPCs are ignored (its
 * one exception, a whitelist of at most a second for peers whose score was high, cannot hold a peer
 * below the graylist threshold). Our reputation keeps counting the peer's graylisting once per window
 * (`P2pNetwork`), so the path to a ban is unchanged.
 *
 * @module
 */
import type { PeerId } from "@libp2p/interface";
import type { Uint8ArrayList } from "uint8arraylist";

/** The part of js-gossipsub 17.1.1 the filter wraps (not in its public type). */
interface FrameReader {
  pipePeerReadStream(peerId: PeerId, stream: AsyncIterable<Uint8ArrayList>): Promise<void>;
}

/**
 * Installs the filter on a gossipsub instance, before it starts (inbound streams opened earlier
 * are not filtered).
 *
 * @example
 * ```ts ignore
 * dropGraylistedFrames(node.services.pubsub, (peer) => router.getScore(peer) < GRAYLIST_THRESHOLD, () => {});
 * ```
 *
 * @param pubsub The gossipsub service.
 * @param isGraylisted Whether gossipsub ignores the peer (base58 id) now; asked once per frame.
 * @param onDropped Called once per dropped frame with its size in bytes (must not throw).
 * @throws {Error} The gossipsub instance lacks the method the filter wraps (another version).
 */
export function dropGraylistedFrames(
  pubsub: unknown,
  isGraylisted: (peer: string) => boolean,
  onDropped: (peer: string, bytes: number) => void,
): void {
  const router = pubsub as FrameReader;
  if (typeof router.pipePeerReadStream !== "function") {
    throw new Error(
      "Cannot drop graylisted gossip frames: gossipsub lacks pipePeerReadStream, pin @libp2p/gossipsub@17.1.1",
    );
  }
  const pipe = router.pipePeerReadStream.bind(router);
  router.pipePeerReadStream = (peerId, stream) => {
    const peer = peerId.toString();
    return pipe(peerId, unlessGraylisted(stream, peer, isGraylisted, onDropped));
  };
}

async function* unlessGraylisted(
  frames: AsyncIterable<Uint8ArrayList>,
  peer: string,
  isGraylisted: (peer: string) => boolean,
  onDropped: (peer: string, bytes: number) => void,
): AsyncGenerator<Uint8ArrayList> {
  for await (const frame of frames) {
    if (isGraylisted(peer)) {
      onDropped(peer, frame.byteLength);
      continue;
    }
    yield frame;
  }
}
