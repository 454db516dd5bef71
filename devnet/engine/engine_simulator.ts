/**
 * A simulated Taiko L2 execution engine for the devnet and the tests, because no alethia-reth or
 * taiko-geth can be built here. It speaks the two HTTP surfaces of a real engine on 127.0.0.1: the
 * public port (`eth_*` reads, `taiko_l1OriginByID`, `taiko_headL1Origin`) and the JWT-protected auth
 * port (the engine API V2 trio and `taikoAuth_*`, plus every public method).
 *
 * What is real: strict wire formats (spec/driver.md 2.4-2.5; a malformed request gets -32602 with a
 * reason), HS256 JWT checks (401 without a token, with a bad signature or an `iat` more than 60 s from
 * now), blocks built from payload attributes with the decoded txList as transactions, header hashes
 * (keccak of the RLP header), transactions roots (ordered trie), payload ids (driver.md 4.5), the
 * golden-touch `anchorV4` rule and nonce, forks and reorgs by forkchoice, and the L1-origin tables.
 *
 * What is not: it does NOT execute the EVM. `gasUsed`, `stateRoot` and `receiptsRoot` are
 * deterministic stand-ins (see `block_builder.ts`), `eth_call` answers only `Anchor.getBlockState()`
 * (from the block's anchor transaction; the ancestors hash is zero), and anchors are not checked
 * against L1. For tests it counts calls per method and can inject faults, by method, port and
 * leading params: a forced status, an error, a forced result, a delay, or being down (HTTP 503).
 *
 * @module
 */
import type { Hash, Hex } from "viem";
import { anchorAddress } from "../../driver/shasta/chain_config.ts";
import { SHASTA_INITIAL_BASE_FEE, TAIKO_DEVNET_CHAIN_ID } from "../../driver/shasta/constants.ts";
import type { L1Origin } from "../../driver/shasta/types.ts";
import { readCappedBytes } from "../../internal/read_capped.ts";
import { genesisBlock, SenderCache } from "./block_builder.ts";
import { ChainState, type LastBlockLookup } from "./chain_state.ts";
import { EngineJwtChecker, JWT_MAX_IAT_SKEW_SECONDS } from "./jwt_auth.ts";
import { createMethods, type MethodHandler, type Port, RpcFailure } from "./methods.ts";
import type { SimBlock } from "./sim_block.ts";

/** Largest request body accepted, in bytes; a larger one gets HTTP 413. */
export const ENGINE_SIMULATOR_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Genesis header fields. */
export interface GenesisOptions {
  /** @default 0n */
  readonly timestamp?: bigint;
  /** @default 30_000_000n */
  readonly gasLimit?: bigint;
  /** @default SHASTA_INITIAL_BASE_FEE */
  readonly baseFeePerGas?: bigint;
  /** @default "0x" */
  readonly extraData?: Hex;
  /** @default keccak-free stand-in `0x11…11` */
  readonly stateRoot?: Hash;
}

/** How to start the simulator. */
export interface EngineSimulatorOptions {
  /** The 32-byte JWT secret shared with the driver. */
  readonly jwtSecret: Uint8Array;
  /** @default 167001n (Taiko devnet) */
  readonly chainId?: bigint;
  /** @default a genesis at timestamp 0, gas limit 30M, base fee 25M wei */
  readonly genesis?: GenesisOptions;
  /** @default JWT_MAX_IAT_SKEW_SECONDS */
  readonly maxJwtSkewSeconds?: number;
  /** @default ENGINE_SIMULATOR_MAX_REQUEST_BYTES */
  readonly maxRequestBytes?: number;
}

/** What an injected fault does to a matching request. */
export type EngineFaultEffect =
  /** Answer this payload status without acting (forkchoice updates and newPayload only). */
  | {
    readonly kind: "status";
    readonly status: "SYNCING" | "INVALID" | "ACCEPTED";
    readonly validationError?: string;
  }
  /** Answer this JSON-RPC error without acting. */
  | { readonly kind: "error"; readonly code: number; readonly message: string }
  /** Answer this result without acting, e.g. `null` for a block the engine does not have. */
  | { readonly kind: "result"; readonly result: unknown }
  /** Wait, then act normally (the engine is stalled; later requests queue behind it). */
  | { readonly kind: "delay"; readonly ms: number }
  /** Answer HTTP 503 with no JSON body (the engine is down). */
  | { readonly kind: "down" };

