import assert from "node:assert/strict";
import { hexToBytes } from "viem";
import { ConfirmingProposer } from "../../devnet/confirming_proposer.ts";
import { startDevnet } from "../../devnet/network.ts";
import { PreconfBlockPlanner } from "../../devnet/preconf_publisher.ts";
import { StatusReader } from "../../devnet/status.ts";
import {
  applyPayload,
  buildPreconfPayloadAttributes,
  createEngineClient,
  createL2Client,
} from "../../driver/mod.ts";
import { ANCHOR_GAS_LIMIT } from "../../driver/shasta/constants.ts";
import { manifestFromBlobs } from "../../driver/shasta/manifest_codec.ts";

Deno.test("a planned preconf block inserted through the driver's engine path is proposed back to L1 unchanged", async () => {
  await using devnet = await startDevnet({ engines: 1, l1BlockTimeSeconds: null });
  const engineSim = devnet.engines[0]!;
  const planner = new PreconfBlockPlanner({
    l1Url: devnet.endpoints.l1Http,
    inbox: devnet.endpoints.inbox,
    l2Url: engineSim.publicUrl,
    beaconGenesisTimestamp: devnet.anvil.genesisTimestamp,
  });
  const planned = await planner.next();
  const l2 = createL2Client({ url: engineSim.publicUrl });
  const engine = createEngineClient({ url: engineSim.authUrl, jwtSecret: devnet.jwtSecret });
  const parent = await l2.blockByNumber(0n);
  assert.ok(parent !== null);
  const attrs = buildPreconfPayloadAttributes({
    parent,
    grandparentTimestamp: null,
    blockNumber: planned.blockNumber,
    timestamp: planned.timestamp,
    gasLimit: planned.gasLimit,
    coinbase: devnet.preconfer.address,
    proposalId: planned.proposalId,
    basefeeSharingPctg: 75,
    transactions: planned.transactions,
  });
  const { block } = await applyPayload({ engine, l2 }, attrs, parent.hash);
  assert.equal(block.number, 1n);

  const proposer = new ConfirmingProposer({ proposer: devnet.proposerDeps, l2Url: engineSim.publicUrl });
  const posted = await proposer.proposeOnce();
  assert.ok(posted !== null);
  const slice = posted.proposal.sources[0]!.blobSlice;
  const decoded = manifestFromBlobs(posted.sidecars.map((s) => hexToBytes(s.blob)), slice);
  assert.equal(decoded.failure, null);
  assert.deepEqual(decoded.manifest.blocks, [{
    timestamp: planned.timestamp,
    coinbase: devnet.preconfer.address.toLowerCase(),
    anchorBlockNumber: planned.anchorBlockNumber,
    gasLimit: planned.gasLimit - ANCHOR_GAS_LIMIT,
    transactions: [],
  }]);

  const status = await new StatusReader({
    l1Url: devnet.endpoints.l1Http,
    inbox: devnet.endpoints.inbox,
    l2Url: engineSim.publicUrl,
    runnerRpcUrl: null,
  }).read();
  assert.equal(status.preconfirmedTip, 1n);
  assert.equal(status.proposals, 1n);
});
