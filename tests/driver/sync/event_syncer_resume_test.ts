import assert from "node:assert/strict";
import { resolveResumePoint } from "../../../driver/sync/resume.ts";
import { buildCalls, startSyncEnv, waitForProposal } from "../../helpers/sync_env.ts";

Deno.test("a restart resumes from the engine's head L1 origin without re-deriving or skipping (E-2)", async (t) => {
  const env = await startSyncEnv();
  try {
    const { engine } = env;
    await t.step(
      "a fresh engine resumes from the Inbox activation with nothing confirmed (genesis rule)",
      async () => {
        const client = await env.createClient();
        const resume = await resolveResumePoint({ ...client, inbox: env.contracts.inbox });
        assert.equal(resume.lastProposalId, 0n);
        assert.equal(resume.confirmedTip, 0n);
        assert.ok(resume.l1StartBlock <= env.contracts.deployBlockNumber);
        assert.ok(resume.l1StartBlock > 0n, "the activation block, not L1 genesis");
      },
    );
    const first = await env.startSyncer();
    await env.proposeBlocks([{}, {}]);
    await env.proposeBlocks([{}]);
    await waitForProposal(first.syncer, 2n, first.done);
    const hashes = [1n, 2n, 3n].map((n) => engine.canonicalBlock(n)?.hash);
    let tipHash = engine.head().hash;

    await t.step("without L1 finality the restart replays through the fast path only", async () => {
      await first.stop();
      await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000f3" }]);
      engine.resetCallCounts();
      const second = await env.startSyncer();
      await waitForProposal(second.syncer, 3n, second.done);
      assert.deepEqual(
        [1n, 2n, 3n].map((n) => engine.canonicalBlock(n)?.hash),
        hashes,
        "old blocks untouched",
      );
      assert.equal(engine.callCount("engine_newPayloadV2"), 1, "only the new proposal's block is built");
      assert.equal(engine.callCount("engine_forkchoiceUpdatedV2"), 2);
      assert.equal(
        engine.canonicalBlock(4n)?.header.miner.toLowerCase(),
        "0x00000000000000000000000000000000000000f3",
      );
      await second.stop();
    });

    await t.step("with L1 finality past them, finished proposals are skipped entirely", async () => {
      await env.mine(70);
      await env.proposeBlocks([{ coinbase: "0x00000000000000000000000000000000000000f4" }]);
      engine.resetCallCounts();
      const third = await env.startSyncer();
      const seen: bigint[] = [];
      const controller = new AbortController();
      const watching = (async () => {
        for await (const id of third.syncer.canonicalProposalIdChanges({ signal: controller.signal })) {
          seen.push(id);
          if (id >= 4n) return;
        }
      })();
      await waitForProposal(third.syncer, 4n, third.done);
      controller.abort();
      await watching;
      assert.deepEqual(
        seen.filter((id) => id !== 0n),
        [3n, 4n],
        "starts at the resume point, never re-walks 1 and 2",
      );
      assert.equal(engine.callCount("taikoAuth_updateL1Origin"), 1, "no L1 origin rewritten for old blocks");
      assert.equal(buildCalls(engine), 4, "build, getPayload, newPayload and promote for the one new block");
      await third.stop();
    });

    await t.step(
      "an engine that rewound below its head L1 origin resumes from the lower RPC head",
      async () => {
        const client = await env.createClient();
        // Blocks 1-2 are proposal 1, 3 is proposal 2; pretend the engine lost everything after block 2.
        tipHash = engine.head().hash;
        engine.setHead(engine.canonicalBlock(2n)!.hash);
        const resume = await resolveResumePoint({ ...client, inbox: env.contracts.inbox });
        assert.equal(resume.lastProposalId, 1n);
        assert.equal(resume.confirmedTip, 2n);
        assert.equal(resume.l1StartBlock, engine.l1Origin(2n)?.l1BlockHeight);
      },
    );

    await t.step("a failed L2 head read does not stop the start while the origin exists", async () => {
      const client = await env.createClient();
      engine.setHead(tipHash);
      engine.injectFault({
        methods: ["eth_getBlockByNumber"],
        ports: ["public"],
        effect: { kind: "down" },
        times: 1,
      });
      const resume = await resolveResumePoint({ ...client, inbox: env.contracts.inbox });
      assert.equal(resume.confirmedTip, 5n);
      assert.equal(resume.lastProposalId, 3n, "proposal 4 is not final on L1 yet, so it is checked again");
    });
  } finally {
    await env.stop();
  }
});