/** A fault injected for tests. */
export interface EngineFault {
  /**
   * Methods it applies to.
   * @default every method
   */
  readonly methods?: readonly string[];
  /**
   * Ports it applies to.
   * @default both
   */
  readonly ports?: readonly Port[];
  /**
   * Leading params it applies to, compared as JSON (`["latest"]` matches
   * `eth_getBlockByNumber("latest", false)` but not a block number).
   * @default any params
   */
  readonly params?: readonly unknown[];
  readonly effect: EngineFaultEffect;
  /**
   * How many matching requests it affects before it is used up.
   * @default Infinity
   */
  readonly times?: number;
}

/** A running engine simulator. */
export interface EngineSimulator extends AsyncDisposable {
  /** Public JSON-RPC URL (no auth). */
  readonly publicUrl: string;
  /** Auth JSON-RPC URL (JWT required). */
  readonly authUrl: string;
  readonly chainId: bigint;
  /** Block 0. */
  readonly genesis: SimBlock;
  /** @returns The forkchoice head. */
  head(): SimBlock;
  /** @param hash A block hash. @returns The block, canonical or not, if seen. */
  block(hash: Hash): SimBlock | undefined;
  /** @param number A height. @returns The canonical block there, if any. */
  canonicalBlock(number: bigint): SimBlock | undefined;
  /** @returns Every block seen, forks included. */
  blocks(): readonly SimBlock[];
  /** @param blockId An L2 block number. @returns Its L1 origin, if recorded. */
  l1Origin(blockId: bigint): L1Origin | undefined;
  /** @returns The head-L1-origin pointer. */
  headL1OriginId(): bigint | null;
  /** @param proposalId A proposal id. @returns Its last block as `taikoAuth_lastBlockIDByBatchID` sees it. */
  lastBlockOfBatch(proposalId: bigint): LastBlockLookup;
  /** @param method A JSON-RPC method. @returns How many authenticated requests called it. */
  callCount(method: string): number;
  /** @returns The call count of every method called so far. */
  callCounts(): Readonly<Record<string, number>>;
  /** Sets every call count back to zero. */
  resetCallCounts(): void;
  /** @param fault The fault to apply to matching requests, after earlier faults. */
  injectFault(fault: EngineFault): void;
  /** Removes every injected fault. */
  clearFaults(): void;
  /**
   * Moves the head as a forkchoice update would, e.g. to simulate an engine that rewound.
   * @param hash A known block.
   * @throws {RangeError} when the block is unknown.
   */
  setHead(hash: Hash): void;
  /** Stops both servers and abandons pending delays. Idempotent. */
  stop(): Promise<void>;
}

interface ActiveFault {
  readonly fault: EngineFault;
  remaining: number;
}

/**
 * Starts an engine simulator on two loopback ports chosen by the OS.
 *
 * @param options The JWT secret, chain id and genesis.
 * @returns The running simulator; call `stop()` (or `await using`) when done.
 * @throws {RangeError} when the secret is not 32 bytes.
 *
 * @example
 * ```ts ignore
 * await using engine = await startEngineSimulator({ jwtSecret });
 * const l2 = createL2Client({ url: engine.publicUrl });
 * ```
 */
export async function startEngineSimulator(options: EngineSimulatorOptions): Promise<EngineSimulator> {
  if (options.jwtSecret.length !== 32) {
    throw new RangeError(
      `Cannot start the engine simulator: expected a 32-byte JWT secret, found ${options.jwtSecret.length}`,
    );
  }
  const chainId = options.chainId ?? TAIKO_DEVNET_CHAIN_ID;
  const genesis = genesisBlock({
    timestamp: options.genesis?.timestamp ?? 0n,
    gasLimit: options.genesis?.gasLimit ?? 30_000_000n,
    baseFeePerGas: options.genesis?.baseFeePerGas ?? SHASTA_INITIAL_BASE_FEE,
    extraData: options.genesis?.extraData ?? "0x",
    stateRoot: options.genesis?.stateRoot ?? `0x${"11".repeat(32)}`,
    miner: "0x0000000000000000000000000000000000000000",
  });
  const simulator = new Simulator(options, chainId, genesis);
  await simulator.start();
  return simulator;
}

