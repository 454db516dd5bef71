/**
 * The devnet's L1: a real anvil process (from the `@foundry-rs/anvil-linux-amd64` npm package) on
 * 127.0.0.1 with an OS-assigned port. Every started process is tracked, so it is killed when the
 * Deno process unloads even if the caller never reached its `finally`.
 *
 * @module
 */
import { createPublicClient, http, type PublicClient, sha256, toHex } from "viem";

/** Gas limit of every L1 block, as upstream's test stack runs anvil. */
export const ANVIL_GAS_LIMIT = 200_000_000n;
/** How long to wait for anvil to listen and answer `eth_chainId` before giving up. */
export const ANVIL_START_TIMEOUT_MS = 15_000;
/** How long `stop()` waits for a SIGTERM to end anvil before it sends SIGKILL. */
export const ANVIL_STOP_GRACE_MS = 3_000;
/** Deadline of each request of `Anvil.client`; loading anvil's KZG setup takes several seconds on a busy machine. */
export const ANVIL_REQUEST_TIMEOUT_MS = 60_000;
/** How many trailing output lines are kept for error messages (older lines are dropped). */
export const ANVIL_OUTPUT_TAIL_LINES = 40;

/** How to start anvil. */
export interface AnvilOptions {
  /**
   * Path of the anvil binary.
   * @default the `ANVIL_BIN` environment variable, else the npm package's binary under node_modules/
   */
  readonly binary?: string;
  /**
   * Seconds between blocks; `null` mines one block per transaction (automine).
   * @default null
   */
  readonly blockTimeSeconds?: number | null;
  /**
   * L1 chain id.
   * @default 31337n
   */
  readonly chainId?: bigint;
  /**
   * Timestamp of the genesis block in unix seconds.
   * @default the wall clock at start
   */
  readonly genesisTimestamp?: bigint;
  /**
   * Whether to run one point-evaluation `eth_call` after start so anvil loads its KZG setup now
   * rather than during the first blob transaction (about 3 s).
   * @default true
   */
  readonly warmUpKzg?: boolean;
}

/** A running anvil. */
export interface Anvil extends AsyncDisposable {
  /** HTTP JSON-RPC endpoint. */
  readonly url: string;
  /** WebSocket JSON-RPC endpoint (the same port). */
  readonly wsUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly chainId: bigint;
  /** Timestamp of block 0. */
  readonly genesisTimestamp: bigint;
  /** A viem public client on `url`. */
  readonly client: PublicClient;
  /** Kills the process and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const liveChildren = new Set<Deno.ChildProcess>();
let unloadHookInstalled = false;

function installUnloadHook(): void {
  if (unloadHookInstalled) return;
  unloadHookInstalled = true;
  globalThis.addEventListener("unload", () => {
    for (const child of liveChildren) {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });
}

/**
 * Resolves the anvil binary: `options.binary`, then `ANVIL_BIN`, then the npm package's binary.
 *
 * @param binary An explicit path, if any.
 * @returns An absolute path or a name on PATH.
 */
export function resolveAnvilBinary(binary?: string): string {
  if (binary !== undefined) return binary;
  const fromEnv = Deno.env.get("ANVIL_BIN");
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return new URL("../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil", import.meta.url).pathname;
}

/** Keeps the last lines of a child's output; the oldest line is dropped when full. */
class OutputTail {
  readonly #lines: string[] = [];

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > ANVIL_OUTPUT_TAIL_LINES) this.#lines.shift();
  }

  toString(): string {
    return this.#lines.join("\n");
  }
}

async function drainLines(
  stream: ReadableStream<Uint8Array>,
  tail: OutputTail,
  onLine: (line: string) => void,
): Promise<void> {
  const lines = stream.pipeThrough(new TextDecoderStream());
  let pending = "";
  for await (const chunk of lines) {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      tail.push(line);
      onLine(line);
      newline = pending.indexOf("\n");
    }
  }
  if (pending !== "") {
    tail.push(pending);
    onLine(pending);
  }
}

/** The input of a point evaluation of the zero polynomial: commitment and proof are the point at infinity. */
function zeroPointEvaluationInput(): `0x${string}` {
  const infinity = new Uint8Array(48);
  infinity[0] = 0xc0;
  const versioned = sha256(infinity, "bytes");
  versioned[0] = 0x01;
  const input = new Uint8Array(192);
  input.set(versioned, 0);
  input.set(infinity, 96);
  input.set(infinity, 144);
  return toHex(input);
}

/**
 * Runs one point-evaluation `eth_call` (the zero polynomial at point 0), which makes anvil load its KZG
 * trusted setup now instead of stalling the first blob transaction for about 3 s.
 *
 * @param client A client of the anvil to warm up.
 * @returns Once anvil answered.
 * @throws Error when the call fails.
 */
export async function warmUpAnvilKzg(client: PublicClient): Promise<void> {
  await client.call({ to: "0x000000000000000000000000000000000000000a", data: zeroPointEvaluationInput() });
}

