/**
 * A real network for event-syncer tests: anvil (automine) with the Inbox stand-in, the beacon stub,
 * the L2 engine simulator, a JWT file, and a TCP proxy in front of anvil's WebSocket so a test can
 * drop the L1 connection. Helpers propose valid manifests with planned timestamps and anchors, and
 * run syncers that are always stopped.
 *
 * @module
 */
import { encodeFunctionData, type Hex, hexToBytes } from "viem";
import { type Anvil, startAnvil } from "../../devnet/anvil.ts";
import { BeaconStub } from "../../devnet/beacon_stub.ts";
import { deployStandIns, type DevnetContracts } from "../../devnet/contracts.ts";
import { type EngineSimulator, startEngineSimulator } from "../../devnet/engine/engine_simulator.ts";
import { computeBlobSidecars, loadKzg } from "../../devnet/kzg.ts";
import { connectL1Wallet } from "../../devnet/l1_wallet.ts";
import {
  DEVNET_PROPOSER_KEY,
  type PostedProposal,
  PROPOSE_GAS,
  proposeManifest,
  storeForcedInclusion,
} from "../../devnet/proposer.ts";
import { inboxStandInAbi } from "../../devnet/stand_in_abis.ts";
import { type DriverConfig, validateDriverConfig } from "../../driver/config.ts";
import type { DriverMetrics } from "../../driver/metrics.ts";
import { createDriverClient, type DriverClient } from "../../driver/rpc/driver_client.ts";
import { decodeProposedLog } from "../../driver/shasta/abi.ts";
import type { BlockManifest, Proposal, SourceManifest } from "../../driver/shasta/types.ts";
import { EventSyncer } from "../../driver/sync/event_syncer.ts";
import type { EventSyncerOptions } from "../../driver/sync/event_syncer_options.ts";
import { TcpProxy } from "./tcp_proxy.ts";

/** L2 chain id of the simulator (the Taiko devnet: Shasta from genesis). */
export const TEST_L2_CHAIN_ID = 167_001n;
/** Gas limit of the simulator's genesis, and of every manifest block (within the ±0.02% rule). */
export const TEST_GAS_LIMIT = 30_000_000n;
/** Seconds between planned proposal L1 blocks. */
export const PROPOSAL_SPACING_SECONDS = 12n;
/** Fast syncer settings for tests (all loops and backoffs short). */
export const FAST_SYNCER_OPTIONS: EventSyncerOptions = {
  pollIntervalMs: 50,
  reconnectMaxDelayMs: 200,
  proposalRetryBaseMs: 20,
  proposalRetryMaxMs: 200,
};

/** One block of a planned proposal. */
export interface PlannedBlock {
  readonly coinbase?: `0x${string}`;
  readonly transactions?: readonly Hex[];
}

/** A running syncer under test. */
export interface RunningSyncer {
  readonly syncer: EventSyncer;
  readonly client: DriverClient;
  /** Settles when `run()` ends (rejects with its error). */
  readonly done: Promise<void>;
  /** Stops the syncer and closes its client. */
  stop(): Promise<void>;
}

/** The network. */
export interface SyncEnv extends AsyncDisposable {
  readonly anvil: Anvil;
  readonly contracts: DevnetContracts;
  readonly beacon: BeaconStub;
  readonly engine: EngineSimulator;
  readonly proxy: TcpProxy;
  readonly config: DriverConfig;
  /** A driver client on the network (closed by `stop()`). */
  createClient(): Promise<DriverClient>;
  /** Starts a syncer on a fresh client (stopped by `stop()` of the env too). */
  startSyncer(options?: EventSyncerOptions, metrics?: DriverMetrics | null): Promise<RunningSyncer>;
  /** Plans the next proposal's L1 timestamp and anchor, and builds its manifest. */
  planManifest(blocks: readonly PlannedBlock[]): Promise<{ manifest: SourceManifest; l1Timestamp: bigint }>;
  /** Proposes a manifest whose L1 block lands at `l1Timestamp`. */
  propose(
    manifest: SourceManifest,
    l1Timestamp: bigint,
    options?: { maxForcedInclusions?: number },
  ): Promise<PostedProposal>;
  /** Plans and proposes in one call. */
  proposeBlocks(blocks: readonly PlannedBlock[]): Promise<PostedProposal>;
  /** Queues a one-block forced inclusion. */
  storeForced(transactions: readonly Hex[]): Promise<void>;
  /** Proposes raw blobs (any content) with the Inbox's `propose`. */
  proposeRawBlobs(blobs: readonly Uint8Array[]): Promise<Proposal>;
  /** Mines `count` empty L1 blocks (12 s apart). */
  mine(count: number): Promise<void>;
  /** Stops everything. */
  stop(): Promise<void>;
}

