/**
 * Two driver nodes (runners with their production parts), each with its own engine, on one devnet:
 * B starts after A has published 20 blocks and catches up by request/response; then blocks A
 * publishes reach B by gossip and B answers `get_head` with the new head; then commitments arriving out of order (3 and 2 before 1) wait until
 * 1 arrives and are inserted in order. Both engines end with the same block hashes.
 */
import assert from "node:assert/strict";
import { bytesToHex, keccak256 } from "viem";
import { type Devnet, startDevnet } from "../devnet/network.ts";
import type { PreconfMessage } from "../devnet/preconfer.ts";
import type { EngineSimulator } from "../devnet/engine/engine_simulator.ts";
import { type E2eNode, E2ePublisher, startE2eNode, waitFor } from "./helpers/e2e_driver.ts";

/** How long catch-up of 20 blocks may take: three pacing windows of 11 s, with a margin. */
const CATCH_UP_WAIT_MS = 60_000;

function hashesOf(engine: EngineSimulator, from: bigint, to: bigint): (string | undefined)[] {
  const hashes = [];
  for (let n = from; n <= to; n++) hashes.push(engine.canonicalBlock(n)?.hash);
  return hashes;
}

/** How node accepted each commitment of a range ("catchup", "gossip" or "rpc"). */
function sourcesOf(node: E2eNode, from: bigint, to: bigint): (string | undefined)[] {
  const sources = [];
  for (let n = from; n <= to; n++) sources.push(node.node.client.store.commitmentAt(n)?.source);
  return sources;
}

function assertLinked(engine: EngineSimulator, from: bigint, to: bigint): void {
  for (let n = from; n <= to; n++) {
    assert.equal(engine.canonicalBlock(n)?.header.parentHash, engine.canonicalBlock(n - 1n)?.hash);
  }
}

Deno.test("two driver nodes: catch-up by request/response, gossip and out-of-order commitments give both engines the same blocks", async (t) => {
  const devnet: Devnet = await startDevnet({ engines: 2 });
  const nodes: E2eNode[] = [];
  try {
    const a = await startE2eNode(devnet, { engineIndex: 0 });
    nodes.push(a);
    const publisher = new E2ePublisher(devnet, a.engine);
    let b: E2eNode | null = null;

    await t.step("B, started after A published 20 blocks, reaches A's head by request/response", async () => {
      for (let i = 0; i < 20; i++) {
        const { result } = await publisher.publishNext(a.rpcUrl);
        assert.equal(result.propagated, false);
      }
      assert.equal(a.engine.head().header.number, 20n);
      b = await startE2eNode(devnet, { engineIndex: 1, staticPeers: [a.p2pAddress] });
      nodes.push(b);
      const engineB = b.engine;
      // Twenty txlists by request, paced at 7 per peer per 11 s: about three windows.
      await waitFor(() => engineB.head().header.number === 20n, "block 20 on B", CATCH_UP_WAIT_MS);
      assert.deepEqual(hashesOf(engineB, 1n, 20n), hashesOf(a.engine, 1n, 20n));
      assertLinked(engineB, 1n, 20n);
      assert.deepEqual(sourcesOf(b, 1n, 20n), Array(20).fill("catchup"));
    });

    await t.step(
      "blocks A publishes reach B by gossip with the same hashes, and B serves its new head",
      async () => {
        const nodeB = b as E2eNode | null;
        assert.ok(nodeB !== null);
        const peerA = a.node.network.peerId;
        const peerB = nodeB.node.network.peerId;
        await waitFor(
          () =>
            a.node.network.topicPeers("commitment").includes(peerB) &&
            a.node.network.topicPeers("raw_txlists").includes(peerB) &&
            nodeB.node.network.topicPeers("commitment").includes(peerA),
          "gossip subscriptions between A and B",
        );
        for (let i = 0; i < 3; i++) {
          const { result } = await publisher.publishNext(a.rpcUrl);
          assert.equal(result.propagated, true, result.propagationError ?? "");
        }
        await waitFor(() => nodeB.engine.head().header.number === 23n, "block 23 on B");
        assert.deepEqual(hashesOf(nodeB.engine, 21n, 23n), hashesOf(a.engine, 21n, 23n));
        assertLinked(nodeB.engine, 21n, 23n);
        assert.deepEqual(sourcesOf(nodeB, 21n, 23n), ["gossip", "gossip", "gossip"]);
        // head_gossip_e2e: B now serves block 23 as its head on get_head.
        assert.equal((await a.node.network.requestHead(peerB)).blockNumber, 23n);
      },
    );

    await t.step(
      "commitments 3 and 2 arriving before 1 wait, then all three are inserted in order",
      async () => {
        const nodeB = b as E2eNode | null;
        assert.ok(nodeB !== null);
        const blocks = await publisher.planChain(3);
        const messages: PreconfMessage[] = blocks.map((block) => publisher.sign(block));
        const [first, second, third] = messages as [PreconfMessage, PreconfMessage, PreconfMessage];
        const head = a.engine.head().header.number;
        const newPayloads = [a.engine, nodeB.engine].map((e) => e.callCount("engine_newPayloadV2"));

        for (const message of messages) {
          const answer = await a.call("preconf_publishTxList", [{
            txListHash: message.txListHash,
            txList: bytesToHex(message.txList),
          }]);
          assert.ok(answer.ok, JSON.stringify(answer));
        }
        for (const message of [third, second]) {
          const answer = await a.call("preconf_publishCommitment", [{
            commitment: bytesToHex(message.commitment),
          }]);
          assert.deepEqual(answer, {
            ok: true,
            result: { commitmentHash: keccak256(message.commitment), txListHash: message.txListHash },
          });
        }
        const waiting = (node: E2eNode): bigint[] =>
          node.node.client.store.pendingEntries().map((entry) => entry.signed.commitment.preconf.blockNumber);
        await waitFor(
          () => waiting(nodeB).join() === [head + 2n, head + 3n].join(),
          "blocks 2 and 3 buffered on B",
        );
        assert.deepEqual(waiting(a), [head + 2n, head + 3n]);
        assert.deepEqual(
          [a.engine, nodeB.engine].map((e) => e.callCount("engine_newPayloadV2")),
          newPayloads,
        );
        assert.equal(nodeB.engine.head().header.number, head);

        const answer = await a.call("preconf_publishCommitment", [{
          commitment: bytesToHex(first.commitment),
        }]);
        assert.ok(answer.ok, JSON.stringify(answer));
        for (const node of [a, nodeB]) {
          await waitFor(() => node.engine.head().header.number === head + 3n, `block ${head + 3n}`);
          assertLinked(node.engine, head + 1n, head + 3n);
          assert.deepEqual(node.node.client.store.pendingEntries(), []);
        }
        assert.deepEqual(hashesOf(nodeB.engine, 1n, head + 3n), hashesOf(a.engine, 1n, head + 3n));
        assert.deepEqual(sourcesOf(nodeB, head + 1n, head + 3n), ["gossip", "gossip", "gossip"]);
        assert.deepEqual(
          [a.engine, nodeB.engine].map((e) => e.callCount("engine_newPayloadV2")),
          newPayloads.map((count) => count + 3),
        );
      },
    );
  } finally {
    for (const node of nodes.reverse()) await node.stop();
    await devnet.stop();
  }
});
