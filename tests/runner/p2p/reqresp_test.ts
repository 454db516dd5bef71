import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { P2pError } from "../../../runner/p2p/errors.ts";
import { OUTBOUND_RATE_LIMITS } from "../../../runner/p2p/reqresp/protocols.ts";
import { recoverSigner } from "../../../runner/p2p/wire/signing.ts";
import { connect, makeCommitment, startNode, stopAll, type TestNode } from "./_helpers.ts";

Deno.test("paging 1,000 commitments with `requestCommitments()` returns them in order under the default limits", async () => {
  let server: TestNode | undefined;
  let client: TestNode | undefined;
  try {
    server = await startNode();
    client = await startNode();
    for (let n = 1n; n <= 1_000n; n++) server.storage.addCommitment(makeCommitment(n));
    await connect(client, server);
    const fetched: bigint[] = [];
    let next = 1n;
    while (next <= 1_000n) {
      const page = await client.net.requestCommitments(next, 256, server.net.peerId);
      assert.ok(page.length > 0);
      fetched.push(...page.map((rc) => rc.signed.commitment.preconf.blockNumber));
      for (const rc of page) assert.equal(rc.signer, recoverSigner(rc.signed));
      next = (page.at(-1)?.signed.commitment.preconf.blockNumber ?? next) + 1n;
    }
    assert.equal(fetched.length, 1_000);
    assert.deepEqual(fetched, Array.from({ length: 1_000 }, (_, i) => BigInt(i + 1)));
    assert.ok(client.net.reputationOf(server.net.peerId).score > 0, "valid responses earn reputation");
  } finally {
    await stopAll([server, client]);
  }
});

Deno.test("`requestHead()` and `requestRawTxList()` return the head, a txlist, and null for not found", async () => {
  let server: TestNode | undefined;
  let client: TestNode | undefined;
  try {
    server = await startNode();
    client = await startNode();
    await connect(client, server);
    assert.deepEqual(await client.net.requestHead(), { blockNumber: 0n, submissionWindowEnd: 0n });
    server.net.updateHead({ blockNumber: 42n, submissionWindowEnd: 99n });
    server.net.updateHead({ blockNumber: 41n, submissionWindowEnd: 1n });
    assert.deepEqual(await client.net.requestHead(server.net.peerId), {
      blockNumber: 42n,
      submissionWindowEnd: 99n,
    });
    const txlist = Uint8Array.of(1, 2, 3, 4);
    const hash = keccak256(txlist);
    server.storage.addTxList({ rawTxListHash: hash, txlist });
    assert.deepEqual(await client.net.requestRawTxList(hash), { rawTxListHash: hash, txlist });
    const before = client.net.reputationOf(server.net.peerId).score;
    assert.equal(await client.net.requestRawTxList(keccak256("0xabab")), null);
    const after = client.net.reputationOf(server.net.peerId).score;
    // Only decay moves it (well under the 0.05 reward or the 1.0 penalty).
    assert.ok(Math.abs(after - before) < 0.001, `not found costs and earns nothing: ${before} -> ${after}`);
    assert.equal(client.net.reputationOf(server.net.peerId).standing, "good");
  } finally {
    await stopAll([server, client]);
  }
});

Deno.test("the default inbound limits refuse a flood without a ban, while paced catch-up passes", async () => {
  let server: TestNode | undefined;
  let flooder: TestNode | undefined;
  try {
    server = await startNode();
    // The flooder turns its own pacing off to send 48 requests at once.
    const unpaced = { maxRequests: 1_000, windowMs: 1_000 };
    flooder = await startNode({
      outboundRateLimits: { head: unpaced, commitments: unpaced, raw_txlists: unpaced },
    });
    for (let n = 1n; n <= 10n; n++) server.storage.addCommitment(makeCommitment(n));
    await connect(flooder, server);
    const results = await Promise.allSettled(
      Array.from({ length: 48 }, () => flooder!.net.requestCommitments(1n, 10, server!.net.peerId)),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) =>
      r.status === "rejected" && r.reason instanceof P2pError && r.reason.kind === "NoResponse"
    ).length;
    assert.equal(ok, 32, "the burst is served");
    assert.equal(refused, 16, "the rest are refused with an empty close");
    const standing = server.net.reputationOf(flooder.net.peerId);
    assert.ok(
      standing.score >= -4 && standing.score < -3.5,
      `refusals cost at most 4 per window: ${standing.score}`,
    );
    assert.notEqual(standing.standing, "banned");
    assert.ok(server.net.peers().includes(flooder.net.peerId), "still connected");
    assert.equal(OUTBOUND_RATE_LIMITS.commitments.maxRequests, 7);
  } finally {
    await stopAll([server, flooder]);
  }
});
