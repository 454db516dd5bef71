import assert from "node:assert/strict";
import { P2pNetwork } from "../../../runner/p2p/p2p_network.ts";
import { encodeSignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { commitmentHash } from "../../../runner/p2p/wire/signing.ts";
import { setupClient } from "./_client_setup.ts";
import { chain, emptyTxList, SLASHER, waitFor } from "./_fixtures.ts";

const LIST = emptyTxList();

async function startNode() {
  const parts = setupClient();
  const network = new P2pNetwork({ storage: parts.client.storage, validator: parts.client, metrics: null }, {
    chainId: 167001n,
    listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
    expectedSlasher: SLASHER,
    stopTimeoutMs: 3_000,
  });
  parts.client.attachNetwork(network);
  await network.start();
  return { ...parts, network };
}

async function connect(a: P2pNetwork, b: P2pNetwork): Promise<void> {
  await a.dial(b.listenAddresses()[0] as string);
  await waitFor(
    () => a.topicPeers("commitment").includes(b.peerId) && b.topicPeers("raw_txlists").includes(a.peerId),
    "gossip subscriptions",
    1000,
  );
}

Deno.test("a block published on node A is gossiped to node B, which inserts the same blocks", async () => {
  const a = await startNode();
  const b = await startNode();
  try {
    await a.client.start();
    await b.client.start();
    await connect(a.network, b.network);
    const blocks = chain(1n, 3, () => ({ rawTxListHash: LIST.rawTxListHash }));
    for (const signed of blocks) {
      const result = await a.client.publishBlock({
        commitment: encodeSignedCommitment(signed),
        commitmentHash: commitmentHash(signed),
        txList: LIST,
      });
      assert.equal(result.local.kind, "Inserted");
      assert.deepEqual(result.propagation, { kind: "Propagated" });
    }
    await waitFor(() => b.client.head === 3n, "block 3 on B", 1000);
    for (const n of [1n, 2n, 3n]) assert.equal(b.l2.blocks.get(n)?.hash, a.l2.blocks.get(n)?.hash);
    assert.deepEqual(b.driver.blockNumbers, [1n, 2n, 3n]);
  } finally {
    await Promise.allSettled([a.client.stop(), b.client.stop()]);
    await Promise.allSettled([a.network.stop(), b.network.stop()]);
  }
});

Deno.test("node B, started after A published 20 blocks, catches up to A's head by request/response", async () => {
  const a = await startNode();
  const b = await startNode();
  try {
    await a.client.start();
    for (const signed of chain(1n, 20, () => ({ rawTxListHash: LIST.rawTxListHash }))) {
      const result = await a.client.publishBlock({
        commitment: encodeSignedCommitment(signed),
        commitmentHash: commitmentHash(signed),
        txList: LIST,
      });
      assert.deepEqual(result.propagation, { kind: "NotPropagated", reason: "no peers" });
    }
    assert.equal(a.client.head, 20n);
    await connect(b.network, a.network);
    await b.client.start();
    await waitFor(() => b.client.head === 20n, "block 20 on B", 1000);
    assert.equal(b.l2.blocks.get(20n)?.hash, a.l2.blocks.get(20n)?.hash);
    assert.equal(b.driver.submissions.length, 20);
  } finally {
    await Promise.allSettled([a.client.stop(), b.client.stop()]);
    await Promise.allSettled([a.network.stop(), b.network.stop()]);
  }
});
