/**
 * Driver nodes for the end-to-end tests: a real `PreconfirmationDriverRunner` (the production parts)
 * on one engine of a devnet, with P2P and JSON-RPC on 127.0.0.1 port 0; the bound addresses are read
 * from the node and server the production factories built. Also a JSON-RPC caller that keeps error
 * codes and data, a publisher that plans, signs and publishes the next block with timestamps kept
 * within the validation's clock drift, and a poll helper.
 *
 * @module
 */
import {
  bytesToHex,
  decodeFunctionData,
  type Hash,
  type Hex,
  parseTransaction,
  type TransactionSerializedEIP1559,
} from "viem";
import type { Devnet } from "../../devnet/network.ts";
import type { EngineSimulator } from "../../devnet/engine/engine_simulator.ts";
import { PreconfBlockPlanner } from "../../devnet/preconf_publisher.ts";
import {
  type DemoPreconfer,
  DEVNET_SLASHER,
  type PreconfBlock,
  type PreconfMessage,
} from "../../devnet/preconfer.ts";
import { type DriverClient, validateDriverConfig } from "../../driver/mod.ts";
import { anchorAbi } from "../../driver/shasta/abi.ts";
import { buildAnchorV4Transaction } from "../../driver/shasta/anchor_tx.ts";
import { nextBaseFeeEip4396 } from "../../driver/shasta/base_fee.ts";
import { ANCHOR_GAS_LIMIT } from "../../driver/shasta/constants.ts";
import { validateP2pConfig, validatePreconfRpcServerConfig } from "../../runner/config.ts";
import { defaultRunnerParts } from "../../runner/default_parts.ts";
import type { RunnerParts } from "../../runner/parts.ts";
import type { PreconfNode } from "../../runner/preconf/preconf_node.ts";
import { PreconfRpcServer } from "../../runner/rpc/server.ts";
import { PreconfirmationDriverRunner } from "../../runner/runner.ts";

/** How long a test waits for a node to come up or for a condition. */
export const E2E_WAIT_MS = 30_000;
/** How far ahead of the wall clock a planned timestamp may run (validation allows 12 s). */
export const MAX_AHEAD_SECONDS = 8n;
/** How long a runner may take to stop each part. */
const STOP_TIMEOUT_MS = 5_000;

/** A JSON-RPC answer: the result, or the error object as the server sent it. */
export type RpcAnswer =
  | { readonly ok: true; readonly result: unknown }
  | {
    readonly ok: false;
    readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
  };

/** The result of a successful `preconf_publishBlock`. */
export interface PublishedBlock {
  readonly blockNumber: Hex;
  readonly blockHash: Hash | null;
  readonly local: "inserted" | "alreadyMaterialized" | "eopOnly";
  readonly propagated: boolean;
  readonly propagationError: string | null;
}

/**
 * Calls a JSON-RPC method over HTTP.
 *
 * @param url The server.
 * @param method The method.
 * @param params Its params.
 * @returns The result or the error object.
 * @throws Error when the answer is not JSON-RPC.
 */
export async function rpcCall(url: string, method: string, params: unknown[]): Promise<RpcAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json() as {
    result?: unknown;
    error?: { code: number; message: string; data?: unknown };
  };
  if (body.error !== undefined) return { ok: false, error: body.error };
  if (!("result" in body)) throw new Error(`Cannot read the answer to ${method}: ${JSON.stringify(body)}`);
  return { ok: true, result: body.result };
}

/**
 * The `preconf_publishBlock` params of a signed message.
 *
 * @param message The commitment and txlist.
 * @returns `[{commitment, txListHash, txList}]`.
 */
export function publishBlockParams(message: PreconfMessage): unknown[] {
  return [{
    commitment: bytesToHex(message.commitment),
    txListHash: message.txListHash,
    txList: bytesToHex(message.txList),
  }];
}

/**
 * Polls until `condition` holds.
 *
 * @param condition Checked every 50 ms; may be async.
 * @param what Names the condition in the timeout error.
 * @param timeoutMs How long to keep trying.
 * @throws Error when the condition does not hold in time.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = E2E_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * Sleeps.
 *
 * @param ms Milliseconds.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A running driver node. */
export interface E2eNode {
  /** The engine it drives. */
  readonly engine: EngineSimulator;
  /** The preconfirmation node the runner built. */
  readonly node: PreconfNode;
  /** Its JSON-RPC server's URL. */
  readonly rpcUrl: string;
  /** Its dialable P2P address, `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>`. */
  readonly p2pAddress: string;
  /** Settles when `run()` ends; rejects with its error. */
  readonly done: Promise<void>;
  /**
   * Calls a method of its JSON-RPC server.
   *
   * @param method The method.
   * @param params Its params.
   * @returns The answer.
   */
  call(method: string, params?: unknown[]): Promise<RpcAnswer>;
  /** Aborts the runner and waits for `run()` to end (its error, if any, is left to `done`). */
  stop(): Promise<void>;
}

