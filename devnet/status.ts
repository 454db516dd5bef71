/**
 * The devnet's one-line status: L1 head, proposals, preconfirmed tip (the L2 engine's `latest`),
 * confirmed tip (its head L1 origin: the highest L2 block an L1 proposal confirmed) and the driver
 * node's peer count. Every source is optional; a source that cannot be read shows as "-".
 *
 * @module
 */
import { type Address, createPublicClient, type Hex, http, type PublicClient } from "viem";
import { inboxStandInAbi } from "./stand_in_abis.ts";

/** Deadline of each status read. */
export const STATUS_READ_TIMEOUT_MS = 2_000;

/** One reading of the devnet. `null` means unknown (the source is absent or did not answer). */
export interface DevnetStatus {
  readonly l1Block: bigint | null;
  /** Proposals made so far (`nextProposalId - 1`). */
  readonly proposals: bigint | null;
  readonly preconfirmedTip: bigint | null;
  readonly confirmedTip: bigint | null;
  readonly peers: number | null;
}

/** Where the status comes from. */
export interface StatusSources {
  readonly l1Url: string;
  readonly inbox: Address;
  /** Public RPC of the first L2 engine, if any. */
  readonly l2Url: string | null;
  /** JSON-RPC of the first driver node, if any. */
  readonly runnerRpcUrl: string | null;
}

function client(url: string): PublicClient {
  return createPublicClient({
    transport: http(url, { retryCount: 0, timeout: STATUS_READ_TIMEOUT_MS }),
    cacheTime: 0,
  });
}

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** Reads the status from its sources; never throws. */
export class StatusReader {
  readonly #l1: PublicClient;
  readonly #inbox: Address;
  readonly #l2: PublicClient | null;
  readonly #runner: PublicClient | null;

  /** @param sources The L1, Inbox, first engine and first driver node. */
  constructor(sources: StatusSources) {
    this.#l1 = client(sources.l1Url);
    this.#inbox = sources.inbox;
    this.#l2 = sources.l2Url === null ? null : client(sources.l2Url);
    this.#runner = sources.runnerRpcUrl === null ? null : client(sources.runnerRpcUrl);
  }

  /**
   * Reads every source concurrently.
   *
   * @returns The status; unreadable fields are `null`.
   */
  async read(): Promise<DevnetStatus> {
    const l2 = this.#l2;
    const runner = this.#runner;
    const [l1Block, core, preconfirmedTip, headOrigin, status] = await Promise.all([
      orNull(() => this.#l1.getBlockNumber()),
      orNull(() =>
        this.#l1.readContract({ address: this.#inbox, abi: inboxStandInAbi, functionName: "getCoreState" })
      ),
      l2 === null ? null : orNull(() => l2.getBlockNumber()),
      l2 === null ? null : orNull(() => l2.request({ method: "taiko_headL1Origin", params: [] } as never)),
      runner === null
        ? null
        : orNull(() => runner.request({ method: "preconf_getStatus", params: [] } as never)),
    ]);
    const originId = (headOrigin as { blockID?: Hex } | null)?.blockID;
    const peerCount = (status as { peerCount?: unknown } | null)?.peerCount;
    return {
      l1Block,
      proposals: core === null ? null : BigInt(core.nextProposalId) - 1n,
      preconfirmedTip,
      confirmedTip: typeof originId === "string" ? BigInt(originId) : null,
      peers: typeof peerCount === "number" ? peerCount : null,
    };
  }
}

/**
 * Formats a status as one line.
 *
 * @param status The reading.
 * @returns E.g. `L1 #120 | proposals 3 | preconfirmed #14 | confirmed #12 | peers 1`.
 */
export function formatDevnetStatus(status: DevnetStatus): string {
  const show = (value: bigint | number | null, prefix = ""): string =>
    value === null ? "-" : `${prefix}${value}`;
  return [
    `L1 ${show(status.l1Block, "#")}`,
    `proposals ${show(status.proposals)}`,
    `preconfirmed ${show(status.preconfirmedTip, "#")}`,
    `confirmed ${show(status.confirmedTip, "#")}`,
    `peers ${show(status.peers)}`,
  ].join(" | ");
}
