import assert from "node:assert/strict";
import { EXIT_OK, EXIT_USAGE, main, RUNNER_EXIT_CODES, usage } from "../cli.ts";
import { createRunnerDoubles } from "./helpers/runner_doubles.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const SECRET_HEX = "ab".repeat(32);

/** Runs `deno run -A cli.ts ...args` with only `env` (plus what Deno needs) in its environment. */
async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const inherited: Record<string, string> = {};
  for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) inherited[name] = value;
  }
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    clearEnv: true,
    env: { ...inherited, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** A temp dir with a valid JWT secret file; removed afterwards. */
async function withJwtDir(body: (dir: string, jwt: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
  try {
    const jwt = `${dir}/jwt.hex`;
    await Deno.writeTextFile(jwt, `${SECRET_HEX}\n`);
    await body(dir, jwt);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every required flag with a valid value; nothing listens at these endpoints. */
function validFlags(jwt: string): Record<string, string> {
  return {
    "--l1.ws": "ws://127.0.0.1:1",
    "--l2.http": "http://127.0.0.1:1",
    "--l2.auth": "http://127.0.0.1:1",
    "--jwt.secret": jwt,
    "--shasta.inbox": "0x0000000000000000000000000000000000000001",
    "--l1.beacon": "http://127.0.0.1:1",
    "--preconf.slasher": "0x00000000000000000000000000000000000000aa",
  };
}

function argv(flags: Record<string, string | undefined>): string[] {
  return Object.entries(flags).flatMap(([name, value]) => value === undefined ? [] : [name, value]);
}

/** Asserts one line on stderr that matches `pattern`, and exit code 2. */
async function assertUsageError(
  args: string[],
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<void> {
  const { code, stderr, stdout } = await runCli(args, env);
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0] ?? "", pattern);
  assert.equal(code, EXIT_USAGE);
  assert.equal(stdout, "");
}

Deno.test("`cli.ts --help` lists every flag with its environment variable and default", async () => {
  const { code, stdout } = await runCli(["--help"]);
  assert.equal(code, 0);
  for (
    const [flag, env] of [
      ["--l1.ws", "L1_WS"],
      ["--l2.http", "L2_HTTP"],
      ["--l2.auth", "L2_AUTH"],
      ["--jwt.secret", "JWT_SECRET"],
      ["--shasta.inbox", "SHASTA_INBOX"],
      ["--l1.beacon", "L1_BEACON"],
      ["--blob.server", "BLOB_SERVER"],
      ["--p2p.listen", "P2P_LISTEN"],
      ["--p2p.bootnodes", "P2P_BOOTNODES"],
      ["--p2p.static-peers", "P2P_STATIC_PEERS"],
      ["--p2p.disable-discovery", "P2P_DISABLE_DISCOVERY"],
      ["--p2p.key", "P2P_KEY"],
      ["--preconf.rpc.addr", "PRECONF_RPC_ADDR"],
      ["--preconf.slasher", "PRECONF_SLASHER"],
      ["--preconf.signing-domain", "PRECONF_SIGNING_DOMAIN"],
      ["--verbosity", "VERBOSITY"],
      ["--metrics.enabled", "METRICS_ENABLED"],
      ["--metrics.addr", "METRICS_ADDR"],
      ["--metrics.port", "METRICS_PORT"],
    ] as const
  ) {
    assert.match(stdout, new RegExp(`^  ${flag.replaceAll(".", "\\.")}\\b.*\\[env: ${env}\\]`, "m"), flag);
  }
  assert.match(stdout, /--p2p\.listen <ADDR>.*\[default: 0\.0\.0\.0:9000\]/);
  assert.match(stdout, /--metrics\.port <PORT>.*\[default: 9090\]/);
  assert.match(stdout, /--verbosity <N>.*\[default: 2\]/);
});

Deno.test("`cli.ts` names a missing required flag and its environment variable, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--l2.auth": undefined }),
      /^error: Cannot start without --l2\.auth: set the flag or the L2_AUTH environment variable$/,
    );
  });
});

Deno.test("`cli.ts` rejects a malformed URL, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--l2.http": "http//127.0.0.1:8545" }),
      /^error: Cannot use --l2\.http "http\/\/127\.0\.0\.1:8545": not a valid URL$/,
    );
  });
});

Deno.test("`cli.ts` rejects an L1 URL that is not ws or wss, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--l1.ws": "http://127.0.0.1:8545" }),
      /^error: Cannot use --l1\.ws "http:\/\/127\.0\.0\.1:8545": expected a ws:\/\/ or wss:\/\/ URL, got http:\/\/$/,
    );
  });
});