class Simulator implements EngineSimulator {
  readonly chainId: bigint;
  readonly genesis: SimBlock;
  readonly #jwt: EngineJwtChecker;
  readonly #maxRequestBytes: number;
  readonly #state: ChainState;
  readonly #methods: Record<Port, Map<string, MethodHandler>>;
  readonly #counts = new Map<string, number>();
  #faults: ActiveFault[] = [];
  /** Serialises request handling: the engine applies one request at a time. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #closing = new AbortController();
  #servers: Deno.HttpServer<Deno.NetAddr>[] = [];
  #urls: Record<Port, string> = { public: "", auth: "" };

  constructor(options: EngineSimulatorOptions, chainId: bigint, genesis: SimBlock) {
    this.chainId = chainId;
    this.genesis = genesis;
    this.#jwt = new EngineJwtChecker(options.jwtSecret, {
      maxSkewSeconds: options.maxJwtSkewSeconds ?? JWT_MAX_IAT_SKEW_SECONDS,
    });
    this.#maxRequestBytes = options.maxRequestBytes ?? ENGINE_SIMULATOR_MAX_REQUEST_BYTES;
    this.#state = new ChainState(genesis);
    this.#methods = createMethods(this.#state, {
      chainId,
      anchorAddress: anchorAddress(chainId),
      senders: new SenderCache(),
    });
  }

  get publicUrl(): string {
    return this.#urls.public;
  }

  get authUrl(): string {
    return this.#urls.auth;
  }

  start(): Promise<void> {
    for (const port of ["public", "auth"] as const) {
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, signal: this.#closing.signal, onListen: () => {} },
        (request) => this.#handle(port, request),
      );
      this.#servers.push(server);
      this.#urls[port] = `http://127.0.0.1:${server.addr.port}/`;
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    if (!this.#closing.signal.aborted) this.#closing.abort();
    await Promise.all(this.#servers.map((server) => server.finished));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  head(): SimBlock {
    return this.#state.head;
  }

  block(hash: Hash): SimBlock | undefined {
    return this.#state.block(hash);
  }

  canonicalBlock(number: bigint): SimBlock | undefined {
    return this.#state.canonicalAt(number);
  }

  blocks(): readonly SimBlock[] {
    return this.#state.blocks();
  }

  l1Origin(blockId: bigint): L1Origin | undefined {
    return this.#state.l1Origin(blockId);
  }

  headL1OriginId(): bigint | null {
    return this.#state.headL1OriginId;
  }

  lastBlockOfBatch(proposalId: bigint): LastBlockLookup {
    return this.#state.lastBlockOfBatch(proposalId);
  }

  callCount(method: string): number {
    return this.#counts.get(method) ?? 0;
  }

  callCounts(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#counts);
  }

  resetCallCounts(): void {
    this.#counts.clear();
  }

  injectFault(fault: EngineFault): void {
    if (fault.effect.kind === "status") {
      const others = (fault.methods ?? []).filter((m) =>
        m !== "engine_forkchoiceUpdatedV2" && m !== "engine_newPayloadV2"
      );
      if (fault.methods === undefined || others.length > 0) {
        throw new TypeError(
          "A status fault applies only to engine_forkchoiceUpdatedV2 and engine_newPayloadV2: list them",
        );
      }
    }
    this.#faults.push({ fault, remaining: fault.times ?? Infinity });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  setHead(hash: Hash): void {
    if (!this.#state.setHead(hash)) {
      throw new RangeError(`Cannot move the head to "${hash}": the block is unknown`);
    }
  }

  async #handle(port: Port, request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
    if (port === "auth") {
      const refusal = await this.#jwt.check(request.headers.get("authorization"));
      if (refusal !== null) return new Response(`Unauthorized: ${refusal}`, { status: 401 });
    }
    const body = await readCapped(request, this.#maxRequestBytes);
    if (body === null) return new Response("request body too large", { status: 413 });
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } });
    }
    const calls = Array.isArray(message) ? message : [message];
    for (const call of calls) this.#count(call);
    if (calls.some((call) => this.#takeFault(port, call, "down") !== null)) {
      return new Response("engine unavailable", { status: 503 });
    }
    const answers = await this.#serialised(() => this.#answerAll(port, calls));
    return json(Array.isArray(message) ? answers : answers[0]);
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #answerAll(port: Port, calls: unknown[]): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (const call of calls) answers.push(await this.#answer(port, call));
    return answers;
  }

  async #answer(port: Port, call: unknown): Promise<unknown> {
    const envelope = typeof call === "object" && call !== null ? call as Record<string, unknown> : {};
    const id = envelope.id ?? null;
    const method = envelope.method;
    if (typeof method !== "string" || envelope.jsonrpc !== "2.0") {
      return { jsonrpc: "2.0", id, error: { code: -32600, message: "invalid request" } };
    }
    const handler = this.#methods[port].get(method);
    if (handler === undefined) {
      return {
        jsonrpc: "2.0",
        id,
        error: { code: -32601, message: `the method ${method} does not exist/is not available` },
      };
    }
    const delay = this.#takeFault(port, call, "delay");
    if (delay?.kind === "delay") await sleep(delay.ms, this.#closing.signal);
    const forced = this.#takeFault(port, call, "error") ?? this.#takeFault(port, call, "result") ??
      this.#takeFault(port, call, "status");
    if (forced?.kind === "error") {
      return { jsonrpc: "2.0", id, error: { code: forced.code, message: forced.message } };
    }
    if (forced?.kind === "result") return { jsonrpc: "2.0", id, result: forced.result };
    if (forced?.kind === "status") {
      const status = {
        status: forced.status,
        latestValidHash: null,
        validationError: forced.validationError ?? null,
      };
      const result = method === "engine_newPayloadV2" ? status : { payloadStatus: status, payloadId: null };
      return { jsonrpc: "2.0", id, result };
    }
    try {
      return { jsonrpc: "2.0", id, result: await handler(envelope.params) };
    } catch (error) {
      const code = error instanceof RpcFailure || (error as { code?: unknown }).code === -32602
        ? (error as { code: number }).code
        : -32603;
      return {
        jsonrpc: "2.0",
        id,
        error: { code, message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  #count(call: unknown): void {
    const method = typeof call === "object" && call !== null
      ? (call as { method?: unknown }).method
      : undefined;
    if (typeof method === "string") this.#counts.set(method, (this.#counts.get(method) ?? 0) + 1);
  }

  /** Takes one use of the first live fault of this kind that matches the request, if any. */
  #takeFault(port: Port, call: unknown, kind: EngineFaultEffect["kind"]): EngineFaultEffect | null {
    const envelope = typeof call === "object" && call !== null
      ? call as { method?: unknown; params?: unknown }
      : {};
    const method = envelope.method;
    for (const active of this.#faults) {
      const { fault } = active;
      if (active.remaining <= 0 || fault.effect.kind !== kind) continue;
      if (fault.ports !== undefined && !fault.ports.includes(port)) continue;
      if (fault.methods !== undefined && (typeof method !== "string" || !fault.methods.includes(method))) {
        continue;
      }
      if (fault.params !== undefined && !paramsStartWith(envelope.params, fault.params)) continue;
      active.remaining--;
      return fault.effect;
    }
    return null;
  }
}

/** Whether a request's params begin with `expected`, element by element, compared as JSON. */
function paramsStartWith(params: unknown, expected: readonly unknown[]): boolean {
  if (!Array.isArray(params) || params.length < expected.length) return false;
  return expected.every((value, i) => JSON.stringify(params[i]) === JSON.stringify(value));
}

async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  const body = await readCappedBytes(request.body, maxBytes);
  return body.kind === "TooLarge" ? null : new TextDecoder().decode(body.bytes);
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
