import assert from "node:assert/strict";
import { BLOB_MAX_DATA_BYTES, encodeBlob, encodeBlobs } from "../../devnet/blob_encoder.ts";
import { decodeBlob } from "../../driver/shasta/blob_codec.ts";
import { randomBytes } from "./_manifests.ts";

Deno.test("`encodeBlob()` writes version 0, the 24-bit length and field elements below the BLS modulus", () => {
  const data = randomBytes(5_000);
  const blob = encodeBlob(data);
  assert.equal(blob.length, 131_072);
  assert.equal(blob[1], 0);
  assert.equal((blob[2]! << 16) | (blob[3]! << 8) | blob[4]!, 5_000);
  assert.deepEqual(blob.subarray(5, 32), data.subarray(0, 27));
  for (let at = 0; at < blob.length; at += 32) assert.equal(blob[at]! & 0xc0, 0, `field element at ${at}`);
  // 5000 bytes need ceil((5000 - 123) / 127) + 1 = 40 rounds of 4 field elements; the rest is zero.
  assert.ok(blob.subarray(40 * 128).every((byte) => byte === 0));
  assert.ok(blob.subarray(39 * 128, 40 * 128).some((byte) => byte !== 0));
});

Deno.test("`encodeBlob()` round-trips through the driver's `decodeBlob()` at every boundary length", () => {
  for (
    const length of [
      0,
      1,
      27,
      28,
      122,
      123,
      124,
      250,
      127 * 9 + 123,
      65_536,
      BLOB_MAX_DATA_BYTES - 1,
      BLOB_MAX_DATA_BYTES,
    ]
  ) {
    const data = randomBytes(length);
    assert.deepEqual(decodeBlob(encodeBlob(data)), data, `length ${length}`);
  }
});

Deno.test("`encodeBlob()` rejects more than one blob's worth of data", () => {
  assert.throws(() => encodeBlob(new Uint8Array(BLOB_MAX_DATA_BYTES + 1)), RangeError);
});

Deno.test("`encodeBlobs()` splits at 130044 bytes and the decoded parts concatenate to the input", () => {
  const data = randomBytes(BLOB_MAX_DATA_BYTES * 2 + 10);
  const blobs = encodeBlobs(data);
  assert.equal(blobs.length, 3);
  const parts = blobs.map(decodeBlob);
  assert.deepEqual(parts.map((p) => p.length), [BLOB_MAX_DATA_BYTES, BLOB_MAX_DATA_BYTES, 10]);
  assert.deepEqual(new Uint8Array(parts.flatMap((p) => [...p])), data);
  assert.equal(encodeBlobs(new Uint8Array(0)).length, 1);
});
