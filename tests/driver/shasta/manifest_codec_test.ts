import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { bytesToHex, type Hash, type Hex, toRlp } from "viem";
import {
  decodeManifest,
  decodeManifestDetailed,
  DEFAULT_MANIFEST,
  isDefaultManifest,
  type ManifestDecodeFailureKind,
  manifestFromBlobs,
  sliceHasPayload,
} from "../../../driver/shasta/manifest_codec.ts";
import type { BlockManifest } from "../../../driver/shasta/types.ts";
import {
  encodeTestBlob,
  encodeTestBlobs,
  manifestPayload,
  manifestRlp,
  pseudoRandomBytes,
  signedEip1559Tx,
  signedLegacyTx,
  TEST_BLOB_BYTES,
  testBlock,
} from "../../helpers/shasta_encoding.ts";

const HASH: Hash = `0x01${"00".repeat(31)}`;

function assertDefault(
  bytes: Uint8Array,
  offset: number,
  kind: ManifestDecodeFailureKind,
  options = {},
): void {
  const result = decodeManifestDetailed(bytes, offset, options);
  assert.equal(result.failure?.kind, kind, result.failure?.message);
  assert.equal(result.manifest, DEFAULT_MANIFEST);
  assert.equal(decodeManifest(bytes, offset, options), DEFAULT_MANIFEST);
}

async function sampleBlocks(): Promise<BlockManifest[]> {
  return [
    testBlock({ timestamp: 1_001n, transactions: [await signedLegacyTx(0), await signedEip1559Tx(1)] }),
    testBlock({ timestamp: 1_002n, anchorBlockNumber: 6n, gasLimit: 30_006_000n }),
    testBlock({
      timestamp: 0n,
      coinbase: "0x0000000000000000000000000000000000000000",
      anchorBlockNumber: 0n,
      gasLimit: 0n,
    }),
  ];
}

Deno.test("`decodeManifest()` round-trips blocks with legacy and typed transactions", async () => {
  const blocks = await sampleBlocks();
  const result = decodeManifestDetailed(manifestPayload(manifestRlp(blocks)), 0);
  assert.equal(result.failure, null);
  assert.deepEqual(result.manifest, { blocks });
});

Deno.test("`decodeManifest()` reads the payload at the blob slice offset", async () => {
  const blocks = await sampleBlocks();
  const bytes = manifestPayload(manifestRlp(blocks), { prefix: new Uint8Array(777).fill(0xee) });
  assert.deepEqual(decodeManifest(bytes, 777), { blocks });
});

Deno.test("`decodeManifest()` accepts exactly 192 blocks", () => {
  const blocks = Array.from({ length: 192 }, (_, i) => testBlock({ timestamp: BigInt(i) }));
  assert.equal(decodeManifest(manifestPayload(manifestRlp(blocks)), 0).blocks.length, 192);
});

Deno.test("`decodeManifest()` returns the default manifest for 193 blocks", () => {
  const blocks = Array.from({ length: 193 }, () => testBlock());
  assertDefault(manifestPayload(manifestRlp(blocks)), 0, "TooManyBlocks");
  assert.equal(
    decodeManifest(manifestPayload(manifestRlp(blocks)), 0, { maxBlocks: 768 }).blocks.length,
    193,
  );
});

Deno.test("`decodeManifest()` returns the default manifest when fewer than 64 bytes follow the offset", () => {
  const bytes = manifestPayload(manifestRlp([testBlock()]));
  assertDefault(bytes.subarray(0, 63), 0, "HeaderOutOfBounds");
  assertDefault(bytes, bytes.length - 63, "HeaderOutOfBounds");
});

Deno.test("`decodeManifest()` returns the default manifest when the offset is past the end", () => {
  const bytes = manifestPayload(manifestRlp([testBlock()]));
  assertDefault(bytes, bytes.length + 1, "HeaderOutOfBounds");
  assertDefault(bytes, -1, "HeaderOutOfBounds");
  assertDefault(bytes, 0.5, "HeaderOutOfBounds");
});

Deno.test("`decodeManifest()` returns the default manifest for a version other than 1", () => {
  const rlp = manifestRlp([testBlock()]);
  assertDefault(manifestPayload(rlp, { version: 0n }), 0, "UnsupportedVersion");
  assertDefault(manifestPayload(rlp, { version: 2n }), 0, "UnsupportedVersion");
  assertDefault(manifestPayload(rlp, { version: 1n << 64n | 1n }), 0, "UnsupportedVersion");
});

Deno.test("`decodeManifest()` reads the version's low 32 bits as go-ethereum does", () => {
  const blocks = [testBlock({ gasLimit: 98_765n })];
  assert.deepEqual(decodeManifest(manifestPayload(manifestRlp(blocks), { version: (1n << 32n) + 1n }), 0), {
    blocks,
  });
});

