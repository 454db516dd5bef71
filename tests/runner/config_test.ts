import assert from "node:assert/strict";
import {
  DEFAULT_SIGNING_DOMAIN,
  parseMemoryTrimIntervalMs,
  parseSocketAddress,
  validateMetricsServerConfig,
  validateP2pConfig,
  validatePreconfRpcServerConfig,
  validateRunnerConfig,
} from "../../runner/mod.ts";

const SLASHER = "0x00000000000000000000000000000000000000aa";
const PEER = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

function throwsNaming(fn: () => unknown, type: typeof TypeError | typeof RangeError, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

Deno.test("`validateP2pConfig()` fills in the reference's defaults", () => {
  const config = validateP2pConfig({ slasherAddress: SLASHER });
  assert.deepEqual(config, {
    listenAddresses: ["/ip4/0.0.0.0/tcp/9000"],
    bootnodes: [],
    staticPeers: [],
    discoveryEnabled: true,
    slasherAddress: "0x00000000000000000000000000000000000000AA",
    signingDomain: DEFAULT_SIGNING_DOMAIN,
    requestTimeoutMs: 10_000,
  });
  assert.equal("nodeKeyPath" in config, false);
});

Deno.test("`validateP2pConfig()` turns ip:port listen addresses into multiaddrs", () => {
  const config = validateP2pConfig({
    slasherAddress: SLASHER,
    listenAddresses: ["127.0.0.1:0", "[::1]:9001", "/ip4/10.0.0.1/tcp/9000"],
  });
  assert.deepEqual(config.listenAddresses, [
    "/ip4/127.0.0.1/tcp/0",
    "/ip6/::1/tcp/9001",
    "/ip4/10.0.0.1/tcp/9000",
  ]);
});

Deno.test("`validateP2pConfig()` keeps peers, the key path and a checksummed slasher", () => {
  const peer = `/ip4/127.0.0.1/tcp/9000/p2p/${PEER}`;
  const config = validateP2pConfig({
    slasherAddress: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    staticPeers: [peer],
    bootnodes: [`/dns4/boot.example/tcp/9000/p2p/${PEER}`],
    nodeKeyPath: "/var/lib/taiko/p2p.key",
    discoveryEnabled: false,
  });
  assert.equal(config.slasherAddress, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  assert.deepEqual(config.staticPeers, [peer]);
  assert.equal(config.nodeKeyPath, "/var/lib/taiko/p2p.key");
  assert.equal(config.discoveryEnabled, false);
});

Deno.test("`validateP2pConfig()` rejects bad input, naming the field", () => {
  throwsNaming(() => validateP2pConfig({}), TypeError, /p2p\.slasherAddress: a value is required/);
  throwsNaming(() => validateP2pConfig({ slasherAddress: "0x12" }), TypeError, /p2p\.slasherAddress "0x12"/);
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, signingDomain: "0x1234" }),
    TypeError,
    /p2p\.signingDomain "0x1234": expected 32 bytes of hex/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, listenAddresses: ["0.0.0.0:70000"] }),
    RangeError,
    /p2p\.listenAddresses "0\.0\.0\.0:70000": the port must be from 0 to 65535/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, listenAddresses: ["localhost:9000"] }),
    TypeError,
    /must be an IP address/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, listenAddresses: ["/ip4/1.2.3.4/udp/9000"] }),
    TypeError,
    /expected \/ip4\/<ip>\/tcp\/<port>/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, staticPeers: ["/ip4/1.2.3.4/tcp/9000"] }),
    TypeError,
    /p2p\.staticPeers .* must end with \/p2p\/<peer id>/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, bootnodes: ["/ip4/1.2.3.4/tcp/9000/p2p/notapeer"] }),
    TypeError,
    /"notapeer" is not a valid peer id/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, bootnodes: ["enr:-abc"] }),
    TypeError,
    /p2p\.bootnodes "enr:-abc": not a valid multiaddr/,
  );
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: SLASHER, requestTimeoutMs: 0 }),
    RangeError,
    /p2p\.requestTimeoutMs/,
  );
});

Deno.test("`validateP2pConfig()` names fields with the labels it is given", () => {
  throwsNaming(
    () => validateP2pConfig({ slasherAddress: "nope" }, { labels: { slasherAddress: "--preconf.slasher" } }),
    TypeError,
    /^Cannot use --preconf\.slasher "nope"/,
  );
});

Deno.test("`validatePreconfRpcServerConfig()` defaults to 127.0.0.1:8550 and parses host:port", () => {
  assert.deepEqual(validatePreconfRpcServerConfig({}), {
    hostname: "127.0.0.1",
    port: 8550,
    // Lesson R-3: a maximal hex txlist plus 128 KiB, and 64 connections.
    maxBodyBytes: 2 * 2 * 1024 * 1024 + 2 + 128 * 1024,
    maxConnections: 64,
  });
  const config = validatePreconfRpcServerConfig({ address: "[::1]:0" });
  assert.equal(config.hostname, "::1");
  assert.equal(config.port, 0);
  assert.equal(validatePreconfRpcServerConfig({ hostname: "localhost", port: "8551" }).port, 8551);
});

