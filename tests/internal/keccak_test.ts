import assert from "node:assert/strict";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "viem";
import { keccak256Bytes, keccak256Hex } from "../../internal/keccak.ts";

Deno.test("keccak256 of the empty string is the well-known digest", () => {
  assert.equal(
    keccak256Hex(),
    "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  );
  assert.equal(bytesToHex(keccak256Bytes(new Uint8Array())), keccak256Hex(new Uint8Array()));
});

Deno.test("keccak256 over parts equals @noble/hashes over their concatenation, at every block boundary", () => {
  for (const length of [1, 31, 32, 135, 136, 137, 271, 272, 1000, 100 * 1024 + 7]) {
    const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
    const expected = bytesToHex(keccak_256(data));
    const cut = Math.floor(length / 3);
    assert.equal(keccak256Hex(data), expected, `length ${length}`);
    assert.equal(
      bytesToHex(keccak256Bytes(data.subarray(0, cut), data.subarray(cut))),
      expected,
      `length ${length}`,
    );
  }
});

Deno.test("keccak256Bytes returns a fresh array each call", () => {
  const first = keccak256Bytes(new Uint8Array([1]));
  const second = keccak256Bytes(new Uint8Array([2]));
  assert.notDeepEqual(first, second);
  assert.equal(bytesToHex(first), bytesToHex(keccak_256(new Uint8Array([1]))));
});
