import assert from "node:assert/strict";
import type { Hash } from "viem";
import { type EngineSimulator, startEngineSimulator } from "../../../devnet/engine/engine_simulator.ts";
import { applyPayload } from "../../../driver/engine/apply_payload.ts";
import { createEngineClient } from "../../../driver/engine/engine_client.ts";
import { DriverError } from "../../../driver/errors.ts";
import { createL2Client } from "../../../driver/rpc/l2_client.ts";
import { nextPayloadAttributes, TEST_JWT_SECRET, userTransaction } from "../../helpers/l2_payloads.ts";

const GOLDEN_TOUCH = "0x0000777735367b36bC9B61C50022d9D0700dB4Ec";
const ANCHOR = "0x1670010000000000000000000000000000010001";

async function withEngine(test: (sim: EngineSimulator) => Promise<void>): Promise<void> {
  const sim = await startEngineSimulator({ jwtSecret: TEST_JWT_SECRET, genesis: { timestamp: 1_000n } });
  try {
    await test(sim);
  } finally {
    await sim.stop();
  }
}

async function insert(sim: EngineSimulator, finalizedHash?: Hash): Promise<Hash> {
  const deps = {
    engine: createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET }),
    l2: createL2Client({ url: sim.publicUrl }),
  };
  const head = sim.head();
  const attrs = nextPayloadAttributes(
    { hash: head.hash, number: head.header.number, timestamp: head.header.timestamp },
    { transactions: head.header.number === 0n ? [await userTransaction(0)] : [] },
  );
  const options = finalizedHash === undefined ? {} : { finalizedHash };
  return (await applyPayload(deps, attrs, head.hash, options)).block.hash;
}

Deno.test("`L2Client` reads the chain id, the head number and blocks by number, tag and hash", async () => {
  await withEngine(async (sim) => {
    const l2 = createL2Client({ url: sim.publicUrl });
    assert.equal(await l2.chainId(), 167_001n);
    assert.equal(await l2.blockByNumber("safe"), null);
    assert.equal(await l2.blockByNumber("finalized"), null);
    assert.equal(await l2.blockNumber(), 0n);
    const one = await insert(sim);
    const two = await insert(sim, sim.genesis.hash);
    assert.equal(await l2.blockNumber(), 2n);
    const latest = await l2.blockByNumber("latest");
    assert.equal(latest?.hash, two);
    assert.equal(latest?.number, 2n);
    assert.equal(latest?.parentHash, one);
    assert.equal(latest?.difficulty, 0n);
    assert.equal(latest?.baseFeePerGas, 25_000_000n);
    assert.equal((await l2.blockByNumber("finalized"))?.hash, sim.genesis.hash);
    assert.equal((await l2.blockByNumber(1n))?.hash, one);
    assert.equal((await l2.blockByHash(one))?.number, 1n);
    assert.equal(await l2.blockByHash(`0x${"42".repeat(32)}`), null);
    assert.equal(await l2.blockByNumber(3n), null);
  });
});

Deno.test("`L2Client.blockWithTransactions()` returns the anchor transaction first and the header roots", async () => {
  await withEngine(async (sim) => {
    const l2 = createL2Client({ url: sim.publicUrl });
    const hash = await insert(sim);
    const block = await l2.blockWithTransactions(1n);
    assert.ok(block !== null);
    assert.equal(block.hash, hash);
    assert.equal(block.transactions.length, 2);
    const [anchor, user] = block.transactions;
    assert.equal(anchor?.from, GOLDEN_TOUCH);
    assert.equal(anchor?.to, ANCHOR);
    assert.equal(anchor?.nonce, 0n);
    assert.equal(anchor?.type, "0x2");
    assert.match(anchor?.input ?? "", /^0x523e6854/);
    assert.equal(user?.gas, 21_000n);
    assert.equal(block.sha3Uncles, "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    assert.equal(block.transactionsRoot, sim.head().header.transactionsRoot);
    assert.equal(block.withdrawalCount, 0);
    assert.equal(await l2.blockWithTransactions(5n), null);
  });
});

Deno.test("`L2Client.goldenTouchNonce()` counts anchors up to a block and reads an unknown block as 0", async () => {
  await withEngine(async (sim) => {
    const l2 = createL2Client({ url: sim.publicUrl });
    assert.equal(await l2.goldenTouchNonce(sim.genesis.hash), 0n);
    const one = await insert(sim);
    await insert(sim);
    assert.equal(await l2.goldenTouchNonce(one), 1n);
    assert.equal(await l2.goldenTouchNonce(sim.head().hash), 2n);
    assert.equal(await l2.goldenTouchNonce(`0x${"42".repeat(32)}`), 0n);
  });
});

Deno.test("`L2Client` reads missing L1 origins as null", async () => {
  await withEngine(async (sim) => {
    const l2 = createL2Client({ url: sim.publicUrl });
    assert.equal(await l2.l1OriginById(1n), null);
    assert.equal(await l2.headL1Origin(), null);
  });
});

Deno.test("`L2Client` errors name the method and the endpoint without its credentials", async () => {
  await withEngine(async (sim) => {
    const port = new URL(sim.publicUrl).port;
    const l2 = createL2Client({ url: `http://alice:s3cret@127.0.0.1:${port}/?key=k3y` });
    sim.injectFault({ effect: { kind: "down" }, times: 1 });
    await assert.rejects(l2.chainId(), (error: unknown) => {
      assert.ok(error instanceof DriverError);
      assert.equal(error.kind, "Rpc");
      assert.equal(error.context.method, "eth_chainId");
      assert.equal(error.context.httpStatus, 503);
      assert.doesNotMatch(error.message, /s3cret|alice|k3y/);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
    assert.equal(await l2.chainId(), 167_001n);
  });
});

Deno.test("`L2Client.l1OriginsById()` reads several L1 origins in one batch, null where there is none", async () => {
  await withEngine(async (sim) => {
    const l2 = createL2Client({ url: sim.publicUrl });
    await insert(sim);
    await insert(sim);
    const engine = createEngineClient({ url: sim.authUrl, jwtSecret: TEST_JWT_SECRET });
    const origin = (await l2.l1OriginById(1n))!;
    await engine.updateL1Origin({ ...origin, l1BlockHeight: 7n, l1BlockHash: `0x${"07".repeat(32)}` });
    sim.resetCallCounts();
    const origins = await l2.l1OriginsById([2n, 9n, 1n]);
    assert.equal(sim.callCount("taiko_l1OriginByID"), 3);
    assert.deepEqual(origins[0], await l2.l1OriginById(2n));
    assert.equal(origins[1], null);
    assert.equal(origins[2]?.l1BlockHeight, 7n);
    assert.deepEqual(await l2.l1OriginsById([]), []);
  });
});
