import assert from "node:assert/strict";
import type { Hash } from "viem";
import { DEVNET_BASEFEE_SHARING_PCTG } from "../../../devnet/contracts.ts";
import { DriverError } from "../../../driver/errors.ts";
import type { DriverClient } from "../../../driver/rpc/driver_client.ts";
import type { SourceManifest, TaikoPayloadAttributes } from "../../../driver/shasta/types.ts";
import { EventSyncer } from "../../../driver/sync/event_syncer.ts";
import type { PreconfSubmissionOutcome } from "../../../driver/sync/ingress.ts";
import { preconfAttrsLikeDerivation } from "../../helpers/preconf_attrs.ts";
import {
  buildCalls,
  eventually,
  FAST_SYNCER_OPTIONS,
  type RunningSyncer,
  startSyncEnv,
  waitForProposal,
} from "../../helpers/sync_env.ts";

const PRECONF_OPTIONS = { ...FAST_SYNCER_OPTIONS, preconfirmationEnabled: true };

async function head(client: DriverClient) {
  const block = await client.l2.blockByNumber("latest");
  assert.ok(block !== null);
  return block;
}

/** Submits every block of `manifest` through the ingress, each on the engine's current head. */
async function preconfirm(
  running: RunningSyncer,
  manifest: SourceManifest,
  plan: { proposalId: bigint; l1Timestamp: bigint },
): Promise<Hash[]> {
  const hashes: Hash[] = [];
  for (const block of manifest.blocks) {
    const parent = await head(running.client);
    const attrs = await preconfAttrsLikeDerivation(running.client, parent, block, {
      ...plan,
      l1BlockNumber: block.anchorBlockNumber + 1n,
      basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
    });
    const outcome = await running.syncer.submitPreconfirmationPayload(attrs, { parentHash: parent.hash });
    assert.equal(outcome.kind, "Inserted");
    hashes.push((outcome as Extract<PreconfSubmissionOutcome, { kind: "Inserted" }>).block.hash);
  }
  return hashes;
}

