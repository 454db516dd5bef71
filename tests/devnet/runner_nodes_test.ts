import assert from "node:assert/strict";
import { getAddress } from "viem";
import { DEVNET_SLASHER } from "../../devnet/preconfer.ts";
import { freeLoopbackPort, readLogTail, startRunnerProcess } from "../../devnet/runner_nodes.ts";

Deno.test("`startRunnerProcess()` runs cli.ts and writes both of its output streams to the log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devnet-runner-test-" });
  try {
    const logPath = `${dir}/node.log`;
    const help = await startRunnerProcess(["--help"], logPath);
    assert.equal(await help.exited, 0);
    assert.match(await readLogTail(logPath), /--preconf\.slasher/);
    const bad = await startRunnerProcess(["--no-such-flag"], `${dir}/bad.log`);
    assert.equal(await bad.exited, 2);
    assert.notEqual(await readLogTail(`${dir}/bad.log`), "");
    await bad.stop();
    assert.equal(await readLogTail(`${dir}/missing.log`), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the devnet slasher is a checksummed address and free ports are loopback ports", () => {
  assert.equal(DEVNET_SLASHER, getAddress(DEVNET_SLASHER));
  const port = freeLoopbackPort();
  assert.ok(port > 0 && port < 65_536);
});
