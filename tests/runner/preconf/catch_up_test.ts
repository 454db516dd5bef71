import assert from "node:assert/strict";
import type { SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import { preconfirmationHash } from "../../../runner/p2p/wire/signing.ts";
import { chain, commitment, emptyTxList, transferTxList, waitFor } from "./_fixtures.ts";
import { NetworkDouble, PeerDouble } from "./_network_double.ts";
import { setupClient } from "./_client_setup.ts";

const LIST = emptyTxList();

async function distinctBlocks(
  count: number,
  start = 1n,
): Promise<{ blocks: SignedCommitment[]; lists: RawTxListGossip[] }> {
  const lists = await Promise.all(Array.from({ length: count }, (_, i) => transferTxList(i)));
  const blocks = chain(start, count, (n) => ({ rawTxListHash: lists[Number(n - start)]!.rawTxListHash }));
  return { blocks, lists };
}

Deno.test("catch-up fetches 20 blocks from a peer and executes them in order", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  const { blocks, lists } = await distinctBlocks(20);
  network.addPeer("peer-a", new PeerDouble().serve(blocks, lists));
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(() => client.head === 20n, "block 20");
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
});

Deno.test("catch-up fetches 40 missing txlists from one peer without tripping its rate limit", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  const { blocks, lists } = await distinctBlocks(40);
  // The responder allows 8 per 100 ms; the client paces itself at 7 per 150 ms (wider than the production
  // margins: 7 per 11 s against 8 per 10 s).
  const peer = network.addPeer("peer-a", new PeerDouble().serve(blocks, lists));
  peer.limit = { max: 8, windowMs: 100 };
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(() => client.head === 40n, "block 40", 1000);
  } finally {
    await client.stop();
  }
  assert.equal(driver.submissions.length, 40);
  assert.equal(peer.requests.filter((r) => r.protocol === "raw_txlists").length, 40);
  assert.equal(peer.violations, 0);
});

Deno.test("catch-up with zero peers leaves the node live: gossip and local publishes still execute", async () => {
  const { client, driver, registry } = setupClient();
  const network = new NetworkDouble();
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(
      () =>
        /preconf_client_catchup_errors_total\{kind="no_peers"\}/.test(registry.metrics.toString()) || true,
      "metrics",
    );
    const [one] = chain(1n, 1, () => ({ rawTxListHash: LIST.rawTxListHash }));
    assert.equal(await client.validateRawTxList(LIST, "peer-late"), "accept");
    assert.equal(await client.validateCommitment(one!, "peer-late"), "accept");
    await waitFor(() => client.head === 1n, "block 1");
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [1n]);
  assert.match(await registry.metrics(), /preconf_client_catchup_errors_total\{kind="no_peers"\} [1-9]/);
});

Deno.test("catch-up bounds a lying peer's huge head and keeps what it really serves", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  const peer = network.addPeer(
    "peer-liar",
    new PeerDouble().serve(chain(1n, 5, () => ({ rawTxListHash: LIST.rawTxListHash })), [LIST]),
  );
  peer.claimedHead = 1n << 200n;
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(() => client.head === 5n, "block 5");
    await waitFor(() => peer.requests.filter((r) => r.protocol === "head").length >= 2, "a retry");
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n, 4n, 5n]);
  const pages = peer.requests.filter((r) => r.protocol === "commitments").length;
  const heads = peer.requests.filter((r) => r.protocol === "head").length;
  assert.ok(pages <= 2 * heads, `${pages} pages for ${heads} passes`);
});

Deno.test("catch-up does not execute a hash-linked chain with number gaps (101 -> 103 -> 105)", async () => {
  const { client, driver, clock } = setupClient({ head: 100n });
  clock.ms = 1_100_000;
  const [b101] = chain(101n, 1, () => ({ rawTxListHash: LIST.rawTxListHash }));
  const link101 = preconfirmationHash(b101!.commitment.preconf);
  const b103 = commitment({
    blockNumber: 103n,
    rawTxListHash: LIST.rawTxListHash,
    parentPreconfirmationHash: link101,
  });
  const b105 = commitment({
    blockNumber: 105n,
    rawTxListHash: LIST.rawTxListHash,
    parentPreconfirmationHash: preconfirmationHash(b103.commitment.preconf),
  });
  const network = new NetworkDouble();
  network.addPeer("peer-gappy", new PeerDouble().serve([b101!, b103, b105], [LIST]));
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(
      () => client.head === 101n && client.store.stats.pending === 2,
      "101 executed, 103 and 105 buffered",
    );
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [101n]);
  assert.equal(client.store.commitmentAt(103n), undefined);

  const [b102] = chain(102n, 1, () => ({ rawTxListHash: LIST.rawTxListHash }), link101);
  assert.equal(await client.validateCommitment(b102!, "peer-honest"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [101n, 102n]);
  assert.equal(client.store.commitmentAt(103n), undefined);
});

Deno.test("catch-up survives a failing txlist fetch and takes the txlist from another peer", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  const { blocks, lists } = await distinctBlocks(3);
  const failing = network.addPeer("peer-a", new PeerDouble().serve(blocks));
  failing.failTxLists = true;
  client.attachNetwork(network);
  await client.start();
  try {
    await waitFor(
      () =>
        client.store.stats.commitments === 3 && failing.requests.some((r) => r.protocol === "raw_txlists"),
      "a failed fetch",
    );
    assert.equal(driver.submissions.length, 0);
    network.addPeer("peer-b", new PeerDouble().serve(blocks, lists));
    await waitFor(() => client.head === 3n, "block 3", 1000);
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n]);
});

Deno.test("a gap seen on the live path triggers a backfill", async () => {
  const { client, driver, clock } = setupClient();
  const network = new NetworkDouble();
  const peer = network.addPeer("peer-a", new PeerDouble());
  client.attachNetwork(network);
  const blocks = chain(1n, 5, () => ({ rawTxListHash: LIST.rawTxListHash }));
  await client.start();
  try {
    await waitFor(() => client.catchUp.completed.value !== null, "the start-up pass");
    await client.validateRawTxList(LIST, "peer-a");
    for (const signed of blocks.slice(2)) {
      assert.equal(await client.validateCommitment(signed, "peer-a"), "ignore");
    }
    peer.serve(blocks, [LIST]);
    clock.ms += 5_000;
    await waitFor(() => client.head === 5n, "block 5", 1000);
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n, 4n, 5n]);
});

Deno.test("a live txlist fetch during a paced catch-up pass leaves the pass's hashes to it (no duplicate request)", async () => {
  const { client, driver, clock } = setupClient();
  const network = new NetworkDouble();
  const { blocks, lists } = await distinctBlocks(20);
  const peer = network.addPeer("peer-a", new PeerDouble().serve(blocks, lists));
  client.attachNetwork(network);
  await client.start();
  try {
    // The client's clock runs a second per poll, so the live path's grace for the next block's missing
    // txlist runs out while the pass waits for its next pacing window.
    await waitFor(
      () => {
        clock.ms += 1_000;
        return client.head === 20n;
      },
      "block 20",
      1000,
    );
  } finally {
    await client.stop();
  }
  assert.equal(driver.submissions.length, 20);
  assert.equal(peer.requests.filter((r) => r.protocol === "raw_txlists").length, 20);
});
