/**
 * `startDevnet()`: a whole local Taiko network in one process tree. It starts, in order, anvil (L1),
 * the Inbox/LookaheadStore/PreconfWhitelist stand-ins, the beacon stub (genesis = anvil's genesis,
 * scanning anvil for blobs), a temp dir with the engine JWT secret, and the L2 engine simulators
 * (`devnet/engine/`), all sharing that secret and with genesis at the L1 genesis time. If any part fails to start, the parts
 * already running are stopped in reverse order and the error is rethrown. `stop()` does the same,
 * idempotently, and removes the temp dir.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { type Anvil, startAnvil, warmUpAnvilKzg } from "./anvil.ts";
import { BeaconStub } from "./beacon_stub.ts";
import { deployStandIns, type DevnetContracts } from "./contracts.ts";
import { type EngineSimulator, startEngineSimulator } from "./engine/engine_simulator.ts";
import { DemoPreconfer, DEVNET_PRECONFER_KEY, DEVNET_SLASHER } from "./preconfer.ts";
import type { ProposerDeps } from "./proposer.ts";

/** The devnet's L2 chain id (the Taiko devnet's). */
export const DEVNET_L2_CHAIN_ID = 167_001n;
/** Seconds between L1 blocks in the interactive devnet. */
export const DEVNET_L1_BLOCK_TIME_SECONDS = 1;

/** How to start the devnet. */
export interface DevnetOptions {
  /**
   * Seconds between L1 blocks; `null` mines a block per transaction (tests).
   * @default DEVNET_L1_BLOCK_TIME_SECONDS
   */
  readonly l1BlockTimeSeconds?: number | null;
  /**
   * How many L2 engine simulators to start (one per driver node); 0 runs the L1 side only.
   * @default 1
   */
  readonly engines?: number;
  /**
   * L2 chain id of the engines.
   * @default DEVNET_L2_CHAIN_ID
   */
  readonly l2ChainId?: bigint;
  /**
   * Key of the demo preconfer, made the whitelist operator of every epoch.
   * @default DEVNET_PRECONFER_KEY
   */
  readonly preconferKey?: Hex;
  /**
   * Beacon slot length the stub reports.
   * @default 12
   */
  readonly secondsPerSlot?: number;
}

/** Every URL and address a driver node needs, as `cli.ts` flags want them. */
export interface DevnetEndpoints {
  readonly l1Http: string;
  readonly l1Ws: string;
  readonly beacon: string;
  /** The beacon stub also serves `GET /blobs/{versionedHash}`. */
  readonly blobServer: string;
  readonly inbox: Address;
  readonly lookaheadStore: Address;
  readonly preconfWhitelist: Address;
  readonly jwtSecretPath: string;
  readonly engines: readonly { readonly publicUrl: string; readonly authUrl: string }[];
}

/** A running devnet. */
export interface Devnet extends AsyncDisposable {
  readonly anvil: Anvil;
  readonly contracts: DevnetContracts;
  readonly beacon: BeaconStub;
  readonly engines: readonly EngineSimulator[];
  readonly jwtSecret: Uint8Array;
  /** A private temp dir (JWT secret, node keys); removed by `stop()`. */
  readonly tempDir: string;
  readonly preconfer: DemoPreconfer;
  readonly l2ChainId: bigint;
  /** What the demo proposer needs to post to this devnet. */
  readonly proposerDeps: ProposerDeps;
  readonly endpoints: DevnetEndpoints;
  /** Stops every part in reverse start order and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts L1, contracts, beacon stub and L2 engines.
 *
 * @param options Block time, engine count, chain id, preconfer key, slot length.
 * @returns The running devnet.
 * @throws RangeError for a negative engine count; any error of a part, after stopping the others.
 * @example
 * ```ts ignore
 * await using devnet = await startDevnet({ engines: 2 });
 * console.log(devnet.endpoints);
 * ```
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const engineCount = options.engines ?? 1;
  if (!Number.isInteger(engineCount) || engineCount < 0) {
    throw new RangeError(
      `Cannot start a devnet with "${engineCount}" engines: expected a non-negative integer`,
    );
  }
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, "Cannot stop the devnet cleanly: some parts failed to stop");
    }
  };
  try {
    const anvil = await startAnvil({
      blockTimeSeconds: options.l1BlockTimeSeconds ?? DEVNET_L1_BLOCK_TIME_SECONDS,
      warmUpKzg: false,
    });
    stops.push(() => anvil.stop());
    // anvil loads its KZG setup while this process compiles the contracts.
    const warmUp = warmUpAnvilKzg(anvil.client);
    warmUp.catch(() => {});
    const preconfer = new DemoPreconfer({
      privateKey: options.preconferKey ?? DEVNET_PRECONFER_KEY,
      slasherAddress: DEVNET_SLASHER,
    });
    const contracts = await deployStandIns(anvil.url, {
      beaconGenesisTimestamp: anvil.genesisTimestamp,
      operators: [{ proposer: preconfer.address, sequencer: preconfer.address }],
    });
    await warmUp;
    const beacon = BeaconStub.start({
      genesisTimestamp: anvil.genesisTimestamp,
      l1Url: anvil.url,
      ...(options.secondsPerSlot === undefined ? {} : { secondsPerSlot: options.secondsPerSlot }),
    });
    stops.push(() => beacon.stop());
    const tempDir = await Deno.makeTempDir({ prefix: "taiko-devnet-" });
    stops.push(() => Deno.remove(tempDir, { recursive: true }));
    const jwtSecret = crypto.getRandomValues(new Uint8Array(32));
    const jwtSecretPath = `${tempDir}/jwt.hex`;
    await Deno.writeTextFile(
      jwtSecretPath,
      Array.from(jwtSecret, (b) => b.toString(16).padStart(2, "0")).join(""),
      {
        mode: 0o600,
      },
    );
    const l2ChainId = options.l2ChainId ?? DEVNET_L2_CHAIN_ID;
    const engines: EngineSimulator[] = [];
    for (let i = 0; i < engineCount; i++) {
      const engine = await startEngineSimulator({
        jwtSecret,
        chainId: l2ChainId,
        genesis: { timestamp: anvil.genesisTimestamp },
      });
      stops.push(() => engine.stop());
      engines.push(engine);
    }
    const endpoints: DevnetEndpoints = {
      l1Http: anvil.url,
      l1Ws: anvil.wsUrl,
      beacon: beacon.url,
      blobServer: beacon.url,
      inbox: contracts.inbox,
      lookaheadStore: contracts.lookaheadStore,
      preconfWhitelist: contracts.preconfWhitelist,
      jwtSecretPath,
      engines: engines.map((e) => ({ publicUrl: e.publicUrl, authUrl: e.authUrl })),
    };
    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> => (stopping ??= stopAll());
    return {
      anvil,
      contracts,
      beacon,
      engines,
      jwtSecret,
      tempDir,
      preconfer,
      l2ChainId,
      proposerDeps: { l1Url: anvil.url, inbox: contracts.inbox, beacon },
      endpoints,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}
