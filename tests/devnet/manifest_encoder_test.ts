import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { bytesToBigInt, fromRlp } from "viem";
import {
  encodeManifestBlobs,
  encodeManifestPayload,
  encodeManifestRlp,
  MANIFEST_MAX_BLOCKS,
} from "../../devnet/manifest_encoder.ts";
import { manifestFromBlobs } from "../../driver/shasta/manifest_codec.ts";
import type { SourceManifest } from "../../driver/shasta/types.ts";
import { manifestWithCalldata } from "./_manifests.ts";

const LEGACY_TX =
  "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83" as const;

const SMALL: SourceManifest = {
  blocks: [
    {
      timestamp: 0n,
      coinbase: "0x0000000000000000000000000000000000000001",
      anchorBlockNumber: 7n,
      gasLimit: 30_000_000n,
      transactions: [LEGACY_TX],
    },
  ],
};

Deno.test("`encodeManifestRlp()` nests the blocks in one list, zero as the empty string, legacy txs as lists", () => {
  const decoded = fromRlp(encodeManifestRlp(SMALL), "hex");
  assert.ok(Array.isArray(decoded) && decoded.length === 1);
  const [[block]] = decoded as unknown as [[[string, string, string, string, unknown[]]]];
  assert.equal(block[0], "0x");
  assert.equal(block[1], "0x0000000000000000000000000000000000000001");
  assert.equal(block[2], "0x07");
  assert.equal(block[3], "0x01c9c380");
  assert.ok(Array.isArray(block[4][0]), "a legacy transaction is an RLP list, not a byte string");
});

Deno.test("`encodeManifestPayload()` writes version 1, the zlib size and the zlib stream", () => {
  const payload = encodeManifestPayload(SMALL);
  assert.equal(bytesToBigInt(payload.subarray(0, 32)), 1n);
  const size = Number(bytesToBigInt(payload.subarray(32, 64)));
  assert.equal(payload.length, 64 + size);
  assert.deepEqual(new Uint8Array(inflateSync(payload.subarray(64))), encodeManifestRlp(SMALL));
});

Deno.test("`encodeManifestRlp()` rejects more than 192 blocks and values past u64", () => {
  const block = SMALL.blocks[0]!;
  assert.throws(() => encodeManifestRlp({ blocks: Array(MANIFEST_MAX_BLOCKS + 1).fill(block) }), RangeError);
  assert.throws(() => encodeManifestRlp({ blocks: [{ ...block, gasLimit: 1n << 64n }] }), RangeError);
  assert.throws(() => encodeManifestRlp({ blocks: [{ ...block, coinbase: "0x01" }] }), RangeError);
});

Deno.test("a manifest encoded into two blobs decodes back to the same manifest with the driver's decoder", async () => {
  const manifest = await manifestWithCalldata(70_000);
  const blobs = encodeManifestBlobs(manifest, { offset: 100 });
  assert.equal(blobs.length, 2);
  const hashes = blobs.map((_, i) => `0x${String(i).padStart(64, "0")}` as const);
  const result = manifestFromBlobs(blobs, { blobHashes: hashes, offset: 100, timestamp: 0n });
  assert.equal(result.failure, null);
  assert.deepEqual(result.manifest, manifest);
});

Deno.test("a manifest with a legacy transaction round-trips through the driver's decoder", () => {
  const blobs = encodeManifestBlobs(SMALL);
  const result = manifestFromBlobs(blobs, { blobHashes: [`0x${"11".repeat(32)}`], offset: 0, timestamp: 0n });
  assert.equal(result.failure, null);
  assert.deepEqual(result.manifest, SMALL);
});
