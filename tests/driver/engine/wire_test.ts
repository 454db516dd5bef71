import assert from "node:assert/strict";
import { type Hash, type Hex, hexToBytes } from "viem";
import { orderedTrieRoot } from "../../../driver/engine/trie_root.ts";
import {
  type ExecutionPayload,
  hintTransactionsRoot,
  parseExecutionPayload,
  parseForkchoiceUpdatedResult,
  parseL1Origin,
  parsePayloadStatus,
  serializeL1Origin,
  serializeNewPayloadParams,
  serializePayloadAttributes,
} from "../../../driver/engine/wire.ts";
import { DriverError } from "../../../driver/errors.ts";
import type { L1Origin, TaikoPayloadAttributes } from "../../../driver/shasta/types.ts";

const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
const ORIGIN: L1Origin = {
  blockId: 300n,
  l2BlockHash: `0x${"00".repeat(32)}`,
  l1BlockHeight: 4660n,
  l1BlockHash: `0x${"ab".repeat(32)}`,
  buildPayloadArgsId: "0x02a1b2c3d4e5f601",
  isForcedInclusion: true,
  signature: `0x${"00".repeat(64)}1b`,
};
const ATTRS: TaikoPayloadAttributes = {
  timestamp: 1_700_000_123n,
  prevRandao: `0x${"11".repeat(32)}`,
  suggestedFeeRecipient: "0x00000000000000000000000000000000000000Aa",
  withdrawals: [],
  baseFeePerGas: 25_000_000n,
  blockMetadata: {
    beneficiary: "0x00000000000000000000000000000000000000Aa",
    gasLimit: 31_000_000n,
    timestamp: 1_700_000_123n,
    mixHash: `0x${"11".repeat(32)}`,
    txList: "0xc0",
    extraData: "0x32000000000007",
  },
  l1Origin: ORIGIN,
};

function payload(overrides: Partial<ExecutionPayload> = {}): ExecutionPayload {
  return {
    parentHash: `0x${"01".repeat(32)}`,
    feeRecipient: "0x00000000000000000000000000000000000000Aa",
    stateRoot: `0x${"02".repeat(32)}`,
    receiptsRoot: `0x${"03".repeat(32)}`,
    logsBloom: `0x${"00".repeat(256)}`,
    prevRandao: `0x${"04".repeat(32)}`,
    blockNumber: 7n,
    gasLimit: 31_000_000n,
    gasUsed: 1_021_000n,
    timestamp: 1_700_000_123n,
    extraData: "0x32000000000007",
    baseFeePerGas: 25_000_000n,
    blockHash: `0x${"05".repeat(32)}`,
    transactions: ["0x02c0", "0x01c0"],
    withdrawals: [],
    ...overrides,
  };
}

Deno.test("`serializePayloadAttributes()` writes the flat alethia-reth shape: number gas limit, base64 extraData, hex timestamps", () => {
  const json = serializePayloadAttributes(ATTRS);
  assert.deepEqual(Object.keys(json).sort(), [
    "baseFeePerGas",
    "blockMetadata",
    "l1Origin",
    "prevRandao",
    "suggestedFeeRecipient",
    "timestamp",
    "withdrawals",
  ]);
  assert.equal(json.timestamp, "0x6553f17b");
  assert.equal(json.baseFeePerGas, "0x17d7840");
  assert.deepEqual(json.withdrawals, []);
  assert.deepEqual(json.blockMetadata, {
    beneficiary: "0x00000000000000000000000000000000000000Aa",
    gasLimit: 31_000_000,
    timestamp: "0x6553f17b",
    mixHash: `0x${"11".repeat(32)}`,
    txList: "0xc0",
    extraData: "MgAAAAAABw==",
  });
  assert.equal(typeof JSON.parse(JSON.stringify(json)).blockMetadata.gasLimit, "number");
});