Deno.test("preconfirmation ingress against the engine simulator and a live L1", async (t) => {
  const env = await startSyncEnv();
  try {
    const running = await env.startSyncer(PRECONF_OPTIONS);
    const { syncer, client } = running;
    await env.proposeBlocks([{}]);
    await waitForProposal(syncer, 1n, running.done);
    assert.equal(await syncer.waitPreconfIngressReady(), true);

    await t.step("a stale submission is refused and never reaches the engine (E-1, V-8)", async () => {
      const plan = await env.planManifest([{}]);
      const genesis = await client.l2.blockByNumber(0n);
      const attrs = await preconfAttrsLikeDerivation(client, genesis!, plan.manifest.blocks[0]!, {
        proposalId: 9n,
        l1Timestamp: plan.l1Timestamp,
        l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
        basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
      });
      env.engine.resetCallCounts();
      const outcome = await syncer.submitPreconfirmationPayload(attrs);
      assert.deepEqual(outcome, { kind: "Stale", confirmedTip: 1n });
      assert.equal(buildCalls(env.engine), 0);
    });

    await t.step(
      "blocks preconfirmed and then proposed identically are confirmed without a rebuild",
      async () => {
        const plan = await env.planManifest([
          { coinbase: "0x00000000000000000000000000000000000000a1" },
          { coinbase: "0x00000000000000000000000000000000000000a2" },
        ]);
        const hashes = await preconfirm(running, plan.manifest, {
          proposalId: 2n,
          l1Timestamp: plan.l1Timestamp,
        });
        assert.equal(
          env.engine.l1Origin(3n)?.l1BlockHeight ?? null,
          null,
          "a preconfirmed block has no L1 height",
        );

        // [S-1] The same payload again answers AlreadyMaterialized without an engine call.
        const parent = env.engine.canonicalBlock(2n)!;
        const again = await preconfAttrsLikeDerivation(
          client,
          await client.l2.blockByHash(parent.hash) as never,
          plan.manifest.blocks[1]!,
          {
            proposalId: 2n,
            l1Timestamp: plan.l1Timestamp,
            l1BlockNumber: plan.manifest.blocks[1]!.anchorBlockNumber + 1n,
            basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
          },
        );
        env.engine.resetCallCounts();
        const repeat = await syncer.submitPreconfirmationPayload(again, { parentHash: parent.hash });
        assert.equal(repeat.kind, "AlreadyMaterialized");
        assert.equal(buildCalls(env.engine), 0);

        env.engine.resetCallCounts();
        const posted = await env.propose(plan.manifest, plan.l1Timestamp);
        await waitForProposal(syncer, 2n, running.done);
        assert.equal(buildCalls(env.engine), 0, "no forkchoice update, getPayload or newPayload");
        assert.equal(
          env.engine.callCount("taiko_l1OriginByID"),
          2,
          "each L1 origin read once, when matching",
        );
        assert.equal(env.engine.callCount("taikoAuth_updateL1Origin"), 2);
        assert.deepEqual([env.engine.canonicalBlock(2n)?.hash, env.engine.canonicalBlock(3n)?.hash], hashes);
        assert.equal(env.engine.l1Origin(3n)?.l1BlockHeight, posted.proposal.l1BlockNumber);
        assert.equal(env.engine.headL1OriginId(), 3n);
        assert.equal(syncer.confirmedTip, 3n);
      },
    );

    await t.step("a job whose parent differs from the validated one is refused (S-4)", async () => {
      const plan = await env.planManifest([{}]);
      const parent = await head(client);
      const attrs = await preconfAttrsLikeDerivation(client, parent, plan.manifest.blocks[0]!, {
        proposalId: 3n,
        l1Timestamp: plan.l1Timestamp,
        l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
        basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
      });
      env.engine.resetCallCounts();
      await assert.rejects(
        syncer.submitPreconfirmationPayload(attrs, { parentHash: `0x${"ab".repeat(32)}` }),
        (error) => error instanceof DriverError && error.kind === "PreconfParentMismatch",
      );
      assert.equal(buildCalls(env.engine), 0);
    });

    await t.step("a differing L1 proposal replaces preconfirmed blocks", async () => {
      const plan = await env.planManifest([
        { coinbase: "0x00000000000000000000000000000000000000b1" },
        { coinbase: "0x00000000000000000000000000000000000000b2" },
      ]);
      const preconfirmed = await preconfirm(running, plan.manifest, {
        proposalId: 3n,
        l1Timestamp: plan.l1Timestamp,
      });
      const differing = {
        blocks: plan.manifest.blocks.map((block) => ({
          ...block,
          coinbase: "0x00000000000000000000000000000000000000b9" as const,
        })),
      };
      env.engine.resetCallCounts();
      await env.propose(differing, plan.l1Timestamp);
      await waitForProposal(syncer, 3n, running.done);
      assert.equal(env.engine.callCount("engine_newPayloadV2"), 2, "both blocks rebuilt");
      for (const [index, oldHash] of preconfirmed.entries()) {
        const block = env.engine.canonicalBlock(4n + BigInt(index))!;
        assert.notEqual(block.hash, oldHash);
        assert.equal(block.header.miner.toLowerCase(), "0x00000000000000000000000000000000000000b9");
      }
      assert.equal(env.engine.canonicalBlock(4n)?.header.parentHash, env.engine.canonicalBlock(3n)?.hash);
      assert.equal(syncer.confirmedTip, 5n);
    });

    await t.step(
      "a caller's timeout drops its queued job; a started job is never cancelled (S-2, S-3)",
      async () => {
        const plan = await env.planManifest([{}]);
        const parent = await head(client);
        const block = plan.manifest.blocks[0]!;
        const base = {
          proposalId: 4n,
          l1BlockNumber: block.anchorBlockNumber + 1n,
          basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
        };
        const first = await preconfAttrsLikeDerivation(client, parent, block, {
          ...base,
          l1Timestamp: plan.l1Timestamp,
        });
        const competitor = await preconfAttrsLikeDerivation(client, parent, {
          ...block,
          timestamp: block.timestamp - 1n,
        }, {
          ...base,
          l1Timestamp: plan.l1Timestamp,
        });
        env.engine.resetCallCounts();
        env.engine.injectFault({
          methods: ["engine_forkchoiceUpdatedV2"],
          effect: { kind: "delay", ms: 1_500 },
          times: 1,
        });
        const abort = new AbortController();
        const running1 = syncer.submitPreconfirmationPayload(first, {
          parentHash: parent.hash,
          signal: abort.signal,
        });
        running1.catch(() => {});
        await eventually(
          () => env.engine.callCount("engine_forkchoiceUpdatedV2") === 1,
          "the first job in the engine",
        );
        const queued = syncer.submitPreconfirmationPayload(competitor, {
          parentHash: parent.hash,
          timeoutMs: 100,
        });
        await assert.rejects(
          queued,
          (error) => error instanceof DriverError && error.kind === "PreconfSubmissionTimeout",
        );
        abort.abort(new Error("client went away"));
        await assert.rejects(running1, /client went away/);
        await eventually(
          () => env.engine.callCount("engine_newPayloadV2") === 1,
          "the started job to finish",
        );
        await eventually(() => env.engine.head().header.number === parent.number + 1n, "the head to move");
        const atHeight = env.engine.blocks().filter((b) => b.header.number === parent.number + 1n);
        assert.equal(atHeight.length, 1, "the dropped competitor never reached the engine");
        assert.equal(atHeight[0]!.header.timestamp, first.timestamp);
        assert.equal(
          env.engine.callCount("engine_forkchoiceUpdatedV2"),
          2 * env.engine.callCount("engine_newPayloadV2"),
        );
        // [S-2 (b)] The caller that left retries: the block is already there.
        const retried = await syncer.submitPreconfirmationPayload(first, { parentHash: parent.hash });
        assert.equal(retried.kind, "AlreadyMaterialized");
        assert.equal(env.engine.callCount("engine_newPayloadV2"), 1);
      },
    );

    await t.step(
      "50 submissions queued across an L1 reconnect leave no sibling blocks (E-4, E-5)",
      async () => {
        const plan = await env.planManifest([{}]);
        const parent = await head(client);
        const block = plan.manifest.blocks[0]!;
        const attrs: TaikoPayloadAttributes[] = [];
        for (let i = 0; i < 50; i++) {
          attrs.push(
            await preconfAttrsLikeDerivation(client, parent, {
              ...block,
              timestamp: parent.timestamp + 1n + BigInt(i),
            }, {
              proposalId: 4n,
              l1Timestamp: plan.l1Timestamp,
              l1BlockNumber: block.anchorBlockNumber + 1n,
              basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
            }),
          );
        }
        env.engine.resetCallCounts();
        env.engine.injectFault({
          methods: ["engine_forkchoiceUpdatedV2"],
          effect: { kind: "delay", ms: 1_500 },
          times: 1,
        });
        const submissions = attrs.map((a) =>
          syncer.submitPreconfirmationPayload(a, { parentHash: parent.hash })
        );
        for (const submission of submissions) submission.catch(() => {});
        await eventually(
          () => env.engine.callCount("engine_forkchoiceUpdatedV2") === 1,
          "the first job in the engine",
        );
        env.proxy.refuse(true);
        env.proxy.dropAll();
        const rest = await Promise.all(submissions.slice(1));
        assert.ok(rest.every((outcome) => outcome.kind === "NotReady"), "queued jobs answer NotReady");
        assert.equal((await submissions[0]!).kind, "Inserted", "the job in flight completes");
        assert.equal(
          (await syncer.submitPreconfirmationPayload(attrs[1]!)).kind,
          "NotReady",
          "ingress stays closed",
        );
        env.proxy.refuse(false);
        assert.equal(await syncer.waitPreconfIngressReady(), true);
        const atHeight = env.engine.blocks().filter((b) => b.header.number === parent.number + 1n);
        assert.equal(atHeight.length, 1, "exactly one block at the height, no siblings");
        assert.equal(env.engine.callCount("engine_newPayloadV2"), 1);
      },
    );

    await t.step(
      "a block on the head the driver inserted last reads neither its parent nor an L1 origin",
      async () => {
        const plan = await env.planManifest([{}, {}]);
        const options = {
          proposalId: 4n,
          l1Timestamp: plan.l1Timestamp,
          l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
          basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
        };
        const grandparent = await head(client);
        const firstAttrs = await preconfAttrsLikeDerivation(client, grandparent, {
          ...plan.manifest.blocks[0]!,
          timestamp: grandparent.timestamp + 1n,
        }, options);
        const first = await syncer.submitPreconfirmationPayload(firstAttrs, { parentHash: grandparent.hash });
        assert.equal(first.kind, "Inserted");
        const parent = (first as Extract<PreconfSubmissionOutcome, { kind: "Inserted" }>).block;
        const attrs = await preconfAttrsLikeDerivation(client, parent, {
          ...plan.manifest.blocks[1]!,
          timestamp: parent.timestamp + 1n,
        }, options);
        env.engine.resetCallCounts();
        const outcome = await syncer.submitPreconfirmationPayload(attrs, { parentHash: parent.hash });
        assert.equal(outcome.kind, "Inserted");
        assert.equal(env.engine.head().header.parentHash, parent.hash);
        assert.equal(env.engine.callCount("eth_getBlockByNumber"), 1, "only the read-back of the new block");
        assert.equal(env.engine.callCount("eth_getBlockByHash"), 0);
        assert.equal(env.engine.callCount("taiko_l1OriginByID"), 0);
        assert.equal(env.engine.callCount("engine_newPayloadV2"), 1);
      },
    );

    await running.stop();
  } finally {
    await env.stop();
  }
});

