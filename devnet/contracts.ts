/**
 * Deploys the devnet's L1 contracts: a PreconfWhitelist stand-in, a LookaheadStore stand-in that
 * points at it, and a Shasta Inbox stand-in whose `getConfig().proposerChecker` is the LookaheadStore.
 * The three creations go out together with consecutive nonces, so they land in one block even with
 * interval mining.
 *
 * @module
 */
import { type Address, getContractAddress, type Hash, type Hex } from "viem";
import { compileStandIns } from "./compile_contracts.ts";
import { connectL1Wallet } from "./l1_wallet.ts";
import { inboxStandInAbi, lookaheadStoreStandInAbi, preconfWhitelistStandInAbi } from "./stand_in_abis.ts";

/** anvil's dev account #0 (public test key): owner of the stand-ins. */
export const DEVNET_DEPLOYER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** `basefeeSharingPctg` of the devnet's Inbox config. */
export const DEVNET_BASEFEE_SHARING_PCTG = 75;
/** How long to wait for the deployment receipts. */
export const DEPLOY_TIMEOUT_MS = 30_000;

/** Addresses of the deployed stand-ins. */
export interface DevnetContracts {
  readonly inbox: Address;
  readonly lookaheadStore: Address;
  readonly preconfWhitelist: Address;
  /** The deployer, allowed to call the owner-only devnet functions. */
  readonly owner: Address;
  /** The L1 block that holds the deployments. */
  readonly deployBlockNumber: bigint;
}

/** A whitelist operator: `proposer` is what `getOperatorFor*Epoch()` returns. */
export interface WhitelistOperator {
  readonly proposer: Address;
  readonly sequencer: Address;
}

/** How to deploy. */
export interface DeployStandInsOptions {
  /**
   * Beacon genesis the whitelist counts epochs from (the beacon stub's `genesis_time`).
   * @default the L1 genesis block's timestamp
   */
  readonly beaconGenesisTimestamp?: bigint;
  /**
   * Operators active from genesis.
   * @default [] (no operator: the whitelist returns the zero address)
   */
  readonly operators?: readonly WhitelistOperator[];
  /**
   * `basefeeSharingPctg` of the Inbox config, 0..100.
   * @default DEVNET_BASEFEE_SHARING_PCTG
   */
  readonly basefeeSharingPctg?: number;
  /**
   * The Inbox's `activationTimestamp()`; 0 uses the deployment block's timestamp.
   * @default 0n
   */
  readonly activationTimestamp?: bigint;
  /**
   * Private key of the deployer and owner.
   * @default DEVNET_DEPLOYER_KEY
   */
  readonly deployerKey?: Hex;
}

/**
 * Compiles (once per process) and deploys the three stand-ins.
 *
 * @param l1Url HTTP JSON-RPC endpoint of the L1.
 * @param options Whitelist genesis and operators, Inbox config, deployer key.
 * @returns The contract addresses.
 * @throws RangeError for a `basefeeSharingPctg` outside 0..100; Error when a deployment reverts.
 * @example
 * ```ts ignore
 * const contracts = await deployStandIns(anvil.url, { operators: [{ proposer, sequencer: proposer }] });
 * ```
 */
export async function deployStandIns(
  l1Url: string,
  options: DeployStandInsOptions = {},
): Promise<DevnetContracts> {
  const pctg = options.basefeeSharingPctg ?? DEVNET_BASEFEE_SHARING_PCTG;
  if (!Number.isInteger(pctg) || pctg < 0 || pctg > 100) {
    throw new RangeError(
      `Cannot deploy the Inbox with basefeeSharingPctg "${pctg}": expected an integer 0..100`,
    );
  }
  const compiled = compileStandIns();
  const { publicClient, wallet } = await connectL1Wallet(l1Url, options.deployerKey ?? DEVNET_DEPLOYER_KEY);
  const account = wallet.account;
  const beaconGenesis = options.beaconGenesisTimestamp ??
    (await publicClient.getBlock({ blockNumber: 0n })).timestamp;
  const operators = options.operators ?? [];

  const nonce = await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" });
  const preconfWhitelist = getContractAddress({ from: account.address, nonce: BigInt(nonce) });
  const lookaheadStore = getContractAddress({ from: account.address, nonce: BigInt(nonce + 1) });
  const inbox = getContractAddress({ from: account.address, nonce: BigInt(nonce + 2) });

  const hashes: Hash[] = [
    await wallet.deployContract({
      abi: preconfWhitelistStandInAbi,
      bytecode: compiled.PreconfWhitelistStandIn.bytecode,
      args: [beaconGenesis, operators.map((o) => o.proposer), operators.map((o) => o.sequencer)],
      nonce,
    }),
    await wallet.deployContract({
      abi: lookaheadStoreStandInAbi,
      bytecode: compiled.LookaheadStoreStandIn.bytecode,
      args: [preconfWhitelist],
      nonce: nonce + 1,
    }),
    await wallet.deployContract({
      abi: inboxStandInAbi,
      bytecode: compiled.ShastaInboxStandIn.bytecode,
      args: [lookaheadStore, pctg, Number(options.activationTimestamp ?? 0n)],
      nonce: nonce + 2,
    }),
  ];
  let deployBlockNumber = 0n;
  for (const hash of hashes) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: DEPLOY_TIMEOUT_MS });
    if (receipt.status !== "success") {
      throw new Error(`Cannot deploy the devnet contracts: transaction "${hash}" reverted`);
    }
    if (receipt.blockNumber > deployBlockNumber) deployBlockNumber = receipt.blockNumber;
  }
  return { inbox, lookaheadStore, preconfWhitelist, owner: account.address, deployBlockNumber };
}
