import assert from "node:assert/strict";
import { computeMixHash } from "../../../driver/shasta/mix_hash.ts";

Deno.test("`computeMixHash()` matches the driver.md vector for a zero-difficulty parent and block 1", () => {
  assert.equal(computeMixHash(0n, 1n), "0xa6eef7e35abe7026729641147f7915573c7e97b47efa546f5f6e3230263bcb49");
});

Deno.test("`computeMixHash()` matches the p2p.md vector for parent difficulty 42 and block 5", () => {
  assert.equal(computeMixHash(42n, 5n), "0xd3e7a847b0e4be9f2ff1f88564b0a771bb9789c2c82f98679296a6042483791d");
});

Deno.test("`computeMixHash()` depends on both the parent difficulty and the block number", () => {
  const base = computeMixHash(0n, 5n);
  assert.notEqual(computeMixHash(1n, 5n), base);
  assert.notEqual(computeMixHash(0n, 6n), base);
});

Deno.test("`computeMixHash()` refuses values outside uint256", () => {
  assert.throws(() => computeMixHash(-1n, 1n), RangeError);
  assert.throws(() => computeMixHash(0n, 1n << 256n), RangeError);
});
