import assert from "node:assert/strict";
import type { Hash } from "viem";
import { type EngineSimulator, startEngineSimulator } from "../../../devnet/engine/engine_simulator.ts";
import { applyPayload } from "../../../driver/engine/apply_payload.ts";
import { createEngineClient } from "../../../driver/engine/engine_client.ts";
import { DriverError } from "../../../driver/errors.ts";
import { createL2Client } from "../../../driver/rpc/l2_client.ts";
import type { L1Origin } from "../../../driver/shasta/types.ts";
import { nextPayloadAttributes, TEST_JWT_SECRET } from "../../helpers/l2_payloads.ts";

async function withEngine(test: (sim: EngineSimulator) => Promise<void>): Promise<void> {
  const sim = await startEngineSimulator({ jwtSecret: TEST_JWT_SECRET, genesis: { timestamp: 1_000n } });
  try {
    await test(sim);
  } finally {
    await sim.stop();
  }
}

async function insertBlocks(
  sim: EngineSimulator,
  count: number,
  anchors: readonly bigint[] = [],
): Promise<Hash[]> {
  const deps = {
    engine: createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET }),
    l2: createL2Client({ url: sim.publicUrl }),
  };
  const hashes: Hash[] = [];
  for (let i = 0; i < count; i++) {
    const head = sim.head();
    const attrs = nextPayloadAttributes(
      { hash: head.hash, number: head.header.number, timestamp: head.header.timestamp },
      { proposalId: BigInt(i + 1), anchorBlockNumber: anchors[i] ?? 10n },
    );
    hashes.push((await applyPayload(deps, attrs, head.hash)).block.hash);
  }
  return hashes;
}

Deno.test("`createEngineClient()` refuses a secret that is not 32 bytes and a URL that does not parse", () => {
  assert.throws(
    () => createEngineClient({ url: "http://127.0.0.1:1", jwtSecret: new Uint8Array(31) }),
    RangeError,
  );
  assert.throws(() => createEngineClient({ url: "not a url", jwtSecret: TEST_JWT_SECRET }), TypeError);
  assert.throws(
    () => createEngineClient({ url: "http://127.0.0.1:1", jwtSecret: TEST_JWT_SECRET, timeoutMs: 0 }),
    RangeError,
  );
});

Deno.test("`EngineClient` writes L1 origins, the head pointer and the batch mapping, and reads them back", async () => {
  await withEngine(async (sim) => {
    const [one, two] = await insertBlocks(sim, 2);
    const engine = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET });
    const l2 = createL2Client({ url: sim.publicUrl });
    const preconf = await l2.l1OriginById(2n);
    assert.ok(preconf !== null);
    assert.equal(preconf.l2BlockHash, two);
    assert.equal(preconf.l1BlockHeight, null);
    const confirmed: L1Origin = {
      ...preconf,
      l1BlockHeight: 77n,
      l1BlockHash: `0x${"cd".repeat(32)}`,
      isForcedInclusion: true,
    };
    await engine.updateL1Origin(confirmed);
    await engine.setHeadL1Origin(2n);
    await engine.setBatchToLastBlock(2n, 2n);
    assert.deepEqual(await l2.l1OriginById(2n), confirmed);
    assert.deepEqual(await l2.headL1Origin(), confirmed);
    assert.equal(await engine.lastBlockIdByBatchId(2n), 2n);
    assert.deepEqual(await engine.lastL1OriginByBatchId(2n), confirmed);
    assert.equal(await engine.lastBlockIdByBatchId(1n), 1n);
    assert.equal((await engine.lastL1OriginByBatchId(1n))?.l2BlockHash, one);
  });
});

