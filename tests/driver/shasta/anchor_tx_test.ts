import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  decodeFunctionData,
  type Hash,
  hexToBytes,
  keccak256,
  parseTransaction,
  recoverAddress,
  recoverTransactionAddress,
  serializeTransaction,
  type TransactionSerializedEIP1559,
} from "viem";
import { anchorAbi } from "../../../driver/shasta/abi.ts";
import { buildAnchorV4Transaction, signWithFixedK } from "../../../driver/shasta/anchor_tx.ts";
import { GOLDEN_TOUCH_ADDRESS, GOLDEN_TOUCH_PRIVATE_KEY } from "../../../driver/shasta/constants.ts";
import { privateKeyToAddress } from "viem/accounts";

const GX = vectors.fixedKSigner.k1R;

// driver.md §4.7, from the Rust signer tests (k = 2).
const K2_VECTORS = vectors.fixedKSigner.k2 as ReadonlyArray<{ hash: Hash; r: Hash; s: Hash; v: number }>;

const INPUT = {
  chainId: 167001n,
  nonce: 7n,
  baseFeePerGas: 25_000_000n,
  anchorAddress: "0x1670010000000000000000000000000000010001",
  checkpoint: {
    blockNumber: 1234n,
    blockHash: `0x${"11".repeat(32)}`,
    stateRoot: `0x${"22".repeat(32)}`,
  },
} as const;

Deno.test("the golden-touch key belongs to the golden-touch address", () => {
  assert.equal(privateKeyToAddress(GOLDEN_TOUCH_PRIVATE_KEY), GOLDEN_TOUCH_ADDRESS);
});

for (const [i, v] of K2_VECTORS.entries()) {
  Deno.test(`\`signWithFixedK()\` with k = 2 reproduces Rust vector ${i + 1}`, async () => {
    const signature = signWithFixedK(v.hash, { k: 2n });
    assert.deepEqual(signature, { r: v.r, s: v.s, yParity: v.v });
    assert.equal(await recoverAddress({ hash: v.hash, signature }), GOLDEN_TOUCH_ADDRESS);
  });
}

Deno.test("`signWithFixedK()` uses k = 1 by default, so r is the generator's x", async () => {
  for (const v of K2_VECTORS) {
    const signature = signWithFixedK(v.hash);
    assert.equal(signature.r, GX);
    assert.equal(await recoverAddress({ hash: v.hash, signature }), GOLDEN_TOUCH_ADDRESS);
  }
});

Deno.test("`signWithFixedK()` always returns a low s", () => {
  const half = secp256k1.Point.Fn.ORDER / 2n;
  for (let i = 0; i < 32; i++) {
    const hash = keccak256(new Uint8Array([i]));
    assert.ok(BigInt(signWithFixedK(hash).s) <= half);
  }
});

Deno.test("`buildAnchorV4Transaction()` is an EIP-1559 anchorV4 call signed by golden touch", async () => {
  const serialized = buildAnchorV4Transaction(INPUT) as TransactionSerializedEIP1559;
  const tx = parseTransaction(serialized);
  assert.equal(tx.type, "eip1559");
  assert.equal(tx.chainId, 167001);
  assert.equal(tx.nonce, 7);
  assert.equal(tx.maxPriorityFeePerGas, undefined); // zero is omitted by viem's parser
  assert.equal(tx.maxFeePerGas, 25_000_000n);
  assert.equal(tx.gas, 1_000_000n);
  assert.equal(tx.to, INPUT.anchorAddress);
  assert.equal(tx.value, undefined);
  assert.equal(tx.r, GX);
  assert.ok(tx.data?.startsWith("0x523e6854"));
  const call = decodeFunctionData({ abi: anchorAbi, data: tx.data! });
  assert.equal(call.functionName, "anchorV4");
  assert.deepEqual(call.args, [{
    blockNumber: 1234,
    blockHash: INPUT.checkpoint.blockHash,
    stateRoot: INPUT.checkpoint.stateRoot,
  }]);
  assert.equal(await recoverTransactionAddress({ serializedTransaction: serialized }), GOLDEN_TOUCH_ADDRESS);
});

