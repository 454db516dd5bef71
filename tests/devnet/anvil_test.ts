import assert from "node:assert/strict";
import { startAnvil } from "../../devnet/anvil.ts";

function processExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

Deno.test("`startAnvil()` answers eth_chainId and `stop()` leaves no process behind", async () => {
  const anvil = await startAnvil({ chainId: 31338n });
  let pid = -1;
  try {
    pid = anvil.pid;
    assert.ok(processExists(pid));
    assert.equal(anvil.chainId, 31338n);
    assert.equal(BigInt(await anvil.client.getChainId()), 31338n);
    const block = await anvil.client.getBlock({ blockTag: "latest" });
    assert.equal(block.gasLimit, 200_000_000n);
    assert.equal(anvil.genesisTimestamp, (await anvil.client.getBlock({ blockNumber: 0n })).timestamp);
  } finally {
    await anvil.stop();
  }
  assert.equal(processExists(pid), false);
  await anvil.stop();
});

Deno.test("`startAnvil()` uses the configured genesis timestamp and interval mining", async () => {
  await using anvil = await startAnvil({
    genesisTimestamp: 1_700_000_000n,
    blockTimeSeconds: 1,
    warmUpKzg: false,
  });
  assert.equal(anvil.genesisTimestamp, 1_700_000_000n);
  const first = await anvil.client.getBlockNumber();
  let now = first;
  for (let i = 0; i < 60 && now === first; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await anvil.client.getBlockNumber();
  }
  assert.ok(now > first);
});

Deno.test("`startAnvil()` rejects a missing binary without leaving a process", async () => {
  await assert.rejects(startAnvil({ binary: "/nonexistent/anvil" }), /Cannot start anvil/);
});

Deno.test("`startAnvil()` kills a process that exits before listening and reports its output", async () => {
  await assert.rejects(
    startAnvil({ binary: "/bin/sh", warmUpKzg: false }),
    /Cannot start anvil: it exited/,
  );
});
