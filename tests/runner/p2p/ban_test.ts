import assert from "node:assert/strict";
import type { P2pEvent } from "../../../runner/p2p/events.ts";
import {
  connect,
  makeCommitment,
  OTHER_KEY,
  startNode,
  stopAll,
  type TestNode,
  waitFor,
} from "./_helpers.ts";

/** Shrunk windows (1 s instead of 10 s, 2 s instead of 30 s) with the production thresholds. */
const FAST_REPUTATION = { reputation: { windowMs: 1_000, banAfterMs: 2_000 } };

Deno.test("a peer publishing invalid and wrong-signer commitments falls, is banned, and never reaches the third node", async () => {
  const nodes: TestNode[] = [];
  const controller = new AbortController();
  try {
    const attacker = await startNode();
    const honest = await startNode(FAST_REPUTATION);
    const far = await startNode();
    nodes.push(attacker, honest, far);
    // The client rejects commitments from a signer that is not elected (lesson P2P-7).
    honest.validator.verdict = (sc) => sc.commitment.preconf.blockNumber >= 1_000n ? "reject" : "accept";
    const bans: P2pEvent[] = [];
    const events = honest.net.events({ signal: controller.signal });
    const collecting = (async () => {
      for await (const e of events) if (e.type === "PeerBanned") bans.push(e);
    })();
    await connect(attacker, honest);
    await connect(honest, far);
    // One honest message first: the path works.
    await attacker.net.publishCommitment(makeCommitment(1n));
    await waitFor("the honest message at the far node", () => far.validator.commitments.length === 1);

    let n = 0;
    const attackerId = attacker.net.peerId;
    while (bans.length === 0) {
      n++;
      const bad = makeCommitment(1_000n + BigInt(n), n % 2 === 0 ? OTHER_KEY : undefined);
      // Odd rounds: a signature with v = 27 (refused by the network layer); even rounds: a valid
      // signature by a key the client does not accept.
      const published = n % 2 === 0
        ? bad
        : { ...bad, signature: `0x${bad.signature.slice(2, 130)}1b` as const };
      await attacker.net.publishCommitment(published).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(n < 200, "no ban after 20 s");
    }
    assert.equal((bans[0] as Extract<P2pEvent, { type: "PeerBanned" }>).data.peer, attackerId);
    assert.equal(honest.net.reputationOf(attackerId).standing, "banned");
    assert.ok(honest.net.reputationOf(attackerId).score <= -5);
    await waitFor("the ban to disconnect", () => !honest.net.peers().includes(attackerId));
    // Redialling is refused by the gater (the dial may fail, or the connection is closed at once).
    await attacker.net.dial(honest.net.listenAddresses()[0] as string).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!honest.net.peers().includes(attackerId));
    // The wrong-signer commitments reached the client's validator (valid signatures) and were rejected there.
    assert.ok(honest.validator.commitments.some((sc) => sc.commitment.preconf.blockNumber >= 1_000n));
    assert.equal(far.validator.commitments.length, 1, "no bad commitment was forwarded");
    controller.abort();
    await collecting;
  } finally {
    controller.abort();
    await stopAll(nodes);
  }
});