Deno.test("`buildAnchorV4Transaction()` signs the EIP-1559 signing hash of the unsigned transaction", async () => {
  const serialized = buildAnchorV4Transaction(INPUT);
  const { r, s, yParity, v: _v, ...unsigned } = parseTransaction(serialized);
  const signingHash = keccak256(serializeTransaction({ ...unsigned, accessList: [] } as never));
  assert.deepEqual(signWithFixedK(signingHash), { r, s, yParity });
  assert.equal(
    await recoverAddress({ hash: signingHash, signature: { r: r!, s: s!, yParity: yParity! } }),
    GOLDEN_TOUCH_ADDRESS,
  );
});

Deno.test("`buildAnchorV4Transaction()` is deterministic and depends on nonce, fee and checkpoint", () => {
  const base = buildAnchorV4Transaction(INPUT);
  assert.equal(buildAnchorV4Transaction(INPUT), base);
  assert.notEqual(buildAnchorV4Transaction({ ...INPUT, nonce: 8n }), base);
  assert.notEqual(buildAnchorV4Transaction({ ...INPUT, baseFeePerGas: 25_000_001n }), base);
  assert.notEqual(
    buildAnchorV4Transaction({ ...INPUT, checkpoint: { ...INPUT.checkpoint, blockNumber: 1235n } }),
    base,
  );
});

Deno.test("`buildAnchorV4Transaction()` refuses a nonce over uint64, a fee over uint128, an anchor over uint48", () => {
  assert.throws(() => buildAnchorV4Transaction({ ...INPUT, nonce: 1n << 64n }), RangeError);
  assert.throws(() => buildAnchorV4Transaction({ ...INPUT, baseFeePerGas: 1n << 128n }), RangeError);
  assert.throws(
    () => buildAnchorV4Transaction({ ...INPUT, checkpoint: { ...INPUT.checkpoint, blockNumber: 1n << 48n } }),
    RangeError,
  );
});

Deno.test("`signWithFixedK()` signs a byte hash as its hex form and refuses a hash that is not 32 bytes", () => {
  for (const v of K2_VECTORS) {
    assert.deepEqual(signWithFixedK(hexToBytes(v.hash), { k: 2n }), { r: v.r, s: v.s, yParity: v.v });
  }
  assert.throws(() => signWithFixedK(new Uint8Array(31)), RangeError);
  assert.throws(() => signWithFixedK(`0x${"44".repeat(33)}`), RangeError);
});

Deno.test("`signWithFixedK()` equals a full ECDSA signature with the same fixed nonce, for k = 1 and k = 2", async () => {
  // The reference computes R = k·G and s = k⁻¹(e + r·d) from scratch, as the Rust signer does.
  const n = secp256k1.Point.Fn.ORDER;
  const d = BigInt(GOLDEN_TOUCH_PRIVATE_KEY);
  for (let i = 0; i < 16; i++) {
    const hash = keccak256(new Uint8Array([i, 7]));
    for (const k of [1n, 2n] as const) {
      const point = secp256k1.Point.BASE.multiply(k).toAffine();
      const r = point.x % n;
      let s = secp256k1.Point.Fn.inv(k) * ((BigInt(hash) % n + r * d) % n) % n;
      let parity = point.y & 1n ? 1 : 0;
      if (s > n / 2n) {
        s = n - s;
        parity ^= 1;
      }
      const signature = signWithFixedK(hash, { k });
      assert.deepEqual(signature, {
        r: `0x${r.toString(16).padStart(64, "0")}`,
        s: `0x${s.toString(16).padStart(64, "0")}`,
        yParity: parity,
      });
      assert.equal(await recoverAddress({ hash, signature }), GOLDEN_TOUCH_ADDRESS);
    }
  }
});
