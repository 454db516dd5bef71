import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { Hex } from "viem";
import { taikoPayloadId } from "../../../driver/shasta/payload_id.ts";
import type { TaikoPayloadAttributes } from "../../../driver/shasta/types.ts";

/** The driver.md §4.5 formula, with Node's sha256 and noble's keccak, from hex strings. */
function expectedId(parentHash: Hex, attrs: Omit<TaikoPayloadAttributes, "l1Origin">): string {
  const strip = (h: string) => h.slice(2);
  const txListHash = attrs.blockMetadata.txList === null
    ? "00".repeat(32)
    : Buffer.from(keccak_256(Buffer.from(strip(attrs.blockMetadata.txList), "hex"))).toString("hex");
  const preimage = strip(parentHash) +
    attrs.timestamp.toString(16).padStart(16, "0") +
    strip(attrs.prevRandao) +
    strip(attrs.suggestedFeeRecipient).toLowerCase() +
    "c0" +
    txListHash +
    strip(attrs.blockMetadata.extraData);
  const digest = createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");
  return `0x02${digest.slice(2, 16)}`;
}

const PARENT: Hex = `0x${"ab".repeat(32)}`;

function attrs(overrides: { timestamp?: bigint; txList?: Hex | null; extraData?: Hex } = {}) {
  return {
    timestamp: overrides.timestamp ?? 1_700_000_000n,
    prevRandao: `0x${"cd".repeat(32)}`,
    suggestedFeeRecipient: "0x00000000000000000000000000000000000000Ef",
    withdrawals: [],
    baseFeePerGas: 25_000_000n,
    blockMetadata: {
      beneficiary: "0x00000000000000000000000000000000000000Ef",
      gasLimit: 31_000_000n,
      timestamp: overrides.timestamp ?? 1_700_000_000n,
      mixHash: `0x${"cd".repeat(32)}`,
      txList: overrides.txList === undefined ? "0xc0" : overrides.txList,
      extraData: overrides.extraData ?? "0x05000000000007",
    },
  } as const satisfies Omit<TaikoPayloadAttributes, "l1Origin">;
}

Deno.test("`taikoPayloadId()` matches an independent computation of the driver.md formula", () => {
  for (const a of [attrs(), attrs({ timestamp: 1n, txList: "0xc3820102" }), attrs({ extraData: "0x" })]) {
    assert.equal(taikoPayloadId(PARENT, a), expectedId(PARENT, a));
  }
});

Deno.test("`taikoPayloadId()` hashes an absent txList as 32 zero bytes", () => {
  const a = attrs({ txList: null });
  assert.equal(taikoPayloadId(PARENT, a), expectedId(PARENT, a));
  assert.notEqual(taikoPayloadId(PARENT, a), taikoPayloadId(PARENT, attrs()));
});

Deno.test("`taikoPayloadId()` is 8 bytes with version byte 2", () => {
  assert.match(taikoPayloadId(PARENT, attrs()), /^0x02[0-9a-f]{14}$/);
});

Deno.test("`taikoPayloadId()` commits to the parent, timestamp, txList and extraData but not the base fee", () => {
  const base = taikoPayloadId(PARENT, attrs());
  assert.notEqual(taikoPayloadId(`0x${"ac".repeat(32)}`, attrs()), base);
  assert.notEqual(taikoPayloadId(PARENT, attrs({ timestamp: 1_700_000_001n })), base);
  assert.notEqual(taikoPayloadId(PARENT, attrs({ txList: "0xc180" })), base);
  assert.notEqual(taikoPayloadId(PARENT, attrs({ extraData: "0x05000000000008" })), base);
  assert.equal(taikoPayloadId(PARENT, { ...attrs(), baseFeePerGas: 1n }), base);
});
