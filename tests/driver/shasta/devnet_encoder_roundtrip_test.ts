import assert from "node:assert/strict";
import { bytesToHex, type Hash, type Hex } from "viem";
import { encodeManifestBlobs } from "../../../devnet/manifest_encoder.ts";
import { encodeBlob } from "../../../devnet/blob_encoder.ts";
import { decodeBlob } from "../../../driver/shasta/blob_codec.ts";
import { manifestFromBlobs } from "../../../driver/shasta/manifest_codec.ts";
import type { BlockManifest } from "../../../driver/shasta/types.ts";
import {
  pseudoRandomBytes,
  signedEip1559Tx,
  signedLegacyTx,
  testBlock,
} from "../../helpers/shasta_encoding.ts";

const HASH: Hash = `0x01${"00".repeat(31)}`;

Deno.test("`decodeBlob()` inverts the devnet proposer's blob encoder", () => {
  for (const length of [0, 1, 27, 28, 123, 124, 65_000, 130_044]) {
    const data = pseudoRandomBytes(length, length + 1);
    assert.deepEqual(decodeBlob(encodeBlob(data)), data);
  }
});

Deno.test("`manifestFromBlobs()` inverts the devnet proposer's manifest encoder, one blob and several", async () => {
  const small: BlockManifest[] = [
    testBlock({ timestamp: 11n, transactions: [await signedLegacyTx(), await signedEip1559Tx(1)] }),
    testBlock({ timestamp: 12n, anchorBlockNumber: 9n }),
  ];
  const big: BlockManifest[] = [];
  for (let i = 0; i < 48; i++) {
    const data: Hex = bytesToHex(pseudoRandomBytes(6_000, i + 1));
    big.push(testBlock({ timestamp: BigInt(100 + i), transactions: [await signedEip1559Tx(i, data)] }));
  }
  for (const [blocks, offset] of [[small, 0], [small, 4_321], [big, 77]] as const) {
    const blobs = encodeManifestBlobs({ blocks }, { offset });
    assert.equal(blobs.length, blocks === big ? 3 : 1);
    const result = manifestFromBlobs(blobs, { blobHashes: blobs.map(() => HASH), offset, timestamp: 0n });
    assert.equal(result.failure, null, result.failure?.message);
    assert.deepEqual(result.manifest, { blocks });
  }
});