Deno.test("`decodeManifest()` returns the default manifest when the size runs past the bytes", () => {
  const rlp = manifestRlp([testBlock()]);
  const exact = manifestPayload(rlp);
  const size = BigInt(exact.length - 64);
  assertDefault(manifestPayload(rlp, { size: size + 1n }), 0, "SizeOutOfBounds");
  assertDefault(manifestPayload(rlp, { size: (1n << 64n) - 1n }), 0, "SizeOutOfBounds");
});

Deno.test("`decodeManifest()` keeps the size's low 64 bits as go-ethereum does", () => {
  const blocks = [testBlock({ gasLimit: 123_456n })];
  const rlp = manifestRlp(blocks);
  const size = BigInt(manifestPayload(rlp).length - 64);
  assert.deepEqual(decodeManifest(manifestPayload(rlp, { size: (1n << 64n) | size }), 0), { blocks });
});

Deno.test("`decodeManifest()` returns the default manifest when inflate exceeds the cap", () => {
  // A zlib bomb: 4 MiB of zeros compress to about 4 KiB.
  const bomb = new Uint8Array(deflateSync(new Uint8Array(4 * 1024 * 1024)));
  assert.ok(bomb.length < 8192);
  assertDefault(manifestPayload(new Uint8Array(0), { compressed: bomb }), 0, "InflateCap", {
    maxInflatedBytes: 1024 * 1024,
  });
});

Deno.test("`decodeManifest()` returns the default manifest for a bomb over the default 32 MiB cap", () => {
  const bomb = new Uint8Array(deflateSync(new Uint8Array(32 * 1024 * 1024 + 1)));
  assertDefault(manifestPayload(new Uint8Array(0), { compressed: bomb }), 0, "InflateCap");
});

Deno.test("`decodeManifest()` decodes a manifest inflating to exactly the cap", () => {
  const blocks = [testBlock()];
  const rlp = manifestRlp(blocks);
  assert.deepEqual(decodeManifest(manifestPayload(rlp), 0, { maxInflatedBytes: rlp.length }), { blocks });
  assertDefault(manifestPayload(rlp), 0, "InflateCap", { maxInflatedBytes: rlp.length - 1 });
});

Deno.test("`decodeManifest()` returns the default manifest for a corrupt or truncated zlib stream", () => {
  const compressed = new Uint8Array(deflateSync(manifestRlp([testBlock()])));
  const badChecksum = compressed.slice();
  badChecksum[badChecksum.length - 1]! ^= 0xff;
  assertDefault(manifestPayload(new Uint8Array(0), { compressed: badChecksum }), 0, "Inflate");
  assertDefault(
    manifestPayload(new Uint8Array(0), { compressed: compressed.subarray(0, compressed.length - 5) }),
    0,
    "Inflate",
  );
  assertDefault(
    manifestPayload(new Uint8Array(0), { compressed: new Uint8Array([1, 2, 3, 4]) }),
    0,
    "Inflate",
  );
});

Deno.test("`decodeManifest()` returns the default manifest for RLP that is not a manifest", async () => {
  const tx = await signedEip1559Tx();
  const cases: Record<string, Uint8Array> = {
    "invalid RLP": new Uint8Array([0x80, 0x81, 0xff]),
    "a byte string": toRlp("0x1234", "bytes"),
    "blocks not wrapped in [blocks]": toRlp([[["0x01", `0x${"aa".repeat(20)}`, "0x01", "0x01", []]]], "bytes")
      .subarray(1),
    "two top-level items": toRlp([[], []], "bytes"),
    "a block with 4 fields": toRlp([[["0x01", `0x${"aa".repeat(20)}`, "0x01", "0x01"]]], "bytes"),
    "a 19-byte coinbase": toRlp([[["0x01", `0x${"aa".repeat(19)}`, "0x01", "0x01", []]]], "bytes"),
    "a timestamp with a leading zero": toRlp(
      [[["0x0001", `0x${"aa".repeat(20)}`, "0x01", "0x01", []]]],
      "bytes",
    ),
    "a zero timestamp as 0x00": toRlp([[["0x00", `0x${"aa".repeat(20)}`, "0x01", "0x01", []]]], "bytes"),
    "a gas limit over 64 bits": toRlp([[[
      "0x01",
      `0x${"aa".repeat(20)}`,
      "0x01",
      `0x01${"00".repeat(8)}`,
      [],
    ]]], "bytes"),
    "transactions as a byte string": toRlp(
      [[["0x01", `0x${"aa".repeat(20)}`, "0x01", "0x01", "0x"]]],
      "bytes",
    ),
    "an undecodable transaction": toRlp(
      [[["0x01", `0x${"aa".repeat(20)}`, "0x01", "0x01", [tx, "0x05c0"]]]],
      "bytes",
    ),
    "trailing bytes after the RLP": new Uint8Array([...manifestRlp([testBlock()]), 0xff]),
  };
  for (const [name, rlp] of Object.entries(cases)) {
    const result = decodeManifestDetailed(manifestPayload(rlp), 0);
    assert.equal(result.failure?.kind, "Rlp", name);
    assert.equal(result.manifest, DEFAULT_MANIFEST, name);
  }
});