class AnvilProcess implements Anvil {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly chainId: bigint;
  readonly genesisTimestamp: bigint;
  readonly client: PublicClient;
  readonly #child: Deno.ChildProcess;
  readonly #drained: Promise<unknown>;
  #stopping: Promise<void> | null = null;

  constructor(
    child: Deno.ChildProcess,
    drained: Promise<unknown>,
    fields: { port: number; chainId: bigint; genesisTimestamp: bigint; client: PublicClient },
  ) {
    this.#child = child;
    this.#drained = drained;
    this.pid = child.pid;
    this.port = fields.port;
    this.url = `http://127.0.0.1:${fields.port}`;
    this.wsUrl = `ws://127.0.0.1:${fields.port}`;
    this.chainId = fields.chainId;
    this.genesisTimestamp = fields.genesisTimestamp;
    this.client = fields.client;
  }

  stop(): Promise<void> {
    this.#stopping ??= killChild(this.#child).then(() => this.#drained).then(() => undefined);
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

async function killChild(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Already exited.
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const forced = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ANVIL_STOP_GRACE_MS);
  });
  const outcome = await Promise.race([child.status, forced]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    try {
      child.kill("SIGKILL");
    } catch {
      // Exited between the race and the kill.
    }
    await child.status;
  }
  liveChildren.delete(child);
}

/**
 * Starts anvil on 127.0.0.1 with an OS-assigned port and waits until it answers `eth_chainId`.
 *
 * @param options Binary, block time, chain id, genesis timestamp and KZG warm-up.
 * @returns The running anvil; call `stop()` (or `await using`) to end it.
 * @throws Error when the binary cannot be run or anvil does not answer within
 *   {@link ANVIL_START_TIMEOUT_MS}; the process is killed first.
 * @example
 * ```ts ignore
 * await using anvil = await startAnvil();
 * console.log(await anvil.client.getBlockNumber());
 * ```
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const binary = resolveAnvilBinary(options.binary);
  const chainId = options.chainId ?? 31337n;
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--gas-limit",
    ANVIL_GAS_LIMIT.toString(),
    "--chain-id",
    chainId.toString(),
  ];
  if (options.blockTimeSeconds !== undefined && options.blockTimeSeconds !== null) {
    if (!(options.blockTimeSeconds > 0)) {
      throw new RangeError(
        `Cannot start anvil with block time "${options.blockTimeSeconds}": expected a positive number of seconds`,
      );
    }
    args.push("--block-time", String(options.blockTimeSeconds));
  }
  if (options.genesisTimestamp !== undefined) args.push("--timestamp", options.genesisTimestamp.toString());

  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(binary, { args, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  } catch (cause) {
    throw new Error(
      `Cannot start anvil "${binary}": the binary did not run, set ANVIL_BIN to a working anvil`,
      {
        cause,
      },
    );
  }
  installUnloadHook();
  liveChildren.add(child);

  const tail = new OutputTail();
  let announcePort: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve) => {
    announcePort = resolve;
  });
  const onLine = (line: string): void => {
    const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(line);
    if (match?.[1] !== undefined) announcePort(Number(match[1]));
  };
  const drained = Promise.allSettled([
    drainLines(child.stdout, tail, onLine),
    drainLines(child.stderr, tail, onLine),
  ]);

  try {
    const port = await raceStart(listening, child, tail);
    const client = createPublicClient({
      cacheTime: 0,
      pollingInterval: 100,
      transport: http(`http://127.0.0.1:${port}`, { retryCount: 0, timeout: ANVIL_REQUEST_TIMEOUT_MS }),
    });
    const reportedChainId = await waitForChainId(client, tail);
    const genesis = await client.getBlock({ blockNumber: 0n });
    if (options.warmUpKzg ?? true) {
      await client.call({
        to: "0x000000000000000000000000000000000000000a",
        data: zeroPointEvaluationInput(),
      });
    }
    return new AnvilProcess(child, drained, {
      port,
      chainId: reportedChainId,
      genesisTimestamp: genesis.timestamp,
      client,
    });
  } catch (error) {
    await killChild(child);
    await drained;
    throw error;
  }
}

async function raceStart(
  listening: Promise<number>,
  child: Deno.ChildProcess,
  tail: OutputTail,
): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `Cannot start anvil: it did not listen within ${ANVIL_START_TIMEOUT_MS} ms, output:\n${tail}`,
          ),
        ),
      ANVIL_START_TIMEOUT_MS,
    );
  });
  const exited = child.status.then((status) => {
    throw new Error(
      `Cannot start anvil: it exited with code ${status.code} before listening, output:\n${tail}`,
    );
  });
  try {
    return await Promise.race([listening, timeout, exited]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => {});
  }
}

async function waitForChainId(client: PublicClient, tail: OutputTail): Promise<bigint> {
  const deadline = Date.now() + ANVIL_START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return BigInt(await client.getChainId());
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(
    `Cannot start anvil: eth_chainId did not answer within ${ANVIL_START_TIMEOUT_MS} ms, output:\n${tail}`,
    {
      cause: lastError,
    },
  );
}
