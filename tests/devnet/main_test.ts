import assert from "node:assert/strict";
import { parseDevnetArgs } from "../../devnet/main.ts";

Deno.test("`parseDevnetArgs()` reads the devnet's flags and rejects bad values", () => {
  assert.deepEqual(parseDevnetArgs([]), {
    nodes: 1,
    runner: true,
    blocks: null,
    timeoutSeconds: 300,
    blockTimeSeconds: 1,
    help: false,
  });
  const parsed = parseDevnetArgs([
    "--nodes",
    "2",
    "--no-runner",
    "--blocks",
    "5",
    "--timeout",
    "60",
    "--block-time",
    "2",
  ]);
  assert.deepEqual(parsed, {
    nodes: 2,
    runner: false,
    blocks: 5,
    timeoutSeconds: 60,
    blockTimeSeconds: 2,
    help: false,
  });
  assert.throws(() => parseDevnetArgs(["--nodes", "0"]), RangeError);
  assert.throws(() => parseDevnetArgs(["--blocks", "x"]), RangeError);
  assert.throws(() => parseDevnetArgs(["--bogus"]), TypeError);
});

Deno.test("`deno task devnet --blocks 1` without a driver node gives up with a reason and stops cleanly", async () => {
  const main = new URL("../../devnet/main.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--no-runner", "--blocks", "1", "--timeout", "1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 1, stderr);
  assert.match(stdout, /Shasta Inbox\s+0x[0-9a-fA-F]{40}/);
  assert.match(stdout, /L2 engine 0\s+http:\/\/127\.0\.0\.1:\d+/);
  assert.match(stdout, /L1 #\d+ \| proposals 0 \| preconfirmed #0 \| confirmed - \| peers -/);
  assert.match(stderr, /Cannot confirm 1 blocks within 1 s: no driver node runs/);
  assert.match(stdout, /Stopped in \d+ ms\./);
  const jwt = /JWT secret\s+(\S+)/.exec(stdout)?.[1];
  assert.ok(jwt !== undefined);
  await assert.rejects(Deno.stat(jwt), Deno.errors.NotFound);
  const anvilPort = /L1 \(anvil\)\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
  await assert.rejects(fetch(`http://127.0.0.1:${anvilPort}`, { method: "POST", body: "{}" }));
});
