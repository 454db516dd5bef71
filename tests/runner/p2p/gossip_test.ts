import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { connect, makeCommitment, startNode, stopAll, type TestNode, waitFor } from "./_helpers.ts";

Deno.test("`P2pNetwork` delivers a commitment and a txlist to every node of a line exactly once", async () => {
  const nodes: TestNode[] = [];
  try {
    for (let i = 0; i < 4; i++) nodes.push(await startNode());
    const [a, b, c, d] = nodes as [TestNode, TestNode, TestNode, TestNode];
    // A line a - b - c - d, plus a - c: c hears every message twice and must deliver it once.
    await connect(a, b);
    await connect(b, c);
    await connect(c, d);
    await connect(a, c);
    const sc = makeCommitment(1n);
    const txlist = Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01);
    const published = await a.net.publishCommitment(sc);
    assert.ok(published.peers >= 1);
    await a.net.publishRawTxList({ rawTxListHash: keccak256(txlist), txlist });
    await waitFor(
      "delivery to b, c, d",
      () => [b, c, d].every((n) => n.validator.commitments.length >= 1 && n.validator.txlists.length >= 1),
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const n of [b, c, d]) {
      assert.equal(n.validator.commitments.length, 1);
      assert.deepEqual(n.validator.commitments[0], sc);
      assert.equal(n.validator.txlists.length, 1);
    }
    assert.equal(a.validator.commitments.length, 0, "the publisher does not validate its own message");
  } finally {
    await stopAll(nodes);
  }
});

Deno.test("`P2pNetwork.publishCommitment()` succeeds with zero peers and reports 0 peers reached", async () => {
  const a = await startNode();
  try {
    const outcome = await a.net.publishCommitment(makeCommitment(5n));
    assert.deepEqual(outcome, { peers: 0, duplicate: false });
    const again = await a.net.publishCommitment(makeCommitment(5n));
    assert.equal(again.duplicate, true);
  } finally {
    await stopAll([a]);
  }
});
