/**
 * The command line of the preconfirmation driver: flags (each with an environment variable
 * fallback) become the runner's configuration through the same `validate*Config` functions library
 * users call, then the runner runs until it stops. Why it stopped decides the exit code.
 *
 * ```sh
 * deno run -A cli.ts --help
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  configure,
  getAnsiColorFormatter,
  getConsoleSink,
  getTextFormatter,
  type LogLevel,
  reset,
} from "@logtape/logtape";
import {
  DEFAULT_METRICS_HOSTNAME,
  DEFAULT_METRICS_PORT,
  DEFAULT_SIGNING_DOMAIN,
  MEMORY_TRIM_INTERVAL_MS,
  parseMemoryTrimIntervalMs,
  type RunnerConfig,
  RunnerError,
  type RunnerErrorKind,
  type RunnerParts,
  runPreconfirmationDriver,
  validateDriverConfig,
  validateMetricsServerConfig,
  validateP2pConfig,
  validatePreconfRpcServerConfig,
} from "./mod.ts";

/** Exit code of a run that stopped cleanly (after SIGINT/SIGTERM, or `--help`). */
export const EXIT_OK = 0;
/** Exit code of a failure that is not a {@linkcode RunnerError}: a bug, please report it. */
export const EXIT_UNEXPECTED = 1;
/** Exit code of bad flags or environment variables. */
export const EXIT_USAGE = 2;

/**
 * The exit code for each reason the runner stops, one per kind so scripts and supervisors can
 * tell them apart without reading messages.
 */
export const RUNNER_EXIT_CODES: Readonly<Record<RunnerErrorKind, number>> = {
  PreconfIngressNotEnabled: 10,
  EventSyncerExited: 11,
  EventSyncerFailed: 12,
  NodeTaskFailed: 13,
  MissingL2LatestHead: 14,
  L2LatestHeadQuery: 15,
  Sync: 16,
  Driver: 17,
  Rpc: 18,
  Preconfirmation: 19,
};

/** One command-line flag. */
interface Flag {
  readonly env: string;
  readonly type: "string" | "boolean";
  readonly value?: string;
  readonly default?: string;
  readonly required?: boolean;
  readonly help: string;
}