const ZERO_COINBASE = "0x0000000000000000000000000000000000000000";

/**
 * Starts the network.
 *
 * @param options The L2 chain id (default: the devnet's).
 * @returns The running network; call `stop()` in a `finally`.
 */
export async function startSyncEnv(options: { l2ChainId?: bigint } = {}): Promise<SyncEnv> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const anvil = await startAnvil();
    stops.push(() => anvil.stop());
    const contracts = await deployStandIns(anvil.url);
    const beacon = BeaconStub.start({ genesisTimestamp: anvil.genesisTimestamp });
    stops.push(() => beacon.stop());
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const engine = await startEngineSimulator({
      jwtSecret: secret,
      chainId: options.l2ChainId ?? TEST_L2_CHAIN_ID,
      genesis: { timestamp: anvil.genesisTimestamp, gasLimit: TEST_GAS_LIMIT },
    });
    stops.push(() => engine.stop());
    const dir = await Deno.makeTempDir({ prefix: "sync_env_" });
    stops.push(() => Deno.remove(dir, { recursive: true }));
    const jwtSecretPath = `${dir}/jwt.hex`;
    await Deno.writeTextFile(jwtSecretPath, [...secret].map((b) => b.toString(16).padStart(2, "0")).join(""));
    const proxy = TcpProxy.start(anvil.port);
    stops.push(() => proxy.stop());
    const config = validateDriverConfig({
      l1Ws: `ws://127.0.0.1:${proxy.port}`,
      l2Http: engine.publicUrl,
      l2Auth: engine.authUrl,
      jwtSecretPath,
      inboxAddress: contracts.inbox,
      l1Beacon: beacon.url,
    });
    const proposerDeps = { l1Url: anvil.url, inbox: contracts.inbox, beacon };
    const rpc = (method: string, params: unknown[]) =>
      anvil.client.request({ method: method as "eth_blockNumber", params: params as never });

    const planManifest = async (blocks: readonly PlannedBlock[]) => {
      const head = await anvil.client.getBlock({ blockTag: "latest" });
      const l1Timestamp = head.timestamp + PROPOSAL_SPACING_SECONDS;
      const manifestBlocks: BlockManifest[] = blocks.map((block, index) => ({
        timestamp: l1Timestamp - BigInt(blocks.length - 1 - index),
        coinbase: block.coinbase ?? ZERO_COINBASE,
        // The proposal lands in the next block, so the head is its origin block.
        anchorBlockNumber: head.number,
        gasLimit: TEST_GAS_LIMIT,
        transactions: block.transactions ?? [],
      }));
      return { manifest: { blocks: manifestBlocks }, l1Timestamp };
    };

    const propose = async (
      manifest: SourceManifest,
      l1Timestamp: bigint,
      options: { maxForcedInclusions?: number } = {},
    ) => {
      await rpc("evm_setNextBlockTimestamp", [`0x${l1Timestamp.toString(16)}`]);
      return await proposeManifest(proposerDeps, manifest, options);
    };

    const running = new Set<RunningSyncer>();
    const clients = new Set<DriverClient>();
    const env: SyncEnv = {
      anvil,
      contracts,
      beacon,
      engine,
      proxy,
      config,
      async createClient() {
        const client = await createDriverClient(config);
        clients.add(client);
        return client;
      },
      async startSyncer(options = FAST_SYNCER_OPTIONS, metrics = null) {
        const client = await createDriverClient(config);
        const syncer = new EventSyncer({ client, metrics }, options);
        const controller = new AbortController();
        const done = syncer.run(controller.signal);
        done.catch(() => {});
        let stopped: Promise<void> | null = null;
        const handle: RunningSyncer = {
          syncer,
          client,
          done,
          stop() {
            stopped ??= (async () => {
              controller.abort();
              await done.catch(() => {});
              await client.close();
              running.delete(handle);
            })();
            return stopped;
          },
        };
        running.add(handle);
        return handle;
      },
      planManifest,
      propose,
      async proposeBlocks(blocks) {
        const { manifest, l1Timestamp } = await planManifest(blocks);
        return await propose(manifest, l1Timestamp);
      },
      async storeForced(transactions) {
        await storeForcedInclusion(proposerDeps, {
          blocks: [{
            timestamp: 0n,
            coinbase: ZERO_COINBASE,
            anchorBlockNumber: 0n,
            gasLimit: 0n,
            transactions,
          }],
        });
      },
      async proposeRawBlobs(blobs) {
        const head = await anvil.client.getBlock({ blockTag: "latest" });
        await rpc("evm_setNextBlockTimestamp", [
          `0x${(head.timestamp + PROPOSAL_SPACING_SECONDS).toString(16)}`,
        ]);
        const sidecars = computeBlobSidecars(blobs);
        const { publicClient, wallet } = await connectL1Wallet(anvil.url, DEVNET_PROPOSER_KEY);
        const hash = await wallet.sendTransaction({
          to: contracts.inbox,
          data: encodeFunctionData({ abi: inboxStandInAbi, functionName: "propose", args: [0, 0, 0] }),
          blobs: sidecars.map((sidecar) => hexToBytes(sidecar.blob)),
          kzg: loadKzg(),
          maxFeePerBlobGas: 30_000_000_000n,
          gas: PROPOSE_GAS,
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        const block = await publicClient.getBlock({ blockHash: receipt.blockHash });
        beacon.registerSidecars(
          { number: block.number, hash: block.hash, timestamp: block.timestamp },
          sidecars,
        );
        const log = receipt.logs.find((entry) =>
          entry.address.toLowerCase() === contracts.inbox.toLowerCase()
        );
        if (log === undefined) throw new Error("the raw proposal emitted no log");
        return decodeProposedLog(log);
      },
      async mine(count) {
        await rpc("anvil_mine", [`0x${count.toString(16)}`, "0xc"]);
      },
      async stop() {
        for (const handle of [...running]) await handle.stop();
        for (const client of clients) await client.close();
        await stopAll();
      },
      [Symbol.asyncDispose]() {
        return env.stop();
      },
    };
    return env;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Waits until the syncer's last canonical proposal id reaches `id` (the test's own deadline stops a
 * hang; nothing is asserted about speed).
 *
 * @param syncer The syncer.
 * @param id The proposal id to reach.
 * @param done The syncer's run promise: a failure ends the wait with that error.
 */
export async function waitForProposal(syncer: EventSyncer, id: bigint, done?: Promise<void>): Promise<void> {
  const controller = new AbortController();
  const failed = done?.then(
    () => Promise.reject(new Error("the syncer stopped before reaching the proposal")),
    (error) => Promise.reject(error),
  );
  failed?.catch(() => {});
  const reached = (async () => {
    for await (const value of syncer.canonicalProposalIdChanges({ signal: controller.signal })) {
      if (value >= id) return;
    }
  })();
  try {
    await (failed === undefined ? reached : Promise.race([reached, failed]));
  } finally {
    controller.abort();
  }
}

/**
 * Polls `condition` until it holds.
 *
 * @param condition Checked every `intervalMs`.
 * @param what Named in the error when the deadline passes.
 * @param timeoutMs Deadline against hangs.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Engine calls that build or import blocks. */
export const BUILD_METHODS = [
  "engine_forkchoiceUpdatedV2",
  "engine_getPayloadV2",
  "engine_newPayloadV2",
] as const;

/**
 * The number of build/import calls the engine received.
 *
 * @param engine The simulator.
 * @returns Sum of forkchoiceUpdated, getPayload and newPayload calls.
 */
export function buildCalls(engine: EngineSimulator): number {
  return BUILD_METHODS.reduce((sum, method) => sum + engine.callCount(method), 0);
}
