/**
 * `deno task devnet`: starts a whole local Taiko network (anvil L1, the Inbox/LookaheadStore/
 * PreconfWhitelist stand-ins, the beacon stub, L2 engine simulators, the demo proposer and preconfer,
 * and one driver node per engine through `cli.ts` unless `--no-runner`), prints the endpoints, then one
 * live status line. Ctrl-C stops everything.
 *
 * ```sh
 * deno task devnet [--nodes N] [--no-runner] [--blocks N [--timeout SECONDS]] [--block-time SECONDS]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConfirmingProposer, DEFAULT_PROPOSE_INTERVAL_MS } from "./confirming_proposer.ts";
import { type Devnet, DEVNET_L1_BLOCK_TIME_SECONDS, startDevnet } from "./network.ts";
import { PreconfBlockPlanner, PreconfPublisher } from "./preconf_publisher.ts";
import { createPreconfRpcClient } from "./preconf_rpc_client.ts";
import {
  buildRunnerFlags,
  freeLoopbackPort,
  prepareNodeIdentity,
  readLogTail,
  type RunnerProcess,
  startRunnerProcess,
} from "./runner_nodes.ts";
import { type DevnetStatus, formatDevnetStatus, StatusReader } from "./status.ts";

/** How often the status line refreshes. */
export const STATUS_INTERVAL_MS = 1_000;
/** When not on a terminal, an unchanged status is still printed this often. */
export const STATUS_REPEAT_MS = 15_000;
/** How often the demo preconfer publishes a block to the first driver node. */
export const PUBLISH_INTERVAL_MS = 2_000;
/** Default deadline of `--blocks`. */
export const DEFAULT_BLOCKS_TIMEOUT_SECONDS = 300;

const USAGE = `Usage: deno task devnet [options]

  --nodes N            L2 engines, each with its driver node (deno run -A cli.ts <flags>), default 1
  --no-runner          start the network without driver nodes
  --blocks N           exit 0 once N preconfirmed blocks are confirmed by L1 proposals
  --timeout SECONDS    give up on --blocks after this long (exit 1), default ${DEFAULT_BLOCKS_TIMEOUT_SECONDS}
  --block-time SECONDS L1 block time, default ${DEVNET_L1_BLOCK_TIME_SECONDS}
  --help               print this text`;

/** The parsed command line. */
export interface DevnetArgs {
  readonly nodes: number;
  readonly runner: boolean;
  readonly blocks: number | null;
  readonly timeoutSeconds: number;
  readonly blockTimeSeconds: number;
  readonly help: boolean;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new RangeError(`Invalid --${flag} "${value}": expected a positive integer`);
  }
  return parsed;
}

/**
 * Parses the devnet's flags.
 *
 * @param args The command-line arguments.
 * @returns The options.
 * @throws TypeError for an unknown flag; RangeError for a bad value.
 */
export function parseDevnetArgs(args: readonly string[]): DevnetArgs {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      nodes: { type: "string" },
      "no-runner": { type: "boolean" },
      blocks: { type: "string" },
      timeout: { type: "string" },
      "block-time": { type: "string" },
      help: { type: "boolean" },
    },
  });
  return {
    nodes: positiveInteger("nodes", values.nodes, 1),
    runner: !(values["no-runner"] ?? false),
    blocks: values.blocks === undefined ? null : positiveInteger("blocks", values.blocks, 1),
    timeoutSeconds: positiveInteger("timeout", values.timeout, DEFAULT_BLOCKS_TIMEOUT_SECONDS),
    blockTimeSeconds: positiveInteger("block-time", values["block-time"], DEVNET_L1_BLOCK_TIME_SECONDS),
    help: values.help ?? false,
  };
}

interface DriverNode {
  readonly process: RunnerProcess;
  readonly rpcUrl: string;
  readonly p2pAddress: string;
  readonly logPath: string;
}

