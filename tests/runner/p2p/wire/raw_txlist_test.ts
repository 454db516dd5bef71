import assert from "node:assert/strict";
import { bytesToHex, hexToBytes, keccak256 } from "viem";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import { MAX_TXLIST_BYTES } from "../../../../runner/p2p/wire/constants.ts";
import { decodeRawTxListGossip, encodeRawTxListGossip } from "../../../../runner/p2p/wire/raw_txlist.ts";
import { hex, vectors } from "./_vectors.ts";

function assertDecodeError(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof P2pError && e.kind === "Decode");
}

Deno.test("`encodeRawTxListGossip()` matches the zlib([0xc0]) vector: hash, offset 36, bytes", () => {
  const txlist = hexToBytes(hex(vectors.txlist.zlibOfC0));
  assert.equal(keccak256(txlist), vectors.txlist.hash);
  const bytes = encodeRawTxListGossip({ rawTxListHash: hex(vectors.txlist.hash), txlist });
  assert.equal(bytesToHex(bytes), vectors.txlist.sszGossip);
  assert.deepEqual(decodeRawTxListGossip(bytes), { rawTxListHash: vectors.txlist.hash, txlist });
});

Deno.test("`keccak256()` of the reference test txlists matches the vectors", () => {
  for (const [input, hash] of Object.entries(vectors.keccak)) assert.equal(keccak256(hex(input)), hash);
});

Deno.test("`encodeRawTxListGossip()` encodes an empty txlist as hash ‖ 24000000", () => {
  const bytes = encodeRawTxListGossip({ rawTxListHash: `0x${"11".repeat(32)}`, txlist: new Uint8Array(0) });
  assert.equal(bytesToHex(bytes), `0x${"11".repeat(32)}24000000`);
  assert.equal(decodeRawTxListGossip(bytes).txlist.length, 0);
});

Deno.test("`encodeRawTxListGossip()` accepts exactly 2 MiB and refuses one byte more", () => {
  const hash = `0x${"00".repeat(32)}` as const;
  const max = encodeRawTxListGossip({ rawTxListHash: hash, txlist: new Uint8Array(MAX_TXLIST_BYTES) });
  assert.equal(decodeRawTxListGossip(max).txlist.length, MAX_TXLIST_BYTES);
  assert.throws(
    () => encodeRawTxListGossip({ rawTxListHash: hash, txlist: new Uint8Array(MAX_TXLIST_BYTES + 1) }),
    RangeError,
  );
});

Deno.test("`decodeRawTxListGossip()` refuses an over-limit txlist, a short input and bad offsets", () => {
  const over = new Uint8Array(36 + MAX_TXLIST_BYTES + 1);
  over[32] = 36;
  assertDecodeError(() => decodeRawTxListGossip(over));
  assertDecodeError(() => decodeRawTxListGossip(new Uint8Array(35)));
  assertDecodeError(() => decodeRawTxListGossip(new Uint8Array(0)));
  const good = hexToBytes(hex(vectors.txlist.sszGossip));
  for (const offset of [0, 35, 37, 0xff, 0xffffffff]) {
    const bytes = good.slice();
    new DataView(bytes.buffer).setUint32(32, offset, true);
    assertDecodeError(() => decodeRawTxListGossip(bytes));
  }
});
