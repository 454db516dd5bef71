/**
 * A remote peer in its own process, on a plain node built like the product's: it answers an echo
 * protocol (the request/response floor) and publishes a message file at a fixed rate (the gossip
 * floor, and the publisher of the gossip-to-engine benchmark), reporting when each left.
 *
 * Commands: `{cmd: "dial", addr}`, `{cmd: "publish", file, ratePerSec, waitFor, startAt?}` (`startAt`:
 * wall-clock ms of the first tick), `{cmd: "stop"}`.
 * Messages: `ready`, `dialed`, `published` (`times`: wall-clock ms per record), `error`.
 *
 * @module
 */
import { lpStream } from "@libp2p/utils";
import { multiaddr } from "@multiformats/multiaddr";
import { commands, emit, wallMs } from "../harness/child_io.ts";
import { decodeMessageFile } from "./message_file.ts";
import { BENCH_TOPICS, onGossip, startPlainNode, waitForSubscriber } from "./plain_node.ts";

/** The echo protocol of the round-trip floor. */
export const ECHO_PROTOCOL = "/bench/echo/1.0.0";

const node = await startPlainNode();
for (const topic of Object.values(BENCH_TOPICS)) node.services.pubsub.subscribe(topic);
onGossip(node, () => {});
await node.handle(ECHO_PROTOCOL, async (stream) => {
  // One frame in, the same frame out, then close: the shape of the product's responder.
  const lp = lpStream(stream);
  try {
    await lp.write(await lp.read());
    await stream.close();
  } catch (error) {
    stream.abort(error as Error);
  }
}, { maxInboundStreams: 16 });
emit({ type: "ready", peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function publish(
  file: string,
  ratePerSec: number,
  waitFor: string,
  startAt: number | null,
): Promise<void> {
  const records = decodeMessageFile(await Deno.readFile(file));
  for (const topic of Object.values(BENCH_TOPICS)) await waitForSubscriber(node, topic, waitFor);
  if (startAt !== null && startAt > wallMs()) await sleep(startAt - wallMs());
  const times: number[] = [];
  let errors = 0;
  const start = performance.now();
  let tick = -1;
  for (const record of records) {
    if (!record.withPrevious) {
      tick++;
      const due = start + (tick * 1000) / ratePerSec;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
    }
    times.push(wallMs());
    try {
      await node.services.pubsub.publish(BENCH_TOPICS[record.kind], record.data);
    } catch {
      errors++;
    }
  }
  emit({ type: "published", times, errors });
}

for await (const command of commands()) {
  try {
    if (command.cmd === "dial") {
      await node.dial(multiaddr(String(command.addr)));
      emit({ type: "dialed" });
    } else if (command.cmd === "publish") {
      await publish(
        String(command.file),
        Number(command.ratePerSec),
        String(command.waitFor),
        command.startAt === undefined ? null : Number(command.startAt),
      );
    } else if (command.cmd === "stop") {
      break;
    }
  } catch (error) {
    emit({ type: "error", message: (error as Error).message });
  }
}
await node.stop();
Deno.exit(0);
