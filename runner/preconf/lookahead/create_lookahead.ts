/**
 * Builds the lookahead of a node: finds the LookaheadStore (the Inbox's `proposerChecker`) and the
 * whitelist, takes genesis time from the beacon API, and wires one shared timeline, its L1
 * scanner and the resolver every user asks (p2p.md §15, lesson V-5).
 *
 * @module
 */
import type { Address } from "viem";
import { PreconfError } from "../errors.ts";
import type { PreconfMetrics } from "../metrics.ts";
import { fetchBeaconGenesisTime } from "./beacon_genesis.ts";
import type { LookaheadL1 } from "./l1_reader.ts";
import { LookaheadResolver, type LookaheadResolverOptions } from "./resolver.ts";
import { LookaheadScanner, type LookaheadScannerOptions } from "./scanner.ts";
import { LOOKAHEAD_CACHE_MAX_EPOCHS, LookaheadTimeline } from "./timeline.ts";

/** The parts of a node's lookahead. */
export interface Lookahead {
  /** The state shared by the scanner and the resolver. */
  readonly timeline: LookaheadTimeline;
  /** Answers who may sign for a timestamp. */
  readonly resolver: LookaheadResolver;
  /** Keeps the timeline fed from L1. */
  readonly scanner: LookaheadScanner;
  /** The LookaheadStore in use. */
  readonly lookaheadStore: Address;
  /** The PreconfWhitelist in use. */
  readonly whitelist: Address;
}

/** Where the lookahead's inputs come from. */
export interface CreateLookaheadOptions {
  /** The Shasta Inbox (its `getConfig().proposerChecker` is the LookaheadStore); or give `lookaheadStore`. */
  readonly inbox?: Address;
  /** The LookaheadStore, when known without asking the Inbox. */
  readonly lookaheadStore?: Address;
  /** The beacon API base URL (genesis time); or give `genesisTime`. */
  readonly beaconUrl?: string;
  /** The beacon genesis time in seconds, when known. */
  readonly genesisTime?: bigint;
  /** Resolver tuning (lookback, settle margin, clock). @default {{}} */
  readonly resolver?: Omit<LookaheadResolverOptions, "whitelist">;
  /** Scanner tuning (poll interval, backfill). @default {{}} */
  readonly scanner?: Omit<LookaheadScannerOptions, "lookaheadStore" | "whitelist">;
}

/**
 * Reads the contract addresses and the genesis time, and builds the lookahead (scanner not started).
 *
 * @param deps L1 reads and metrics.
 * @param options Inbox or LookaheadStore, beacon URL or genesis time, tuning.
 * @returns The timeline, resolver and scanner.
 * @throws {PreconfError} `Config` when neither address or neither time source is given;
 *   `LookaheadRpc` when an L1 or beacon read fails.
 *
 * @example
 * ```ts ignore
 * import { createLookahead } from "./create_lookahead.ts";
 * const lookahead = await createLookahead({ l1, metrics: null }, { inbox, beaconUrl });
 * lookahead.scanner.start();
 * ```
 */
export async function createLookahead(
  deps: { l1: LookaheadL1; metrics: PreconfMetrics | null },
  options: CreateLookaheadOptions,
): Promise<Lookahead> {
  let genesisTime = options.genesisTime;
  if (genesisTime === undefined) {
    if (options.beaconUrl === undefined) {
      throw new PreconfError("Config", "Cannot build the lookahead: give a beacon URL or a genesis time");
    }
    genesisTime = await fetchBeaconGenesisTime(options.beaconUrl);
  }
  let lookaheadStore = options.lookaheadStore;
  let whitelist: Address;
  let bufferSize: number;
  try {
    if (lookaheadStore === undefined) {
      if (options.inbox === undefined) {
        throw new PreconfError(
          "Config",
          "Cannot build the lookahead: give the Inbox or the LookaheadStore address",
        );
      }
      lookaheadStore = await deps.l1.inboxProposerChecker(options.inbox);
    }
    ({ whitelist, lookaheadBufferSize: bufferSize } = await deps.l1.lookaheadStoreInfo(lookaheadStore));
  } catch (cause) {
    if (cause instanceof PreconfError) throw cause;
    throw new PreconfError(
      "LookaheadRpc",
      `Cannot read the lookahead contracts: ${
        (cause as Error).message ?? cause
      }, check the L1 URL and the Inbox address`,
      { cause },
    );
  }
  const timeline = new LookaheadTimeline({
    genesisTime,
    maxEpochs: Math.max(2, Math.min(bufferSize + 1, LOOKAHEAD_CACHE_MAX_EPOCHS)),
  });
  const resolver = new LookaheadResolver({ timeline, l1: deps.l1 }, { ...options.resolver, whitelist });
  const scanner = new LookaheadScanner(
    { l1: deps.l1, timeline, metrics: deps.metrics },
    { ...options.scanner, lookaheadStore, whitelist },
  );
  return { timeline, resolver, scanner, lookaheadStore, whitelist };
}
