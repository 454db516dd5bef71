/**
 * The L1 reads the lookahead needs, behind a small interface so the resolver and scanner can be
 * tested with a double and run on any viem client. `createLookaheadL1` adapts a viem public client.
 *
 * @module
 */
import type { Address, Hash, PublicClient } from "viem";
import { inboxAbi } from "../../../driver/mod.ts";
import { lookaheadStoreAbi, preconfWhitelistAbi } from "./abi.ts";
import type { LookaheadSlot } from "./timeline.ts";

/** A decoded lookahead-related L1 event. */
export type LookaheadEvent =
  | {
    readonly kind: "LookaheadPosted";
    readonly epochTimestamp: bigint;
    readonly slots: readonly LookaheadSlot[];
  }
  | { readonly kind: "Blacklisted" | "Unblacklisted"; readonly root: Hash; readonly timestamp: bigint }
  | {
    readonly kind: "OperatorAdded" | "OperatorRemoved";
    readonly proposer: Address;
    readonly sequencer: Address;
  };

/** One event with its L1 position. */
export interface LookaheadLog {
  /** The decoded event. */
  readonly event: LookaheadEvent;
  /** The L1 block that holds it. */
  readonly blockNumber: bigint;
  /** Its position in that block. */
  readonly logIndex: number;
}

/** The subset of an L1 block header the lookahead reads. */
export interface LookaheadL1Block {
  /** The block number. */
  readonly number: bigint;
  /** The block hash. */
  readonly hash: Hash;
  /** The block timestamp, in seconds. */
  readonly timestamp: bigint;
}

/** Which whitelist operator to read. */
export type WhitelistEpoch = "current" | "next";

/** The L1 reads of the lookahead resolver and scanner. */
export interface LookaheadL1 {
  /** `eth_blockNumber`. */
  headNumber(): Promise<bigint>;
  /** `eth_getBlockByNumber(n, false)`; `null` when absent. */
  block(number: bigint): Promise<LookaheadL1Block | null>;
  /** `PreconfWhitelist.getOperatorFor{Current,Next}Epoch()` at block `blockNumber`. */
  whitelistOperator(whitelist: Address, epoch: WhitelistEpoch, blockNumber: bigint): Promise<Address>;
  /** `eth_getLogs` for the lookahead events of both contracts in `[fromBlock, toBlock]`, in chain order. */
  logs(
    addresses: { readonly lookaheadStore: Address; readonly whitelist: Address },
    fromBlock: bigint,
    toBlock: bigint,
  ): Promise<LookaheadLog[]>;
  /** `LookaheadStore.preconfWhitelist()` and `getLookaheadStoreConfig().lookaheadBufferSize` at latest. */
  lookaheadStoreInfo(lookaheadStore: Address): Promise<{ whitelist: Address; lookaheadBufferSize: number }>;
  /** `Inbox.getConfig().proposerChecker`: the LookaheadStore address. */
  inboxProposerChecker(inbox: Address): Promise<Address>;
}

/**
 * Adapts a viem public client to {@linkcode LookaheadL1}.
 *
 * @param client A viem public client on L1.
 * @returns The lookahead's L1 reads.
 */
export function createLookaheadL1(client: PublicClient): LookaheadL1 {
  return {
    headNumber(): Promise<bigint> {
      return client.getBlockNumber({ cacheTime: 0 });
    },
    async block(number: bigint): Promise<LookaheadL1Block | null> {
      try {
        const block = await client.getBlock({ blockNumber: number });
        if (block.hash === null) return null;
        return { number, hash: block.hash, timestamp: block.timestamp };
      } catch (error) {
        if (error instanceof Error && error.name === "BlockNotFoundError") return null;
        throw error;
      }
    },
    whitelistOperator(whitelist: Address, epoch: WhitelistEpoch, blockNumber: bigint): Promise<Address> {
      return client.readContract({
        address: whitelist,
        abi: preconfWhitelistAbi,
        functionName: epoch === "current" ? "getOperatorForCurrentEpoch" : "getOperatorForNextEpoch",
        blockNumber,
      });
    },
    async logs(addresses, fromBlock, toBlock): Promise<LookaheadLog[]> {
      const [storeLogs, whitelistLogs] = await Promise.all([
        client.getLogs({
          address: addresses.lookaheadStore,
          events: lookaheadStoreEvents,
          fromBlock,
          toBlock,
          strict: true,
        }),
        client.getLogs({
          address: addresses.whitelist,
          events: whitelistEvents,
          fromBlock,
          toBlock,
          strict: true,
        }),
      ]);
      const out: LookaheadLog[] = [];
      for (const log of storeLogs) {
        if (log.blockNumber === null || log.logIndex === null) continue;
        const position = { blockNumber: log.blockNumber, logIndex: log.logIndex };
        switch (log.eventName) {
          case "LookaheadPosted":
            out.push({
              ...position,
              event: {
                kind: "LookaheadPosted",
                epochTimestamp: log.args.epochTimestamp,
                slots: log.args.lookaheadSlots.map((slot) => ({
                  committer: slot.committer,
                  timestamp: slot.timestamp,
                  registrationRoot: slot.registrationRoot,
                  validatorLeafIndex: slot.validatorLeafIndex,
                })),
              },
            });
            break;
          case "Blacklisted":
          case "Unblacklisted":
            out.push({
              ...position,
              event: {
                kind: log.eventName,
                root: log.args.operatorRegistrationRoot,
                timestamp: BigInt(log.args.timestamp),
              },
            });
            break;
        }
      }
      for (const log of whitelistLogs) {
        if (log.blockNumber === null || log.logIndex === null) continue;
        out.push({
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
          event: { kind: log.eventName, proposer: log.args.proposer, sequencer: log.args.sequencer },
        });
      }
      return out.sort((a, b) =>
        a.blockNumber < b.blockNumber ? -1 : a.blockNumber > b.blockNumber ? 1 : a.logIndex - b.logIndex
      );
    },
    async lookaheadStoreInfo(
      lookaheadStore: Address,
    ): Promise<{ whitelist: Address; lookaheadBufferSize: number }> {
      const [whitelist, config] = await Promise.all([
        client.readContract({
          address: lookaheadStore,
          abi: lookaheadStoreAbi,
          functionName: "preconfWhitelist",
        }),
        client.readContract({
          address: lookaheadStore,
          abi: lookaheadStoreAbi,
          functionName: "getLookaheadStoreConfig",
        }),
      ]);
      return { whitelist, lookaheadBufferSize: config.lookaheadBufferSize };
    },
    async inboxProposerChecker(inbox: Address): Promise<Address> {
      const config = await client.readContract({ address: inbox, abi: inboxAbi, functionName: "getConfig" });
      return config.proposerChecker;
    },
  };
}

const lookaheadStoreEvents = lookaheadStoreAbi.filter((item) => item.type === "event");
const whitelistEvents = preconfWhitelistAbi.filter((item) => item.type === "event");
