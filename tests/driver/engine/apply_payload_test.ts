import assert from "node:assert/strict";
import { getAddress } from "viem";
import { type EngineSimulator, startEngineSimulator } from "../../../devnet/engine/engine_simulator.ts";
import { applyPayload } from "../../../driver/engine/apply_payload.ts";
import { createEngineClient } from "../../../driver/engine/engine_client.ts";
import { DriverError } from "../../../driver/errors.ts";
import { createL2Client } from "../../../driver/rpc/l2_client.ts";
import { nextPayloadAttributes, TEST_JWT_SECRET, userTransaction } from "../../helpers/l2_payloads.ts";

async function withEngine(test: (sim: EngineSimulator) => Promise<void>): Promise<void> {
  const sim = await startEngineSimulator({ jwtSecret: TEST_JWT_SECRET, genesis: { timestamp: 1_000n } });
  try {
    await test(sim);
  } finally {
    await sim.stop();
  }
}

function clients(sim: EngineSimulator, secret: Uint8Array = TEST_JWT_SECRET) {
  return {
    engine: createEngineClient({ url: sim.authUrl, jwtSecret: secret }),
    l2: createL2Client({ url: sim.publicUrl }),
  };
}

function parentOf(sim: EngineSimulator) {
  const head = sim.head();
  return { hash: head.hash, number: head.header.number, timestamp: head.header.timestamp };
}

function isEngineError(status: string, method: string) {
  return (error: unknown): boolean =>
    error instanceof DriverError && error.kind === "Engine" && error.context.engineStatus === status &&
    error.context.method === method && error.context.blockNumber === 1n;
}

Deno.test("`applyPayload()` inserts a block end to end with a JWT the engine accepts", async () => {
  await withEngine(async (sim) => {
    const deps = clients(sim);
    const attrs = nextPayloadAttributes(parentOf(sim), { transactions: [await userTransaction(0)] });
    const { block, payloadId } = await applyPayload(deps, attrs, sim.genesis.hash);
    assert.equal(payloadId, attrs.l1Origin.buildPayloadArgsId);
    assert.equal(block.number, 1n);
    assert.equal(block.parentHash, sim.genesis.hash);
    assert.equal(block.hash, sim.head().hash);
    assert.equal(block.timestamp, attrs.timestamp);
    assert.equal(block.miner, getAddress(attrs.suggestedFeeRecipient));
    assert.equal(sim.head().transactions.length, 2);
    assert.deepEqual(
      [
        sim.callCount("engine_forkchoiceUpdatedV2"),
        sim.callCount("engine_getPayloadV2"),
        sim.callCount("engine_newPayloadV2"),
      ],
      [2, 1, 1],
    );

    const second = nextPayloadAttributes(parentOf(sim), { anchorNonce: 1n });
    const finalized = await applyPayload(deps, second, block.hash, { finalizedHash: sim.genesis.hash });
    assert.equal(finalized.block.number, 2n);
    assert.equal(finalized.block.parentHash, block.hash);
  });
});

Deno.test("`applyPayload()` on an older parent reorgs the engine onto the new sibling", async () => {
  await withEngine(async (sim) => {
    const deps = clients(sim);
    const first = await applyPayload(deps, nextPayloadAttributes(parentOf(sim)), sim.genesis.hash);
    await applyPayload(deps, nextPayloadAttributes(parentOf(sim)), first.block.hash);
    const genesis = { hash: sim.genesis.hash, number: 0n, timestamp: sim.genesis.header.timestamp };
    const sibling = await applyPayload(
      deps,
      nextPayloadAttributes(genesis, { coinbase: "0x00000000000000000000000000000000000000c1" }),
      sim.genesis.hash,
    );
    assert.equal(sibling.block.number, 1n);
    assert.notEqual(sibling.block.hash, first.block.hash);
    assert.equal(sim.head().hash, sibling.block.hash);
    assert.equal(await deps.l2.blockByNumber(2n), null);
  });
});

