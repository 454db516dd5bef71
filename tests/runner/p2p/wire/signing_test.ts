import assert from "node:assert/strict";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, concatBytes, getAddress, hexToBytes, keccak256, stringToHex } from "viem";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import { Buffer } from "node:buffer";
import { privateKeyToAddress } from "viem/accounts";
import {
  decodeSignedCommitment,
  encodePreconfCommitment,
  encodeSignedCommitment,
} from "../../../../runner/p2p/wire/commitment.ts";
import {
  commitmentHash,
  commitmentHashOfEncoded,
  DEFAULT_SIGNING_DOMAIN,
  encodedSignedCommitment,
  preconfirmationHash,
  preconfirmationHashOfEncoded,
  recoverSigner,
  recoverSignerOfDigest,
  recoverSignerOfEncoded,
  rememberEncoding,
  signCommitment,
  signingHash,
  signingHashOfEncoded,
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

// --- Hashing and recovery from encoded bytes (the gossip, catch-up and RPC paths start from bytes).

/** A vector signer's 382-byte SignedCommitment: the vector's commitment SSZ and its signature. */
function signedBytes(s: { signature: string }): Uint8Array {
  return concatBytes([hexToBytes(hex(vectors.fixtureA.sszCommitment)), hexToBytes(hex(s.signature))]);
}

Deno.test("the vector signers' 382 bytes are the commitment SSZ and the signature (the vector's sszSigned)", () => {
  const first = vectors.fixtureA.signers[0]!;
  assert.equal(bytesToHex(signedBytes(first)), first.sszSigned);
});

Deno.test("`…OfEncoded()` hashes match the vectors from the 382-, 317- and 297-byte encodings", () => {
  for (const s of vectors.fixtureA.signers) {
    const signed = signedBytes(s);
    assert.equal(signed.length, 382);
    assert.equal(commitmentHashOfEncoded(signed), s.commitmentHash);
    assert.equal(signingHashOfEncoded(signed), vectors.fixtureA.signingHash);
    assert.equal(preconfirmationHashOfEncoded(signed), vectors.fixtureA.preconfirmationHash);
  }
  const commitment = hexToBytes(hex(vectors.fixtureA.sszCommitment));
  assert.equal(signingHashOfEncoded(commitment), vectors.fixtureA.signingHash);
  assert.equal(preconfirmationHashOfEncoded(commitment), vectors.fixtureA.preconfirmationHash);
  const preconf = hexToBytes(hex(vectors.fixtureA.sszPreconfirmation));
  assert.equal(preconfirmationHashOfEncoded(preconf), vectors.fixtureA.preconfirmationHash);
  const domain = keccak256(stringToHex("devnet-167001"));
  assert.equal(signingHashOfEncoded(commitment, domain), signingHash(commitmentA, domain));
});

Deno.test("`…OfEncoded()` refuse bytes of any other length with RangeError", () => {
  const signed = signedBytes(vectors.fixtureA.signers[0]!);
  assert.throws(() => commitmentHashOfEncoded(signed.subarray(0, 381)), RangeError);
  assert.throws(() => commitmentHashOfEncoded(signed.subarray(0, 317)), RangeError);
  assert.throws(() => signingHashOfEncoded(signed.subarray(0, 297)), RangeError);
  assert.throws(() => signingHashOfEncoded(new Uint8Array(383)), RangeError);
  assert.throws(() => preconfirmationHashOfEncoded(signed.subarray(0, 296)), RangeError);
  assert.throws(() => recoverSignerOfEncoded(signed.subarray(0, 381)), RangeError);
  assert.throws(() => signingHashOfEncoded(signed, "0x1234"), TypeError);
});

Deno.test("`recoverSignerOfEncoded()` recovers the vector addresses and refuses what `recoverSigner()` refuses", () => {
  for (const s of vectors.fixtureA.signers) {
    assert.equal(recoverSignerOfEncoded(signedBytes(s)), getAddress(s.address));
  }
  const good = signedBytes(vectors.fixtureA.signers[0]!);
  for (const v of [4, 27, 28, 255]) {
    const bytes = good.slice();
    bytes[381] = v;
    assertInvalidSignature(() => recoverSignerOfEncoded(bytes));
  }
  const nBytes = hexToBytes(`0x${N.toString(16).padStart(64, "0")}`);
  for (
    const [offset, value] of [[317, new Uint8Array(32)], [349, new Uint8Array(32)], [317, nBytes], [
      349,
      nBytes,
    ]] as const
  ) {
    const bytes = good.slice();
    bytes.set(value, offset);
    assertInvalidSignature(() => recoverSignerOfEncoded(bytes));
  }
  // High S with the flipped recovery id: the same signer, as libsecp256k1 recovers it.
  const s = BigInt(bytesToHex(good.subarray(349, 381)));
  const high = good.slice();
  high.set(hexToBytes(`0x${(N - s).toString(16).padStart(64, "0")}`), 349);
  high[381] = (good[381] as number) ^ 1;
  assert.equal(recoverSignerOfEncoded(high), getAddress(vectors.fixtureA.signers[0]!.address));
});

Deno.test("`recoverSignerOfDigest()` refuses a signature that is not 65 bytes with TypeError", () => {
  const digest = hexToBytes(vectors.fixtureA.signingHash as `0x${string}`);
  const signature = hexToBytes(hex(vectors.fixtureA.signers[0]!.signature));
  assert.equal(recoverSignerOfDigest(digest, signature), getAddress(vectors.fixtureA.signers[0]!.address));
  assert.throws(() => recoverSignerOfDigest(digest, signature.subarray(0, 64)), TypeError);
});

Deno.test("`rememberEncoding()` makes a decoded commitment hash and recover from a private copy of its bytes", () => {
  const s = vectors.fixtureA.signers[0]!;
  const wire = signedBytes(s);
  const signed = decodeSignedCommitment(wire);
  rememberEncoding(signed, wire);
  // The caller's buffer may be reused by the network: the remembered bytes must not follow it.
  wire.fill(0xff);
  assert.equal(commitmentHash(signed), s.commitmentHash);
  assert.equal(signingHash(signed.commitment), vectors.fixtureA.signingHash);
  assert.equal(preconfirmationHash(signed.commitment.preconf), vectors.fixtureA.preconfirmationHash);
  assert.equal(recoverSigner(signed), getAddress(s.address));
  assert.deepEqual(encodedSignedCommitment(signed), signedBytes(s));
  assert.throws(() => rememberEncoding(signed, wire.subarray(0, 317)), RangeError);
});

Deno.test("`rememberEncoding()` keeps a Node Buffer's bytes, not a view of the buffer", () => {
  const s = vectors.fixtureA.signers[0]!;
  const wire = Buffer.from(signedBytes(s));
  const signed = decodeSignedCommitment(wire);
  rememberEncoding(signed, wire);
  wire.fill(0);
  assert.equal(commitmentHash(signed), s.commitmentHash);
});

Deno.test("`encodedSignedCommitment()` of a built commitment is its SSZ encoding", () => {
  const signed = { commitment: commitmentA, signature: hex(vectors.fixtureA.signers[1]!.signature) };
  assert.deepEqual(encodedSignedCommitment(signed), encodeSignedCommitment(signed));
  assert.deepEqual(encodedSignedCommitment(signed), signedBytes(vectors.fixtureA.signers[1]!));
  assert.equal(commitmentHash(signed), vectors.fixtureA.signers[1]!.commitmentHash);
});

Deno.test("`signCommitment()` signs byte-identically to @noble/curves RFC 6979 for many keys and domains", () => {
  let key = hexToBytes(keccak256(stringToHex("keys")));
  for (let i = 0; i < 40; i++) {
    key = hexToBytes(keccak256(key));
    const domain = i % 2 === 0 ? DEFAULT_SIGNING_DOMAIN : keccak256(key);
    const commitment = { ...commitmentA, preconf: { ...commitmentA.preconf, blockNumber: BigInt(i) } };
    const recovered = secp256k1.sign(hexToBytes(signingHash(commitment, domain)), key, {
      prehash: false,
      format: "recovered",
    });
    const expected = new Uint8Array(65);
    expected.set(recovered.subarray(1), 0);
    expected[64] = recovered[0] as number;
    const signed = signCommitment(commitment, bytesToHex(key), domain);
    assert.equal(signed.signature, bytesToHex(expected));
    assert.equal(recoverSigner(signed, domain), privateKeyToAddress(bytesToHex(key)));
  }
});

Deno.test("`signCommitment()` refuses a zero key and a key not below the curve order", () => {
  assert.throws(() => signCommitment(commitmentA, `0x${"00".repeat(32)}`), Error);
  assert.throws(() => signCommitment(commitmentA, `0x${N.toString(16)}`), Error);
  assert.throws(() => signCommitment(commitmentA, "0x1234"), TypeError);
});
