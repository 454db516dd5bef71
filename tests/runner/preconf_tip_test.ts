import assert from "node:assert/strict";
import { DriverError } from "../../driver/mod.ts";
import { resolvePreconfTipFromL2, RunnerError } from "../../runner/mod.ts";
import { FakeL2 } from "../helpers/runner_doubles.ts";

Deno.test("`resolvePreconfTipFromL2()` returns the number of L2's latest block", async () => {
  const l2 = new FakeL2();
  l2.latest = 123_456_789_012n;
  assert.equal(await resolvePreconfTipFromL2(l2), 123_456_789_012n);
  assert.equal(l2.calls, 1);
});

Deno.test("`resolvePreconfTipFromL2()` throws MissingL2LatestHead when L2 answers null, never a fallback", async () => {
  const l2 = new FakeL2();
  l2.latest = null;
  await assert.rejects(
    resolvePreconfTipFromL2(l2),
    (error: unknown) =>
      error instanceof RunnerError && error.kind === "MissingL2LatestHead" && error.cause === undefined,
  );
});

Deno.test("`resolvePreconfTipFromL2()` throws L2LatestHeadQuery with the RPC failure as cause", async () => {
  const l2 = new FakeL2();
  const failure = new DriverError("Rpc", "Cannot call eth_getBlockByNumber: connection refused");
  l2.latest = failure;
  await assert.rejects(
    resolvePreconfTipFromL2(l2),
    (error: unknown) =>
      error instanceof RunnerError && error.kind === "L2LatestHeadQuery" && error.cause === failure,
  );
});

Deno.test("`resolvePreconfTipFromL2()` asks for the latest block by tag", async () => {
  const tags: string[] = [];
  await resolvePreconfTipFromL2({
    blockByNumber(tag) {
      tags.push(tag);
      return Promise.resolve({ number: 0n });
    },
  });
  assert.deepEqual(tags, ["latest"]);
});
