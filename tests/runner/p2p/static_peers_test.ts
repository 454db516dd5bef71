import assert from "node:assert/strict";
import { startNode, stopAll, type TestNode, waitFor } from "./_helpers.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("a static peer that starts late is dialled, keeps its peer id across a restart, and is redialled", async () => {
  const dir = await Deno.makeTempDir();
  let waiting: TestNode | undefined;
  let late: TestNode | undefined;
  try {
    const keyPath = `${dir}/late.key`;
    const port = freePort();
    const listen = [`/ip4/127.0.0.1/tcp/${port}`];
    // Learn the late node's id from its key file (created on the first start).
    late = await startNode({ nodeKeyPath: keyPath, listenAddresses: listen });
    const lateId = late.net.peerId;
    await late.net.stop();
    late = undefined;

    waiting = await startNode({ staticPeers: [`/ip4/127.0.0.1/tcp/${port}/p2p/${lateId}`] });
    // The static peer is down: the dialler keeps retrying with backoff (capped at 400 ms here).
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(waiting.net.peerCount, 0);

    late = await startNode({ nodeKeyPath: keyPath, listenAddresses: listen });
    assert.equal(late.net.peerId, lateId, "the key file keeps the peer id");
    const w = waiting;
    await waitFor("the late static peer to be dialled", () => w.net.peers().includes(lateId));

    // A restart of the static peer: it is redialled after the disconnect.
    await late.net.stop();
    await waitFor("the disconnect", () => !w.net.peers().includes(lateId));
    late = await startNode({ nodeKeyPath: keyPath, listenAddresses: listen });
    assert.equal(late.net.peerId, lateId);
    await waitFor("the redial", () => w.net.peers().includes(lateId));
  } finally {
    await stopAll([waiting, late]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`P2pNetwork` refuses unspecified, multicast and broadcast advertise addresses", async () => {
  for (
    const address of [
      "/ip4/0.0.0.0/tcp/9000",
      "/ip4/255.255.255.255/tcp/9000",
      "/ip4/224.0.0.1/tcp/9000",
      "/ip6/::/tcp/9000",
      "/ip6/ff02::1/tcp/9000",
    ]
  ) {
    await assert.rejects(startNode({ advertiseAddresses: [address] }), TypeError, address);
  }
  const node = await startNode({ advertiseAddresses: ["/ip4/203.0.113.7/tcp/9000"] });
  try {
    assert.ok(node.net.listenAddresses().some((a) => a.startsWith("/ip4/203.0.113.7/tcp/9000/p2p/")));
  } finally {
    await stopAll([node]);
  }
});