async function startDriverNodes(devnet: Devnet): Promise<DriverNode[]> {
  const specs = await Promise.all(devnet.engines.map(async (_, index) => {
    const keyPath = `${devnet.tempDir}/node-${index}.key`;
    const peerId = await prepareNodeIdentity(keyPath);
    const p2pPort = freeLoopbackPort();
    return {
      index,
      keyPath,
      p2pPort,
      rpcPort: freeLoopbackPort(),
      address: `/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${peerId}`,
    };
  }));
  const nodes: DriverNode[] = [];
  for (const spec of specs) {
    const flags = buildRunnerFlags(devnet.endpoints, {
      engineIndex: spec.index,
      p2pPort: spec.p2pPort,
      rpcPort: spec.rpcPort,
      keyPath: spec.keyPath,
      staticPeers: specs.filter((other) => other.index !== spec.index).map((other) => other.address),
    });
    const logPath = `${devnet.tempDir}/node-${spec.index}.log`;
    nodes.push({
      process: await startRunnerProcess(flags, logPath),
      rpcUrl: `http://127.0.0.1:${spec.rpcPort}`,
      p2pAddress: spec.address,
      logPath,
    });
  }
  return nodes;
}

function printEndpoints(devnet: Devnet, nodes: readonly DriverNode[], startedMs: number): void {
  const e = devnet.endpoints;
  const lines = [
    `L1 (anvil)          ${e.l1Http}  ${e.l1Ws}  chain ${devnet.anvil.chainId}`,
    `Beacon stub         ${e.beacon}  (blob server ${e.blobServer}/blobs/{versionedHash})`,
    `Shasta Inbox        ${e.inbox}`,
    `LookaheadStore      ${e.lookaheadStore}`,
    `PreconfWhitelist    ${e.preconfWhitelist}  (operator ${devnet.preconfer.address})`,
    `JWT secret          ${e.jwtSecretPath}`,
    ...e.engines.map((engine, i) =>
      `L2 engine ${i}          ${engine.publicUrl}  auth ${engine.authUrl}  chain ${devnet.l2ChainId}`
    ),
    ...nodes.map((node, i) =>
      `Driver node ${i}       rpc ${node.rpcUrl}  p2p ${node.p2pAddress}  log ${node.logPath}`
    ),
    `Started in ${(startedMs / 1000).toFixed(1)} s. Ctrl-C stops the devnet.`,
  ];
  console.log(lines.join("\n"));
}

/** Prints the status line: rewritten in place on a terminal, as plain lines (on change) otherwise. */
class StatusLine {
  readonly #tty = Deno.stdout.isTerminal();
  readonly #encoder = new TextEncoder();
  #last = "";
  #lastAt = 0;

