import assert from "node:assert/strict";
import { bytesToHex, type Hash } from "viem";
import { BeaconStub } from "../../../devnet/beacon_stub.ts";
import { type BlobSidecar, computeBlobSidecars, loadKzg } from "../../../devnet/kzg.ts";
import { DriverError } from "../../../driver/errors.ts";
import { BLOB_SIZE_BYTES, createBeaconClient } from "../../../driver/rpc/beacon_client.ts";
import { createBlobSource } from "../../../driver/rpc/blob_source.ts";

function blobWith(byte: number): Uint8Array {
  const blob = new Uint8Array(BLOB_SIZE_BYTES);
  blob[1] = byte;
  blob[200] = byte;
  return blob;
}

const BLOCK = { number: 4n, hash: `0x${"22".repeat(32)}` as Hash, timestamp: 48n };

/** A blob server that answers every hash with the given JSON body. */
function serveBlob(body: (hash: string) => unknown): { url: string; stop(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const hash = new URL(request.url).pathname.split("/").at(-1) ?? "";
    return Response.json(body(hash));
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}

Deno.test("`getBlobs()` returns beacon blobs in the order of the requested versioned hashes", async () => {
  const stub = BeaconStub.start({ genesisTimestamp: 0n });
  try {
    const sidecars = computeBlobSidecars([blobWith(1), blobWith(2)]);
    stub.registerSidecars(BLOCK, sidecars);
    const blobs = createBlobSource({ beacon: await createBeaconClient(stub.url) });
    const fetched = await blobs.getBlobs(BLOCK.timestamp, [
      sidecars[1]!.versionedHash,
      sidecars[0]!.versionedHash,
    ]);
    assert.deepEqual(fetched.map((blob) => bytesToHex(blob)), [sidecars[1]!.blob, sidecars[0]!.blob]);
  } finally {
    await stub.stop();
  }
});

Deno.test("`getBlobs()` falls back to the blob server when the beacon lacks a hash", async () => {
  const beaconStub = BeaconStub.start({ genesisTimestamp: 0n });
  const server = BeaconStub.start({ genesisTimestamp: 0n });
  try {
    const [onBeacon, onServer] = computeBlobSidecars([blobWith(3), blobWith(4)]);
    beaconStub.registerSidecars(BLOCK, [onBeacon!]);
    server.registerSidecars(BLOCK, [onServer!]);
    const blobs = createBlobSource(
      { beacon: await createBeaconClient(beaconStub.url) },
      { blobServerUrl: server.url },
    );
    const fetched = await blobs.getBlobs(BLOCK.timestamp, [onBeacon!.versionedHash, onServer!.versionedHash]);
    assert.deepEqual(fetched.map((blob) => bytesToHex(blob)), [onBeacon!.blob, onServer!.blob]);
  } finally {
    await beaconStub.stop();
    await server.stop();
  }
});

Deno.test("`getBlobs()` refuses a blob-server answer whose commitment hashes elsewhere", async () => {
  const [wanted, other] = computeBlobSidecars([blobWith(5), blobWith(6)]) as [BlobSidecar, BlobSidecar];
  const server = serveBlob(() => ({
    versioned_hash: wanted.versionedHash,
    commitment: other.commitment,
    data: other.blob,
  }));
  try {
    const blobs = createBlobSource({ beacon: null }, { blobServerUrl: server.url });
    await assert.rejects(
      blobs.getBlobs(0n, [wanted.versionedHash]),
      (error) =>
        error instanceof DriverError && error.kind === "BlobUnavailable" &&
        error.message.includes("hashes to"),
    );
  } finally {
    await server.stop();
  }
});

Deno.test("`getBlobs()` with a KZG backend refuses data that does not match its commitment", async () => {
  const [honest] = computeBlobSidecars([blobWith(7)]) as [BlobSidecar];
  const tampered = bytesToHex(blobWith(8));
  const server = serveBlob(() => ({ commitment: honest.commitment, data: tampered }));
  try {
    const trusting = createBlobSource({ beacon: null }, { blobServerUrl: server.url });
    const [served] = await trusting.getBlobs(0n, [honest.versionedHash]);
    assert.equal(bytesToHex(served!), tampered, "without KZG only the commitment binds the blob");
    const verifying = createBlobSource({ beacon: null }, { blobServerUrl: server.url, kzg: loadKzg() });
    await assert.rejects(
      verifying.getBlobs(0n, [honest.versionedHash]),
      (error) =>
        error instanceof DriverError && error.kind === "BlobUnavailable" && error.message.includes("KZG"),
    );
  } finally {
    await server.stop();
  }
});

Deno.test("`getBlobs()` without beacon or blob server fails with kind BlobUnavailable", async () => {
  const blobs = createBlobSource({ beacon: null });
  await assert.rejects(
    blobs.getBlobs(0n, [`0x01${"00".repeat(31)}`]),
    (error) =>
      error instanceof DriverError && error.kind === "BlobUnavailable" &&
      error.message.includes("no beacon or blob server available"),
  );
  assert.deepEqual(await blobs.getBlobs(0n, []), []);
});
