/**
 * Owner-only calls on the LookaheadStore and PreconfWhitelist stand-ins, so tests and the devnet can
 * drive the preconfirmation lookahead resolver: post an epoch's lookahead, blacklist an operator, add
 * or remove a whitelist operator. Each call waits for its receipt and fails on a revert.
 *
 * @module
 */
import type { Address, Hash, Hex } from "viem";
import { DEVNET_DEPLOYER_KEY } from "./contracts.ts";
import { connectL1Wallet, type L1Wallet } from "./l1_wallet.ts";
import { lookaheadStoreStandInAbi, preconfWhitelistStandInAbi } from "./stand_in_abis.ts";

/** How long to wait for an admin call's receipt. */
export const ADMIN_RECEIPT_TIMEOUT_MS = 30_000;

/** One slot of a posted lookahead (`ILookaheadStore.LookaheadSlot`). */
export interface LookaheadSlot {
  readonly committer: Address;
  readonly timestamp: bigint;
  readonly registrationRoot: Hash;
  readonly validatorLeafIndex: bigint;
}

/** Where the stand-ins are and who owns them. */
export interface LookaheadAdminDeps {
  readonly l1Url: string;
  readonly lookaheadStore: Address;
  readonly preconfWhitelist: Address;
  /**
   * The owner's key (the deployer).
   * @default DEVNET_DEPLOYER_KEY
   */
  readonly ownerKey?: Hex;
}

/** A mined admin call. */
export interface AdminReceipt {
  readonly transactionHash: Hash;
  readonly blockNumber: bigint;
}

type WriteRequest = Parameters<L1Wallet["wallet"]["writeContract"]>[0];

async function send(deps: LookaheadAdminDeps, request: WriteRequest, action: string): Promise<AdminReceipt> {
  const { publicClient, wallet } = await connectL1Wallet(deps.l1Url, deps.ownerKey ?? DEVNET_DEPLOYER_KEY);
  const hash = await wallet.writeContract(request);
  const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: ADMIN_RECEIPT_TIMEOUT_MS });
  if (receipt.status !== "success") throw new Error(`Cannot ${action}: transaction "${hash}" reverted`);
  return { transactionHash: hash, blockNumber: receipt.blockNumber };
}

/**
 * Posts the lookahead of an epoch; the store emits `LookaheadPosted`.
 *
 * @param deps Stand-in addresses and owner key.
 * @param epochTimestamp The epoch's first slot timestamp.
 * @param slots The epoch's lookahead slots.
 * @returns The mined transaction.
 * @throws Error when the call reverts (for example from a key that is not the owner).
 */
export function postLookahead(
  deps: LookaheadAdminDeps,
  epochTimestamp: bigint,
  slots: readonly LookaheadSlot[],
): Promise<AdminReceipt> {
  return send(deps, {
    address: deps.lookaheadStore,
    abi: lookaheadStoreStandInAbi,
    functionName: "postLookahead",
    args: [epochTimestamp, slots],
  }, `post the lookahead of epoch ${epochTimestamp}`);
}

/**
 * Blacklists (`listed = true`, emits `Blacklisted`) or clears (`Unblacklisted`) an operator.
 *
 * @param deps Stand-in addresses and owner key.
 * @param registrationRoot The operator's URC registration root.
 * @param listed Whether the operator becomes blacklisted.
 * @returns The mined transaction.
 * @throws Error when the call reverts.
 */
export function setOperatorBlacklisted(
  deps: LookaheadAdminDeps,
  registrationRoot: Hash,
  listed: boolean,
): Promise<AdminReceipt> {
  return send(deps, {
    address: deps.lookaheadStore,
    abi: lookaheadStoreStandInAbi,
    functionName: listed ? "blacklistOperator" : "unblacklistOperator",
    args: [registrationRoot],
  }, `${listed ? "blacklist" : "unblacklist"} operator ${registrationRoot}`);
}

/**
 * Adds a whitelist operator, active from the next epoch (emits `OperatorAdded`).
 *
 * @param deps Stand-in addresses and owner key.
 * @param operator The proposer address (what `getOperatorFor*Epoch` returns) and its sequencer.
 * @returns The mined transaction.
 * @throws Error when the call reverts.
 */
export function addWhitelistOperator(
  deps: LookaheadAdminDeps,
  operator: { readonly proposer: Address; readonly sequencer: Address },
): Promise<AdminReceipt> {
  return send(deps, {
    address: deps.preconfWhitelist,
    abi: preconfWhitelistStandInAbi,
    functionName: "addOperator",
    args: [operator.proposer, operator.sequencer],
  }, `add whitelist operator ${operator.proposer}`);
}

/**
 * Removes a whitelist operator from the next epoch on (emits `OperatorRemoved`).
 *
 * @param deps Stand-in addresses and owner key.
 * @param proposer The operator's proposer address.
 * @returns The mined transaction.
 * @throws Error when the call reverts (also for an unknown operator).
 */
export function removeWhitelistOperator(deps: LookaheadAdminDeps, proposer: Address): Promise<AdminReceipt> {
  return send(deps, {
    address: deps.preconfWhitelist,
    abi: preconfWhitelistStandInAbi,
    functionName: "removeOperator",
    args: [proposer],
  }, `remove whitelist operator ${proposer}`);
}