Deno.test("ingress answers NotReady before the syncer runs, null/PreconfirmationDisabled when disabled, and opens on a fresh chain", async () => {
  const env = await startSyncEnv();
  try {
    const running = await env.startSyncer({ ...FAST_SYNCER_OPTIONS });
    try {
      assert.equal(await running.syncer.waitPreconfIngressReady(), null);
      const genesis = (await running.client.l2.blockByNumber(0n))!;
      const plan = await env.planManifest([{}]);
      const attrs = await preconfAttrsLikeDerivation(running.client, genesis, plan.manifest.blocks[0]!, {
        proposalId: 1n,
        l1Timestamp: plan.l1Timestamp,
        l1BlockNumber: plan.manifest.blocks[0]!.anchorBlockNumber + 1n,
        basefeeSharingPctg: DEVNET_BASEFEE_SHARING_PCTG,
      });
      await assert.rejects(
        running.syncer.submitPreconfirmationPayload(attrs),
        (error) => error instanceof DriverError && error.kind === "PreconfirmationDisabled",
      );
      const idle = new EventSyncer({ client: running.client, metrics: null }, {
        preconfirmationEnabled: true,
      });
      env.engine.resetCallCounts();
      assert.deepEqual(await idle.submitPreconfirmationPayload(attrs), { kind: "NotReady" });
      assert.equal(buildCalls(env.engine), 0);
      await assert.rejects(
        idle.submitPreconfirmationPayload({ ...attrs, l1Origin: { ...attrs.l1Origin, l1BlockHeight: 5n } }),
        TypeError,
      );
      await running.stop();

      // [E-3] A fresh chain has no proposal: the target is 0, the tip is 0 and block 1 is accepted.
      const enabled = await env.startSyncer(PRECONF_OPTIONS);
      assert.equal(await enabled.syncer.waitPreconfIngressReady(), true);
      assert.equal(enabled.syncer.confirmedTip, 0n);
      const outcome = await enabled.syncer.submitPreconfirmationPayload(attrs);
      assert.equal(outcome.kind, "Inserted");
      assert.equal(env.engine.head().header.number, 1n);
      assert.equal(env.engine.l1Origin(1n)?.l1BlockHeight ?? null, null);
    } finally {
      await running.stop();
    }
  } finally {
    await env.stop();
  }
});
