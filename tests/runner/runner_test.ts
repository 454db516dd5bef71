import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { DriverError, SyncError, type TaikoPayloadAttributes } from "../../driver/mod.ts";
import { PreconfirmationDriverRunner, RunnerError, runPreconfirmationDriver } from "../../runner/mod.ts";
import { createRunnerDoubles, testRunnerConfig } from "../helpers/runner_doubles.ts";

async function rejectsWithKind(promise: Promise<unknown>, kind: RunnerError["kind"]): Promise<RunnerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RunnerError, `expected a RunnerError, got ${error}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a RunnerError of kind ${kind}, but run() resolved`);
}

const ATTRS = {} as TaikoPayloadAttributes;

Deno.test("`run()` fails with EventSyncerExited when the syncer returns before ingress is ready", async () => {
  const d = createRunnerDoubles();
  const runner = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts });
  const run = runner.run();
  d.syncer.exit();
  const error = await rejectsWithKind(run, "EventSyncerExited");
  assert.match(error.message, /before preconfirmation ingress was ready/);
  assert.equal(d.client.closed, true);
  assert.deepEqual(d.journal, [
    "client:create",
    "syncer:create",
    "syncer:run",
    "syncer:run-end",
    "client:close",
  ]);
});

Deno.test("`run()` fails with Sync, the SyncError as cause, when the syncer fails before readiness", async () => {
  const d = createRunnerDoubles();
  const cause = new SyncError("InvalidProposalLog", "Cannot decode log");
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.fail(cause);
  const error = await rejectsWithKind(run, "Sync");
  assert.equal(error.cause, cause);
  assert.equal(d.client.closed, true);
});

Deno.test("`run()` fails with EventSyncerFailed when the syncer throws something other than a SyncError", async () => {
  const d = createRunnerDoubles();
  const cause = new Error("boom");
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.fail(cause);
  const error = await rejectsWithKind(run, "EventSyncerFailed");
  assert.equal(error.cause, cause);
});

Deno.test("`run()` fails with PreconfIngressNotEnabled when readiness answers null, and aborts the syncer", async () => {
  const d = createRunnerDoubles();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready(null);
  await rejectsWithKind(run, "PreconfIngressNotEnabled");
  assert.equal(d.syncer.runSignal?.aborted, true);
  assert.equal(d.client.closed, true);
  assert.ok(!d.journal.includes("node:create"));
});

Deno.test("`run()` starts the parts in order and hands the node the proposal state", async () => {
  const d = createRunnerDoubles();
  d.client.l2.latest = 7n;
  d.syncer.setCanonicalProposalId(3n);
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ rpc: rpcConfig() }), { parts: d.parts })
    .run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  assert.deepEqual(d.journal, [
    "client:create",
    "syncer:create",
    "syncer:run",
    "node:create",
    "node:start",
    "rpc:create",
    "rpc:start",
    "node:run",
  ]);
  assert.deepEqual(d.node.proposalState?.value, { canonicalProposalId: 3n, preconfTip: 7n });
  assert.equal(d.received.deps?.registry, null);
  assert.equal(d.received.nodeDeps?.client, d.client);
  controller.abort();
  await run;
});

Deno.test("the forwarder republishes the proposal state when the canonical proposal id changes", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  d.client.l2.latest = 12n;
  d.syncer.setCanonicalProposalId(5n);
  const state = await d.node.waitForState((s) => s.canonicalProposalId === 5n);
  assert.equal(state.preconfTip, 12n);
  controller.abort();
  await run;
});

Deno.test("the forwarder passes submissions to the syncer and republishes the tip after an insert", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  d.syncer.submitOutcome = { kind: "Stale", confirmedTip: 4n };
  const driver = d.node.driver;
  assert.ok(driver !== undefined);
  assert.deepEqual(await driver.submitPreconfirmationPayload(ATTRS), { kind: "Stale", confirmedTip: 4n });
  d.client.l2.latest = 2n;
  d.syncer.submitOutcome = { kind: "Inserted", block: { number: 2n } as never };
  assert.equal((await driver.submitPreconfirmationPayload(ATTRS)).kind, "Inserted");
  const state = await d.node.waitForState((s) => s.preconfTip === 2n);
  assert.equal(state.canonicalProposalId, 0n);
  assert.equal(d.syncer.submissions.length, 2);
  controller.abort();
  await run;
});

