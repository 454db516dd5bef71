/**
 * One driver node on the devnet: what `preconf_publishBlock` does with blocks that are not the next
 * one (lesson R-5), and that the status methods report the engine's head right after it moves back
 * and forth (lesson L-4).
 */
import assert from "node:assert/strict";
import { type Address, getAddress, toHex } from "viem";
import { type Devnet, startDevnet } from "../devnet/network.ts";
import type { PreconfMessage } from "../devnet/preconfer.ts";
import { RPC_ERROR_CODES } from "../runner/rpc/error_codes.ts";
import {
  type E2eNode,
  E2ePublisher,
  publishBlockParams,
  type PublishedBlock,
  type RpcAnswer,
  startE2eNode,
} from "./helpers/e2e_driver.ts";

const OTHER_COINBASE: Address = getAddress("0x00000000000000000000000000000000c0ffee01");

function engineWrites(node: E2eNode): number[] {
  return ["engine_forkchoiceUpdatedV2", "engine_newPayloadV2"].map((m) => node.engine.callCount(m));
}

function assertRefused(answer: RpcAnswer, code: number, reason: string, message: RegExp): void {
  assert.equal(answer.ok, false, `expected a refusal with ${reason}, got ${JSON.stringify(answer)}`);
  if (answer.ok) return;
  assert.equal(answer.error.code, code, answer.error.message);
  assert.deepEqual(answer.error.data, { kind: "Validation", reason });
  assert.match(answer.error.message, message);
}

async function tips(node: E2eNode): Promise<{ tip: unknown; statusTip: unknown }> {
  const tip = await node.call("preconf_tip");
  const status = await node.call("preconf_getStatus");
  assert.ok(tip.ok && status.ok);
  return { tip: tip.result, statusTip: (status.result as { preconfTip: string }).preconfTip };
}

Deno.test("publishing out of order over JSON-RPC (R-5) and status after an engine reorg (L-4)", async (t) => {
  const devnet: Devnet = await startDevnet({ engines: 1 });
  let node: E2eNode | null = null;
  try {
    node = await startE2eNode(devnet, { engineIndex: 0 });
    const a = node;
    const engine = a.engine;
    const publisher = new E2ePublisher(devnet, engine);
    const published: { message: PreconfMessage; result: PublishedBlock }[] = [];
    for (let i = 0; i < 6; i++) published.push(await publisher.publishNext(a.rpcUrl));
    assert.equal(engine.head().header.number, 6n);

    await t.step(
      "R-5: `preconf_publishBlock` of head+2 is refused as NotSynced (AwaitingParent) and names the block to publish first",
      async () => {
        const [next, afterNext] = await publisher.planChain(2);
        assert.ok(next !== undefined && afterNext !== undefined);
        publisher.sign(next);
        const skipping = publisher.sign(afterNext);
        assert.equal(skipping.signed.commitment.preconf.blockNumber, 8n);
        const head = engine.head().hash;
        const writes = engineWrites(a);
        const answer = await a.call("preconf_publishBlock", publishBlockParams(skipping));
        assertRefused(answer, RPC_ERROR_CODES.NotSynced, "AwaitingParent", /head is 6, publish 7 first/);
        assert.deepEqual(engineWrites(a), writes);
        assert.equal(engine.head().hash, head);
        devnet.preconfer.resetParent({ blockNumber: 6n, hash: published[5]!.message.preconfirmationHash });
      },
    );

    await t.step(
      "R-5: head-1 is never re-inserted: a retry answers alreadyMaterialized, a different commitment is refused as Equivocation",
      async () => {
        const head = engine.head().hash;
        const writes = engineWrites(a);
        const previous = published[4]!;
        const retry = await a.call("preconf_publishBlock", publishBlockParams(previous.message));
        assert.ok(retry.ok, JSON.stringify(retry));
        const result = retry.result as PublishedBlock;
        assert.equal(result.local, "alreadyMaterialized");
        assert.equal(result.blockNumber, "0x5");
        assert.equal(result.blockHash, engine.canonicalBlock(5n)?.hash);

        devnet.preconfer.resetParent({ blockNumber: 4n, hash: published[3]!.message.preconfirmationHash });
        const planned = await publisher.plan();
        const rival = devnet.preconfer.sign({ ...planned, blockNumber: 5n, coinbase: OTHER_COINBASE });
        const answer = await a.call("preconf_publishBlock", publishBlockParams(rival));
        assertRefused(
          answer,
          RPC_ERROR_CODES.InvalidCommitment,
          "Equivocation",
          /another commitment holds it/,
        );
        assert.deepEqual(engineWrites(a), writes);
        assert.equal(engine.head().hash, head);
        assert.equal(engine.canonicalBlock(5n)?.hash, previous.result.blockHash);
        devnet.preconfer.resetParent({ blockNumber: 6n, hash: published[5]!.message.preconfirmationHash });
      },
    );

    await t.step(
      "L-4: after a 3-block engine reorg, preconf_tip and getStatus.preconfTip equal the engine head at once, both ways",
      async () => {
        assert.deepEqual(await tips(a), { tip: "0x6", statusTip: "0x6" });
        const six = engine.head().hash;
        engine.setHead(engine.canonicalBlock(3n)!.hash);
        assert.equal(engine.head().header.number, 3n);
        assert.deepEqual(await tips(a), { tip: toHex(3n), statusTip: toHex(3n) });
        engine.setHead(six);
        assert.deepEqual(await tips(a), { tip: toHex(6n), statusTip: toHex(6n) });
      },
    );
  } finally {
    await node?.stop();
    await devnet.stop();
  }
});
