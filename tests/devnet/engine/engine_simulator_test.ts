import assert from "node:assert/strict";
import { type Hash, type Hex, keccak256, toRlp } from "viem";
import { type EngineSimulator, startEngineSimulator } from "../../../devnet/engine/engine_simulator.ts";
import { engineToken } from "../../../driver/engine/jwt.ts";
import { orderedTrieRoot } from "../../../driver/engine/trie_root.ts";
import { serializePayloadAttributes } from "../../../driver/engine/wire.ts";
import { taikoPayloadId } from "../../../driver/shasta/payload_id.ts";
import type { TaikoPayloadAttributes } from "../../../driver/shasta/types.ts";
import { nextPayloadAttributes, TEST_JWT_SECRET, userTransaction } from "../../helpers/l2_payloads.ts";

const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
const GOLDEN_TOUCH = "0x0000777735367b36bC9B61C50022d9D0700dB4Ec";
const ANCHOR = "0x1670010000000000000000000000000000010001";

interface RpcAnswer {
  readonly status: number;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
}

async function rpc(
  url: string,
  method: string,
  params: unknown[],
  token?: string | null,
): Promise<RpcAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const bearer = token === undefined ? await engineToken(TEST_JWT_SECRET) : token;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status };
  }
  return { status: response.status, ...(await response.json()) };
}

