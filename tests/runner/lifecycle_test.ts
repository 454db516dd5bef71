import assert from "node:assert/strict";
import { RunnerError } from "../../runner/mod.ts";
import { spawnTask, StopStack, Supervisor, type TaskExit } from "../../runner/lifecycle.ts";

Deno.test("`StopStack.stopAll()` stops parts last-first and goes on past a failing or stuck part", async () => {
  const stopped: string[] = [];
  const stack = new StopStack(20);
  stack.push("a", () => Promise.resolve(void stopped.push("a")));
  stack.push("stuck", () => new Promise(() => void stopped.push("stuck")));
  stack.push(
    "failing",
    () => Promise.reject(new Error("cannot stop")).finally(() => stopped.push("failing")),
  );
  stack.push("b", () => Promise.resolve(void stopped.push("b")));
  await stack.stopAll();
  assert.deepEqual(stopped, ["b", "failing", "stuck", "a"]);
  await stack.stopAll();
  assert.deepEqual(stopped, ["b", "failing", "stuck", "a"], "a second stopAll() stops nothing again");
});

Deno.test("`spawnTask()` reports how a body ended by itself, and nothing for a body it stopped", async () => {
  const failed = Promise.withResolvers<TaskExit>();
  const returned = Promise.withResolvers<TaskExit>();
  const failing = spawnTask("failing", () => Promise.reject(new Error("boom")), failed.resolve);
  const returning = spawnTask("returning", () => Promise.resolve(), returned.resolve);
  const failure = await failed.promise;
  assert.equal(failure.kind, "failed");
  assert.equal(failure.kind === "failed" && (failure.error as Error).message, "boom");
  assert.equal((await returned.promise).kind, "returned");
  await failing.stop();
  await returning.stop();

  const exits: TaskExit[] = [];
  const looping = spawnTask(
    "looping",
    (signal) =>
      new Promise<void>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    (exit) => exits.push(exit),
  );
  await looping.stop();
  assert.deepEqual(exits, []);
});

Deno.test("`Supervisor` keeps the first failure; a later one and the caller's abort do not replace it", () => {
  const outer = new AbortController();
  const supervisor = new Supervisor(outer.signal);
  const first = new RunnerError("NodeTaskFailed", "first");
  supervisor.fail(first);
  supervisor.fail(new RunnerError("EventSyncerExited", "second"));
  outer.abort();
  assert.equal(supervisor.failure, first);
  assert.equal(supervisor.signal.reason, first);
});

Deno.test("`Supervisor` treats the caller's abort as a clean stop", async () => {
  const outer = new AbortController();
  const supervisor = new Supervisor(outer.signal);
  const ended = supervisor.ended();
  outer.abort();
  await ended;
  assert.equal(supervisor.failure, undefined);
  supervisor.fail(new RunnerError("NodeTaskFailed", "too late"));
  assert.equal(supervisor.failure, undefined);
});

Deno.test("`Supervisor.guard()` rejects when the run ends first and hands a late value to onLate", async () => {
  const supervisor = new Supervisor();
  const late = Promise.withResolvers<string>();
  const cleaned = Promise.withResolvers<string>();
  const guarded = supervisor.guard(late.promise, (value) => {
    cleaned.resolve(value);
    return Promise.resolve();
  });
  const failure = new RunnerError("Driver", "stopped");
  supervisor.fail(failure);
  await assert.rejects(guarded, (error: unknown) => error === failure);
  late.resolve("client");
  assert.equal(await cleaned.promise, "client");
  assert.equal(await supervisor.guard(Promise.resolve(1)).catch((e) => e), failure);
});

Deno.test("`Supervisor.guard()` passes the value or the rejection through while the run goes on", async () => {
  const supervisor = new Supervisor();
  assert.equal(await supervisor.guard(Promise.resolve(42)), 42);
  await assert.rejects(supervisor.guard(Promise.reject(new Error("nope"))), /nope/);
  assert.equal(supervisor.signal.aborted, false);
});
