import assert from "node:assert/strict";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { bytesFromHex, hexFromBytes } from "../../driver/hex_bytes.ts";

/** Deterministic bytes covering every byte value. */
function sampleBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7919 + 13) % 256;
  return bytes;
}

Deno.test("`bytesFromHex()` and `hexFromBytes()` give viem's results for every byte value and for no bytes", () => {
  for (const length of [0, 1, 32, 4096]) {
    const bytes = sampleBytes(length);
    const hex = bytesToHex(bytes);
    assert.equal(hexFromBytes(bytes), hex);
    assert.deepEqual(bytesFromHex(hex), hexToBytes(hex));
    assert.deepEqual(bytesFromHex(hex.toUpperCase().replace("0X", "0x") as Hex), bytes);
  }
});

Deno.test("`bytesFromHex()` reads an odd digit count as if led by a zero, as viem does", () => {
  for (const hex of ["0x1", "0xabc", "0x0"] as const) {
    assert.deepEqual(bytesFromHex(hex), hexToBytes(hex));
  }
});

Deno.test("`bytesFromHex()` refuses a non-hex digit", () => {
  assert.throws(() => bytesFromHex("0x0g"), SyntaxError);
});