/** Where a node runs and whom it dials. */
export interface E2eNodeOptions {
  /** Which of the devnet's engines it drives. */
  readonly engineIndex: number;
  /**
   * P2P addresses of the nodes it keeps connected to.
   * @default []
   */
  readonly staticPeers?: readonly string[];
}

/**
 * Starts a runner with the production parts on one of the devnet's engines and waits until its
 * JSON-RPC server answers and its lookahead resolves the current time.
 *
 * @param devnet The devnet.
 * @param options Engine and static peers.
 * @returns The node; stop it in a `finally`.
 * @throws Error (or the runner's error) when the node does not come up.
 */
export async function startE2eNode(devnet: Devnet, options: E2eNodeOptions): Promise<E2eNode> {
  const engine = devnet.engines[options.engineIndex];
  if (engine === undefined) throw new RangeError(`The devnet has no engine ${options.engineIndex}`);
  const e = devnet.endpoints;
  const config = {
    driver: validateDriverConfig({
      l1Ws: e.l1Ws,
      l2Http: engine.publicUrl,
      l2Auth: engine.authUrl,
      jwtSecretPath: e.jwtSecretPath,
      inboxAddress: e.inbox,
      l1Beacon: e.beacon,
      blobServer: e.blobServer,
    }),
    p2p: validateP2pConfig({
      listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
      staticPeers: options.staticPeers ?? [],
      discoveryEnabled: false,
      nodeKeyPath: `${devnet.tempDir}/node-${options.engineIndex}.key`,
      slasherAddress: DEVNET_SLASHER,
    }),
    rpc: validatePreconfRpcServerConfig({ address: "127.0.0.1:0" }),
    stopTimeoutMs: STOP_TIMEOUT_MS,
  };
  const production = defaultRunnerParts();
  const built: { node?: PreconfNode; server?: PreconfRpcServer } = {};
  const parts: RunnerParts<DriverClient, PreconfNode> = {
    ...production,
    createPreconfNode: async (deps, runnerConfig) => {
      built.node = await production.createPreconfNode(deps, runnerConfig);
      return built.node;
    },
    createRpcServer: (node, rpcConfig, deps) => {
      const server = production.createRpcServer(node, rpcConfig, deps);
      if (!(server instanceof PreconfRpcServer)) throw new TypeError("Expected the production RPC server");
      built.server = server;
      return server;
    },
  };
  const controller = new AbortController();
  const done = new PreconfirmationDriverRunner(config, { parts }).run(controller.signal);
  let ended = false;
  done.then(() => ended = true, () => ended = true);
  const stop = async (): Promise<void> => {
    controller.abort();
    await done.catch(() => {});
  };
  try {
    await Promise.race([
      waitFor(() => ended || (built.server?.url ?? null) !== null, "the runner's JSON-RPC server"),
      done.then(() => {
        throw new Error("The runner ended before its JSON-RPC server started");
      }),
    ]);
    const node = built.node as PreconfNode;
    const rpcUrl = built.server?.url as string;
    const call = (method: string, params: unknown[] = []): Promise<RpcAnswer> =>
      rpcCall(rpcUrl, method, params);
    await waitFor(async () => {
      if (ended) return true;
      const now = Math.floor(Date.now() / 1000);
      return (await call("preconf_getPreconfSlotInfo", [now])).ok;
    }, "the lookahead to resolve the current time");
    if (ended) {
      await done;
      throw new Error("The runner ended while it was starting");
    }
    const p2pAddress = node.network.listenAddresses().find((a) => a.startsWith("/ip4/127.0.0.1/tcp/"));
    if (p2pAddress === undefined) throw new Error("The node listens on no loopback TCP address");
    return { engine, node, rpcUrl, p2pAddress, done, call, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Plans, signs and publishes blocks on top of one engine's `latest`. */
export class E2ePublisher {
  /** The planner (anchor transaction, gas limit, window end, proposal id). */
  readonly planner: PreconfBlockPlanner;
  readonly #preconfer: DemoPreconfer;
  readonly #engine: EngineSimulator;
  #last: PreconfMessage | null = null;

  /**
   * @param devnet The devnet (L1, Inbox, beacon genesis, the demo preconfer).
   * @param engine The engine the blocks build on.
   */
  constructor(devnet: Devnet, engine: EngineSimulator) {
    this.planner = new PreconfBlockPlanner({
      l1Url: devnet.endpoints.l1Http,
      inbox: devnet.endpoints.inbox,
      l2Url: engine.publicUrl,
      beaconGenesisTimestamp: devnet.anvil.genesisTimestamp,
    });
    this.#preconfer = devnet.preconfer;
    this.#engine = engine;
  }

  /**
   * Plans the next block one second after its parent, waiting first when that would run more than
   * {@link MAX_AHEAD_SECONDS} ahead of the wall clock.
   *
   * @param overrides Fields to replace in the plan.
   * @returns The block.
   */
  async plan(overrides: Partial<PreconfBlock> = {}): Promise<PreconfBlock> {
    const planned = await this.planner.next({ now: 0n });
    const ahead = planned.timestamp - BigInt(Math.floor(Date.now() / 1000)) - MAX_AHEAD_SECONDS;
    if (ahead > 0n) await sleep(Number(ahead) * 1000);
    return { ...planned, ...overrides };
  }

  /**
   * Plans `count` consecutive blocks on top of the engine's `latest` without inserting any: the first
   * as {@linkcode E2ePublisher.plan} does, each later one a second after the one before, anchored to
   * the same L1 block, with the golden-touch nonce and EIP-4396 base fee that follow from its planned
   * parent (the devnet engine counts an anchor-only block's gas used as the anchor's gas limit).
   *
   * @param count How many blocks.
   * @returns The blocks, ascending.
   */
  async planChain(count: number): Promise<PreconfBlock[]> {
    const first = await this.plan();
    const parent = this.#engine.canonicalBlock(first.blockNumber - 1n);
    if (parent === undefined) throw new Error(`The engine lost block ${first.blockNumber - 1n}`);
    const anchor = parseTransaction(first.transactions[0] as TransactionSerializedEIP1559);
    const call = decodeFunctionData({ abi: anchorAbi, data: anchor.data ?? "0x" });
    if (call.functionName !== "anchorV4") throw new Error("The planned block does not start with anchorV4");
    const checkpoint = call.args[0];
    const blocks = [first];
    let baseFeePerGas = anchor.maxFeePerGas ?? 0n;
    let previousTimestamp = parent.header.timestamp;
    for (let i = 1; i < count; i++) {
      const previous = blocks[i - 1] as PreconfBlock;
      baseFeePerGas = nextBaseFeeEip4396(
        {
          number: previous.blockNumber,
          gasLimit: previous.gasLimit,
          gasUsed: ANCHOR_GAS_LIMIT,
          baseFeePerGas,
        },
        previous.timestamp - previousTimestamp,
      );
      previousTimestamp = previous.timestamp;
      blocks.push({
        ...previous,
        blockNumber: previous.blockNumber + 1n,
        timestamp: previous.timestamp + 1n,
        transactions: [buildAnchorV4Transaction({
          chainId: BigInt(anchor.chainId ?? 0),
          nonce: BigInt((anchor.nonce ?? 0) + i),
          baseFeePerGas,
          anchorAddress: anchor.to as Hex,
          checkpoint: {
            blockNumber: BigInt(checkpoint.blockNumber),
            blockHash: checkpoint.blockHash,
            stateRoot: checkpoint.stateRoot,
          },
        })],
      });
    }
    const last = blocks.at(-1) as PreconfBlock;
    const ahead = last.timestamp - BigInt(Math.floor(Date.now() / 1000)) - MAX_AHEAD_SECONDS;
    if (ahead > 0n) await sleep(Number(ahead) * 1000);
    return blocks;
  }

  /**
   * Signs a block with the devnet's preconfer (linked to the previous block it signed).
   *
   * @param block The block.
   * @returns The commitment and txlist.
   */
  sign(block: PreconfBlock): PreconfMessage {
    this.#last = this.#preconfer.sign(block);
    return this.#last;
  }

  /** The last message {@linkcode E2ePublisher.sign} produced, or `null`. */
  get last(): PreconfMessage | null {
    return this.#last;
  }

  /**
   * Plans, signs and publishes the next block through `preconf_publishBlock` and checks it was
   * inserted.
   *
   * @param rpcUrl The node's JSON-RPC server.
   * @returns The message and the publish result.
   * @throws Error when the node refuses the block or does not insert it.
   */
  async publishNext(rpcUrl: string): Promise<{ message: PreconfMessage; result: PublishedBlock }> {
    const message = this.sign(await this.plan());
    const answer = await rpcCall(rpcUrl, "preconf_publishBlock", publishBlockParams(message));
    if (!answer.ok) {
      throw new Error(
        `Cannot publish block ${message.signed.commitment.preconf.blockNumber}: ${
          JSON.stringify(answer.error)
        }`,
      );
    }
    const result = answer.result as PublishedBlock;
    if (result.local !== "inserted") throw new Error(`Block was not inserted: ${JSON.stringify(result)}`);
    return { message, result };
  }
}
