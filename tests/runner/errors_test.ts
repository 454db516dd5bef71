import assert from "node:assert/strict";
import { DriverError, SyncError } from "../../driver/mod.ts";
import { RunnerError } from "../../runner/mod.ts";
import { toRunnerError } from "../../runner/errors.ts";

Deno.test("`RunnerError` carries its kind, message and cause", () => {
  const cause = new Error("underlying");
  const error = new RunnerError("NodeTaskFailed", "Cannot run the node: its loop failed", { cause });
  assert.equal(error.name, "RunnerError");
  assert.equal(error.kind, "NodeTaskFailed");
  assert.equal(error.message, "Cannot run the node: its loop failed");
  assert.equal(error.cause, cause);
  assert.ok(!("cause" in new RunnerError("EventSyncerExited", "exited")));
});

Deno.test("`toRunnerError()` maps SyncError to Sync and DriverError to Driver, keeping the cause", () => {
  const sync = new SyncError("Rpc", "Cannot scan logs");
  const driver = new DriverError("Engine", "Cannot insert block");
  const fromSync = toRunnerError(sync, "EventSyncerFailed", "syncer failed");
  const fromDriver = toRunnerError(driver, "EventSyncerFailed", "syncer failed");
  assert.equal(fromSync.kind, "Sync");
  assert.equal(fromSync.cause, sync);
  assert.equal(fromDriver.kind, "Driver");
  assert.equal(fromDriver.cause, driver);
});

Deno.test("`toRunnerError()` keeps a RunnerError and uses the fallback kind for anything else", () => {
  const runner = new RunnerError("MissingL2LatestHead", "no head");
  assert.equal(toRunnerError(runner, "NodeTaskFailed", "x"), runner);
  const other = toRunnerError("a string", "NodeTaskFailed", "node failed");
  assert.equal(other.kind, "NodeTaskFailed");
  assert.equal(other.message, "node failed");
  assert.equal(other.cause, "a string");
});