/** Every flag, in the order `--help` lists them. Names and env vars follow the Rust reference. */
const FLAGS = {
  "l1.ws": {
    env: "L1_WS",
    type: "string",
    value: "URL",
    required: true,
    help: "WebSocket JSON-RPC endpoint of an L1 node (ws:// or wss://)",
  },
  "l2.http": {
    env: "L2_HTTP",
    type: "string",
    value: "URL",
    required: true,
    help: "HTTP JSON-RPC endpoint of the L2 execution engine",
  },
  "l2.auth": {
    env: "L2_AUTH",
    type: "string",
    value: "URL",
    required: true,
    help: "Authenticated engine API endpoint of the L2 execution engine",
  },
  "jwt.secret": {
    env: "JWT_SECRET",
    type: "string",
    value: "PATH",
    required: true,
    help: "File holding the engine API's 32-byte JWT secret in hex",
  },
  "shasta.inbox": {
    env: "SHASTA_INBOX",
    type: "string",
    value: "ADDRESS",
    required: true,
    help: "Shasta Inbox contract address on L1",
  },
  "l1.beacon": {
    env: "L1_BEACON",
    type: "string",
    value: "URL",
    required: true,
    help: "HTTP endpoint of the L1 beacon node (blob sidecars)",
  },
  "blob.server": {
    env: "BLOB_SERVER",
    type: "string",
    value: "URL",
    help: "Blob server asked when the beacon node no longer has a blob",
  },
  "p2p.listen": {
    env: "P2P_LISTEN",
    type: "string",
    value: "ADDR",
    default: "0.0.0.0:9000",
    help: "TCP address(es) the P2P node listens on: ip:port or /ip4/<ip>/tcp/<port>, comma separated",
  },
  "p2p.bootnodes": {
    env: "P2P_BOOTNODES",
    type: "string",
    value: "MULTIADDRS",
    help: "Comma-separated multiaddrs ending in /p2p/<peer id> to discover peers through",
  },
  "p2p.static-peers": {
    env: "P2P_STATIC_PEERS",
    type: "string",
    value: "MULTIADDRS",
    help: "Comma-separated multiaddrs ending in /p2p/<peer id> to dial at start and keep connected",
  },
  "p2p.disable-discovery": {
    env: "P2P_DISABLE_DISCOVERY",
    type: "boolean",
    default: "false",
    help: "Connect to the static peers only",
  },
  "p2p.key": {
    env: "P2P_KEY",
    type: "string",
    value: "PATH",
    help: "File holding the node's private key, created on first start (unset: a new peer id every start)",
  },
  "preconf.rpc.addr": {
    env: "PRECONF_RPC_ADDR",
    type: "string",
    value: "HOST:PORT",
    help: "Serve the preconfirmation JSON-RPC API here, e.g. 127.0.0.1:8550 (unset: no server)",
  },
  "preconf.slasher": {
    env: "PRECONF_SLASHER",
    type: "string",
    value: "ADDRESS",
    required: true,
    help: "Slasher address every commitment must name",
  },
  "preconf.signing-domain": {
    env: "PRECONF_SIGNING_DOMAIN",
    type: "string",
    value: "HEX",
    default: DEFAULT_SIGNING_DOMAIN,
    help: "32-byte domain of commitment signatures; the same on every node of a network",
  },
  "verbosity": {
    env: "VERBOSITY",
    type: "string",
    value: "N",
    default: "2",
    help: "Lowest log level: 0 = error, 1 = warn, 2 = info, 3 = debug, 4 = trace",
  },
  "memory.trim-interval": {
    env: "MEMORY_TRIM_INTERVAL",
    type: "string",
    value: "MS",
    default: String(MEMORY_TRIM_INTERVAL_MS),
    help: "Hand free heap pages back to the system every MS milliseconds (glibc malloc_trim; 0: never)",
  },
  "metrics.enabled": {
    env: "METRICS_ENABLED",
    type: "boolean",
    default: "false",
    help: "Serve Prometheus metrics at http://<metrics.addr>:<metrics.port>/metrics",
  },
  "metrics.addr": {
    env: "METRICS_ADDR",
    type: "string",
    value: "HOST",
    default: DEFAULT_METRICS_HOSTNAME,
    help: "Interface the metrics endpoint binds",
  },
  "metrics.port": {
    env: "METRICS_PORT",
    type: "string",
    value: "PORT",
    default: String(DEFAULT_METRICS_PORT),
    help: "Port of the metrics endpoint",
  },
} as const satisfies Record<string, Flag>;

type FlagName = keyof typeof FLAGS;

/** The levels `--verbosity` 0, 1, 2, 3 and 4 (or more) select. */
const VERBOSITY_LEVELS: readonly LogLevel[] = ["error", "warning", "info", "debug", "trace"];

/**
 * The `--help` text: every flag with its environment variable and default.
 *
 * @returns The text.
 */
export function usage(): string {
  const rows = Object.entries(FLAGS).map(([name, flag]: [string, Flag]) => {
    const left = `--${name}${flag.value === undefined ? "" : ` <${flag.value}>`}`;
    const notes = [`env: ${flag.env}`];
    if (flag.required === true) notes.push("required");
    if (flag.default !== undefined) notes.push(`default: ${flag.default}`);
    return `  ${left}  [${notes.join("] [")}]\n      ${flag.help}`;
  });
  return [
    "Taiko preconfirmation driver: follows the Shasta Inbox on L1 and preconfirmations on P2P,",
    "and drives an L2 execution engine.",
    "",
    "Usage: deno run -A cli.ts [OPTIONS]",
    "",
    "Options (a flag wins over its environment variable):",
    ...rows,
    "  -h, --help\n      Print this help",
    "",
    "Exit codes: 0 stopped cleanly, 1 unexpected failure, 2 bad flags or environment, and when the",
    "driver stops on an error: " +
    Object.entries(RUNNER_EXIT_CODES).map(([kind, code]) => `${code} ${kind}`).join(", "),
  ].join("\n");
}

