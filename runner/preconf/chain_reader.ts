/**
 * The chain reads of the preconfirmation client over real clients: L2 headers through the driver's
 * L2 client, the Inbox's `getConfig()` and `getCoreState()` and the L1 head through a viem public
 * client on L1.
 *
 * @module
 */
import type { Address, PublicClient } from "viem";
import { inboxAbi, type L2Client } from "../../driver/mod.ts";
import type { L2BlockHeader } from "../../driver/mod.ts";
import type { PreconfChain } from "./types.ts";

/**
 * How long the Inbox's `basefeeSharingPctg` is reused before it is read again (one L1 slot; it only
 * changes by governance, so a block built meanwhile uses the value derivation will also see).
 */
export const INBOX_CONFIG_CACHE_MS = 12_000;

/** The clients the chain reads go through. */
export interface PreconfChainSources {
  /** L1 (Inbox reads, head). */
  readonly l1: PublicClient;
  /**
   * L2: headers, and the head's number from `eth_blockNumber` (the `latest` header's answer lists
   * every transaction hash of the head block, about 13 KB of JSON for a block of 190 transactions).
   */
  readonly l2: Pick<L2Client, "blockByNumber" | "blockNumber">;
  /** The Shasta Inbox on L1. */
  readonly inboxAddress: Address;
}

/**
 * Builds the client's chain reads.
 *
 * @param sources L1 and L2 clients and the Inbox address.
 * @param options How long the Inbox config is cached.
 * @returns The reads.
 *
 * @example
 * ```ts ignore
 * import { createPreconfChain } from "./chain_reader.ts";
 * const chain = createPreconfChain({ l1, l2, inboxAddress });
 * const head = await chain.l2Head();
 * ```
 */
export function createPreconfChain(
  sources: PreconfChainSources,
  options: { configCacheMs?: number; now?: () => number } = {},
): PreconfChain {
  const cacheMs = options.configCacheMs ?? INBOX_CONFIG_CACHE_MS;
  const now = options.now ?? Date.now;
  let pctg: { value: number; readAt: number } | null = null;
  return {
    l2Block(number: bigint): Promise<L2BlockHeader | null> {
      return sources.l2.blockByNumber(number);
    },
    l2Head(): Promise<bigint> {
      return sources.l2.blockNumber();
    },
    async basefeeSharingPctg(): Promise<number> {
      if (pctg !== null && now() - pctg.readAt < cacheMs) return pctg.value;
      const config = await sources.l1.readContract({
        address: sources.inboxAddress,
        abi: inboxAbi,
        functionName: "getConfig",
      });
      pctg = { value: config.basefeeSharingPctg, readAt: now() };
      return pctg.value;
    },
    l1Head(): Promise<bigint> {
      return sources.l1.getBlockNumber({ cacheTime: 0 });
    },
    async inboxNextProposalId(): Promise<bigint> {
      const state = await sources.l1.readContract({
        address: sources.inboxAddress,
        abi: inboxAbi,
        functionName: "getCoreState",
      });
      return BigInt(state.nextProposalId);
    },
  };
}
