/**
 * The machine's libp2p floors over loopback, between this process and a peer process, both on
 * plain nodes built with the product's libp2p options: a request/response round trip (a new stream
 * per request, as the product's requester opens, 382-byte frames) and gossip one way (publish in the
 * peer until the message event here, at 50 messages/s).
 *
 * @module
 */
import { lpStream } from "@libp2p/utils";
import { multiaddr } from "@multiformats/multiaddr";
import { BenchChild } from "../harness/child.ts";
import { wallMs } from "../harness/child_io.ts";
import type { BenchContext } from "../harness/context.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { Prng } from "../fixtures/prng.ts";
import { encodeMessageFile } from "../peers/message_file.ts";
import { BENCH_TOPICS, onGossip, startPlainNode } from "../peers/plain_node.ts";

/** The echo protocol the peer process answers (see `peers/gossip_peer.ts`). */
const ECHO_PROTOCOL = "/bench/echo/1.0.0";

/** The rate of the gossip floor, as in the gossip-to-engine target. */
export const GOSSIP_FLOOR_RATE_PER_SEC = 50;

/** libp2p floors on loopback. */
export interface Libp2pLimits {
  /** Request/response round trip, milliseconds. */
  readonly roundTripMs: Summary;
  /** Gossip publish-to-arrival across processes, milliseconds. */
  readonly gossipOneWayMs: Summary;
  /** Gossip messages that never arrived. */
  readonly gossipLost: number;
}

/**
 * Measures the libp2p floors.
 *
 * @param ctx The run.
 * @returns Round trip and one-way gossip summaries.
 */
export async function measureLibp2pLimits(ctx: BenchContext): Promise<Libp2pLimits> {
  const peer = BenchChild.spawn("peers/gossip_peer.ts");
  const node = await startPlainNode();
  try {
    const ready = await peer.next("ready");
    const arrivals = new Map<number, number>();
    for (const topic of Object.values(BENCH_TOPICS)) node.services.pubsub.subscribe(topic);
    onGossip(node, (data) => {
      arrivals.set(new DataView(data.buffer, data.byteOffset).getUint32(0), wallMs());
    });
    const address = multiaddr((ready.addrs as string[])[0] as string);
    await node.dial(address);

    const prng = new Prng(3);
    const frame = prng.bytes(382);
    const rounds = ctx.short ? 50 : 1_000;
    const rtt: number[] = [];
    for (let i = 0; i < rounds + 10; i++) {
      const start = performance.now();
      const stream = await node.dialProtocol(address, ECHO_PROTOCOL);
      // The product's requester: write one frame, close our side, read one frame.
      const lp = lpStream(stream);
      await lp.write(frame);
      await stream.close();
      await lp.read();
      if (i >= 10) rtt.push(performance.now() - start);
    }

    const count = ctx.short ? 40 : 500;
    const records = Array.from({ length: count }, (_, i) => {
      const data = prng.bytes(382);
      new DataView(data.buffer).setUint32(0, i);
      return { kind: "commitment" as const, withPrevious: false, data };
    });
    const file = `${ctx.tempDir}/gossip_floor.bin`;
    await Deno.writeFile(file, encodeMessageFile(records));
    await peer.send({
      cmd: "publish",
      file,
      ratePerSec: GOSSIP_FLOOR_RATE_PER_SEC,
      waitFor: node.peerId.toString(),
    });
    const published = await peer.next("published", 120_000);
    await new Promise((r) => setTimeout(r, 500));
    const sent = published.times as number[];
    const oneWay: number[] = [];
    let lost = 0;
    sent.forEach((t, i) => {
      const arrived = arrivals.get(i);
      if (arrived === undefined) lost++;
      else oneWay.push(arrived - t);
    });
    return { roundTripMs: summarize(rtt), gossipOneWayMs: summarize(oneWay), gossipLost: lost };
  } finally {
    await peer.stop();
    await node.stop();
  }
}