/** Options of {@linkcode main}. */
export interface MainOptions {
  /**
   * Where flags fall back to.
   * @default {Deno.env.toObject()}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Aborting it stops the driver cleanly (the entry point wires SIGINT and SIGTERM to it).
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
  /**
   * The parts the runner orchestrates.
   * @default {undefined} the production parts
   */
  readonly parts?: RunnerParts;
}

/**
 * Parses the flags, runs the driver and returns the exit code; prints errors to stderr, `--help`
 * to stdout.
 *
 * @param args The command-line arguments (without the program).
 * @param options Environment, stop signal and parts.
 * @returns The exit code: {@linkcode EXIT_OK}, {@linkcode EXIT_USAGE}, {@linkcode EXIT_UNEXPECTED}
 *   or one of {@linkcode RUNNER_EXIT_CODES}.
 */
export async function main(args: readonly string[], options: MainOptions = {}): Promise<number> {
  let config: RunnerConfig;
  let verbosity: number;
  try {
    const values = readFlags(args, options.env ?? Deno.env.toObject());
    if (values === "help") {
      console.log(usage());
      return EXIT_OK;
    }
    ({ config, verbosity } = buildConfig(values));
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) {
      console.error(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  await configureLogging(verbosity);
  try {
    await runPreconfirmationDriver(
      config,
      options.signal,
      options.parts === undefined ? {} : { parts: options.parts },
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof RunnerError) {
      console.error(`error: ${error.message}${describeCauses(error.cause)}`);
      return RUNNER_EXIT_CODES[error.kind];
    }
    console.error("error: the driver failed unexpectedly, please report this:", error);
    return EXIT_UNEXPECTED;
  } finally {
    await reset();
  }
}

/** Flag values after the environment fallback; `source` says where each came from, for messages. */
interface FlagValues {
  readonly get: (name: FlagName) => string | undefined;
  readonly label: (name: FlagName) => string;
}

function readFlags(args: readonly string[], env: Readonly<Record<string, string>>): FlagValues | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        ...Object.fromEntries(Object.entries(FLAGS).map(([name, flag]) => [name, { type: flag.type }])),
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`Cannot parse the command line: ${reason}, see --help`, { cause });
  }
  if (parsed.values.help === true) return "help";
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const fromEnv = new Set<FlagName>();
  const get = (name: FlagName): string | undefined => {
    const flag: Flag = FLAGS[name];
    const given = values[name];
    if (given !== undefined) return typeof given === "boolean" ? String(given) : given;
    const fromEnvironment = env[flag.env];
    if (fromEnvironment !== undefined && fromEnvironment !== "") {
      fromEnv.add(name);
      return fromEnvironment;
    }
    return flag.default;
  };
  const label = (name: FlagName): string =>
    fromEnv.has(name) ? `${FLAGS[name].env} (--${name})` : `--${name}`;
  for (const [name, flag] of Object.entries(FLAGS) as [FlagName, Flag][]) {
    if (flag.required === true && get(name) === undefined) {
      throw new TypeError(
        `Cannot start without --${name}: set the flag or the ${flag.env} environment variable`,
      );
    }
  }
  return { get, label };
}

