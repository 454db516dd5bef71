import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { fromRlp, type Hex, hexToBytes, toRlp } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PreconfError } from "../../../runner/preconf/errors.ts";
import {
  decodeCompressedTxList,
  encodeCompressedTxList,
  MAX_INFLATED_TXLIST_BYTES,
} from "../../../runner/preconf/txlist_codec.ts";

const account = privateKeyToAccount(`0x${"05".repeat(32)}`);

async function signedTxs(): Promise<Hex[]> {
  const legacy = await account.signTransaction({
    type: "legacy",
    chainId: 167001,
    nonce: 0,
    gas: 21000n,
    gasPrice: 1_000_000_000n,
    to: "0x0000000000000000000000000000000000000001",
    value: 1n,
  });
  const dynamic = await account.signTransaction({
    type: "eip1559",
    chainId: 167001,
    nonce: 1,
    gas: 50_000n,
    maxFeePerGas: 2_000_000_000n,
    maxPriorityFeePerGas: 1n,
    to: "0x0000000000000000000000000000000000000002",
    data: "0xdeadbeef",
    accessList: [{
      address: "0x0000000000000000000000000000000000000003",
      storageKeys: [`0x${"00".repeat(32)}`],
    }],
  });
  return [legacy, dynamic];
}

function zlib(hex: Hex): Uint8Array {
  return new Uint8Array(deflateSync(hexToBytes(hex)));
}

function codecReason(error: unknown): string | undefined {
  assert.ok(error instanceof PreconfError, `expected PreconfError, got ${error}`);
  assert.equal(error.kind, "TxListCodec");
  return error.context.reason;
}

Deno.test("`decodeCompressedTxList()` round-trips a mixed legacy and EIP-1559 list", async () => {
  const txs = await signedTxs();
  const compressed = encodeCompressedTxList(txs);
  assert.deepEqual(decodeCompressedTxList(compressed), txs);
});

Deno.test("`decodeCompressedTxList()` decodes the p2p.md 21.4 empty txlist vector", () => {
  assert.deepEqual(decodeCompressedTxList(hexToBytes("0x789c3b000000c100c1")), []);
});

Deno.test("`decodeCompressedTxList()` encodes typed transactions as byte strings, like go-ethereum", async () => {
  const [legacy, dynamic] = await signedTxs();
  const goStyle = toRlp([fromRlp(legacy!, "hex") as Hex[], dynamic!]);
  assert.deepEqual(decodeCompressedTxList(zlib(goStyle)), [legacy, dynamic]);
});

Deno.test("`decodeCompressedTxList()` refuses a typed transaction sent as an RLP list of its fields", async () => {
  const [, dynamic] = await signedTxs();
  const fields = fromRlp(`0x${dynamic!.slice(4)}`, "hex") as Hex[];
  const asList = toRlp([["0x02", ...fields]] as never);
  assert.throws(() => decodeCompressedTxList(zlib(asList)), (e: unknown) => codecReason(e) === "RlpDecode");
});

Deno.test("`decodeCompressedTxList()` refuses trailing bytes after the list", () => {
  assert.throws(() => decodeCompressedTxList(zlib("0xc0ff")), (e: unknown) => codecReason(e) === "RlpDecode");
});

Deno.test("`decodeCompressedTxList()` refuses a zlib bomb past the inflate cap", () => {
  const bomb = new Uint8Array(deflateSync(new Uint8Array(MAX_INFLATED_TXLIST_BYTES + 1)));
  assert.ok(bomb.length < 64 * 1024);
  assert.throws(() => decodeCompressedTxList(bomb), (e: unknown) => codecReason(e) === "InflatedTooLarge");
  assert.throws(
    () => decodeCompressedTxList(zlib("0xc180"), { maxInflatedBytes: 1 }),
    (e: unknown) => codecReason(e) === "InflatedTooLarge",
  );
});

Deno.test("`decodeCompressedTxList()` refuses non-zlib bytes and oversized input", () => {
  assert.throws(
    () => decodeCompressedTxList(Uint8Array.of(1, 2, 3)),
    (e: unknown) => codecReason(e) === "ZlibDecode",
  );
  assert.throws(
    () => decodeCompressedTxList(new Uint8Array(2 * 1024 * 1024 + 1)),
    (e: unknown) => codecReason(e) === "CompressedTooLarge",
  );
});
