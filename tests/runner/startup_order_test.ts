import assert from "node:assert/strict";
import { PreconfirmationDriverRunner } from "../../runner/mod.ts";
import { createRunnerDoubles, testRunnerConfig } from "../helpers/runner_doubles.ts";

/** Lets every pending timer and microtask run a few times over. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("L-1: `run()` creates no JSON-RPC server before the event syncer's ingress is ready, and starts it once released", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const config = testRunnerConfig({
    rpc: { hostname: "127.0.0.1", port: 0, maxBodyBytes: 1024, maxConnections: 4 },
  });
  const run = new PreconfirmationDriverRunner(config, { parts: d.parts }).run(controller.signal);
  try {
    await settle();
    assert.ok(d.journal.includes("syncer:run"), `the syncer should be running: ${d.journal}`);
    assert.ok(!d.journal.includes("rpc:create"), `RPC created before readiness: ${d.journal}`);
    assert.equal(d.rpc.started, false);
    assert.ok(!d.journal.includes("node:create"), `node created before readiness: ${d.journal}`);

    d.syncer.ready();
    await d.node.running.promise;
    assert.equal(d.rpc.started, true);
    const order = d.journal;
    assert.ok(order.indexOf("syncer:run") < order.indexOf("rpc:create"));
    assert.ok(order.indexOf("rpc:start") < order.indexOf("node:run"));
  } finally {
    controller.abort();
    await run;
  }
  assert.equal(d.rpc.stopped, true);
});
