import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { SyncError } from "../../../driver/errors.ts";
import { createDriverMetrics } from "../../../driver/metrics.ts";
import { eventually, FAST_SYNCER_OPTIONS, startSyncEnv, waitForProposal } from "../../helpers/sync_env.ts";

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? 0;
}

/** Resolves to "pending" when `promise` has not settled yet. */
async function state(promise: Promise<unknown>): Promise<"pending" | "settled"> {
  const marker = Symbol("pending");
  const winner = await Promise.race([
    promise.then(() => "settled", () => "settled"),
    Promise.resolve(marker),
  ]);
  return winner === marker ? "pending" : "settled";
}

Deno.test("`EventSyncer` retries a down engine, stops on a proven INVALID, and stops after a verdict", async (t) => {
  const env = await startSyncEnv();
  try {
    const { engine } = env;

    await t.step(
      "an engine that is down for a while delays sync; when it is back, sync completes",
      async () => {
        const registry = new Registry();
        const running = await env.startSyncer(
          { ...FAST_SYNCER_OPTIONS, preconfirmationEnabled: true },
          createDriverMetrics(registry),
        );
        assert.equal(
          await running.syncer.waitPreconfIngressReady(),
          true,
          "live before the engine goes down",
        );
        engine.injectFault({ effect: { kind: "down" } });
        await env.proposeBlocks([{}, {}]);
        await eventually(
          async () => await counterValue(registry, "driver_event_proposal_retries_total") >= 3,
          "three failed attempts",
        );
        assert.equal(await state(running.done), "pending", "the syncer keeps going");
        assert.equal(engine.head().header.number, 0n);
        engine.clearFaults();
        await waitForProposal(running.syncer, 1n, running.done);
        assert.equal(engine.head().header.number, 2n);
        assert.equal(engine.headL1OriginId(), 2n);
        await running.stop();
      },
    );

    await t.step(
      "newPayload INVALID keeps retrying until L1 finalizes the log, then stops loudly (E-7)",
      async () => {
        const registry = new Registry();
        const running = await env.startSyncer(undefined, createDriverMetrics(registry));
        await waitForProposal(running.syncer, 1n, running.done);
        engine.injectFault({
          methods: ["engine_newPayloadV2"],
          effect: { kind: "status", status: "INVALID", validationError: "bad state root" },
        });
        await env.proposeBlocks([{}]);
        await eventually(
          async () => await counterValue(registry, "driver_event_proposal_retries_total") >= 2,
          "retries of the not-yet-final proposal",
        );
        assert.equal(await state(running.done), "pending", "INVALID above finality is retried");
        await env.mine(70);
        await assert.rejects(
          running.done,
          (error) =>
            error instanceof SyncError && error.kind === "InvalidCanonicalBlock" &&
            error.context.proposalId === 2n,
        );
        assert.equal(engine.head().header.number, 2n);
        engine.clearFaults();
        await running.stop();
      },
    );

    await t.step("a non-transient engine answer stops the syncer after bounded attempts", async () => {
      engine.injectFault({
        methods: ["engine_forkchoiceUpdatedV2"],
        effect: { kind: "error", code: -32602, message: "invalid params" },
      });
      const running = await env.startSyncer();
      await assert.rejects(
        running.done,
        (error) =>
          error instanceof SyncError && error.kind === "ProposalFailed" && error.context.proposalId === 2n,
      );
      engine.clearFaults();
      await running.stop();
    });

    await t.step("after the faults clear, a new syncer derives the proposal", async () => {
      const running = await env.startSyncer();
      await waitForProposal(running.syncer, 2n, running.done);
      assert.equal(engine.head().header.number, 3n);
      await running.stop();
    });
  } finally {
    await env.stop();
  }
});
