import assert from "node:assert/strict";
import { type Hash, hexToBytes } from "viem";
import { startAnvil } from "../../devnet/anvil.ts";
import { BeaconStub } from "../../devnet/beacon_stub.ts";
import { deployStandIns } from "../../devnet/contracts.ts";
import { blobVersionedHash } from "../../devnet/kzg.ts";
import { proposeManifest, storeForcedInclusion } from "../../devnet/proposer.ts";
import { inboxStandInAbi } from "../../devnet/stand_in_abis.ts";
import { createBeaconClient } from "../../driver/rpc/beacon_client.ts";
import { createBlobSource } from "../../driver/rpc/blob_source.ts";
import { manifestFromBlobs } from "../../driver/shasta/manifest_codec.ts";
import { loadKzg } from "../../devnet/kzg.ts";
import { manifestWithCalldata } from "./_manifests.ts";

interface SidecarJson {
  blob: `0x${string}`;
  kzg_commitment: `0x${string}`;
  kzg_proof: `0x${string}`;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

Deno.test("a two-blob proposal emits Proposed, and the beacon stub serves its sidecars by slot", async (t) => {
  await using anvil = await startAnvil();
  const contracts = await deployStandIns(anvil.url);
  await using beacon = BeaconStub.start({ genesisTimestamp: anvil.genesisTimestamp, l1Url: anvil.url });
  const deps = { l1Url: anvil.url, inbox: contracts.inbox, beacon };
  const manifest = await manifestWithCalldata(70_000);

  const posted = await proposeManifest(deps, manifest, { offset: 32, endOfSubmissionWindowTimestamp: 99n });

  await t.step(
    "the event carries the transaction's blob hashes and the proposing block's timestamp",
    async () => {
      assert.equal(posted.proposal.id, 1n);
      assert.equal(posted.proposal.proposer, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
      assert.equal(posted.proposal.endOfSubmissionWindowTimestamp, 99n);
      assert.equal(posted.proposal.l1BlockHash, posted.block.hash);
      assert.equal(posted.proposal.sources.length, 1);
      const source = posted.proposal.sources[0]!;
      assert.equal(source.isForcedInclusion, false);
      assert.equal(source.blobSlice.offset, 32);
      assert.equal(source.blobSlice.timestamp, posted.block.timestamp);
      assert.equal(source.blobSlice.blobHashes.length, 2);
      const tx = await anvil.client.getTransaction({ hash: posted.transactionHash });
      assert.deepEqual(source.blobSlice.blobHashes, tx.blobVersionedHashes);
      const core = await anvil.client.readContract({
        address: contracts.inbox,
        abi: inboxStandInAbi,
        functionName: "getCoreState",
      });
      assert.equal(core.nextProposalId, 2);
      assert.equal(BigInt(core.lastProposalBlockId), posted.block.number);
    },
  );

  await t.step(
    "blob_sidecars of the slot of blobSlice.timestamp match the hashes and decode to the manifest",
    async () => {
      const slice = posted.proposal.sources[0]!.blobSlice;
      const slot = beacon.slotOf(slice.timestamp);
      const { status, body } = await getJson(`${beacon.url}/eth/v1/beacon/blob_sidecars/${slot}`);
      assert.equal(status, 200);
      const sidecars = body.data as SidecarJson[];
      const byHash = new Map(sidecars.map((s) => [blobVersionedHash(s.kzg_commitment), s]));
      const blobs = slice.blobHashes.map((hash) => {
        const sidecar = byHash.get(hash);
        assert.ok(sidecar !== undefined, `sidecar for ${hash}`);
        return hexToBytes(sidecar.blob);
      });
      const decoded = manifestFromBlobs(blobs, slice);
      assert.equal(decoded.failure, null);
      assert.deepEqual(decoded.manifest, manifest);
    },
  );

  await t.step(
    "the driver's beacon client and blob source fetch the proposal's blobs from the stub",
    async () => {
      const slice = posted.proposal.sources[0]!.blobSlice;
      const viaBeacon = createBlobSource({ beacon: await createBeaconClient(beacon.url) }, {
        kzg: loadKzg(),
      });
      const viaServer = createBlobSource({ beacon: null }, { blobServerUrl: beacon.url, kzg: loadKzg() });
      for (const source of [viaBeacon, viaServer]) {
        const blobs = await source.getBlobs(slice.timestamp, slice.blobHashes);
        assert.deepEqual(manifestFromBlobs(blobs, slice).manifest, manifest);
      }
    },
  );

  await t.step("genesis, spec and blocks answer; unknown slots are 404 and bad ids 400", async () => {
    const genesis = await getJson(`${beacon.url}/eth/v1/beacon/genesis`);
    assert.equal(
      (genesis.body.data as { genesis_time: string }).genesis_time,
      anvil.genesisTimestamp.toString(),
    );
    const spec = await getJson(`${beacon.url}/eth/v1/config/spec`);
    assert.equal((spec.body.data as { SECONDS_PER_SLOT: string }).SECONDS_PER_SLOT, "12");
    const slot = beacon.slotOf(posted.block.timestamp);
    const block = await getJson(`${beacon.url}/eth/v2/beacon/blocks/${slot}`);
    const payload =
      (block.body.data as { message: { body: { execution_payload: { block_number: string } } } })
        .message.body.execution_payload;
    assert.ok(BigInt(payload.block_number) >= posted.block.number);
    assert.equal((await getJson(`${beacon.url}/eth/v1/beacon/blob_sidecars/${slot + 1000n}`)).status, 404);
    assert.equal((await getJson(`${beacon.url}/eth/v2/beacon/blocks/${slot + 1000n}`)).status, 404);
    assert.equal((await getJson(`${beacon.url}/eth/v1/beacon/blob_sidecars/abc`)).status, 400);
    assert.equal((await getJson(`${beacon.url}/eth/v1/nothing`)).status, 404);
    assert.equal(
      await fetch(`${beacon.url}/eth/v1/beacon/genesis`, { method: "POST" }).then((r) =>
        r.body?.cancel().then(() => r.status)
      ),
      405,
    );
  });

  await t.step("the blob server returns each blob by versioned hash and 404s unknown hashes", async () => {
    for (const hash of posted.proposal.sources[0]!.blobSlice.blobHashes) {
      const { status, body } = await getJson(`${beacon.url}/blobs/${hash}`);
      assert.equal(status, 200);
      assert.equal(body.versioned_hash, hash);
      assert.equal(blobVersionedHash(body.commitment as `0x${string}`), hash);
      assert.equal(hexToBytes(body.data as `0x${string}`).length, 131_072);
    }
    assert.equal((await getJson(`${beacon.url}/blobs/0x${"ab".repeat(32)}`)).status, 404);
    assert.equal((await getJson(`${beacon.url}/blobs/0x1234`)).status, 400);
  });

  await t.step(
    "an unregistered blob transaction is found by scanning L1, forced inclusions come first",
    async () => {
      const forcedManifest = await manifestWithCalldata(100);
      const forced = await storeForcedInclusion({ ...deps, beacon: null }, forcedManifest);
      const next = await proposeManifest({ ...deps, beacon: null }, manifest, { maxForcedInclusions: 4 });
      assert.equal(next.proposal.id, 2n);
      assert.deepEqual(next.proposal.sources.map((s) => s.isForcedInclusion), [true, false]);
      const forcedSlice = next.proposal.sources[0]!.blobSlice;
      assert.deepEqual(forcedSlice.blobHashes, forced.sidecars.map((s) => s.versionedHash));
      assert.equal(forcedSlice.timestamp, forced.block.timestamp);
      const { body } = await getJson(
        `${beacon.url}/eth/v1/beacon/blob_sidecars/${beacon.slotOf(forcedSlice.timestamp)}`,
      );
      const served = (body.data as SidecarJson[]).map((s) => blobVersionedHash(s.kzg_commitment));
      for (const hash of forcedSlice.blobHashes) assert.ok(served.includes(hash as Hash));
      const blob = (body.data as SidecarJson[]).find((s) =>
        blobVersionedHash(s.kzg_commitment) === forcedSlice.blobHashes[0]
      );
      assert.ok(blob !== undefined);
      const decoded = manifestFromBlobs([hexToBytes(blob.blob)], forcedSlice);
      assert.deepEqual(decoded.manifest, forcedManifest);
    },
  );
});
