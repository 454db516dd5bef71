import assert from "node:assert/strict";
import { SyncError } from "../../../driver/errors.ts";
import { FAST_SYNCER_OPTIONS, startSyncEnv, waitForProposal } from "../../helpers/sync_env.ts";

Deno.test("`EventSyncer` refuses a chain without a Shasta fork unless an override supplies one", async () => {
  const env = await startSyncEnv({ l2ChainId: 1337n });
  try {
    const refused = await env.startSyncer();
    await assert.rejects(
      refused.done,
      (error) =>
        error instanceof SyncError && error.kind === "UnsupportedChain" && error.context.chainId === 1337n,
    );
    await refused.stop();

    const running = await env.startSyncer({
      ...FAST_SYNCER_OPTIONS,
      chainOverrides: { shastaForkTimestamp: 0n },
    });
    await env.proposeBlocks([{}]);
    await waitForProposal(running.syncer, 1n, running.done);
    const block = env.engine.canonicalBlock(1n)!;
    assert.equal(running.client.anchorAddress, "0x1337000000000000000000000000000000010001");
    assert.equal(
      block.transactions.length,
      1,
      "the anchor transaction, accepted by the engine's anchor rule",
    );
    await running.stop();
  } finally {
    await env.stop();
  }
});
