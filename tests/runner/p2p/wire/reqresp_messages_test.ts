import assert from "node:assert/strict";
import { bytesToHex, concatBytes, hexToBytes } from "viem";
import { encode as encodeVarint } from "uint8-varint";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import { decodeSignedCommitment, encodeSignedCommitment } from "../../../../runner/p2p/wire/commitment.ts";
import {
  decodeGetCommitmentsByNumberRequest,
  decodeGetCommitmentsByNumberResponse,
  decodeGetHeadRequest,
  decodeGetRawTxListRequest,
  decodeGetRawTxListResponse,
  decodePreconfHead,
  encodeGetCommitmentsByNumberRequest,
  encodeGetCommitmentsByNumberResponse,
  encodeGetHeadRequest,
  encodeGetRawTxListRequest,
  encodeGetRawTxListResponse,
  encodePreconfHead,
  GET_HEAD_REQUEST_BYTES,
} from "../../../../runner/p2p/wire/reqresp_messages.ts";
import { hex, vectors } from "./_vectors.ts";

const signedA = decodeSignedCommitment(hexToBytes(hex(vectors.fixtureA.signers[0]!.sszSigned!)));

/** varint(len) ‖ body, as the reference frames every request and response. */
function frame(body: Uint8Array): string {
  return bytesToHex(concatBytes([encodeVarint(body.length), body]));
}

function assertDecodeError(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof P2pError && e.kind === "Decode");
}

Deno.test("`encodeGetHeadRequest()` is the constant 04000000 (framed 0404000000)", () => {
  assert.equal(frame(encodeGetHeadRequest()), vectors.frames.getHeadRequest);
  assert.deepEqual(encodeGetHeadRequest(), GET_HEAD_REQUEST_BYTES);
  decodeGetHeadRequest(Uint8Array.of(4, 0, 0, 0));
});

Deno.test("`decodeGetHeadRequest()` refuses an empty body and any byte in the zero-limit list", () => {
  assertDecodeError(() => decodeGetHeadRequest(new Uint8Array(0)));
  assertDecodeError(() => decodeGetHeadRequest(Uint8Array.of(4, 0, 0, 0, 0)));
  assertDecodeError(() => decodeGetHeadRequest(Uint8Array.of(5, 0, 0, 0)));
  assertDecodeError(() => decodeGetHeadRequest(Uint8Array.of(0, 0, 0, 0)));
});

Deno.test("`encodePreconfHead()` matches the {1,2} and default-head frames", () => {
  assert.equal(
    frame(encodePreconfHead({ blockNumber: 1n, submissionWindowEnd: 2n })),
    vectors.frames.preconfHead_1_2,
  );
  assert.equal(
    frame(encodePreconfHead({ blockNumber: 0n, submissionWindowEnd: 0n })),
    vectors.frames.defaultHead,
  );
  assert.deepEqual(decodePreconfHead(new Uint8Array(64)), { blockNumber: 0n, submissionWindowEnd: 0n });
  assertDecodeError(() => decodePreconfHead(new Uint8Array(63)));
  assertDecodeError(() => decodePreconfHead(new Uint8Array(65)));
});

Deno.test("`encodeGetCommitmentsByNumberRequest()` matches the {1,5} frame and keeps maxCount as sent", () => {
  const body = encodeGetCommitmentsByNumberRequest({ startBlockNumber: 1n, maxCount: 5 });
  assert.equal(frame(body), vectors.frames.getCommitmentsByNumberRequest_1_5);
  assert.deepEqual(decodeGetCommitmentsByNumberRequest(body), { startBlockNumber: 1n, maxCount: 5 });
  const huge = encodeGetCommitmentsByNumberRequest({ startBlockNumber: 0n, maxCount: 0xffffffff });
  assert.equal(decodeGetCommitmentsByNumberRequest(huge).maxCount, 0xffffffff);
  assert.throws(
    () => encodeGetCommitmentsByNumberRequest({ startBlockNumber: 0n, maxCount: 2 ** 32 }),
    RangeError,
  );
  assertDecodeError(() => decodeGetCommitmentsByNumberRequest(new Uint8Array(35)));
});

Deno.test("`encodeGetCommitmentsByNumberResponse()` matches the empty and one-commitment frames", () => {
  assert.equal(
    frame(encodeGetCommitmentsByNumberResponse({ commitments: [] })),
    vectors.frames.getCommitmentsByNumberResponseEmpty,
  );
  const one = encodeGetCommitmentsByNumberResponse({ commitments: [signedA] });
  assert.equal(one.length, 386);
  assert.equal(frame(one), vectors.frames.getCommitmentsByNumberResponseA);
  assert.deepEqual(decodeGetCommitmentsByNumberResponse(one).commitments, [signedA]);
});

Deno.test("`encodeGetCommitmentsByNumberResponse()` holds 256 commitments (97,796 bytes) and refuses 257", () => {
  const many = Array.from({ length: 256 }, () => signedA);
  const bytes = encodeGetCommitmentsByNumberResponse({ commitments: many });
  assert.equal(bytes.length, 97796);
  assert.equal(bytesToHex(encodeVarint(bytes.length)), `0x${vectors.varints["97796"]}`);
  assert.equal(decodeGetCommitmentsByNumberResponse(bytes).commitments.length, 256);
  assert.throws(() => encodeGetCommitmentsByNumberResponse({ commitments: [...many, signedA] }), RangeError);
});

Deno.test("`decodeGetCommitmentsByNumberResponse()` refuses 257 entries, partial entries and bad offsets", () => {
  const sc = encodeSignedCommitment(signedA);
  const over = new Uint8Array(4 + 257 * 382);
  over[0] = 4;
  for (let i = 0; i < 257; i++) over.set(sc, 4 + i * 382);
  assertDecodeError(() => decodeGetCommitmentsByNumberResponse(over));
  const one = encodeGetCommitmentsByNumberResponse({ commitments: [signedA] });
  assertDecodeError(() => decodeGetCommitmentsByNumberResponse(one.subarray(0, 385)));
  assertDecodeError(() => decodeGetCommitmentsByNumberResponse(concatBytes([one, Uint8Array.of(0)])));
  assertDecodeError(() => decodeGetCommitmentsByNumberResponse(new Uint8Array(0)));
  for (const offset of [0, 3, 5, 8]) {
    const bytes = one.slice();
    bytes[0] = offset;
    assertDecodeError(() => decodeGetCommitmentsByNumberResponse(bytes));
  }
});

Deno.test("`encodeGetRawTxListRequest()` and the not-found response match their frames", () => {
  const hash = `0x${"11".repeat(32)}` as const;
  assert.equal(
    frame(encodeGetRawTxListRequest({ rawTxListHash: hash })),
    vectors.frames.getRawTxListRequest_11,
  );
  assert.deepEqual(decodeGetRawTxListRequest(hexToBytes(hash)), { rawTxListHash: hash });
  const notFound = encodeGetRawTxListResponse({ rawTxListHash: hash, txlist: new Uint8Array(0) });
  assert.equal(frame(notFound), vectors.frames.getRawTxListResponseNotFound_11);
  assert.deepEqual(decodeGetRawTxListResponse(notFound), { rawTxListHash: hash, txlist: new Uint8Array(0) });
  assertDecodeError(() => decodeGetRawTxListRequest(new Uint8Array(33)));
});

Deno.test("the varint prefixes of the vector frame lengths match", () => {
  for (const [length, prefix] of Object.entries(vectors.varints)) {
    assert.equal(bytesToHex(encodeVarint(Number(length))), `0x${prefix}`);
  }
});
