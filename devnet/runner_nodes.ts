/**
 * Driver nodes of the devnet: the `cli.ts` flag list for one node from the devnet's endpoints, its
 * persistent P2P identity (so a peer can name it as a static peer before it starts), free loopback
 * ports, and the child process `deno run -A cli.ts <flags>`.
 *
 * @module
 */
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { loadOrCreateNodeKey } from "../runner/p2p/identity.ts";
import type { DevnetEndpoints } from "./network.ts";
import { DEVNET_SLASHER } from "./preconfer.ts";

/** How long `stop()` waits for a runner to exit after SIGTERM before SIGKILL. */
export const RUNNER_STOP_GRACE_MS = 10_000;

/** What distinguishes one node from another. */
export interface RunnerNodeSpec {
  /** Which of the devnet's engines this node drives. */
  readonly engineIndex: number;
  readonly p2pPort: number;
  readonly rpcPort: number;
  /** The node's key file (see {@link prepareNodeIdentity}). */
  readonly keyPath: string;
  /** Multiaddrs `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>` of the other nodes. */
  readonly staticPeers: readonly string[];
  /**
   * Log level 0..4.
   * @default 2
   */
  readonly verbosity?: number;
}

/**
 * Builds the command-line flags of `cli.ts` for one devnet node.
 *
 * @param endpoints The devnet's URLs, addresses and JWT secret path.
 * @param node The node's engine, ports, key and peers.
 * @returns The flags, `--name value` pairs.
 * @throws RangeError when the devnet has no engine of that index.
 */
export function buildRunnerFlags(endpoints: DevnetEndpoints, node: RunnerNodeSpec): string[] {
  const engine = endpoints.engines[node.engineIndex];
  if (engine === undefined) {
    throw new RangeError(
      `Cannot build flags for engine ${node.engineIndex}: the devnet runs ${endpoints.engines.length} engine(s)`,
    );
  }
  const flags = [
    "--l1.ws",
    endpoints.l1Ws,
    "--l2.http",
    engine.publicUrl,
    "--l2.auth",
    engine.authUrl,
    "--jwt.secret",
    endpoints.jwtSecretPath,
    "--shasta.inbox",
    endpoints.inbox,
    "--l1.beacon",
    endpoints.beacon,
    "--blob.server",
    endpoints.blobServer,
    "--p2p.listen",
    `127.0.0.1:${node.p2pPort}`,
    "--p2p.disable-discovery",
    "--p2p.key",
    node.keyPath,
    "--preconf.rpc.addr",
    `127.0.0.1:${node.rpcPort}`,
    "--preconf.slasher",
    DEVNET_SLASHER,
    "--verbosity",
    String(node.verbosity ?? 2),
  ];
  if (node.staticPeers.length > 0) flags.push("--p2p.static-peers", node.staticPeers.join(","));
  return flags;
}

/**
 * Creates (or loads) a node key file and returns its peer id.
 *
 * @param keyPath Where the key lives.
 * @returns The peer id in its base58 string form.
 * @throws P2pError when the file cannot be created or read.
 */
export async function prepareNodeIdentity(keyPath: string): Promise<string> {
  return peerIdFromPrivateKey(await loadOrCreateNodeKey(keyPath)).toString();
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the OS picked it; a race with another process
 * is possible but rare).
 *
 * @returns The port number.
 */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** How many trailing lines of a node's log {@link readLogTail} returns. */
export const LOG_TAIL_LINES = 30;

/**
 * The last lines of a node's log, for a failure report (the log dies with the devnet's temp dir).
 *
 * @param logPath The node's log file.
 * @returns Up to {@link LOG_TAIL_LINES} lines, or an empty string when the file cannot be read.
 */
export async function readLogTail(logPath: string): Promise<string> {
  try {
    return (await Deno.readTextFile(logPath)).trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
  } catch {
    return "";
  }
}

/** A running `cli.ts` child. */
export interface RunnerProcess {
  readonly pid: number;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number>;
  /** SIGTERM, then SIGKILL after {@link RUNNER_STOP_GRACE_MS}; resolves once it exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs `deno run -A cli.ts <flags>` with its output appended to `logPath`.
 *
 * @param flags The node's flags (see {@link buildRunnerFlags}).
 * @param logPath File that receives stdout and stderr.
 * @returns The child.
 * @throws Error when the process cannot be spawned.
 */
export async function startRunnerProcess(flags: readonly string[], logPath: string): Promise<RunnerProcess> {
  const cli = new URL("../cli.ts", import.meta.url).pathname;
  // One append handle per stream: a writable stream takes one pipe at a time.
  const stdoutLog = await Deno.open(logPath, { create: true, append: true });
  const stderrLog = await Deno.open(logPath, { create: true, append: true });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...flags],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const drained = Promise.allSettled([
    copyToFile(child.stdout, stdoutLog),
    copyToFile(child.stderr, stderrLog),
  ]);
  const exited = child.status.then(async (status) => {
    await drained;
    return status.code;
  });
  const onUnload = (): void => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  };
  globalThis.addEventListener("unload", onUnload);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) =>
        timer = setTimeout(() => resolve("late"), RUNNER_STOP_GRACE_MS)
      );
      if (await Promise.race([exited, late]) === "late") {
        try {
          child.kill("SIGKILL");
        } catch {
          // Exited meanwhile.
        }
      }
      clearTimeout(timer);
      await exited;
      globalThis.removeEventListener("unload", onUnload);
    })();
  return { pid: child.pid, exited, stop };
}

/**
 * Copies a child's output into a log file chunk by chunk. `pipeTo(file.writable)` is not used because
 * under Deno 2.9 it held a long-running child's output back until the child exited, so the log stayed
 * empty while the node ran.
 */
async function copyToFile(output: ReadableStream<Uint8Array>, file: Deno.FsFile): Promise<void> {
  try {
    for await (const chunk of output) {
      let written = 0;
      while (written < chunk.length) written += await file.write(chunk.subarray(written));
    }
  } finally {
    file.close();
  }
}
