import assert from "node:assert/strict";
import { bytesToHex, fromRlp, type Hex, hexToBytes, keccak256, parseTransaction, toRlp } from "viem";
import { DriverError } from "../../../driver/errors.ts";
import {
  decodeTxList,
  decodeTxListBytes,
  encodeBlockTxList,
  encodeTxList,
  encodeTxListBytes,
  type RlpNode,
  transactionsFromRlpNodes,
  txListItemBytes,
} from "../../../driver/shasta/tx_list.ts";
import { signedEip1559Tx, signedLegacyTx } from "../../helpers/shasta_encoding.ts";

function assertDecodeFails(txList: Hex, reason: RegExp): void {
  assert.throws(() => decodeTxList(txList), (e: unknown) => {
    assert.ok(e instanceof DriverError);
    assert.equal(e.kind, "Derivation");
    assert.match(e.message, reason);
    return true;
  });
}

Deno.test("`encodeTxList()` of no transactions is the empty list", () => {
  assert.equal(encodeTxList([]), "0xc0");
});

Deno.test("`encodeTxList()` nests a legacy transaction as a list and wraps a typed one as a byte string", async () => {
  const legacy = await signedLegacyTx();
  const typed = await signedEip1559Tx();
  const encoded = encodeTxList([legacy, typed]);
  const [first, second] = fromRlp(encoded, "hex") as [Hex[], Hex];
  assert.ok(Array.isArray(first));
  assert.equal(toRlp(first), legacy);
  assert.equal(second, typed);
  // Same bytes as go-ethereum's rlp(types.Transactions): list header ‖ legacy RLP ‖ string(typed).
  assert.equal(encoded, toRlp([fromRlp(legacy, "hex"), typed]));
});

Deno.test("`decodeTxList()` round-trips a mixed legacy and EIP-1559 list (lesson V-7a)", async () => {
  const txs = [await signedLegacyTx(0), await signedEip1559Tx(1), await signedLegacyTx(2)];
  const decoded = decodeTxList(encodeTxList(txs));
  assert.deepEqual(decoded, txs);
  assert.deepEqual(decoded.map((tx) => keccak256(tx)), txs.map((tx) => keccak256(tx)));
  assert.equal(parseTransaction(decoded[0]!).type, "legacy");
  assert.equal(parseTransaction(decoded[1]!).type, "eip1559");
});

Deno.test("`decodeTxList()` refuses a typed transaction nested as a list of bytes (lesson V-7c)", async () => {
  const typed = await signedEip1559Tx();
  // The old Rust bug: [type, ...fields] as a list instead of one byte string.
  const asList: Hex[] = ["0x02", ...(fromRlp(`0x${typed.slice(4)}`, "hex") as Hex[])];
  assertDecodeFails(toRlp([asList]), /legacy transaction 0 has 13 fields/);
});

Deno.test("`decodeTxList()` refuses trailing bytes after the list (lesson V-7e)", async () => {
  const list = encodeTxList([await signedEip1559Tx()]);
  assertDecodeFails(`${list}00`, /not canonical RLP/);
});

Deno.test("`decodeTxList()` refuses a byte string instead of a list", () => {
  assertDecodeFails("0x83010203", /expected an RLP list/);
});

Deno.test("`decodeTxList()` refuses an unknown transaction type and an empty typed transaction", () => {
  assertDecodeFails(toRlp(["0x05c0"]), /unsupported type 5/);
  assertDecodeFails(toRlp(["0x"]), /empty typed transaction/);
});