Deno.test("`run()` fails with MissingL2LatestHead when L2 has no head at start, before the node exists", async () => {
  const d = createRunnerDoubles();
  d.client.l2.latest = null;
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  await rejectsWithKind(run, "MissingL2LatestHead");
  assert.ok(!d.journal.includes("node:create"));
  assert.equal(d.syncer.runSignal?.aborted, true);
  assert.equal(d.client.closed, true);
});

Deno.test("`run()` fails with MissingL2LatestHead when the head disappears while publishing, and stops every part", async () => {
  const d = createRunnerDoubles();
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ rpc: rpcConfig() }), { parts: d.parts })
    .run();
  d.syncer.ready();
  await d.node.running.promise;
  d.client.l2.latest = null;
  d.syncer.setCanonicalProposalId(1n);
  await rejectsWithKind(run, "MissingL2LatestHead");
  assert.deepEqual(d.journal.slice(d.journal.indexOf("node:run")), [
    "node:run",
    "node:run-end",
    "rpc:stop",
    "node:stop",
    "syncer:run-end",
    "client:close",
  ]);
  assert.equal(d.syncer.runSignal?.aborted, true);
});

Deno.test("`run()` fails with L2LatestHeadQuery, the RPC failure as cause, when L2 cannot be read", async () => {
  const d = createRunnerDoubles();
  const cause = new DriverError("Rpc", "Cannot call eth_getBlockByNumber");
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  await d.node.running.promise;
  d.client.l2.latest = cause;
  d.syncer.setCanonicalProposalId(1n);
  const error = await rejectsWithKind(run, "L2LatestHeadQuery");
  assert.equal(error.cause, cause);
  assert.equal(d.node.stopped, true);
});

Deno.test("`run()` fails with NodeTaskFailed when the node loop fails: syncer aborted, server stopped", async () => {
  const d = createRunnerDoubles();
  const cause = new Error("gossip loop crashed");
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ rpc: rpcConfig() }), { parts: d.parts })
    .run();
  d.syncer.ready();
  await d.node.running.promise;
  d.node.fail(cause);
  const error = await rejectsWithKind(run, "NodeTaskFailed");
  assert.equal(error.cause, cause);
  assert.equal(d.syncer.runSignal?.aborted, true);
  assert.equal(d.rpc.stopped, true);
  assert.equal(d.node.stopped, true);
  assert.deepEqual(d.journal.slice(-5), [
    "node:run-end",
    "rpc:stop",
    "node:stop",
    "syncer:run-end",
    "client:close",
  ]);
});

Deno.test("`run()` fails with NodeTaskFailed when the node loop returns by itself", async () => {
  const d = createRunnerDoubles();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  await d.node.running.promise;
  d.node.exit();
  const error = await rejectsWithKind(run, "NodeTaskFailed");
  assert.match(error.message, /exited unexpectedly/);
});

Deno.test("`run()` fails with EventSyncerExited when the syncer returns after ingress was ready", async () => {
  const d = createRunnerDoubles();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  await d.node.running.promise;
  d.syncer.exit();
  const error = await rejectsWithKind(run, "EventSyncerExited");
  assert.doesNotMatch(error.message, /before/);
  assert.equal(d.node.stopped, true);
  assert.equal(d.client.closed, true);
});

Deno.test("`run()` resolves and stops every part in reverse order when the signal aborts", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ rpc: rpcConfig() }), { parts: d.parts })
    .run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  controller.abort();
  await run;
  assert.deepEqual(d.journal.slice(d.journal.indexOf("node:run")), [
    "node:run",
    "node:run-end",
    "rpc:stop",
    "node:stop",
    "syncer:run-end",
    "client:close",
  ]);
});

Deno.test("`run()` resolves without building anything when the signal is already aborted", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  controller.abort();
  await new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run(controller.signal);
  assert.deepEqual(d.journal, []);
});

Deno.test("`run()` resolves when the signal aborts while it waits for ingress readiness", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run(controller.signal);
  while (!d.journal.includes("syncer:run")) await Promise.resolve();
  controller.abort();
  await run;
  assert.equal(d.syncer.runSignal?.aborted, true);
  assert.equal(d.client.closed, true);
});

