import assert from "node:assert/strict";
import { type P2pEvent, P2pEventHub } from "../../../runner/p2p/events.ts";

Deno.test("`P2pEventHub` replaces what a full subscriber missed with one `EventsDropped` event", async () => {
  const hub = new P2pEventHub(null);
  const controller = new AbortController();
  const events = hub.subscribe({ signal: controller.signal, capacity: 3 })[Symbol.asyncIterator]();
  for (let i = 0; i < 10; i++) hub.emit("PeerConnected", { peer: `p${i}` });
  const seen: P2pEvent[] = [];
  for (let i = 0; i < 4; i++) seen.push((await events.next()).value as P2pEvent);
  hub.emit("PeerDisconnected", { peer: "p0" });
  seen.push((await events.next()).value as P2pEvent);
  assert.deepEqual(seen.map((e) => e.type), [
    "PeerConnected",
    "PeerConnected",
    "PeerConnected",
    "EventsDropped",
    "PeerDisconnected",
  ]);
  assert.deepEqual(seen[3]?.data, { dropped: 7, byEvent: { PeerConnected: 7 } });
  controller.abort();
  assert.equal((await events.next()).done, true);
});

Deno.test("`P2pEventHub.subscribe()` queues events emitted before iteration starts and ends on close", async () => {
  const hub = new P2pEventHub(null);
  const events = hub.subscribe();
  hub.emit("PeerConnected", { peer: "x" });
  hub.close();
  const seen: string[] = [];
  for await (const e of events) seen.push(e.type);
  assert.deepEqual(seen, []);
  const hub2 = new P2pEventHub(null);
  const it = hub2.subscribe()[Symbol.asyncIterator]();
  hub2.emit("PeerConnected", { peer: "y" });
  assert.deepEqual((await it.next()).value, { type: "PeerConnected", data: { peer: "y" } });
  hub2.close();
});
