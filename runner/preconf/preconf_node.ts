/**
 * The preconfirmation node: the lookahead (scanner and resolver), the signature pool, the client
 * and the P2P network, built and started in dependency order and stopped in reverse. Every signer
 * recovery (gossip, catch-up and RPC validation) runs on the pool's worker threads, so the event
 * loop never waits on secp256k1. It has the shape of the runner's
 * `RunnerNode` (`start`, `run(signal)`, `stop`), so the runner's `createPreconfNode` factory only
 * gathers its inputs.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { shastaChainConfig, type ShastaChainOverrides } from "../../driver/mod.ts";
import { runnerLogger } from "../log.ts";
import type { P2pMetrics } from "../p2p/metrics.ts";
import { P2pNetwork, type P2pNetworkOptions } from "../p2p/p2p_network.ts";
import {
  createLookahead,
  type CreateLookaheadOptions,
  type Lookahead,
} from "./lookahead/create_lookahead.ts";
import type { LookaheadL1 } from "./lookahead/l1_reader.ts";
import type { PreconfMetrics } from "./metrics.ts";
import { PreconfClient, type PreconfClientOptions } from "./preconf_client.ts";
import { SignaturePool } from "./signature_pool.ts";
import type { PreconfChain, PreconfDriver } from "./types.ts";

/** What the node is built from (the runner's driver port and proposal state, and the chain clients). */
export interface PreconfNodeParts {
  /** Submits blocks and tells the confirmed tip (the runner's forwarder). */
  readonly driver: PreconfDriver;
  /** The canonical proposal id and engine head, republished as they change. */
  readonly proposalState: {
    values(options?: { signal?: AbortSignal }): AsyncIterable<{
      readonly canonicalProposalId: bigint;
      readonly preconfTip: bigint;
    }>;
  };
  /** L2 headers, Inbox reads and the L1 head (`createPreconfChain`). */
  readonly chain: PreconfChain;
  /** The lookahead's L1 reads (`createLookaheadL1`). */
  readonly l1: LookaheadL1;
  /** The client's and the network's metrics, or `null`. */
  readonly metrics: { readonly preconf: PreconfMetrics; readonly p2p: P2pMetrics } | null;
}

/** How the node is set up. */
export interface PreconfNodeOptions {
  /** The L2 chain id, read from L2 `eth_chainId` (lesson K-1): topics and protocol ids. */
  readonly chainId: bigint;
  /** The slasher every commitment must name (lesson V-3). */
  readonly slasherAddress: Address;
  /** The 32-byte signing domain (lesson V-2). @default {DEFAULT_SIGNING_DOMAIN} */
  readonly signingDomain?: Hex;
  /** Where the lookahead's contracts and genesis time come from (Inbox and beacon URL). */
  readonly lookahead: CreateLookaheadOptions;
  /** P2P settings (addresses, peers, key file, limits); chain id, slasher and domain come from above. */
  readonly p2p?: Omit<P2pNetworkOptions, "chainId" | "expectedSlasher" | "signingDomain">;
  /** Shasta overrides of the chain table (fork time, offsets, minimum base fee). @default {{}} */
  readonly chainOverrides?: ShastaChainOverrides;
  /** Client tuning (bounds, catch-up, tick). @default {{}} */
  readonly client?: Omit<PreconfClientOptions, "expectedSlasher" | "signingDomain" | "chainRules">;
  /**
   * Worker threads recovering commitment signers; 0 recovers on the event loop instead.
   * @default {navigator.hardwareConcurrency}
   */
  readonly signatureWorkers?: number;
}

const log = runnerLogger("preconf");

/** The lookahead, client and network of one node. */
export class PreconfNode {
  readonly #lookahead: Lookahead;
  readonly #client: PreconfClient;
  readonly #network: P2pNetwork;
  readonly #pool: SignaturePool | null;
  readonly #parts: PreconfNodeParts;
  #started = false;

  private constructor(
    parts: PreconfNodeParts,
    lookahead: Lookahead,
    pool: SignaturePool | null,
    client: PreconfClient,
    network: P2pNetwork,
  ) {
    this.#parts = parts;
    this.#lookahead = lookahead;
    this.#pool = pool;
    this.#client = client;
    this.#network = network;
  }