Deno.test("`decodeManifest()` decodes a manifest with no blocks (validation later defaults it)", () => {
  assert.deepEqual(decodeManifest(manifestPayload(manifestRlp([])), 0), { blocks: [] });
});

Deno.test("`isDefaultManifest()` recognises the default manifest by value", () => {
  assert.ok(isDefaultManifest(DEFAULT_MANIFEST));
  assert.ok(isDefaultManifest(decodeManifest(
    manifestPayload(manifestRlp([testBlock({
      timestamp: 0n,
      coinbase: "0x0000000000000000000000000000000000000000",
      anchorBlockNumber: 0n,
      gasLimit: 0n,
    })])),
    0,
  )));
  assert.ok(!isDefaultManifest({ blocks: [] }));
  assert.ok(!isDefaultManifest({ blocks: [DEFAULT_MANIFEST.blocks[0]!, DEFAULT_MANIFEST.blocks[0]!] }));
  assert.ok(!isDefaultManifest({ blocks: [{ ...DEFAULT_MANIFEST.blocks[0]!, gasLimit: 1n }] }));
  assert.ok(!isDefaultManifest({ blocks: [{ ...DEFAULT_MANIFEST.blocks[0]!, transactions: ["0x01"] }] }));
});

Deno.test("`DEFAULT_MANIFEST` cannot be mutated", () => {
  assert.throws(() => {
    (DEFAULT_MANIFEST.blocks as BlockManifest[]).push(testBlock());
  }, TypeError);
});

Deno.test("`manifestFromBlobs()` decodes a manifest spread over several blobs at an offset", async () => {
  // Pseudo-random calldata does not compress, so 64 transactions of 4 KiB span three blobs.
  const blocks: BlockManifest[] = [];
  for (let i = 0; i < 8; i++) {
    const transactions: Hex[] = [];
    for (let j = 0; j < 8; j++) {
      const data = bytesToHex(pseudoRandomBytes(4096, i * 8 + j + 1));
      transactions.push(await signedEip1559Tx(i * 8 + j, data));
    }
    blocks.push(testBlock({ timestamp: BigInt(i + 1), transactions }));
  }
  const offset = 100_000;
  const payload = manifestPayload(manifestRlp(blocks), { prefix: new Uint8Array(offset).fill(0x5a) });
  const blobs = encodeTestBlobs(payload);
  assert.equal(blobs.length, 3);
  const result = manifestFromBlobs(blobs, { blobHashes: [HASH, HASH, HASH], offset, timestamp: 0n });
  assert.equal(result.failure, null);
  assert.deepEqual(result.manifest, { blocks });
});

Deno.test("`manifestFromBlobs()` gives the default manifest for an invalid blob (lesson S-8)", () => {
  const blob = new Uint8Array(TEST_BLOB_BYTES);
  blob[40] = 1; // declared length 0 plus a stray byte
  const result = manifestFromBlobs([blob], { blobHashes: [HASH], offset: 0, timestamp: 0n });
  assert.equal(result.failure?.kind, "InvalidBlob");
  assert.equal(result.manifest, DEFAULT_MANIFEST);
});

Deno.test("`manifestFromBlobs()` gives the default manifest without blob hashes or with an offset past 131008", () => {
  const blob = encodeTestBlob(manifestPayload(manifestRlp([testBlock()])));
  assert.equal(
    manifestFromBlobs([], { blobHashes: [], offset: 0, timestamp: 0n }).failure?.kind,
    "NoPayload",
  );
  assert.equal(
    manifestFromBlobs([blob], { blobHashes: [HASH], offset: TEST_BLOB_BYTES - 63, timestamp: 0n }).failure
      ?.kind,
    "NoPayload",
  );
  assert.ok(sliceHasPayload({ blobHashes: [HASH], offset: TEST_BLOB_BYTES - 64, timestamp: 0n }));
  assert.ok(!sliceHasPayload({ blobHashes: [HASH], offset: TEST_BLOB_BYTES - 63, timestamp: 0n }));
});

Deno.test("`manifestFromBlobs()` refuses a blob count that differs from the slice's hashes", () => {
  assert.throws(() => manifestFromBlobs([], { blobHashes: [HASH], offset: 0, timestamp: 0n }), RangeError);
});
