import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import { nextBaseFeeEip4396 } from "../../../driver/shasta/base_fee.ts";
import { MAX_BASE_FEE, MIN_BASE_FEE, SHASTA_INITIAL_BASE_FEE } from "../../../driver/shasta/constants.ts";

const VECTORS = vectors.eip4396.cases.map((c) => ({
  baseFee: BigInt(c.baseFee),
  gasUsed: BigInt(c.gasUsed),
  blockTime: BigInt(c.blockTime),
  expected: BigInt(c.expected),
}));
const GAS_LIMIT = BigInt(vectors.eip4396.parentGasLimit);

for (const v of VECTORS) {
  Deno.test(`\`nextBaseFeeEip4396()\` gives ${v.expected} for base fee ${v.baseFee}, ${v.gasUsed} gas used, ${v.blockTime}s`, () => {
    const parent = { number: 1n, gasLimit: GAS_LIMIT, gasUsed: v.gasUsed, baseFeePerGas: v.baseFee };
    assert.equal(nextBaseFeeEip4396(parent, v.blockTime), v.expected);
  });
}

Deno.test("`nextBaseFeeEip4396()` gives the initial base fee after a genesis parent, whatever its fields", () => {
  assert.equal(
    nextBaseFeeEip4396({ number: 0n, gasLimit: 0n, gasUsed: 0n, baseFeePerGas: null }, 0n),
    SHASTA_INITIAL_BASE_FEE,
  );
  assert.equal(SHASTA_INITIAL_BASE_FEE, 25_000_000n);
});

Deno.test("`nextBaseFeeEip4396()` caps the gas target at 95% of the gas limit on long block times", () => {
  // adj = min(15M * 100 / 2, 28.5M) = 28.5M; a full block (30M) is then above target.
  const parent = { number: 7n, gasLimit: GAS_LIMIT, gasUsed: GAS_LIMIT, baseFeePerGas: 100_000_000n };
  // 100M * 1.5M / 15M / 8 = 1.25M
  assert.equal(nextBaseFeeEip4396(parent, 100n), 101_250_000n);
});

Deno.test("`nextBaseFeeEip4396()` raises the base fee by at least 1 wei when above target", () => {
  const parent = { number: 3n, gasLimit: GAS_LIMIT, gasUsed: 15_000_001n, baseFeePerGas: 10_000_000n };
  assert.equal(nextBaseFeeEip4396(parent, 2n), 10_000_001n);
});

Deno.test("`nextBaseFeeEip4396()` clamps to the per-chain minimum and to the maximum", () => {
  const low = { number: 3n, gasLimit: GAS_LIMIT, gasUsed: 0n, baseFeePerGas: 5_500_000n };
  assert.equal(nextBaseFeeEip4396(low, 2n), MIN_BASE_FEE);
  assert.equal(nextBaseFeeEip4396(low, 2n, { minBaseFee: 8_000_000n }), 8_000_000n);
  const high = { number: 3n, gasLimit: GAS_LIMIT, gasUsed: GAS_LIMIT, baseFeePerGas: 2_000_000_000n };
  assert.equal(nextBaseFeeEip4396(high, 2n), MAX_BASE_FEE);
});

Deno.test("`nextBaseFeeEip4396()` refuses a non-genesis parent without a base fee", () => {
  assert.throws(
    () => nextBaseFeeEip4396({ number: 2n, gasLimit: GAS_LIMIT, gasUsed: 0n, baseFeePerGas: null }, 2n),
    RangeError,
  );
});