async function call(url: string, method: string, params: unknown[]): Promise<unknown> {
  const answer = await rpc(url, method, params);
  assert.equal(answer.error, undefined, `${method} failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

function forkchoice(head: Hash, safe: Hash = head) {
  return { headBlockHash: head, safeBlockHash: safe, finalizedBlockHash: `0x${"00".repeat(32)}` };
}

/** Inserts one block through the raw engine API and returns its hash. */
async function insert(sim: EngineSimulator, attrs: TaikoPayloadAttributes, parent: Hash): Promise<Hash> {
  const built = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
    forkchoice(parent),
    serializePayloadAttributes(attrs),
  ]) as { payloadStatus: { status: string }; payloadId: Hex };
  assert.equal(built.payloadStatus.status, "VALID");
  const { executionPayload } = await call(sim.authUrl, "engine_getPayloadV2", [built.payloadId]) as {
    executionPayload: Record<string, unknown> & { transactions: Hex[]; blockHash: Hash };
  };
  const { withdrawals: _withdrawals, ...v1 } = executionPayload;
  const status = await call(sim.authUrl, "engine_newPayloadV2", [{
    ...v1,
    txHash: orderedTrieRoot(executionPayload.transactions),
    withdrawalsHash: EMPTY_TRIE_ROOT,
    taikoBlock: true,
  }]) as { status: string };
  assert.equal(status.status, "VALID");
  const promoted = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
    forkchoice(executionPayload.blockHash),
    null,
  ]) as {
    payloadStatus: { status: string };
  };
  assert.equal(promoted.payloadStatus.status, "VALID");
  return executionPayload.blockHash;
}

function parentOf(sim: EngineSimulator, hash: Hash) {
  const block = sim.block(hash);
  assert.ok(block !== undefined);
  return { hash: block.hash, number: block.header.number, timestamp: block.header.timestamp };
}

/** keccak256 of the RLP header, computed here from the JSON fields the public port returns. */
function hashFromJson(block: Record<string, string>): Hash {
  const int = (hex: string): Hex => {
    const value = BigInt(hex);
    if (value === 0n) return "0x";
    const digits = value.toString(16);
    return `0x${digits.length % 2 === 0 ? digits : `0${digits}`}`;
  };
  return keccak256(toRlp([
    block.parentHash as Hex,
    block.sha3Uncles as Hex,
    block.miner as Hex,
    block.stateRoot as Hex,
    block.transactionsRoot as Hex,
    block.receiptsRoot as Hex,
    block.logsBloom as Hex,
    int(block.difficulty as string),
    int(block.number as string),
    int(block.gasLimit as string),
    int(block.gasUsed as string),
    int(block.timestamp as string),
    block.extraData as Hex,
    block.mixHash as Hex,
    block.nonce as Hex,
    int(block.baseFeePerGas as string),
    block.withdrawalsRoot as Hex,
  ]));
}

async function withSimulator(test: (sim: EngineSimulator) => Promise<void>): Promise<void> {
  const sim = await startEngineSimulator({ jwtSecret: TEST_JWT_SECRET, genesis: { timestamp: 1_000n } });
  try {
    await test(sim);
  } finally {
    await sim.stop();
  }
}

Deno.test("the engine simulator's auth port refuses a request without a JWT, with a wrong secret or a stale iat", async () => {
  await withSimulator(async (sim) => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await rpc(sim.authUrl, "eth_chainId", [], null)).status, 401);
    const wrong = await engineToken(new Uint8Array(32).fill(9));
    assert.equal((await rpc(sim.authUrl, "eth_chainId", [], wrong)).status, 401);
    assert.equal(
      (await rpc(sim.authUrl, "eth_chainId", [], await engineToken(TEST_JWT_SECRET, now - 120))).status,
      401,
    );
    assert.equal(
      (await rpc(sim.authUrl, "eth_chainId", [], await engineToken(TEST_JWT_SECRET, now + 120))).status,
      401,
    );
    const fresh = await rpc(sim.authUrl, "eth_chainId", [], await engineToken(TEST_JWT_SECRET, now - 30));
    assert.equal(fresh.status, 200);
    assert.equal(fresh.result, "0x28c59");
    assert.equal(sim.callCount("eth_chainId"), 1);
    assert.equal((await rpc(sim.publicUrl, "eth_chainId", [], null)).result, "0x28c59");
    const engineOnPublic = await rpc(sim.publicUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      null,
    ]);
    assert.equal(engineOnPublic.error?.code, -32601);
  });
});

Deno.test("the engine simulator answers -32602 with a reason to malformed payload attributes", async () => {
  await withSimulator(async (sim) => {
    const good = serializePayloadAttributes(nextPayloadAttributes(parentOf(sim, sim.genesis.hash)));
    const cases: [string, unknown, RegExp][] = [
      [
        "hex extraData",
        { ...good, blockMetadata: { ...good.blockMetadata, extraData: "0x32000000000001" } },
        /extraData must be base64/,
      ],
      [
        "string gasLimit",
        { ...good, blockMetadata: { ...good.blockMetadata, gasLimit: "0x1d905c0" } },
        /gasLimit must be a JSON number/,
      ],
      ["number timestamp", { ...good, timestamp: 1002 }, /timestamp must be a hex quantity/],
      ["missing l1Origin", { ...good, l1Origin: undefined }, /missing key "l1Origin"/],
      ["nested attributes", { ...good, payloadAttributes: {} }, /unknown key "payloadAttributes"/],
      [
        "hex payload id in the L1 origin",
        { ...good, l1Origin: { ...good.l1Origin, buildPayloadArgsID: "0x0200000000000001" } },
        /buildPayloadArgsID must be an array of 8 numbers/,
      ],
      [
        "short signature",
        { ...good, l1Origin: { ...good.l1Origin, signature: [1, 2, 3] } },
        /signature must be an array of 65 numbers/,
      ],
    ];
    for (const [name, attrs, reason] of cases) {
      const answer = await rpc(sim.authUrl, "engine_forkchoiceUpdatedV2", [
        forkchoice(sim.genesis.hash),
        JSON.parse(JSON.stringify(attrs)),
      ]);
      assert.equal(answer.error?.code, -32602, name);
      assert.match(answer.error?.message ?? "", reason, name);
    }
    assert.equal(sim.head().hash, sim.genesis.hash);
  });
});

Deno.test("the engine simulator answers -32602 to a newPayloadV2 with withdrawals or without the Taiko sidecar", async () => {
  await withSimulator(async (sim) => {
    const attrs = nextPayloadAttributes(parentOf(sim, sim.genesis.hash));
    const built = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      serializePayloadAttributes(attrs),
    ]) as {
      payloadId: Hex;
    };
    const { executionPayload } = await call(sim.authUrl, "engine_getPayloadV2", [built.payloadId]) as {
      executionPayload: Record<string, unknown> & { transactions: Hex[] };
    };
    const { withdrawals: _withdrawals, ...v1 } = executionPayload;
    const sidecar = {
      txHash: orderedTrieRoot(executionPayload.transactions),
      withdrawalsHash: EMPTY_TRIE_ROOT,
      taikoBlock: true,
    };
    const cases: [string, unknown, RegExp][] = [
      ["withdrawals key", { ...executionPayload, ...sidecar }, /must not carry withdrawals/],
      [
        "missing txHash",
        { ...v1, withdrawalsHash: EMPTY_TRIE_ROOT, taikoBlock: true },
        /missing key "txHash"/,
      ],
      [
        "missing withdrawalsHash",
        { ...v1, txHash: sidecar.txHash, taikoBlock: true },
        /missing key "withdrawalsHash"/,
      ],
      [
        "missing taikoBlock",
        { ...v1, txHash: sidecar.txHash, withdrawalsHash: EMPTY_TRIE_ROOT },
        /missing key "taikoBlock"/,
      ],
      [
        "short withdrawalsHash",
        { ...v1, ...sidecar, withdrawalsHash: "0x00" },
        /withdrawalsHash must be 32 bytes/,
      ],
    ];
    for (const [name, payload, reason] of cases) {
      const answer = await rpc(sim.authUrl, "engine_newPayloadV2", [payload]);
      assert.equal(answer.error?.code, -32602, name);
      assert.match(answer.error?.message ?? "", reason, name);
    }
    const zeroWithdrawals = await call(sim.authUrl, "engine_newPayloadV2", [{
      ...v1,
      ...sidecar,
      withdrawalsHash: `0x${"00".repeat(32)}`,
    }]) as {
      status: string;
    };
    assert.equal(zeroWithdrawals.status, "INVALID");
  });
});

Deno.test("the engine simulator builds a block whose hash is keccak256 of its RLP header, with the txList as transactions", async () => {
  await withSimulator(async (sim) => {
    const attrs = nextPayloadAttributes(parentOf(sim, sim.genesis.hash), {
      transactions: [await userTransaction(0), await userTransaction(1)],
    });
    const hash = await insert(sim, attrs, sim.genesis.hash);
    const block = await call(sim.publicUrl, "eth_getBlockByHash", [hash, false]) as Record<string, string> & {
      transactions: Hash[];
    };
    assert.equal(block.hash, hash);
    assert.equal(hashFromJson(block), hash);
    assert.equal(block.number, "0x1");
    assert.equal(block.parentHash, sim.genesis.hash);
    assert.equal(block.miner, "0x00000000000000000000000000000000000000C0");
    assert.equal(block.gasLimit, "0x1d905c0");
    assert.equal(block.gasUsed, `0x${(1_000_000 + 21_000 + 21_001).toString(16)}`);
    assert.equal(block.extraData, "0x32000000000001");
    assert.equal(block.mixHash, attrs.blockMetadata.mixHash);
    assert.equal(block.withdrawalsRoot, EMPTY_TRIE_ROOT);
    const full = await call(sim.publicUrl, "eth_getBlockByNumber", ["0x1", true]) as {
      transactions: { hash: Hash; from: string; to: string; nonce: string }[];
    };
    assert.equal(full.transactions.length, 3);
    assert.equal(full.transactions[0]?.from, GOLDEN_TOUCH);
    assert.equal(full.transactions[0]?.to.toLowerCase(), ANCHOR);
    assert.deepEqual(full.transactions.map((tx) => tx.hash), block.transactions);
    assert.equal(sim.l1Origin(1n)?.buildPayloadArgsId, taikoPayloadId(sim.genesis.hash, attrs));
    assert.equal(sim.l1Origin(1n)?.l2BlockHash, hash);
    const latest = await call(sim.publicUrl, "eth_getBlockByNumber", ["latest", false]) as { hash: Hash };
    assert.equal(latest.hash, hash);
  });
});

Deno.test("the engine simulator refuses attributes without a golden-touch anchorV4 first and a payload with a wrong hash", async () => {
  await withSimulator(async (sim) => {
    const parent = parentOf(sim, sim.genesis.hash);
    const noAnchor = serializePayloadAttributes(nextPayloadAttributes(parent));
    const userOnly = {
      ...noAnchor,
      blockMetadata: { ...noAnchor.blockMetadata, txList: toRlp([await userTransaction(0)]) },
    };
    const refused = await rpc(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      userOnly,
    ]);
    assert.equal(refused.error?.code, -38003);
    assert.match(refused.error?.message ?? "", /golden-touch/);
    const wrongNonce = serializePayloadAttributes(nextPayloadAttributes(parent, { anchorNonce: 5n }));
    const nonceRefused = await rpc(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      wrongNonce,
    ]);
    assert.match(nonceRefused.error?.message ?? "", /nonce 5/);

    const built = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      serializePayloadAttributes(nextPayloadAttributes(parent)),
    ]) as { payloadId: Hex };
    const { executionPayload } = await call(sim.authUrl, "engine_getPayloadV2", [built.payloadId]) as {
      executionPayload: Record<string, unknown> & { transactions: Hex[] };
    };
    const { withdrawals: _withdrawals, ...v1 } = executionPayload;
    const tampered = await call(sim.authUrl, "engine_newPayloadV2", [{
      ...v1,
      gasUsed: "0x1",
      txHash: orderedTrieRoot(executionPayload.transactions),
      withdrawalsHash: EMPTY_TRIE_ROOT,
      taikoBlock: true,
    }]) as { status: string; validationError: string };
    assert.equal(tampered.status, "INVALID");
    assert.match(tampered.validationError, /blockhash mismatch/);
    assert.equal(sim.blocks().length, 1);
  });
});

Deno.test("a forkchoice update to an older block reorgs the simulator's head, and a sibling replaces the old branch", async () => {
  await withSimulator(async (sim) => {
    const one = await insert(sim, nextPayloadAttributes(parentOf(sim, sim.genesis.hash)), sim.genesis.hash);
    const two = await insert(sim, nextPayloadAttributes(parentOf(sim, one)), one);
    const three = await insert(sim, nextPayloadAttributes(parentOf(sim, two)), two);
    assert.equal(await call(sim.publicUrl, "eth_blockNumber", []), "0x3");

    const back = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [forkchoice(one), null]) as {
      payloadStatus: { status: string };
    };
    assert.equal(back.payloadStatus.status, "VALID");
    assert.equal(await call(sim.publicUrl, "eth_blockNumber", []), "0x1");
    assert.equal(
      (await call(sim.publicUrl, "eth_getBlockByNumber", ["latest", false]) as { hash: Hash }).hash,
      one,
    );
    assert.equal(await call(sim.publicUrl, "eth_getBlockByNumber", ["0x3", false]), null);

    const sibling = await insert(
      sim,
      nextPayloadAttributes(parentOf(sim, one), { coinbase: "0x00000000000000000000000000000000000000c1" }),
      one,
    );
    assert.notEqual(sibling, two);
    assert.equal(
      (await call(sim.publicUrl, "eth_getBlockByNumber", ["0x2", false]) as { hash: Hash }).hash,
      sibling,
    );
    assert.equal(
      (await call(sim.publicUrl, "eth_getBlockByHash", [three, false]) as { number: string }).number,
      "0x3",
    );

    const forward = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [forkchoice(three), null]) as {
      payloadStatus: { status: string };
    };
    assert.equal(forward.payloadStatus.status, "VALID");
    assert.equal(
      (await call(sim.publicUrl, "eth_getBlockByNumber", ["0x2", false]) as { hash: Hash }).hash,
      two,
    );
    const unknown = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(`0x${"77".repeat(32)}`),
      null,
    ]) as {
      payloadStatus: { status: string };
    };
    assert.equal(unknown.payloadStatus.status, "SYNCING");
    assert.equal(sim.head().hash, three);
  });
});

Deno.test("the engine simulator serves golden-touch nonces and Anchor.getBlockState() at a block", async () => {
  await withSimulator(async (sim) => {
    const one = await insert(
      sim,
      nextPayloadAttributes(parentOf(sim, sim.genesis.hash), { anchorBlockNumber: 7n }),
      sim.genesis.hash,
    );
    const two = await insert(sim, nextPayloadAttributes(parentOf(sim, one), { anchorBlockNumber: 9n }), one);
    const nonceAt = (hash: Hash, requireCanonical = true) =>
      rpc(sim.publicUrl, "eth_getTransactionCount", [GOLDEN_TOUCH, { blockHash: hash, requireCanonical }]);
    assert.equal((await nonceAt(sim.genesis.hash)).result, "0x0");
    assert.equal((await nonceAt(two)).result, "0x2");
    assert.equal((await rpc(sim.publicUrl, "eth_getTransactionCount", [GOLDEN_TOUCH, "0x1"])).result, "0x1");
    assert.match((await nonceAt(`0x${"77".repeat(32)}`)).error?.message ?? "", /not found/);

    await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [forkchoice(one), null]);
    assert.match((await nonceAt(two)).error?.message ?? "", /not currently canonical/);
    assert.equal((await nonceAt(two, false)).result, "0x2");

    const state = await call(sim.authUrl, "eth_call", [{ to: ANCHOR, data: "0x0f439bd9" }, {
      blockHash: two,
      requireCanonical: false,
    }]);
    assert.equal(state, `0x${"9".padStart(64, "0")}${"0".repeat(64)}`);
    const other = await rpc(sim.authUrl, "eth_call", [{ to: ANCHOR, data: "0x12345678" }, "latest"]);
    assert.match(other.error?.message ?? "", /runs no EVM/);
  });
});

Deno.test("the engine simulator keeps L1 origins: preconfirmed ones leave the head pointer, taikoAuth_* writes and reads them", async () => {
  await withSimulator(async (sim) => {
    const preconf = await insert(
      sim,
      nextPayloadAttributes(parentOf(sim, sim.genesis.hash), { proposalId: 1n }),
      sim.genesis.hash,
    );
    assert.equal(sim.l1Origin(1n)?.l1BlockHeight, null);
    assert.equal(sim.headL1OriginId(), null);
    assert.equal((await rpc(sim.publicUrl, "taiko_headL1Origin", [])).error?.message, "not found");
    const uncertain = await rpc(sim.authUrl, "taikoAuth_lastBlockIDByBatchID", ["0x1"]);
    assert.equal(uncertain.error?.message, "proposal last block uncertain");

    const l1Hash = `0x${"cd".repeat(32)}` as Hash;
    await insert(
      sim,
      nextPayloadAttributes(parentOf(sim, preconf), {
        proposalId: 2n,
        l1Block: { number: 44n, hash: l1Hash },
      }),
      preconf,
    );
    assert.equal(sim.headL1OriginId(), 2n);
    assert.equal(await call(sim.authUrl, "taikoAuth_lastBlockIDByBatchID", ["0x1"]), "0x1");

    const origin = await call(sim.publicUrl, "taiko_l1OriginByID", ["0x1"]) as Record<string, unknown>;
    await call(sim.authUrl, "taikoAuth_updateL1Origin", [{
      ...origin,
      l1BlockHeight: "0x2a",
      l1BlockHash: l1Hash,
    }]);
    assert.equal(await call(sim.authUrl, "taikoAuth_setHeadL1Origin", ["0x1"]), 1);
    assert.equal(await call(sim.authUrl, "taikoAuth_setBatchToLastBlock", ["0x5", "0x1"]), 1);
    const head = await call(sim.publicUrl, "taiko_headL1Origin", []) as {
      blockID: string;
      l1BlockHeight: string;
    };
    assert.deepEqual([head.blockID, head.l1BlockHeight], ["0x1", "0x2a"]);
    const byBatch = await call(sim.authUrl, "taikoAuth_lastL1OriginByBatchID", ["0x5"]) as {
      l1BlockHash: string;
    };
    assert.equal(byBatch.l1BlockHash, l1Hash);
    assert.equal(
      (await rpc(sim.authUrl, "taikoAuth_lastBlockIDByBatchID", ["0x9"])).error?.message,
      "not found",
    );
    assert.equal((await rpc(sim.publicUrl, "taiko_l1OriginByID", ["0x9"])).error?.message, "not found");
  });
});

Deno.test("the engine simulator answers engine API errors for an unknown payload id and an unknown safe block", async () => {
  await withSimulator(async (sim) => {
    const unknownPayload = await rpc(sim.authUrl, "engine_getPayloadV2", ["0x0200000000000001"]);
    assert.deepEqual([unknownPayload.error?.code, unknownPayload.error?.message], [
      -38001,
      "Unknown payload",
    ]);
    const badSafe = await rpc(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash, `0x${"77".repeat(32)}`),
      null,
    ]);
    assert.equal(badSafe.error?.code, -38002);
    const leadingZero = await rpc(sim.authUrl, "taikoAuth_setHeadL1Origin", ["0x01"]);
    assert.equal(leadingZero.error?.code, -32602);
    assert.match(leadingZero.error?.message ?? "", /without leading zeros/);
    assert.equal(sim.headL1OriginId(), null);
  });
});

Deno.test("the engine simulator's faults force a status, an error or a 503 a set number of times, and calls are counted", async () => {
  await withSimulator(async (sim) => {
    const attrs = serializePayloadAttributes(nextPayloadAttributes(parentOf(sim, sim.genesis.hash)));
    sim.injectFault({
      methods: ["engine_forkchoiceUpdatedV2"],
      effect: { kind: "status", status: "SYNCING" },
      times: 1,
    });
    const syncing = await call(sim.authUrl, "engine_forkchoiceUpdatedV2", [
      forkchoice(sim.genesis.hash),
      attrs,
    ]) as {
      payloadStatus: { status: string };
      payloadId: null;
    };
    assert.deepEqual([syncing.payloadStatus.status, syncing.payloadId], ["SYNCING", null]);
    sim.injectFault({ effect: { kind: "down" }, times: 2 });
    assert.equal((await rpc(sim.publicUrl, "eth_blockNumber", [])).status, 503);
    assert.equal((await rpc(sim.authUrl, "eth_blockNumber", [])).status, 503);
    assert.equal((await rpc(sim.publicUrl, "eth_blockNumber", [])).status, 200);
    sim.injectFault({
      methods: ["eth_chainId"],
      effect: { kind: "error", code: -32603, message: "internal" },
    });
    assert.equal((await rpc(sim.publicUrl, "eth_chainId", [])).error?.code, -32603);
    sim.clearFaults();
    assert.equal((await rpc(sim.publicUrl, "eth_chainId", [])).result, "0x28c59");
    assert.throws(() => sim.injectFault({ effect: { kind: "status", status: "INVALID" } }), TypeError);
    assert.equal(sim.callCount("engine_forkchoiceUpdatedV2"), 1);
    assert.equal(sim.callCount("eth_blockNumber"), 3);
    sim.resetCallCounts();
    assert.deepEqual(sim.callCounts(), {});
  });
});

Deno.test("the engine simulator's result fault answers null for the latest block only, leaving numbered reads alone", async () => {
  await withSimulator(async (sim) => {
    sim.injectFault({
      methods: ["eth_getBlockByNumber"],
      params: ["latest"],
      effect: { kind: "result", result: null },
      times: 1,
    });
    const numbered = await rpc(sim.publicUrl, "eth_getBlockByNumber", ["0x0", false]);
    assert.equal((numbered.result as { hash: string }).hash, sim.genesis.hash);
    assert.deepEqual(await rpc(sim.publicUrl, "eth_getBlockByNumber", ["latest", false]), {
      status: 200,
      jsonrpc: "2.0",
      id: 1,
      result: null,
    });
    const latest = await rpc(sim.publicUrl, "eth_getBlockByNumber", ["latest", false]);
    assert.equal((latest.result as { hash: string }).hash, sim.genesis.hash);
    assert.equal(sim.callCount("eth_getBlockByNumber"), 3);
  });
});