Deno.test("`decodeTxList()` refuses a typed transaction with a field missing or a non-canonical integer", async () => {
  const typed = await signedEip1559Tx();
  const fields = fromRlp(`0x${typed.slice(4)}`, "hex") as Hex[];
  assertDecodeFails(toRlp([`0x02${toRlp(fields.slice(0, 11)).slice(2)}`]), /has 11 fields, expected 12/);
  const padded = [...fields];
  padded[1] = "0x0001"; // nonce with a leading zero byte
  assertDecodeFails(toRlp([`0x02${toRlp(padded).slice(2)}`]), /field 1 has leading zero bytes/);
  const badTo = [...fields];
  badTo[5] = "0x1234";
  assertDecodeFails(toRlp([`0x02${toRlp(badTo).slice(2)}`]), /field 5 has 2 bytes, expected 20/);
});

Deno.test("`decodeTxList()` accepts contract creation (empty to) for a legacy transaction", async () => {
  const legacy = fromRlp(await signedLegacyTx(), "hex") as Hex[];
  legacy[3] = "0x";
  assert.deepEqual(decodeTxList(toRlp([legacy])), [toRlp(legacy)]);
});

Deno.test("`encodeTxList()` refuses a malformed transaction", () => {
  assert.throws(() => encodeTxList(["0xc3010203"]), DriverError);
  assert.throws(() => encodeTxList(["0x02c0"]), DriverError);
});

Deno.test("`encodeTxListBytes()` and `decodeTxListBytes()` are the hex codec's bytes for a mixed list", async () => {
  const txs = [await signedLegacyTx(0), await signedEip1559Tx(1)];
  const encoded = encodeTxListBytes(txs);
  assert.equal(bytesToHex(encoded), encodeTxList(txs));
  assert.deepEqual(decodeTxListBytes(encoded), txs);
  assert.deepEqual(decodeTxListBytes(hexToBytes(encodeTxList(txs))), decodeTxList(encodeTxList(txs)));
});

Deno.test("`decodeTxListBytes()` refuses trailing bytes after the list, as `decodeTxList()` does", () => {
  assert.throws(() => decodeTxListBytes(new Uint8Array([0xc0, 0x00])), (e: unknown) => {
    assert.ok(e instanceof DriverError);
    assert.equal(e.kind, "Derivation");
    assert.match(e.message, /not canonical RLP/);
    return true;
  });
});

Deno.test("`encodeBlockTxList()` equals encodeTxList of the anchor and the transactions, for checked and plain lists", async () => {
  const anchor = await signedEip1559Tx(9);
  const txs = [await signedLegacyTx(0), await signedEip1559Tx(1), await signedLegacyTx(2)];
  const expected = encodeTxList([anchor, ...txs]);
  const checked = transactionsFromRlpNodes(fromRlp(encodeTxList(txs), "bytes") as RlpNode[]);
  assert.deepEqual(checked, txs);
  assert.ok(Object.isFrozen(checked));
  assert.equal(encodeBlockTxList(anchor, checked), expected);
  assert.equal(encodeBlockTxList(anchor, txs), expected);
  assert.equal(encodeBlockTxList(anchor, transactionsFromRlpNodes([])), encodeTxList([anchor]));
});

Deno.test("`encodeBlockTxList()` checks the anchor and any list it did not decode", async () => {
  const typed = await signedEip1559Tx(1);
  const broken = `${typed.slice(0, -2)}` as Hex;
  const checked = transactionsFromRlpNodes([hexToBytes(typed)]);
  assert.throws(() => encodeBlockTxList(broken, checked), DriverError);
  assert.throws(() => encodeBlockTxList(typed, [broken]), DriverError);
});

Deno.test("`transactionsFromRlpNodes()` refuses an item that is not a signed transaction", () => {
  assert.throws(() => transactionsFromRlpNodes([new Uint8Array([5])]), DriverError);
});

Deno.test("`txListItemBytes()` returns each transaction's raw bytes, legacy ones as their RLP list", async () => {
  const txs = [await signedLegacyTx(0), await signedEip1559Tx(1)];
  assert.deepEqual(txListItemBytes(encodeTxList(txs)).map((bytes) => bytesToHex(bytes)), txs);
  assert.throws(() => txListItemBytes("0x05"), DriverError);
});