function buildConfig(flags: FlagValues): { config: RunnerConfig; verbosity: number } {
  const { get, label } = flags;
  const driver = validateDriverConfig({
    l1Ws: get("l1.ws"),
    l2Http: get("l2.http"),
    l2Auth: get("l2.auth"),
    jwtSecretPath: get("jwt.secret"),
    inboxAddress: get("shasta.inbox"),
    l1Beacon: get("l1.beacon"),
    blobServer: get("blob.server"),
  }, {
    labels: {
      l1Ws: label("l1.ws"),
      l2Http: label("l2.http"),
      l2Auth: label("l2.auth"),
      jwtSecretPath: label("jwt.secret"),
      inboxAddress: label("shasta.inbox"),
      l1Beacon: label("l1.beacon"),
      blobServer: label("blob.server"),
    },
  });
  const p2p = validateP2pConfig({
    listenAddresses: list(get("p2p.listen")),
    bootnodes: list(get("p2p.bootnodes")),
    staticPeers: list(get("p2p.static-peers")),
    discoveryEnabled: !bool(get("p2p.disable-discovery"), label("p2p.disable-discovery")),
    nodeKeyPath: get("p2p.key"),
    slasherAddress: get("preconf.slasher"),
    signingDomain: get("preconf.signing-domain"),
  }, {
    labels: {
      listenAddresses: label("p2p.listen"),
      bootnodes: label("p2p.bootnodes"),
      staticPeers: label("p2p.static-peers"),
      nodeKeyPath: label("p2p.key"),
      slasherAddress: label("preconf.slasher"),
      signingDomain: label("preconf.signing-domain"),
    },
  });
  const metrics = validateMetricsServerConfig({ hostname: get("metrics.addr"), port: get("metrics.port") }, {
    labels: { hostname: label("metrics.addr"), port: label("metrics.port") },
  });
  const rpcAddress = get("preconf.rpc.addr");
  const config: { -readonly [K in keyof RunnerConfig]: RunnerConfig[K] } = { driver, p2p };
  if (rpcAddress !== undefined) {
    config.rpc = validatePreconfRpcServerConfig({ address: rpcAddress }, {
      labels: { address: label("preconf.rpc.addr") },
    });
  }
  if (bool(get("metrics.enabled"), label("metrics.enabled"))) config.metrics = metrics;
  const trimInterval = get("memory.trim-interval");
  if (trimInterval !== undefined) {
    config.memoryTrimIntervalMs = parseMemoryTrimIntervalMs(trimInterval, label("memory.trim-interval"));
  }
  return { config, verbosity: parseVerbosity(get("verbosity") ?? "2", label("verbosity")) };
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function bool(text: string | undefined, label: string): boolean {
  const value = (text ?? "false").trim().toLowerCase();
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new TypeError(`Cannot use ${label} "${text}": expected true, false, 1 or 0`);
}

function parseVerbosity(text: string, label: string): number {
  if (!/^\s*[0-9]+\s*$/.test(text)) {
    throw new TypeError(
      `Cannot use ${label} "${text}": expected a whole number, 0 (errors only) to 4 (trace)`,
    );
  }
  return Number(text);
}

/** Chain quantities are bigints; an operator reads `167001`, not `167001n`. */
function renderLogValue(value: unknown, inspect: (value: unknown) => string): string {
  return typeof value === "bigint" ? value.toString() : inspect(value);
}

async function configureLogging(verbosity: number): Promise<void> {
  const level = VERBOSITY_LEVELS[Math.min(verbosity, VERBOSITY_LEVELS.length - 1)] ?? "info";
  const colour = Deno.stderr.isTerminal() && Deno.env.get("NO_COLOR") === undefined;
  const toStderr = Object.fromEntries(
    VERBOSITY_LEVELS.concat("fatal").map((l) => [l, "error"]),
  ) as Record<LogLevel, "error">;
  await configure({
    reset: true,
    sinks: {
      stderr: getConsoleSink({
        formatter: colour
          ? getAnsiColorFormatter({ value: renderLogValue })
          : getTextFormatter({ value: renderLogValue }),
        levelMap: toStderr,
      }),
    },
    loggers: [
      { category: ["taiko-preconf"], lowestLevel: level, sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}

function describeCauses(cause: unknown): string {
  let text = "";
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    text += `\n  caused by: ${cause instanceof Error ? cause.message : String(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}

if (import.meta.main) {
  // libp2p under Deno keeps the process alive after stop() without these (spec/deno-notes.md 2);
  // loaded here, not at the top, so that importing this module (tests) leaves the globals alone.
  await import("./runner/shims/broadcast_channel.ts");
  await import("./runner/shims/abort_signal_timeout.ts");
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals > 1) Deno.exit(130);
    console.error("Stopping (send the signal again to exit at once)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const code = await main(Deno.args, { signal: controller.signal });
  Deno.exit(code);
}
