import assert from "node:assert/strict";
import { createPublicClient, http } from "viem";
import { startDevnet } from "../../devnet/network.ts";
import { buildRunnerFlags, prepareNodeIdentity } from "../../devnet/runner_nodes.ts";
import { preconfWhitelistStandInAbi } from "../../devnet/stand_in_abis.ts";
import { StatusReader } from "../../devnet/status.ts";

function processExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function refuses(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: "POST", body: "{}" });
    await response.body?.cancel();
    return false;
  } catch {
    return true;
  }
}

Deno.test("`startDevnet()` starts L1, contracts, beacon stub and two engines, and `stop()` leaves nothing behind", async () => {
  const devnet = await startDevnet({ engines: 2, l1BlockTimeSeconds: null });
  const { anvil, endpoints } = devnet;
  try {
    assert.equal(endpoints.engines.length, 2);
    for (const engine of endpoints.engines) {
      const l2 = createPublicClient({ transport: http(engine.publicUrl) });
      assert.equal(BigInt(await l2.getChainId()), 167001n);
      assert.equal((await l2.getBlock({ blockNumber: 0n })).timestamp, anvil.genesisTimestamp);
    }
    const genesis = await (await fetch(`${endpoints.beacon}/eth/v1/beacon/genesis`)).json();
    assert.equal(genesis.data.genesis_time, anvil.genesisTimestamp.toString());
    const secret = await Deno.readTextFile(endpoints.jwtSecretPath);
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal((await Deno.stat(endpoints.jwtSecretPath)).mode! & 0o077, 0);
    const operator = await anvil.client.readContract({
      address: endpoints.preconfWhitelist,
      abi: preconfWhitelistStandInAbi,
      functionName: "getOperatorForCurrentEpoch",
    });
    assert.equal(operator, devnet.preconfer.address);
    const status = await new StatusReader({
      l1Url: endpoints.l1Http,
      inbox: endpoints.inbox,
      l2Url: endpoints.engines[0]!.publicUrl,
      runnerRpcUrl: null,
    }).read();
    assert.equal(status.proposals, 0n);
    assert.equal(status.preconfirmedTip, 0n);
    assert.equal(status.peers, null);

    const keyPath = `${devnet.tempDir}/node-0.key`;
    const peerId = await prepareNodeIdentity(keyPath);
    assert.equal(await prepareNodeIdentity(keyPath), peerId, "the identity persists");
    const flags = buildRunnerFlags(endpoints, {
      engineIndex: 1,
      p2pPort: 30303,
      rpcPort: 8550,
      keyPath,
      staticPeers: [`/ip4/127.0.0.1/tcp/30304/p2p/${peerId}`],
    });
    const flag = (name: string) => flags[flags.indexOf(name) + 1];
    assert.equal(flag("--l1.ws"), endpoints.l1Ws);
    assert.equal(flag("--l2.http"), endpoints.engines[1]!.publicUrl);
    assert.equal(flag("--l2.auth"), endpoints.engines[1]!.authUrl);
    assert.equal(flag("--jwt.secret"), endpoints.jwtSecretPath);
    assert.equal(flag("--shasta.inbox"), endpoints.inbox);
    assert.equal(flag("--l1.beacon"), endpoints.beacon);
    assert.equal(flag("--p2p.listen"), "127.0.0.1:30303");
    assert.equal(flag("--preconf.rpc.addr"), "127.0.0.1:8550");
    assert.equal(flag("--p2p.static-peers"), `/ip4/127.0.0.1/tcp/30304/p2p/${peerId}`);
    assert.throws(
      () => buildRunnerFlags(endpoints, { engineIndex: 2, p2pPort: 1, rpcPort: 2, keyPath, staticPeers: [] }),
      RangeError,
    );
  } finally {
    await devnet.stop();
  }
  assert.equal(processExists(anvil.pid), false);
  await assert.rejects(Deno.stat(devnet.tempDir), Deno.errors.NotFound);
  assert.ok(await refuses(endpoints.beacon));
  for (const engine of endpoints.engines) assert.ok(await refuses(engine.authUrl));
  await devnet.stop();
});
