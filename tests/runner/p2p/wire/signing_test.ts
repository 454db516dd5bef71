import assert from "node:assert/strict";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, getAddress, hexToBytes, keccak256, stringToHex } from "viem";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import { encodePreconfCommitment } from "../../../../runner/p2p/wire/commitment.ts";
import {
  commitmentHash,
  DEFAULT_SIGNING_DOMAIN,
  preconfirmationHash,
  recoverSigner,
  signCommitment,
  signingHash,
} from "../../../../runner/p2p/wire/signing.ts";
import { commitmentA, commitmentC, hex, vectors } from "./_vectors.ts";

const N = secp256k1.Point.CURVE().n;

function withSignature(bytes: Uint8Array) {
  return { commitment: commitmentA, signature: bytesToHex(bytes) };
}

function assertInvalidSignature(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof P2pError && e.kind === "InvalidSignature");
}

Deno.test("`DEFAULT_SIGNING_DOMAIN` is the reference's 32-byte ASCII placeholder", () => {
  assert.equal(DEFAULT_SIGNING_DOMAIN, stringToHex(vectors.signingDomainAscii));
  assert.equal(hexToBytes(DEFAULT_SIGNING_DOMAIN).length, 32);
});

Deno.test("`preconfirmationHash()` matches fixtures A, C and the all-zero default", () => {
  assert.equal(preconfirmationHash(commitmentA.preconf), vectors.fixtureA.preconfirmationHash);
  assert.equal(preconfirmationHash(commitmentC.preconf), vectors.fixtureC.preconfirmationHash);
  const zero = {
    ...commitmentC.preconf,
    eop: false,
    blockNumber: 0n,
    timestamp: 0n,
    submissionWindowEnd: 0n,
  };
  assert.equal(preconfirmationHash(zero), vectors.defaultPreconfirmationHash);
});

Deno.test("`signingHash()` prefixes the domain (and differs from the bare commitment hash)", () => {
  assert.equal(signingHash(commitmentA), vectors.fixtureA.signingHash);
  assert.equal(signingHash(commitmentC), vectors.fixtureC.signingHash);
  assert.equal(keccak256(encodePreconfCommitment(commitmentA)), vectors.fixtureA.hashWithoutDomain);
  assert.notEqual(signingHash(commitmentA), vectors.fixtureA.hashWithoutDomain);
});

Deno.test("`signCommitment()` reproduces the RFC 6979 vectors byte for byte", () => {
  for (const s of vectors.fixtureA.signers) {
    const signed = signCommitment(commitmentA, hex(s.privateKey));
    assert.equal(signed.signature, s.signature);
    assert.equal(commitmentHash(signed), s.commitmentHash);
  }
  assert.equal(
    signCommitment(commitmentC, hex(vectors.fixtureC.privateKey)).signature,
    vectors.fixtureC.signature,
  );
});

Deno.test("`recoverSigner()` recovers the vector addresses", () => {
  for (const s of vectors.fixtureA.signers) {
    assert.equal(
      recoverSigner({ commitment: commitmentA, signature: hex(s.signature) }),
      getAddress(s.address),
    );
  }
  assert.equal(
    recoverSigner({ commitment: commitmentC, signature: hex(vectors.fixtureC.signature) }),
    getAddress(vectors.fixtureC.signer),
  );
});

Deno.test("`signCommitment()` with another domain signs a different digest that only that domain recovers", () => {
  const domain = keccak256(stringToHex("devnet-167001"));
  const key = hex(vectors.fixtureA.signers[0]!.privateKey);
  const signed = signCommitment(commitmentA, key, domain);
  assert.notEqual(signingHash(commitmentA, domain), signingHash(commitmentA));
  assert.equal(recoverSigner(signed, domain), getAddress(vectors.fixtureA.signers[0]!.address));
  assert.notEqual(recoverSigner(signed), getAddress(vectors.fixtureA.signers[0]!.address));
  assert.throws(() => signingHash(commitmentA, "0x1234"), TypeError);
});

Deno.test("`recoverSigner()` refuses v of 4 and above, including 27 and 28", () => {
  const good = hexToBytes(hex(vectors.fixtureA.signers[0]!.signature));
  for (const v of [4, 27, 28, 255]) {
    const bytes = good.slice();
    bytes[64] = v;
    assertInvalidSignature(() => recoverSigner(withSignature(bytes)));
  }
});

Deno.test("`recoverSigner()` refuses r or s equal to zero or not below the curve order", () => {
  const good = hexToBytes(hex(vectors.fixtureA.signers[0]!.signature));
  const nBytes = hexToBytes(`0x${N.toString(16).padStart(64, "0")}`);
  for (
    const [offset, value] of [[0, new Uint8Array(32)], [32, new Uint8Array(32)], [0, nBytes], [
      32,
      nBytes,
    ]] as const
  ) {
    const bytes = good.slice();
    bytes.set(value, offset);
    assertInvalidSignature(() => recoverSigner(withSignature(bytes)));
  }
});

Deno.test("`recoverSigner()` accepts a high-S signature like libsecp256k1 (same signer, flipped v)", () => {
  const good = hexToBytes(hex(vectors.fixtureA.signers[0]!.signature));
  const s = BigInt(bytesToHex(good.subarray(32, 64)));
  const bytes = good.slice();
  bytes.set(hexToBytes(`0x${(N - s).toString(16).padStart(64, "0")}`), 32);
  bytes[64] = (good[64] as number) ^ 1;
  assert.equal(recoverSigner(withSignature(bytes)), getAddress(vectors.fixtureA.signers[0]!.address));
});

Deno.test("`recoverSigner()` returns a different address when the commitment was altered", () => {
  const signed = { commitment: commitmentA, signature: hex(vectors.fixtureA.signers[0]!.signature) };
  const altered = {
    ...signed,
    commitment: { ...commitmentA, preconf: { ...commitmentA.preconf, gasLimit: 4n } },
  };
  assert.notEqual(recoverSigner(altered), recoverSigner(signed));
});
