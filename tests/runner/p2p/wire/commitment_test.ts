import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "viem";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import {
  decodePreconfCommitment,
  decodePreconfirmation,
  decodeSignedCommitment,
  encodePreconfCommitment,
  encodePreconfirmation,
  encodeSignedCommitment,
} from "../../../../runner/p2p/wire/commitment.ts";
import { commitmentA, hex, vectors } from "./_vectors.ts";

const signedA = { commitment: commitmentA, signature: hex(vectors.fixtureA.signers[0]!.signature) };
const sszSignedA = vectors.fixtureA.signers[0]!.sszSigned!;

function assertDecodeError(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof P2pError && e.kind === "Decode");
}

Deno.test("`encodePreconfirmation()` matches the 297-byte fixture A vector", () => {
  const bytes = encodePreconfirmation(commitmentA.preconf);
  assert.equal(bytes.length, 297);
  assert.equal(bytesToHex(bytes), vectors.fixtureA.sszPreconfirmation);
});

Deno.test("`encodePreconfCommitment()` appends the slasher address (317 bytes)", () => {
  const bytes = encodePreconfCommitment(commitmentA);
  assert.equal(bytes.length, 317);
  assert.equal(bytesToHex(bytes), vectors.fixtureA.sszCommitment);
});

Deno.test("`encodeSignedCommitment()` matches the 382-byte fixture A vector", () => {
  assert.equal(bytesToHex(encodeSignedCommitment(signedA)), sszSignedA);
});

Deno.test("`decodeSignedCommitment()` round-trips fixture A with checksummed addresses", () => {
  const decoded = decodeSignedCommitment(hexToBytes(hex(sszSignedA)));
  assert.equal(decoded.signature, signedA.signature);
  assert.equal(decoded.commitment.slasherAddress, "0x0909090909090909090909090909090909090909");
  assert.equal(decoded.commitment.preconf.blockNumber, 1n);
  assert.equal(decoded.commitment.preconf.proposalId, 6n);
  assert.equal(decoded.commitment.preconf.rawTxListHash, `0x${"01".repeat(32)}`);
  assert.equal(bytesToHex(encodeSignedCommitment(decoded)), sszSignedA);
  assert.deepEqual(decodePreconfCommitment(hexToBytes(hex(vectors.fixtureA.sszCommitment))), commitmentA);
});

Deno.test("`encodePreconfirmation()` writes uint256 little-endian over all 32 bytes", () => {
  const max = (1n << 256n) - 1n;
  const bytes = encodePreconfirmation({ ...commitmentA.preconf, blockNumber: max, timestamp: 0x0102n });
  assert.deepEqual(bytes.subarray(1, 33), new Uint8Array(32).fill(0xff));
  assert.deepEqual([...bytes.subarray(33, 36)], [0x02, 0x01, 0x00]);
  assert.equal(decodePreconfirmation(bytes).blockNumber, max);
});

Deno.test("`decodeSignedCommitment()` rejects short input, trailing bytes and empty input", () => {
  const bytes = hexToBytes(hex(sszSignedA));
  assertDecodeError(() => decodeSignedCommitment(bytes.subarray(0, 381)));
  assertDecodeError(() => decodeSignedCommitment(new Uint8Array([...bytes, 0])));
  assertDecodeError(() => decodeSignedCommitment(new Uint8Array(0)));
  assertDecodeError(() => decodePreconfirmation(new Uint8Array(298)));
});

Deno.test("`decodeSignedCommitment()` rejects an eop byte other than 0 or 1", () => {
  for (const eop of [2, 0x80, 0xff]) {
    const bytes = hexToBytes(hex(sszSignedA));
    bytes[0] = eop;
    assertDecodeError(() => decodeSignedCommitment(bytes));
  }
  const ok = hexToBytes(hex(sszSignedA));
  ok[0] = 1;
  assert.equal(decodeSignedCommitment(ok).commitment.preconf.eop, true);
});

Deno.test("`decodePreconfirmation()` accepts the all-zero default", () => {
  const p = decodePreconfirmation(new Uint8Array(297));
  assert.equal(p.eop, false);
  assert.equal(p.blockNumber, 0n);
  assert.equal(p.coinbase, "0x0000000000000000000000000000000000000000");
});

Deno.test("`encodePreconfirmation()` refuses out-of-range numbers and malformed byte fields", () => {
  assert.throws(() => encodePreconfirmation({ ...commitmentA.preconf, blockNumber: -1n }), RangeError);
  assert.throws(() => encodePreconfirmation({ ...commitmentA.preconf, gasLimit: 1n << 256n }), RangeError);
  assert.throws(() => encodePreconfirmation({ ...commitmentA.preconf, coinbase: "0x1234" }), TypeError);
  assert.throws(
    () => encodePreconfirmation({ ...commitmentA.preconf, rawTxListHash: `0x${"zz".repeat(32)}` }),
    TypeError,
  );
  assert.throws(() => encodeSignedCommitment({ ...signedA, signature: `0x${"00".repeat(64)}` }), TypeError);
});
