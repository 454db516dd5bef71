import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import { computeMixHash } from "../../../driver/shasta/mix_hash.ts";

for (const v of vectors.mixHash) {
  Deno.test(`\`computeMixHash()\` matches the vector for parent difficulty ${v.parentDifficulty}, block ${v.blockNumber}`, () => {
    assert.equal(computeMixHash(BigInt(v.parentDifficulty), BigInt(v.blockNumber)), v.expected);
  });
}

Deno.test("`computeMixHash()` depends on both the parent difficulty and the block number", () => {
  const base = computeMixHash(0n, 5n);
  assert.notEqual(computeMixHash(1n, 5n), base);
  assert.notEqual(computeMixHash(0n, 6n), base);
});

Deno.test("`computeMixHash()` refuses values outside uint256", () => {
  assert.throws(() => computeMixHash(-1n, 1n), RangeError);
  assert.throws(() => computeMixHash(0n, 1n << 256n), RangeError);
});