Deno.test("`cli.ts` rejects a malformed address, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--shasta.inbox": "0xnotanaddress" }),
      /^error: Cannot use --shasta\.inbox "0xnotanaddress": expected a 20-byte hex address/,
    );
    await assertUsageError(
      argv({ ...validFlags(jwt), "--preconf.slasher": "0x1234" }),
      /^error: Cannot use --preconf\.slasher "0x1234": expected a 20-byte hex address/,
    );
  });
});

Deno.test("`cli.ts` rejects an unreadable JWT file, exit code 2", async () => {
  await withJwtDir(async (dir) => {
    await assertUsageError(
      argv(validFlags(`${dir}/missing.hex`)),
      /^error: Cannot use --jwt\.secret ".*\/missing\.hex": the file cannot be read \(NotFound\), check the path$/,
    );
  });
});

Deno.test("`cli.ts` rejects a JWT secret that is not 32 bytes of hex, exit code 2", async () => {
  await withJwtDir(async (dir) => {
    const short = `${dir}/short.hex`;
    await Deno.writeTextFile(short, "ab".repeat(31));
    await assertUsageError(
      argv(validFlags(short)),
      /^error: Cannot use --jwt\.secret ".*\/short\.hex": the file does not hold 32 bytes of hex/,
    );
  });
});

Deno.test("`cli.ts` rejects a bad multiaddr, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--p2p.static-peers": "/ip4/127.0.0.1/tcp/notaport" }),
      /^error: Cannot use --p2p\.static-peers "\/ip4\/127\.0\.0\.1\/tcp\/notaport": not a valid multiaddr/,
    );
    await assertUsageError(
      argv({ ...validFlags(jwt), "--p2p.bootnodes": "/ip4/127.0.0.1/tcp/9000" }),
      /^error: Cannot use --p2p\.bootnodes "\/ip4\/127\.0\.0\.1\/tcp\/9000": the multiaddr must end with \/p2p\/<peer id>$/,
    );
  });
});

Deno.test("`cli.ts` rejects a port out of range, exit code 2", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--p2p.listen": "0.0.0.0:65536" }),
      /^error: Cannot use --p2p\.listen "0\.0\.0\.0:65536": the port must be from 0 to 65535$/,
    );
    await assertUsageError(
      argv({ ...validFlags(jwt), "--preconf.rpc.addr": "127.0.0.1:70000" }),
      /^error: Cannot use --preconf\.rpc\.addr "127\.0\.0\.1:70000": the port must be from 0 to 65535$/,
    );
    await assertUsageError(
      argv({ ...validFlags(jwt), "--metrics.port": "99999" }),
      /^error: Cannot use --metrics\.port "99999": the port must be from 0 to 65535$/,
    );
  });
});

Deno.test("`cli.ts` names the environment variable when a bad value came from it", async () => {
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--l1.ws": undefined }),
      /^error: Cannot use L1_WS \(--l1\.ws\) "https:\/\/l1\.example\/": expected a ws:\/\/ or wss:\/\/ URL/,
      { L1_WS: "https://user:secret@l1.example/?key=abc" },
    );
    await assertUsageError(
      argv(validFlags(jwt)),
      /^error: Cannot use METRICS_ENABLED \(--metrics\.enabled\) "yes": expected true, false, 1 or 0$/,
      { METRICS_ENABLED: "yes" },
    );
  });
});

Deno.test("`cli.ts` rejects an unknown flag, a bad verbosity and a bad trim interval, exit code 2", async () => {
  await assertUsageError(
    ["--l1.wss", "ws://x"],
    /^error: Cannot parse the command line: .*--l1\.wss.*, see --help$/,
  );
  await withJwtDir(async (_dir, jwt) => {
    await assertUsageError(
      argv({ ...validFlags(jwt), "--verbosity": "loud" }),
      /^error: Cannot use --verbosity "loud": expected a whole number/,
    );
    await assertUsageError(
      argv({ ...validFlags(jwt), "--memory.trim-interval": "often" }),
      /^error: Cannot use --memory\.trim-interval "often": expected a whole number of milliseconds, 0 to never trim$/,
    );
  });
});

