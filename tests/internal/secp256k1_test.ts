import assert from "node:assert/strict";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { recoverAddressBytes, recoverPublicKey } from "../../internal/secp256k1.ts";

const CURVE_ORDER = secp256k1.Point.CURVE().n;
const privateKey = new Uint8Array(32).fill(0x42);
const digest = keccak_256(new TextEncoder().encode("commitment"));
const recovered = secp256k1.sign(digest, privateKey, { prehash: false, format: "recovered" });
const compact = recovered.subarray(1);
const recoveryId = recovered[0] as number;

function toBytes32(value: bigint): Uint8Array {
  return Uint8Array.from(value.toString(16).padStart(64, "0").match(/../g)!, (byte) => parseInt(byte, 16));
}

Deno.test("recovery gives the signer's key and address, as @noble/curves does", () => {
  assert.deepEqual(recoverPublicKey(digest, compact, recoveryId), secp256k1.getPublicKey(privateKey, false));
  assert.equal(
    bytesToHex(recoverAddressBytes(digest, compact, recoveryId)),
    privateKeyToAddress(bytesToHex(privateKey)).toLowerCase(),
  );
});

Deno.test("a high-s signature recovers the same key with the other recovery id, as libsecp256k1 allows", () => {
  const s = BigInt(bytesToHex(compact.subarray(32)));
  const highS = new Uint8Array(64);
  highS.set(compact.subarray(0, 32));
  highS.set(toBytes32(CURVE_ORDER - s), 32);
  assert.deepEqual(
    recoverPublicKey(digest, highS, recoveryId ^ 1),
    secp256k1.getPublicKey(privateKey, false),
  );
});

Deno.test("recovery refuses a bad recovery id, zero or out-of-range r and s", () => {
  assert.throws(() => recoverPublicKey(digest, compact, 4), /recovery id must be 0..3, got 4/);
  assert.throws(() => recoverPublicKey(digest, compact, 27), /recovery id/);
  const zeroS = compact.slice();
  zeroS.fill(0, 32);
  assert.throws(() => recoverPublicKey(digest, zeroS, recoveryId), RangeError);
  const bigR = compact.slice();
  bigR.set(toBytes32(CURVE_ORDER), 0);
  assert.throws(() => recoverPublicKey(digest, bigR, recoveryId), RangeError);
  const bigS = compact.slice();
  bigS.set(toBytes32(CURVE_ORDER + 1n), 32);
  assert.throws(() => recoverPublicKey(digest, bigS, recoveryId), RangeError);
});

Deno.test("a different digest recovers a different key, never the signer's", () => {
  const other = keccak_256(new TextEncoder().encode("other"));
  assert.notDeepEqual(
    recoverPublicKey(other, compact, recoveryId),
    secp256k1.getPublicKey(privateKey, false),
  );
});
