import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import { decodeExtraData, encodeExtraData } from "../../../driver/shasta/extra_data.ts";

for (const v of vectors.extraData) {
  Deno.test(`\`encodeExtraData()\` matches the vector (${v.basefeeSharingPctg}, ${v.proposalId})`, () => {
    assert.equal(encodeExtraData(v.basefeeSharingPctg, BigInt(v.proposalId)), v.expected);
  });
}

Deno.test("`encodeExtraData()` takes the largest uint8 and uint48 values", () => {
  assert.equal(encodeExtraData(255, (1n << 48n) - 1n), "0xffffffffffffff");
  assert.equal(encodeExtraData(0, 0n), "0x00000000000000");
});

Deno.test("`encodeExtraData()` refuses a percentage outside uint8 or a proposal id outside uint48", () => {
  assert.throws(() => encodeExtraData(256, 1n), RangeError);
  assert.throws(() => encodeExtraData(-1, 1n), RangeError);
  assert.throws(() => encodeExtraData(1.5, 1n), RangeError);
  assert.throws(() => encodeExtraData(1, 1n << 48n), RangeError);
  assert.throws(() => encodeExtraData(1, -1n), RangeError);
});

Deno.test("`decodeExtraData()` inverts encodeExtraData()", () => {
  for (const [pctg, id] of [[0, 0n], [5, 7n], [75, 123_456_789n], [255, (1n << 48n) - 1n]] as const) {
    assert.deepEqual(decodeExtraData(encodeExtraData(pctg, id)), {
      basefeeSharingPctg: pctg,
      proposalId: id,
    });
  }
});

Deno.test("`decodeExtraData()` refuses anything but 7 bytes of hex", () => {
  assert.throws(() => decodeExtraData("0x"), RangeError);
  assert.throws(() => decodeExtraData("0x0500000000000700"), RangeError);
  assert.throws(() => decodeExtraData("0x050000000000zz"), RangeError);
});