Deno.test("`run()` fails with Driver when the driver client cannot connect", async () => {
  const d = createRunnerDoubles();
  const cause = new DriverError("Rpc", "Cannot connect to L1");
  d.failures.client = cause;
  const error = await rejectsWithKind(
    new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run(),
    "Driver",
  );
  assert.equal(error.cause, cause);
  assert.deepEqual(d.journal, ["client:create"]);
});

Deno.test("`run()` fails with Preconfirmation when the node cannot be built, and closes the client", async () => {
  const d = createRunnerDoubles();
  d.failures.node = new Error("bad key file");
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  const error = await rejectsWithKind(run, "Preconfirmation");
  assert.equal((error.cause as Error).message, "bad key file");
  assert.equal(d.syncer.runSignal?.aborted, true);
  assert.equal(d.client.closed, true);
});

Deno.test("`run()` fails with Preconfirmation when the node cannot start, and still stops the node", async () => {
  const d = createRunnerDoubles();
  d.node.startError = new Error("address in use");
  const run = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts }).run();
  d.syncer.ready();
  await rejectsWithKind(run, "Preconfirmation");
  assert.equal(d.node.stopped, true);
});

Deno.test("`run()` fails with Rpc when the JSON-RPC server cannot start", async () => {
  const d = createRunnerDoubles();
  d.rpc.startError = new Error("address in use");
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ rpc: rpcConfig() }), { parts: d.parts })
    .run();
  d.syncer.ready();
  await rejectsWithKind(run, "Rpc");
  assert.equal(d.rpc.stopped, true);
  assert.equal(d.node.stopped, true);
  assert.ok(!d.journal.includes("node:run"));
});

Deno.test("`run()` moves on when a part does not stop within the stop timeout", async () => {
  const d = createRunnerDoubles();
  d.node.stopHangs = true;
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(testRunnerConfig({ stopTimeoutMs: 20 }), { parts: d.parts })
    .run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  controller.abort();
  await run;
  assert.equal(d.client.closed, true);
  assert.equal(d.syncer.runSignal?.aborted, true);
});

Deno.test("`run()` gives every part one metrics registry when metrics are on", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const run = new PreconfirmationDriverRunner(
    testRunnerConfig({ metrics: { hostname: "127.0.0.1", port: 0 } }),
    { parts: d.parts },
  ).run(controller.signal);
  d.syncer.ready();
  await d.node.running.promise;
  assert.ok(d.received.deps?.registry instanceof Registry);
  assert.equal(d.received.nodeDeps?.registry, d.received.deps?.registry);
  controller.abort();
  await run;
});

Deno.test("`run()` refuses to run twice at once", async () => {
  const d = createRunnerDoubles();
  const controller = new AbortController();
  const runner = new PreconfirmationDriverRunner(testRunnerConfig(), { parts: d.parts });
  const first = runner.run(controller.signal);
  await assert.rejects(runner.run(), /already running/);
  controller.abort();
  await first;
});

Deno.test("`runPreconfirmationDriver()` runs the same orchestration in one call", async () => {
  const d = createRunnerDoubles();
  const run = runPreconfirmationDriver(testRunnerConfig(), undefined, { parts: d.parts });
  d.syncer.exit();
  await rejectsWithKind(run, "EventSyncerExited");
});

Deno.test("`new PreconfirmationDriverRunner()` rejects a config without p2p settings", () => {
  const { p2p: _p2p, ...rest } = testRunnerConfig();
  assert.throws(
    () => new PreconfirmationDriverRunner(rest as never),
    (error: unknown) => error instanceof TypeError && /config\.p2p/.test(error.message),
  );
});

Deno.test("the default parts stop the runner with a Driver error when the JWT secret file is missing", async () => {
  const error = await rejectsWithKind(new PreconfirmationDriverRunner(testRunnerConfig()).run(), "Driver");
  assert.match(error.message, /driver client/);
  assert.ok(error.cause instanceof DriverError);
  assert.equal(error.cause.kind, "Config");
  assert.match(error.cause.message, /JWT secret "\/nonexistent\/jwt.hex"/);
});

function rpcConfig(): { hostname: string; port: number; maxBodyBytes: number; maxConnections: number } {
  return { hostname: "127.0.0.1", port: 0, maxBodyBytes: 1024, maxConnections: 4 };
}