Deno.test("`serializePayloadAttributes()` omits the txList key when there is none", () => {
  const json = serializePayloadAttributes({
    ...ATTRS,
    blockMetadata: { ...ATTRS.blockMetadata, txList: null },
  });
  assert.equal("txList" in json.blockMetadata, false);
});

Deno.test("`serializePayloadAttributes()` refuses a gas limit a JSON number cannot hold", () => {
  const attrs = { ...ATTRS, blockMetadata: { ...ATTRS.blockMetadata, gasLimit: 1n << 60n } };
  assert.throws(() => serializePayloadAttributes(attrs), RangeError);
});

Deno.test("`serializeL1Origin()` writes byte arrays as arrays of numbers and `parseL1Origin()` reads them back", () => {
  const json = serializeL1Origin(ORIGIN);
  assert.equal(json.blockID, "0x12c");
  assert.equal(json.l1BlockHeight, "0x1234");
  assert.deepEqual(json.buildPayloadArgsID, [2, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 1]);
  assert.equal(json.signature.length, 65);
  assert.equal(json.signature[64], 27);
  assert.deepEqual(parseL1Origin(JSON.parse(JSON.stringify(json))), ORIGIN);
});

Deno.test("`parseL1Origin()` reads a preconfirmation origin with null L1 fields", () => {
  const json = { ...serializeL1Origin(ORIGIN), l1BlockHeight: null, l1BlockHash: null };
  const origin = parseL1Origin(json);
  assert.equal(origin.l1BlockHeight, null);
  assert.equal(origin.l1BlockHash, null);
});

Deno.test("`parseL1Origin()` refuses a payload id that is not 8 numbers, naming the field", () => {
  const json = { ...serializeL1Origin(ORIGIN), buildPayloadArgsID: [1, 2, 3, 4, 5, 6, 7] };
  assert.throws(
    () => parseL1Origin(json),
    (error: unknown) =>
      error instanceof DriverError && error.kind === "Rpc" && error.message.includes("buildPayloadArgsID"),
  );
  const hex = { ...serializeL1Origin(ORIGIN), buildPayloadArgsID: "0x02a1b2c3d4e5f601" };
  assert.throws(() => parseL1Origin(hex), DriverError);
});

Deno.test("`serializeNewPayloadParams()` sends the V1 fields, txHash, withdrawalsHash and taikoBlock, and no withdrawals", () => {
  const json = serializeNewPayloadParams(payload());
  assert.equal("withdrawals" in json, false);
  assert.equal(json.txHash, orderedTrieRoot(["0x02c0", "0x01c0"]));
  assert.equal(json.withdrawalsHash, EMPTY_TRIE_ROOT);
  assert.equal(json.taikoBlock, true);
  assert.equal(json.blockNumber, "0x7");
  assert.equal(json.gasUsed, "0xf9448");
  assert.equal(json.extraData, "0x32000000000007");
  assert.deepEqual(Object.keys(json).sort(), [
    "baseFeePerGas",
    "blockHash",
    "blockNumber",
    "extraData",
    "feeRecipient",
    "gasLimit",
    "gasUsed",
    "logsBloom",
    "parentHash",
    "prevRandao",
    "receiptsRoot",
    "stateRoot",
    "taikoBlock",
    "timestamp",
    "transactions",
    "txHash",
    "withdrawalsHash",
  ]);
});

Deno.test("`serializeNewPayloadParams()` uses the zero withdrawals hash for a V1 payload", () => {
  assert.equal(
    serializeNewPayloadParams(payload({ withdrawals: null })).withdrawalsHash,
    `0x${"00".repeat(32)}`,
  );
});

