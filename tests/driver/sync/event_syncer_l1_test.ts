import assert from "node:assert/strict";
import type { Hash } from "viem";
import { DEVNET_BASEFEE_SHARING_PCTG, DEVNET_DEPLOYER_KEY } from "../../../devnet/contracts.ts";
import { connectL1Wallet } from "../../../devnet/l1_wallet.ts";
import { inboxStandInAbi } from "../../../devnet/stand_in_abis.ts";
import { preconfAttrsLikeDerivation } from "../../helpers/preconf_attrs.ts";
import {
  eventually,
  FAST_SYNCER_OPTIONS,
  type RunningSyncer,
  startSyncEnv,
  type SyncEnv,
  waitForProposal,
} from "../../helpers/sync_env.ts";

/** A preconfirmation for the block after the current head (used to probe the gate). */
async function nextAttrs(env: SyncEnv, running: RunningSyncer) {
  const parent = (await running.client.l2.blockByNumber("latest"))!;
  const plan = await env.planManifest([{}]);
  return await preconfAttrsLikeDerivation(running.client, parent, plan.manifest.blocks[0]!, {
    proposalId: 99n,
    l1Timestamp: plan.l1Timestamp,
    l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
    basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
  });
}

Deno.test("`EventSyncer` follows L1 through chunked catch-up, a dropped WebSocket and a reorg", async (t) => {
  const env = await startSyncEnv();
  try {
    const { engine } = env;
    // Three proposals spread over ~45 blocks before the syncer starts: catch-up takes many chunks.
    await env.proposeBlocks([{}]);
    await env.mine(20);
    await env.proposeBlocks([{}, {}]);
    await env.mine(20);
    await env.proposeBlocks([{}]);
    const running = await env.startSyncer({
      ...FAST_SYNCER_OPTIONS,
      logChunkBlocks: 4n,
      preconfirmationEnabled: true,
    });
    const { syncer } = running;

    await t.step("catch-up in 4-block chunks processes every proposal in order", async () => {
      await waitForProposal(syncer, 3n, running.done);
      assert.equal(engine.head().header.number, 4n);
      assert.equal(engine.headL1OriginId(), 4n);
      assert.equal(await syncer.waitPreconfIngressReady(), true);
    });

    await t.step(
      "proposals made while the L1 WebSocket is down are derived after the reconnect (E-4)",
      async () => {
        const probe = await nextAttrs(env, running);
        const built = engine.callCount("engine_newPayloadV2");
        const drops = running.client.l1.disconnects;
        env.proxy.refuse(true);
        env.proxy.dropAll();
        await eventually(() => running.client.l1.disconnects > drops, "the syncer to see the drop");
        assert.deepEqual(await syncer.submitPreconfirmationPayload(probe), { kind: "NotReady" });
        await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000c4" }]);
        await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000c5" }]);
        env.proxy.refuse(false);
        await waitForProposal(syncer, 5n, running.done);
        assert.equal(
          engine.canonicalBlock(5n)?.header.miner.toLowerCase(),
          "0x00000000000000000000000000000000000000c4",
        );
        assert.equal(
          engine.canonicalBlock(6n)?.header.miner.toLowerCase(),
          "0x00000000000000000000000000000000000000c5",
        );
        assert.equal(await syncer.waitPreconfIngressReady(), true, "ingress reopens once live again");
        assert.equal(
          engine.callCount("engine_newPayloadV2") - built,
          2,
          "only the two new blocks: nothing re-derived (E-10)",
        );
      },
    );

    await t.step(
      "an L1 reorg that drops a proposal is followed and head_l1_origin reconciled (E-8)",
      async () => {
        const snapshot = await env.anvil.client.request({ method: "evm_snapshot" as "eth_blockNumber" });
        await env.proposeBlocks([
          { coinbase: "0x00000000000000000000000000000000000000d6" },
          { coinbase: "0x00000000000000000000000000000000000000d7" },
        ]);
        await waitForProposal(syncer, 6n, running.done);
        assert.equal(syncer.confirmedTip, 8n);
        const droppedHashes = [7n, 8n].map((n) => engine.canonicalBlock(n)?.hash);

        await env.anvil.client.request({
          method: "evm_revert" as "eth_blockNumber",
          params: [snapshot] as never,
        });
        await eventually(() => syncer.lastCanonicalProposalId === 5n, "the syncer to see the reorg");
        assert.equal(syncer.confirmedTip, 6n, "the confirmed tip follows L1 down");
        assert.equal(engine.headL1OriginId(), 6n, "head_l1_origin is the last block of proposal 5");

        // A preconfirmation for the block after proposal 5 is no longer stale.
        const parent = (await running.client.l2.blockByNumber(6n))!;
        const plan = await env.planManifest([{ coinbase: "0x00000000000000000000000000000000000000e7" }]);
        const attrs = await preconfAttrsLikeDerivation(running.client, parent, plan.manifest.blocks[0]!, {
          proposalId: 6n,
          l1Timestamp: plan.l1Timestamp,
          l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
          basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
        });
        const outcome = await syncer.submitPreconfirmationPayload(attrs, { parentHash: parent.hash });
        assert.equal(outcome.kind, "Inserted");

        const replacement = await env.propose(
          {
            blocks: [{ ...plan.manifest.blocks[0]!, coinbase: "0x00000000000000000000000000000000000000f7" }],
          },
          plan.l1Timestamp,
        );
        assert.equal(replacement.proposal.id, 6n, "the Inbox reuses the dropped id");
        await waitForProposal(syncer, 6n, running.done);
        await eventually(() => syncer.confirmedTip === 7n, "the replacement to be confirmed");
        const block7 = engine.canonicalBlock(7n)!;
        assert.equal(block7.header.miner.toLowerCase(), "0x00000000000000000000000000000000000000f7");
        assert.equal(engine.head().header.number, 7n, "the dropped proposal's second block is gone");
        assert.ok(!droppedHashes.includes(block7.hash));
        assert.equal(engine.l1Origin(7n)?.l1BlockHash, replacement.proposal.l1BlockHash);
      },
    );

    await t.step(
      "the finalized hint is the last block of the finalized proposal (E-11)",
      async () => {
        const { wallet } = await connectL1Wallet(env.anvil.url, DEVNET_DEPLOYER_KEY);
        const finalize = async (id: bigint, blockHash: Hash) => {
          const hash = await wallet.writeContract({
            address: env.contracts.inbox,
            abi: inboxStandInAbi,
            functionName: "finalize",
            args: [Number(id), blockHash],
          });
          await env.anvil.client.waitForTransactionReceipt({ hash });
        };
        await finalize(6n, engine.canonicalBlock(7n)!.hash);
        await env.proposeBlocks([{}]);
        await waitForProposal(syncer, 7n, running.done);
        assert.equal((await running.client.l2.blockByNumber("finalized"))?.number, 7n);
      },
    );

    await running.stop();
  } finally {
    await env.stop();
  }
});
