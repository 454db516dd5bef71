import assert from "node:assert/strict";
import { SocketClosedError } from "viem";
import { startAnvil } from "../../../devnet/anvil.ts";
import { DriverError } from "../../../driver/errors.ts";
import { createL1Client } from "../../../driver/rpc/l1_client.ts";
import { TcpProxy } from "../../helpers/tcp_proxy.ts";

Deno.test("`createL1Client()` reads heads, blocks and tags from anvil over WebSocket", async () => {
  const anvil = await startAnvil({ warmUpKzg: false });
  const l1 = createL1Client(anvil.wsUrl);
  try {
    await anvil.client.request({ method: "anvil_mine" as "eth_blockNumber", params: ["0x5"] as never });
    assert.equal(await l1.headNumber(), 5n);
    const block = await l1.blockByNumber(3n);
    const expected = await anvil.client.getBlock({ blockNumber: 3n });
    assert.equal(block?.hash, expected.hash);
    assert.equal(block?.parentHash, expected.parentHash);
    assert.equal(block?.timestamp, expected.timestamp);
    assert.equal(block?.stateRoot, expected.stateRoot);
    assert.deepEqual(await l1.blockByHash(expected.hash), block);
    assert.equal(await l1.blockByNumber(99n), null);
    assert.equal((await l1.blockByNumber("latest"))?.number, 5n);
  } finally {
    l1.close();
    await anvil.stop();
  }
});

Deno.test("`createL1Client()` reconnects after a WebSocket drop and reports the drop", async () => {
  const anvil = await startAnvil({ warmUpKzg: false });
  const proxy = TcpProxy.start(anvil.port);
  const l1 = createL1Client(`ws://127.0.0.1:${proxy.port}`);
  let drops = 0;
  l1.onDisconnect(() => drops++);
  try {
    assert.equal(await l1.headNumber(), 0n);
    proxy.refuse(true);
    proxy.dropAll();
    await assert.rejects(l1.headNumber(), (error) => error instanceof SocketClosedError);
    assert.equal(drops, 1);
    assert.equal(l1.disconnects, 1);
    proxy.refuse(false);
    assert.equal(await l1.headNumber(), 0n);
  } finally {
    l1.close();
    await proxy.stop();
    await anvil.stop();
  }
});

Deno.test("`createL1Client()` fails every request after `close()` with kind Stopped", async () => {
  const anvil = await startAnvil({ warmUpKzg: false });
  const l1 = createL1Client(anvil.wsUrl);
  try {
    await l1.headNumber();
    l1.close();
    await assert.rejects(
      l1.headNumber(),
      (error) => error instanceof DriverError && error.kind === "Stopped",
    );
    assert.equal(l1.disconnects, 0);
  } finally {
    await anvil.stop();
  }
});

Deno.test("`createL1Client()` refuses a URL that is neither WebSocket nor HTTP", () => {
  assert.throws(() => createL1Client("ftp://127.0.0.1:1"), TypeError);
});