Deno.test("`parseExecutionPayload()` reads a V2 payload and refuses one with a missing field", () => {
  const json = {
    ...serializeNewPayloadParams(payload()),
    withdrawals: [{ index: "0x1", validatorIndex: "0x2", address: `0x${"cd".repeat(20)}`, amount: "0x3" }],
  };
  const parsed = parseExecutionPayload(json);
  assert.equal(parsed.blockNumber, 7n);
  assert.equal(parsed.gasUsed, 1_021_000n);
  assert.deepEqual(parsed.transactions, ["0x02c0", "0x01c0"]);
  assert.equal(parsed.withdrawals?.[0]?.amount, 3n);
  const { stateRoot: _dropped, ...missing } = json;
  assert.throws(
    () => parseExecutionPayload(missing),
    (error: unknown) =>
      error instanceof DriverError && error.kind === "Rpc" &&
      error.message.includes("executionPayload.stateRoot"),
  );
});

Deno.test("`parsePayloadStatus()` and `parseForkchoiceUpdatedResult()` read the engine's answers and refuse unknown statuses", () => {
  const hash: Hash = `0x${"aa".repeat(32)}`;
  assert.deepEqual(parsePayloadStatus({ status: "INVALID", latestValidHash: hash, validationError: "bad" }), {
    status: "INVALID",
    latestValidHash: hash,
    validationError: "bad",
  });
  const fcu = parseForkchoiceUpdatedResult({
    payloadStatus: { status: "VALID", latestValidHash: null, validationError: null },
    payloadId: "0x0200000000000001",
  });
  assert.equal(fcu.payloadId, "0x0200000000000001" as Hex);
  assert.throws(() => parsePayloadStatus({ status: "valid", latestValidHash: null }), DriverError);
  assert.throws(
    () => parseForkchoiceUpdatedResult({ payloadStatus: { status: "VALID" }, payloadId: "0x01" }),
    DriverError,
  );
});

Deno.test("`serializeNewPayloadParams()` of a parsed payload has the txHash of its transactions, upper-case hex included", () => {
  const transactions = [
    "0x02C0",
    "0x01c0ff",
    ...Array.from({ length: 140 }, (_, i) => `0x02${i.toString(16).padStart(4, "0")}`),
  ];
  const parsed = parseExecutionPayload({ ...serializeNewPayloadParams(payload()), transactions });
  assert.equal(parsed.transactions[0], "0x02c0");
  const json = serializeNewPayloadParams(parsed);
  assert.equal(json.txHash, orderedTrieRoot(transactions.map((tx) => tx.toLowerCase() as Hex)));
  assert.deepEqual(json.transactions, parsed.transactions);
});

Deno.test("`parseExecutionPayload()` refuses a transaction that is not hex bytes, naming it", () => {
  for (const bad of ["0x02c", "02c0", "0x02zz", 5]) {
    assert.throws(
      () => parseExecutionPayload({ ...serializeNewPayloadParams(payload()), transactions: ["0x02c0", bad] }),
      (error: unknown) =>
        error instanceof DriverError && error.kind === "Rpc" &&
        error.message.includes("executionPayload.transactions[1]"),
    );
  }
});

Deno.test("`hintTransactionsRoot()` is used only for a payload with exactly the hinted transactions", () => {
  const txs: Hex[] = ["0x02c0", "0x01c0ff", "0x02c180"];
  const parsed = (list: Hex[]) =>
    parseExecutionPayload({ ...serializeNewPayloadParams(payload()), transactions: list });
  // A hint whose last byte differs: the payload's own root is computed, not the hint's.
  hintTransactionsRoot(["0x02c0", "0x01c0ff", "0x02c181"].map((tx) => hexToBytes(tx as Hex)));
  assert.equal(serializeNewPayloadParams(parsed(txs)).txHash, orderedTrieRoot(txs));
  hintTransactionsRoot(txs.map((tx) => hexToBytes(tx)));
  assert.equal(serializeNewPayloadParams(parsed(txs)).txHash, orderedTrieRoot(txs));
  assert.equal(serializeNewPayloadParams(parsed(txs.slice(0, 2))).txHash, orderedTrieRoot(txs.slice(0, 2)));
});
