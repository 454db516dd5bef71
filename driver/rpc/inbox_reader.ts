/**
 * Reads of the Shasta Inbox on L1 (spec/driver.md section 2.1): the core state at a block (EIP-1898
 * by hash, or a tag), the activation timestamp, and the `Proposed` logs of a block range.
 *
 * @module
 */
import { decodeFunctionResult, encodeFunctionData, toEventSelector } from "viem";
import type { Address, Hash } from "../hex.ts";
import { inboxAbi } from "../shasta/abi.ts";
import type { L1BlockSelector, L1Client, L1Log } from "./l1_client.ts";

/** The Inbox's `CoreState`. */
export interface InboxCoreState {
  /** The id the next proposal gets (so `nextProposalId - 1` is the newest proposal). */
  readonly nextProposalId: bigint;
  /** The L1 block of the newest proposal. */
  readonly lastProposalBlockId: bigint;
  /** The newest proven-and-finalized proposal. */
  readonly lastFinalizedProposalId: bigint;
  /** When it was finalized, in unix seconds. */
  readonly lastFinalizedTimestamp: bigint;
  /** When the last checkpoint was saved, in unix seconds. */
  readonly lastCheckpointTimestamp: bigint;
}

/** topic0 of `Proposed(uint48,address,bytes32,uint48,uint8,(bool,(bytes32[],uint24,uint48))[])`. */
export const PROPOSED_TOPIC: Hash = toEventSelector(
  inboxAbi.find((item) => item.type === "event" && item.name === "Proposed")!,
);

/**
 * `eth_call Inbox.getCoreState()` at a block.
 *
 * @example
 * ```ts ignore
 * const state = await readCoreState(l1, inbox, "latest");
 * ```
 *
 * @param l1 The L1 client.
 * @param inbox The Inbox address.
 * @param at Where to evaluate (a block hash is sent with `requireCanonical: false`).
 * @returns The core state, or `null` when no contract answers there (empty return data: the Inbox
 *   was not deployed yet at that block).
 * @throws When the call fails or the answer does not decode.
 */
export async function readCoreState(
  l1: L1Client,
  inbox: Address,
  at: L1BlockSelector,
): Promise<InboxCoreState | null> {
  const data = await l1.call({
    to: inbox,
    data: encodeFunctionData({ abi: inboxAbi, functionName: "getCoreState" }),
  }, at);
  if (data === "0x") return null;
  const state = decodeFunctionResult({ abi: inboxAbi, functionName: "getCoreState", data });
  return {
    nextProposalId: BigInt(state.nextProposalId),
    lastProposalBlockId: BigInt(state.lastProposalBlockId),
    lastFinalizedProposalId: BigInt(state.lastFinalizedProposalId),
    lastFinalizedTimestamp: BigInt(state.lastFinalizedTimestamp),
    lastCheckpointTimestamp: BigInt(state.lastCheckpointTimestamp),
  };
}

/**
 * `eth_call Inbox.activationTimestamp()` at the latest block.
 *
 * @param l1 The L1 client.
 * @param inbox The Inbox address.
 * @returns The activation timestamp in seconds, or `null` when the contract does not answer.
 * @throws When the call fails in transport.
 */
export async function readActivationTimestamp(l1: L1Client, inbox: Address): Promise<bigint | null> {
  const data = await l1.call(
    { to: inbox, data: encodeFunctionData({ abi: inboxAbi, functionName: "activationTimestamp" }) },
    "latest",
  );
  if (data === "0x") return null;
  return BigInt(decodeFunctionResult({ abi: inboxAbi, functionName: "activationTimestamp", data }));
}

/**
 * `eth_getLogs` for `Proposed` over an inclusive range.
 *
 * @param l1 The L1 client.
 * @param inbox The Inbox address.
 * @param range First and last block.
 * @returns The logs, oldest first.
 * @throws When the call fails.
 */
export function proposedLogs(
  l1: L1Client,
  inbox: Address,
  range: { fromBlock: bigint; toBlock: bigint },
): Promise<L1Log[]> {
  return l1.logs({ address: inbox, topic0: PROPOSED_TOPIC, ...range });
}