Deno.test("`validatePreconfRpcServerConfig()` rejects bad addresses and ports", () => {
  throwsNaming(
    () => validatePreconfRpcServerConfig({ address: "8550" }),
    TypeError,
    /rpc\.address "8550": expected host:port/,
  );
  throwsNaming(
    () => validatePreconfRpcServerConfig({ address: "127.0.0.1:65536" }),
    RangeError,
    /port must be/,
  );
  throwsNaming(() => validatePreconfRpcServerConfig({ port: -1 }), RangeError, /rpc\.port "-1"/);
  throwsNaming(
    () => validatePreconfRpcServerConfig({ port: "80a" }),
    TypeError,
    /rpc\.port "80a": expected a port/,
  );
  throwsNaming(
    () => validatePreconfRpcServerConfig({ address: "127.0.0.1:1", port: 2 }),
    TypeError,
    /either the address or hostname and port/,
  );
  throwsNaming(() => validatePreconfRpcServerConfig({ maxBodyBytes: 0 }), RangeError, /rpc\.maxBodyBytes/);
});

Deno.test("`validateMetricsServerConfig()` defaults to 0.0.0.0:9090 and checks the port", () => {
  assert.deepEqual(validateMetricsServerConfig({}), { hostname: "0.0.0.0", port: 9090 });
  assert.deepEqual(validateMetricsServerConfig({ hostname: "127.0.0.1", port: "0" }), {
    hostname: "127.0.0.1",
    port: 0,
  });
  throwsNaming(
    () => validateMetricsServerConfig({ port: 70_000 }, { labels: { port: "--metrics.port" } }),
    RangeError,
    /--metrics\.port "70000"/,
  );
  throwsNaming(() => validateMetricsServerConfig({ hostname: "" }), TypeError, /metrics\.hostname/);
});

Deno.test("`parseSocketAddress()` splits host and port, IPv6 in brackets", () => {
  assert.deepEqual(parseSocketAddress("0.0.0.0:9000", "x"), { hostname: "0.0.0.0", port: 9000 });
  assert.deepEqual(parseSocketAddress("[2001:db8::1]:30303", "x"), { hostname: "2001:db8::1", port: 30303 });
  throwsNaming(() => parseSocketAddress("::1:9000", "x"), TypeError, /expected host:port/);
});

Deno.test("`validateRunnerConfig()` checks the stop timeout", () => {
  const p2p = validateP2pConfig({ slasherAddress: SLASHER });
  const driver = {
    l1Ws: "ws://x",
    l2Http: "http://x",
    l2Auth: "http://x",
    jwtSecretPath: "/x",
    inboxAddress: SLASHER,
    l1Beacon: "http://x",
  } as const;
  assert.equal(validateRunnerConfig({ driver, p2p }).p2p, p2p);
  throwsNaming(() => validateRunnerConfig({ driver, p2p, stopTimeoutMs: 0.5 }), RangeError, /stopTimeoutMs/);
  throwsNaming(() => validateRunnerConfig({ p2p } as never), TypeError, /config\.driver is missing/);
  assert.equal(validateRunnerConfig({ driver, p2p, memoryTrimIntervalMs: 0 }).memoryTrimIntervalMs, 0);
  throwsNaming(
    () => validateRunnerConfig({ driver, p2p, memoryTrimIntervalMs: -250 }),
    RangeError,
    /^Cannot use config\.memoryTrimIntervalMs "-250": expected a whole number of milliseconds, 0 to never trim$/,
  );
});

Deno.test("`parseMemoryTrimIntervalMs()` takes whole milliseconds, 0 for never", () => {
  assert.equal(parseMemoryTrimIntervalMs("0", "--memory.trim-interval"), 0);
  assert.equal(parseMemoryTrimIntervalMs(" 1000 ", "--memory.trim-interval"), 1000);
  assert.equal(parseMemoryTrimIntervalMs(250, "x"), 250);
  throwsNaming(
    () => parseMemoryTrimIntervalMs("-1", "--memory.trim-interval"),
    TypeError,
    /--memory\.trim-interval "-1"/,
  );
  throwsNaming(() => parseMemoryTrimIntervalMs("1e3", "--memory.trim-interval"), TypeError, /"1e3"/);
  throwsNaming(() => parseMemoryTrimIntervalMs(2.5, "x"), RangeError, /"2\.5"/);
  throwsNaming(() => parseMemoryTrimIntervalMs("9007199254740993", "x"), RangeError, /"9007199254740993"/);
});