  show(status: DevnetStatus): void {
    const line = formatDevnetStatus(status);
    if (this.#tty) {
      Deno.stdout.writeSync(this.#encoder.encode(`\r\x1b[2K${line}`));
    } else if (line !== this.#last || Date.now() - this.#lastAt >= STATUS_REPEAT_MS) {
      console.log(line);
      this.#lastAt = Date.now();
    }
    this.#last = line;
  }

  end(): void {
    if (this.#tty && this.#last !== "") Deno.stdout.writeSync(this.#encoder.encode("\n"));
  }
}

/** Publishes a block every {@link PUBLISH_INTERVAL_MS} until the signal aborts; keeps the last failure. */
async function publishLoop(
  publisher: PreconfPublisher,
  signal: AbortSignal,
  failures: { last: string | null },
): Promise<void> {
  while (!signal.aborted) {
    try {
      await publisher.publishNext();
      failures.last = null;
    } catch (error) {
      failures.last = error instanceof Error ? error.message : String(error);
    }
    await waitOrAbort(PUBLISH_INTERVAL_MS, signal);
  }
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs the devnet until Ctrl-C (or, with `--blocks`, until the goal or the deadline).
 *
 * @param args The command-line arguments.
 * @returns The exit code: 0 on a clean stop or a reached goal, 1 on failure, 2 on bad flags.
 */
export async function main(args: readonly string[]): Promise<number> {
  let options: DevnetArgs;
  try {
    options = parseDevnetArgs(args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const started = performance.now();
  let devnet: Devnet | null = null;
  let proposer: ConfirmingProposer | null = null;
  let nodes: DriverNode[] = [];
  let publishing: Promise<void> = Promise.resolve();
  const publishFailure: { last: string | null } = { last: null };
  const statusLine = new StatusLine();
  let code = 0;
  try {
    devnet = await startDevnet({ engines: options.nodes, l1BlockTimeSeconds: options.blockTimeSeconds });
    if (options.runner) nodes = await startDriverNodes(devnet);
    const firstEngine = devnet.engines[0];
    if (firstEngine !== undefined) {
      proposer = new ConfirmingProposer(
        { proposer: devnet.proposerDeps, l2Url: firstEngine.publicUrl },
        { intervalMs: DEFAULT_PROPOSE_INTERVAL_MS },
      );
      proposer.start();
    }
    const firstNode = nodes[0];
    if (firstEngine !== undefined && firstNode !== undefined) {
      const publisher = new PreconfPublisher({
        planner: new PreconfBlockPlanner({
          l1Url: devnet.endpoints.l1Http,
          inbox: devnet.endpoints.inbox,
          l2Url: firstEngine.publicUrl,
          beaconGenesisTimestamp: devnet.anvil.genesisTimestamp,
        }),
        preconfer: devnet.preconfer,
        rpc: createPreconfRpcClient(firstNode.rpcUrl),
      });
      publishing = publishLoop(publisher, stop.signal, publishFailure);
    }
    printEndpoints(devnet, nodes, performance.now() - started);
    const reader = new StatusReader({
      l1Url: devnet.endpoints.l1Http,
      inbox: devnet.endpoints.inbox,
      l2Url: firstEngine?.publicUrl ?? null,
      runnerRpcUrl: nodes[0]?.rpcUrl ?? null,
    });
    let exitedNode: { index: number; code: number } | null = null;
    nodes.forEach((node, index) => {
      node.process.exited.then((exitCode) => {
        exitedNode ??= { index, code: exitCode };
        stop.abort();
      });
    });
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    while (!stop.signal.aborted) {
      const status = await reader.read();
      statusLine.show(status);
      if (options.blocks !== null) {
        const goal = BigInt(options.blocks);
        if ((status.confirmedTip ?? 0n) >= goal && (status.preconfirmedTip ?? 0n) >= goal) break;
        if (Date.now() > deadline) {
          statusLine.end();
          const why = nodes.length === 0
            ? "no driver node runs (drop --no-runner)"
            : `preconfirmed tip ${status.preconfirmedTip ?? "-"}, confirmed tip ${
              status.confirmedTip ?? "-"
            }`;
          console.error(`Cannot confirm ${goal} blocks within ${options.timeoutSeconds} s: ${why}`);
          code = 1;
          break;
        }
      }
      await waitOrAbort(STATUS_INTERVAL_MS, stop.signal);
    }
    statusLine.end();
    const exited = exitedNode as { index: number; code: number } | null;
    if (exited !== null) {
      const logPath = nodes[exited.index]?.logPath ?? "";
      console.error(`Driver node ${exited.index} exited with code ${exited.code}; the end of its log:`);
      console.error(await readLogTail(logPath));
      code = 1;
    }
  } catch (error) {
    statusLine.end();
    console.error(`Cannot run the devnet: ${error instanceof Error ? error.message : error}`);
    code = 1;
  } finally {
    const stopping = performance.now();
    stop.abort();
    await publishing;
    await proposer?.stop();
    await Promise.all(nodes.map((node) => node.process.stop()));
    await devnet?.stop();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    if (devnet !== null) console.log(`Stopped in ${Math.round(performance.now() - stopping)} ms.`);
  }
  return code;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