  /**
   * Reads the lookahead contracts and genesis time, then builds the client and the network (nothing
   * is started).
   *
   * @param parts Driver port, proposal state, chain reads, L1 reads and metrics.
   * @param options Chain id, slasher, domain, lookahead sources, P2P settings.
   * @returns The node.
   * @throws {PreconfError} `Config` or `LookaheadRpc` when the lookahead cannot be set up.
   * @throws {SyncError} `UnsupportedChain` when the chain has no Shasta fork and no override.
   * @throws {TypeError} When the slasher, domain or a P2P address is malformed.
   * @throws {RangeError} When `signatureWorkers` is not a non-negative integer.
   */
  static async create(parts: PreconfNodeParts, options: PreconfNodeOptions): Promise<PreconfNode> {
    const rules = shastaChainConfig(options.chainId, options.chainOverrides ?? {});
    const workers = options.signatureWorkers ?? navigator.hardwareConcurrency;
    if (!Number.isInteger(workers) || workers < 0) {
      throw new RangeError(
        `Cannot create preconfirmation node: signatureWorkers must be a non-negative integer, got ${workers}`,
      );
    }
    // Workers start with the node (start()), so a node that is never started leaves no thread behind.
    const pool = workers === 0 ? null : new SignaturePool({ workers });
    const recovery = pool === null ? {} : { recoverSigner: pool.recoverSigner.bind(pool) };
    const lookahead = await createLookahead(
      { l1: parts.l1, metrics: parts.metrics?.preconf ?? null },
      options.lookahead,
    );
    const client = new PreconfClient(
      {
        driver: parts.driver,
        chain: parts.chain,
        lookahead: lookahead.resolver,
        metrics: parts.metrics?.preconf ?? null,
        ...recovery,
      },
      {
        ...options.client,
        expectedSlasher: options.slasherAddress,
        ...(options.signingDomain === undefined ? {} : { signingDomain: options.signingDomain }),
        chainRules: {
          shastaForkTimestamp: rules.shastaForkTimestamp,
          timestampMaxOffset: rules.timestampMaxOffset,
          maxAnchorOffset: rules.maxAnchorOffset,
          minBaseFee: rules.minBaseFee,
        },
      },
    );
    const network = new P2pNetwork(
      { storage: client.storage, validator: client, metrics: parts.metrics?.p2p ?? null, ...recovery },
      {
        ...options.p2p,
        chainId: options.chainId,
        expectedSlasher: options.slasherAddress,
        ...(options.signingDomain === undefined ? {} : { signingDomain: options.signingDomain }),
      },
    );
    client.attachNetwork(network);
    return new PreconfNode(parts, lookahead, pool, client, network);
  }

  /** The preconfirmation client (also the JSON-RPC server's backend). */
  get client(): PreconfClient {
    return this.#client;
  }

  /** The P2P network. */
  get network(): P2pNetwork {
    return this.#network;
  }

  /** The signature pool, or `null` when recoveries run on the event loop (`signatureWorkers: 0`). */
  get signaturePool(): SignaturePool | null {
    return this.#pool;
  }

  /** The lookahead (timeline, resolver, scanner). */
  get lookahead(): Lookahead {
    return this.#lookahead;
  }

  /**
   * Starts the signature pool's workers, the lookahead scanner, the network (listening, dialling
   * static peers) and the client (catch-up, background tick). On failure, what started is stopped
   * again.
   *
   * @returns When started.
   * @throws Whatever a part's start throws (for example the listen address is in use).
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      this.#pool?.start();
      this.#lookahead.scanner.start();
      await this.#network.start();
      await this.#client.start();
      log.info("Preconfirmation node started as {peerId} on {addresses}", {
        peerId: this.#network.peerId,
        addresses: this.#network.listenAddresses(),
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * Applies the runner's proposal state until the signal aborts.
   *
   * @param signal Ends the node's run.
   * @returns When the signal aborts.
   */
  async run(signal: AbortSignal): Promise<void> {
    await this.#client.followProposalState(this.#parts.proposalState, signal);
    if (!signal.aborted) {
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    }
  }

  /**
   * Stops the client, the network, the scanner and the signature pool's workers, in reverse order
   * (idempotent; recoveries still in flight finish on the calling thread).
   *
   * @returns When stopped.
   */
  async stop(): Promise<void> {
    this.#started = false;
    await this.#client.stop();
    await this.#network.stop().catch((error) =>
      log.warn("Stopping the P2P network failed: {error}", { error })
    );
    await this.#lookahead.scanner.stop();
    this.#pool?.stop();
  }
}