Deno.test("`cli.ts` exits with the runner error's code when the driver cannot start", async () => {
  await withJwtDir(async (_dir, jwt) => {
    const { code, stderr } = await runCli([...argv(validFlags(jwt)), "--verbosity", "0"]);
    assert.equal(code, RUNNER_EXIT_CODES.Driver, stderr);
    assert.match(stderr, /^error: Cannot \S+ the driver client/m);
  });
});

Deno.test("`RUNNER_EXIT_CODES` gives every runner error kind its own code, apart from 0, 1 and 2", () => {
  const codes = Object.values(RUNNER_EXIT_CODES);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.ok(code > 2 && code < 126, `code ${code}`);
  for (const [kind, code] of Object.entries(RUNNER_EXIT_CODES)) {
    assert.match(usage(), new RegExp(`${code} ${kind}`));
  }
});

/** Runs `main()` in this process with doubles, capturing what it prints to stderr. */
async function runMain(
  args: string[],
  options: Parameters<typeof main>[1],
): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...data: unknown[]) => void lines.push(data.map(String).join(" "));
  try {
    const code = await main(args, { env: {}, ...options });
    return { code, stderr: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

Deno.test("`main()` maps each runner error to its exit code and prints the cause", async () => {
  await withJwtDir(async (_dir, jwt) => {
    const doubles = createRunnerDoubles();
    doubles.failures.client = new Error("connection refused");
    const failed = await runMain([...argv(validFlags(jwt)), "--verbosity", "0"], { parts: doubles.parts });
    assert.equal(failed.code, RUNNER_EXIT_CODES.Driver);
    assert.match(
      failed.stderr,
      /^error: Cannot connect the driver client\n {2}caused by: connection refused$/m,
    );

    const exited = createRunnerDoubles();
    const run = runMain([...argv(validFlags(jwt)), "--verbosity", "0"], { parts: exited.parts });
    exited.syncer.exit();
    assert.equal((await run).code, RUNNER_EXIT_CODES.EventSyncerExited);
  });
});

Deno.test("`main()` returns 0 after a clean stop on its signal, with every part stopped", async () => {
  await withJwtDir(async (_dir, jwt) => {
    const doubles = createRunnerDoubles();
    const controller = new AbortController();
    const run = runMain([...argv(validFlags(jwt)), "--verbosity", "0", "--preconf.rpc.addr", "127.0.0.1:0"], {
      parts: doubles.parts,
      signal: controller.signal,
    });
    doubles.syncer.ready();
    await doubles.node.running.promise;
    assert.deepEqual(doubles.received.rpcConfig?.port, 0);
    controller.abort();
    assert.equal((await run).code, EXIT_OK);
    assert.equal(doubles.rpc.stopped, true);
    assert.equal(doubles.node.stopped, true);
    assert.equal(doubles.client.closed, true);
  });
});

Deno.test("`main()` passes flag values into the runner configuration", async () => {
  await withJwtDir(async (dir, jwt) => {
    const doubles = createRunnerDoubles();
    const controller = new AbortController();
    const peer = "/ip4/127.0.0.1/tcp/9000/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";
    const run = runMain([
      ...argv(validFlags(jwt)),
      ...["--verbosity", "0", "--p2p.listen", "127.0.0.1:0", "--p2p.static-peers", `${peer}, ${peer}`],
      ...["--p2p.disable-discovery", "--p2p.key", `${dir}/node.key`, "--blob.server", "http://127.0.0.1:2"],
      ...["--memory.trim-interval", "1000"],
    ], {
      parts: doubles.parts,
      signal: controller.signal,
      env: { PRECONF_SIGNING_DOMAIN: `0x${"11".repeat(32)}` },
    });
    doubles.syncer.ready();
    await doubles.node.running.promise;
    controller.abort();
    assert.equal((await run).code, EXIT_OK);
    assert.equal(doubles.received.driverConfig?.blobServer, "http://127.0.0.1:2");
    assert.equal(doubles.received.nodeConfig?.rpc, undefined);
    assert.equal(doubles.received.nodeConfig?.metrics, undefined);
    assert.equal(doubles.received.nodeConfig?.memoryTrimIntervalMs, 1000);
    assert.deepEqual(doubles.received.nodeConfig?.p2p, {
      listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
      bootnodes: [],
      staticPeers: [peer, peer],
      discoveryEnabled: false,
      nodeKeyPath: `${dir}/node.key`,
      slasherAddress: "0x00000000000000000000000000000000000000AA",
      signingDomain: `0x${"11".repeat(32)}`,
      requestTimeoutMs: 10_000,
    });
  });
});
