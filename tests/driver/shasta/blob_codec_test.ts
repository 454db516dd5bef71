import assert from "node:assert/strict";
import { decodeBlob } from "../../../driver/shasta/blob_codec.ts";
import { DriverError } from "../../../driver/errors.ts";
import { encodeTestBlob, TEST_BLOB_BYTES, TEST_BLOB_CAPACITY } from "../../helpers/shasta_encoding.ts";

function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 151 + 7) & 0xff;
  return out;
}

function assertInvalid(blob: Uint8Array, reason: RegExp): void {
  assert.throws(() => decodeBlob(blob), (e: unknown) => {
    assert.ok(e instanceof DriverError);
    assert.equal(e.kind, "Derivation");
    assert.match(e.message, reason);
    return true;
  });
}

for (
  const length of [
    0,
    1,
    26,
    27,
    28,
    122,
    123,
    124,
    250,
    251,
    4096,
    TEST_BLOB_CAPACITY - 1,
    TEST_BLOB_CAPACITY,
  ]
) {
  Deno.test(`\`decodeBlob()\` returns the ${length} bytes a blob was encoded from`, () => {
    const data = pattern(length);
    assert.deepEqual(decodeBlob(encodeTestBlob(data)), data);
  });
}

Deno.test("`decodeBlob()` carries bytes whose top bits are set through the 6-bit headers", () => {
  const data = new Uint8Array(1000).fill(0xff);
  assert.deepEqual(decodeBlob(encodeTestBlob(data)), data);
});

Deno.test("`decodeBlob()` refuses a blob that is not 131072 bytes", () => {
  assertInvalid(new Uint8Array(TEST_BLOB_BYTES - 1), /expected 131072 bytes/);
});

Deno.test("`decodeBlob()` refuses an encoding version byte other than 0", () => {
  const blob = encodeTestBlob(pattern(100));
  blob[1] = 1;
  assertInvalid(blob, /version byte is 1/);
});

Deno.test("`decodeBlob()` refuses a declared length over 130044", () => {
  const blob = new Uint8Array(TEST_BLOB_BYTES);
  const length = TEST_BLOB_CAPACITY + 1;
  blob[2] = length >> 16;
  blob[3] = (length >> 8) & 0xff;
  blob[4] = length & 0xff;
  assertInvalid(blob, /declared length 130045/);
});

Deno.test("`decodeBlob()` refuses a field element whose header has its top two bits set", () => {
  for (const fieldElement of [1, 3, 4, 7]) {
    for (const bits of [0x40, 0x80]) {
      const blob = encodeTestBlob(pattern(500));
      blob[fieldElement * 32]! |= bits;
      assertInvalid(blob, /top two bits set/);
    }
  }
});

Deno.test("`decodeBlob()` refuses non-zero bytes after the encoded payload", () => {
  const blob = encodeTestBlob(pattern(100));
  blob[TEST_BLOB_BYTES - 1] = 1;
  assertInvalid(blob, /past the encoded payload/);
});

Deno.test("`decodeBlob()` refuses non-zero padding inside the last round, past the declared length", () => {
  // 100 bytes fit in round 0 (output 0..123); its fourth field element (blob 96..127) fills output
  // 92..122, so blob byte 115 is output byte 110: padding that must be zero.
  const blob = encodeTestBlob(pattern(100));
  assert.equal(blob[115], 0);
  blob[115] = 9;
  assertInvalid(blob, /payload position 110, past the length 100/);
});

Deno.test("`decodeBlob()` refuses the zero-length blob with a stray byte of lesson S-8", () => {
  const blob = new Uint8Array(TEST_BLOB_BYTES);
  blob[40] = 1;
  assertInvalid(blob, /non-zero byte/);
});
