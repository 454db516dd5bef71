/**
 * The driver's client bundle (spec/driver.md section 1.1): L1 over WebSocket, public L2 over HTTP,
 * the engine's authenticated port with a fresh HS256 JWT per request, the beacon API and an optional
 * blob server; the L2 chain id and the anchor address derived from it.
 *
 * @module
 */
import type { DriverConfig } from "../config.ts";
import { createEngineClient, type EngineClient } from "../engine/engine_client.ts";
import { readJwtSecret } from "../engine/jwt.ts";
import { DriverError } from "../errors.ts";
import type { Address } from "../hex.ts";
import { driverLogger } from "../log.ts";
import { anchorAddress, type ShastaChainOverrides } from "../shasta/chain_config.ts";
import { type BeaconClient, createBeaconClient } from "./beacon_client.ts";
import { type BlobCommitter, type BlobSource, createBlobSource } from "./blob_source.ts";
import { createL1Client, type L1Client } from "./l1_client.ts";
import { createL2Client, type L2Client } from "./l2_client.ts";

/** Everything the event syncer talks to. */
export interface DriverClient {
  /** L1 over WebSocket (reconnects on demand). */
  readonly l1: L1Client;
  /** The public L2 port. */
  readonly l2: L2Client;
  /** The engine's authenticated port. */
  readonly engine: EngineClient;
  /** The beacon API. */
  readonly beacon: BeaconClient;
  /** Blob retrieval (beacon, then blob server). */
  readonly blobs: BlobSource;
  /** The L2 chain id (`eth_chainId` on the public port). */
  readonly chainId: bigint;
  /** The L2 Anchor contract, derived from the chain id. */
  readonly anchorAddress: Address;
  /** The Shasta Inbox on L1. */
  readonly inboxAddress: Address;
  /** The config's per-chain overrides. */
  readonly chainOverrides?: ShastaChainOverrides;
  /**
   * Closes the L1 connection (the HTTP clients hold no connection). Idempotent.
   *
   * @returns When closed.
   */
  close(): Promise<void>;
}

/** Tuning of {@linkcode createDriverClient} beyond the config. */
export interface DriverClientOptions {
  /**
   * Recomputes blob commitments (viem's `Kzg` fits); without it blobs are bound to their versioned
   * hashes through the served commitment only.
   * @default {undefined}
   */
  readonly kzg?: BlobCommitter;
  /**
   * Deadline of one L1 request, in milliseconds.
   * @default {30_000}
   */
  readonly l1RequestTimeoutMs?: number;
  /**
   * Aborts the start-up reads.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

const log = driverLogger("client");

/**
 * Connects the driver: reads the JWT secret, asks L2 for its chain id, reads the beacon genesis and
 * slot length, and opens L1 lazily (on the first request).
 *
 * @example
 * ```ts ignore
 * import { createDriverClient } from "./driver_client.ts";
 * const client = await createDriverClient(validateDriverConfig(raw));
 * try {
 *   console.log(client.chainId, client.anchorAddress);
 * } finally {
 *   await client.close();
 * }
 * ```
 *
 * @param config The validated driver configuration.
 * @param options KZG backend, L1 deadline and signal.
 * @returns The connected client bundle.
 * @throws {DriverError} kind `Config` when the JWT file is missing or not 32 bytes of hex; kind `Rpc`
 *   when L2's chain id or the beacon's genesis or spec cannot be read.
 */
export async function createDriverClient(
  config: DriverConfig,
  options: DriverClientOptions = {},
): Promise<DriverClient> {
  const jwtSecret = await readJwtSecret(config.jwtSecretPath);
  const timeoutMs = config.httpTimeoutMs;
  const l2 = createL2Client({ url: config.l2Http, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const chainId = await l2.chainId();
  const anchor = anchorAddress(chainId);
  const engine = createEngineClient({
    url: config.l2Auth,
    jwtSecret,
    anchorAddress: anchor,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const beacon = await createBeaconClient(config.l1Beacon, {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const blobs = createBlobSource({ beacon }, {
    ...(config.blobServer === undefined ? {} : { blobServerUrl: config.blobServer }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(options.kzg === undefined ? {} : { kzg: options.kzg }),
  });
  let l1: L1Client;
  try {
    l1 = createL1Client(config.l1Ws, {
      ...(options.l1RequestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.l1RequestTimeoutMs }),
    });
  } catch (cause) {
    throw new DriverError("Config", `Cannot connect to L1: ${(cause as Error).message}`, { cause });
  }
  log.info("driver client ready {inbox} {anchor} {chainId}", { inbox: config.inboxAddress, anchor, chainId });
  return {
    l1,
    l2,
    engine,
    beacon,
    blobs,
    chainId,
    anchorAddress: anchor,
    inboxAddress: config.inboxAddress,
    ...(config.chainOverrides === undefined ? {} : { chainOverrides: config.chainOverrides }),
    close() {
      l1.close();
      return Promise.resolve();
    },
  };
}