Deno.test("`applyPayload()` with a wrong JWT secret fails with a typed Rpc error carrying HTTP 401", async () => {
  await withEngine(async (sim) => {
    const deps = clients(sim, new Uint8Array(32).fill(7));
    await assert.rejects(
      applyPayload(deps, nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Rpc" && error.context.httpStatus === 401 &&
        error.context.method === "engine_forkchoiceUpdatedV2" && /JWT/.test(error.message),
    );
    assert.equal(sim.head().hash, sim.genesis.hash);
  });
});

Deno.test("`applyPayload()` raises a typed Engine error when newPayload answers INVALID", async () => {
  await withEngine(async (sim) => {
    sim.injectFault({
      methods: ["engine_newPayloadV2"],
      effect: { kind: "status", status: "INVALID", validationError: "state root mismatch" },
    });
    await assert.rejects(
      applyPayload(clients(sim), nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      (error: unknown) =>
        isEngineError("INVALID", "engine_newPayloadV2")(error) &&
        /state root mismatch/.test((error as Error).message),
    );
    assert.equal(sim.callCount("engine_forkchoiceUpdatedV2"), 1);
    assert.equal(sim.head().hash, sim.genesis.hash);
  });
});

Deno.test("`applyPayload()` raises a typed Engine error when a forkchoice update answers SYNCING, before or after import", async () => {
  await withEngine(async (sim) => {
    sim.injectFault({
      methods: ["engine_forkchoiceUpdatedV2"],
      effect: { kind: "status", status: "SYNCING" },
      times: 1,
    });
    await assert.rejects(
      applyPayload(clients(sim), nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      isEngineError("SYNCING", "engine_forkchoiceUpdatedV2"),
    );
    assert.equal(sim.callCount("engine_getPayloadV2"), 0);

    sim.injectFault({
      methods: ["engine_newPayloadV2"],
      effect: { kind: "status", status: "SYNCING" },
      times: 1,
    });
    await assert.rejects(
      applyPayload(clients(sim), nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      isEngineError("SYNCING", "engine_newPayloadV2"),
    );

    sim.injectFault({
      methods: ["engine_newPayloadV2"],
      effect: { kind: "status", status: "ACCEPTED" },
      times: 1,
    });
    await assert.rejects(
      applyPayload(clients(sim), nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      isEngineError("ACCEPTED", "engine_newPayloadV2"),
    );
  });
});

Deno.test("`applyPayload()` refuses a block that reads back with another hash", async () => {
  await withEngine(async (sim) => {
    const { engine, l2 } = clients(sim);
    const lying = {
      async blockByNumber(id: bigint | "latest" | "safe" | "finalized") {
        const block = await l2.blockByNumber(id);
        return block === null ? null : { ...block, hash: `0x${"99".repeat(32)}` as const };
      },
    };
    await assert.rejects(
      applyPayload({ engine, l2: lying }, nextPayloadAttributes(parentOf(sim)), sim.genesis.hash),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Engine" &&
        error.context.method === "eth_getBlockByNumber" &&
        /reads back as 0x9999/.test(error.message),
    );
  });
});

Deno.test("`applyPayload()` raises a typed Engine error when the engine cannot build on an unknown parent", async () => {
  await withEngine(async (sim) => {
    const unknown = { hash: `0x${"42".repeat(32)}` as const, number: 0n, timestamp: 1_000n };
    await assert.rejects(
      applyPayload(clients(sim), nextPayloadAttributes(unknown), unknown.hash),
      isEngineError("SYNCING", "engine_forkchoiceUpdatedV2"),
    );
  });
});

Deno.test("`applyPayload()` keeps inserted blocks in the L2 client's recent headers; the read-back always asks the engine", async () => {
  await withEngine(async (sim) => {
    const deps = clients(sim);
    const one = (await applyPayload(deps, nextPayloadAttributes(parentOf(sim)), sim.genesis.hash)).block;
    const two = (await applyPayload(deps, nextPayloadAttributes(parentOf(sim)), one.hash)).block;
    sim.resetCallCounts();
    assert.deepEqual(await deps.l2.blockByNumber(2n), two);
    assert.deepEqual(await deps.l2.blockByNumber(1n), one);
    assert.deepEqual(await deps.l2.blockByHash(one.hash), one);
    assert.equal(deps.l2.recentHeaders?.head()?.hash, two.hash);
    assert.equal(sim.callCount("eth_getBlockByNumber") + sim.callCount("eth_getBlockByHash"), 0);

    // Rebuilding height 2 on block 1 replaces the held block 2: its read-back goes to the engine.
    const parent = { hash: one.hash, number: 1n, timestamp: one.timestamp };
    const sibling = await applyPayload(
      deps,
      nextPayloadAttributes(parent, { timestamp: one.timestamp + 5n }),
      one.hash,
    );
    assert.notEqual(sibling.block.hash, two.hash);
    assert.equal(sim.callCount("eth_getBlockByNumber"), 1);
    assert.equal((await deps.l2.blockByNumber(2n))?.hash, sim.head().hash);
    assert.equal(sim.callCount("eth_getBlockByNumber"), 1);
  });
});

Deno.test("a failed `applyPayload()` empties the recent headers, so the next reads ask the engine", async () => {
  await withEngine(async (sim) => {
    const deps = clients(sim);
    const one = (await applyPayload(deps, nextPayloadAttributes(parentOf(sim)), sim.genesis.hash)).block;
    sim.injectFault({
      methods: ["engine_newPayloadV2"],
      effect: { kind: "status", status: "INVALID", validationError: "bad block" },
      times: 1,
    });
    await assert.rejects(applyPayload(deps, nextPayloadAttributes(parentOf(sim)), one.hash), DriverError);
    assert.equal(deps.l2.recentHeaders?.size, 0);
    sim.resetCallCounts();
    assert.equal((await deps.l2.blockByNumber(1n))?.hash, one.hash);
    assert.equal(sim.callCount("eth_getBlockByNumber"), 1);
  });
});