Deno.test("`EngineClient` reads a missing or uncertain batch as null but surfaces an unknown method", async () => {
  await withEngine(async (sim) => {
    await insertBlocks(sim, 1);
    const engine = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET });
    assert.equal(await engine.lastBlockIdByBatchId(9n), null);
    assert.equal(await engine.lastL1OriginByBatchId(9n), null);
    // Block 1 is the head and carries proposal 1: the engine cannot know the proposal has ended.
    assert.equal(await engine.lastBlockIdByBatchId(1n), null);
    sim.injectFault({
      methods: ["taikoAuth_lastBlockIDByBatchID"],
      effect: {
        kind: "error",
        code: -32601,
        message: "the method taikoAuth_lastBlockIDByBatchID was not found",
      },
    });
    await assert.rejects(
      engine.lastBlockIdByBatchId(1n),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Rpc" && error.context.rpcCode === -32601,
    );
  });
});

Deno.test("`EngineClient.anchorBlockState()` reads Anchor.getBlockState() at a block through eth_call on the auth port", async () => {
  await withEngine(async (sim) => {
    const [one, two] = await insertBlocks(sim, 2, [12n, 15n]);
    const derived = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET });
    assert.equal((await derived.anchorBlockState(two as Hash)).anchorBlockNumber, 15n);
    assert.equal((await derived.anchorBlockState(one as Hash)).anchorBlockNumber, 12n);
    assert.equal((await derived.anchorBlockState(sim.genesis.hash)).anchorBlockNumber, 0n);
    assert.equal(sim.callCount("eth_chainId"), 1);
    const explicit = createEngineClient({
      url: sim.authUrl,
      jwtSecret: TEST_JWT_SECRET,
      anchorAddress: "0x1670010000000000000000000000000000010001",
    });
    assert.equal((await explicit.anchorBlockState(one as Hash)).anchorBlockNumber, 12n);
    assert.equal(sim.callCount("eth_chainId"), 1);
  });
});

Deno.test("`EngineClient` turns a stalled engine into a timeout error and a down engine into HTTP 503", async () => {
  await withEngine(async (sim) => {
    const engine = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET, timeoutMs: 100 });
    sim.injectFault({
      methods: ["taikoAuth_setHeadL1Origin"],
      effect: { kind: "delay", ms: 2_000 },
      times: 1,
    });
    await assert.rejects(
      engine.setHeadL1Origin(1n),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Rpc" && /no answer within 100 ms/.test(error.message),
    );
    sim.clearFaults();
    sim.injectFault({ effect: { kind: "down" }, times: 1 });
    await assert.rejects(
      engine.setHeadL1Origin(1n),
      (error: unknown) => error instanceof DriverError && error.context.httpStatus === 503,
    );
    // The stalled request still holds the engine; a patient client gets through once it finishes.
    await createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET }).setHeadL1Origin(2n);
    assert.equal(sim.headL1OriginId(), 2n);
  });
});

Deno.test("`EngineClient.updateL1Origins()` writes several L1 origins in one batch and surfaces a refused one", async () => {
  await withEngine(async (sim) => {
    await insertBlocks(sim, 2);
    const engine = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET });
    const l2 = createL2Client({ url: sim.publicUrl });
    const [one, two] = await l2.l1OriginsById([1n, 2n]);
    assert.ok(one !== null && one !== undefined && two !== null && two !== undefined);
    const confirmed = [one, two].map((origin): L1Origin => ({
      ...origin,
      l1BlockHeight: 70n + origin.blockId,
      l1BlockHash: `0x${"cd".repeat(32)}`,
    }));
    sim.resetCallCounts();
    await engine.updateL1Origins(confirmed);
    assert.equal(sim.callCount("taikoAuth_updateL1Origin"), 2);
    assert.deepEqual(await l2.l1OriginsById([1n, 2n]), confirmed);
    await engine.updateL1Origins([]);
    sim.injectFault({
      methods: ["taikoAuth_updateL1Origin"],
      effect: { kind: "error", code: -32000, message: "disk full" },
      times: 1,
    });
    await assert.rejects(
      engine.updateL1Origins(confirmed),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Rpc" && error.context.rpcCode === -32000 &&
        error.context.method === "taikoAuth_updateL1Origin",
    );
  });
});
