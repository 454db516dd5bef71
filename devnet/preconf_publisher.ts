/**
 * The demo preconfer's loop: every round it plans the next L2 block on top of the engine's `latest`
 * (timestamp, parent gas limit, an `anchorV4` transaction to a recent L1 block with the EIP-4396 base
 * fee and the golden-touch nonce, the whitelist epoch's submission window, the Inbox's next proposal
 * id), signs it with the {@link DemoPreconfer} and publishes it through the runner's
 * `preconf_publishBlock`.
 *
 * @module
 */
import { type Address, createPublicClient, type Hex, http, type PublicClient } from "viem";
import { buildAnchorV4Transaction } from "../driver/shasta/anchor_tx.ts";
import { nextBaseFeeEip4396 } from "../driver/shasta/base_fee.ts";
import { anchorAddress } from "../driver/shasta/chain_config.ts";
import { ANCHOR_GAS_LIMIT, GOLDEN_TOUCH_ADDRESS } from "../driver/shasta/constants.ts";
import { effectiveParentGasLimit } from "../driver/shasta/manifest_validation.ts";
import type { PreconfRpcClient, PublishResult } from "./preconf_rpc_client.ts";
import type { DemoPreconfer, PreconfBlock, PreconfMessage } from "./preconfer.ts";
import { inboxStandInAbi } from "./stand_in_abis.ts";

/** Seconds in a beacon epoch (32 slots of 12 s), as the whitelist stand-in counts them. */
export const EPOCH_SECONDS = 384n;
/** Seconds in a beacon slot. */
export const SLOT_SECONDS = 12n;
/** How many L1 blocks behind the head the anchor sits (a head block may still be reorged). */
export const ANCHOR_DEPTH_BLOCKS = 1n;

/** What the planner reads. */
export interface PreconfPlannerDeps {
  readonly l1Url: string;
  readonly inbox: Address;
  /** Public RPC of the L2 engine the block builds on. */
  readonly l2Url: string;
  /** Beacon genesis the submission windows count from. */
  readonly beaconGenesisTimestamp: bigint;
}

/** Plans consecutive preconfirmed blocks from L1 and L2 state. */
export class PreconfBlockPlanner {
  readonly #deps: PreconfPlannerDeps;
  readonly #l1: PublicClient;
  readonly #l2: PublicClient;

  /** @param deps L1, Inbox, L2 engine and beacon genesis. */
  constructor(deps: PreconfPlannerDeps) {
    this.#deps = deps;
    this.#l1 = createPublicClient({ transport: http(deps.l1Url, { retryCount: 0 }), cacheTime: 0 });
    this.#l2 = createPublicClient({ transport: http(deps.l2Url, { retryCount: 0 }), cacheTime: 0 });
  }

  /**
   * Plans the block after the L2 `latest`.
   *
   * @param options The wall clock in unix seconds and extra transactions after the anchor.
   * @returns The block's parameters and transactions (anchor first).
   * @throws Error when an L1 or L2 read fails.
   */
  async next(
    options: {
      /**
       * Unix seconds of "now".
       * @default the wall clock
       */
      readonly now?: bigint;
      /**
       * Transactions after the anchor.
       * @default []
       */
      readonly transactions?: readonly Hex[];
    } = {},
  ): Promise<PreconfBlock> {
    const now = options.now ?? BigInt(Math.floor(Date.now() / 1000));
    const parent = await this.#l2.getBlock({ blockTag: "latest" });
    const grandparent = parent.number === 0n
      ? parent
      : await this.#l2.getBlock({ blockHash: parent.parentHash });
    const chainId = BigInt(await this.#l2.getChainId());
    const l1Head = await this.#l1.getBlockNumber();
    const anchor = await this.#l1.getBlock({
      blockNumber: l1Head > ANCHOR_DEPTH_BLOCKS ? l1Head - ANCHOR_DEPTH_BLOCKS : 0n,
    });
    const nonce = BigInt(
      await this.#l2.getTransactionCount({ address: GOLDEN_TOUCH_ADDRESS, blockHash: parent.hash }),
    );
    const baseFeePerGas = nextBaseFeeEip4396(
      {
        number: parent.number,
        gasLimit: parent.gasLimit,
        gasUsed: parent.gasUsed,
        baseFeePerGas: parent.baseFeePerGas,
      },
      parent.timestamp - grandparent.timestamp,
    );
    const anchorTx = buildAnchorV4Transaction({
      chainId,
      nonce,
      baseFeePerGas,
      anchorAddress: anchorAddress(chainId),
      checkpoint: { blockNumber: anchor.number, blockHash: anchor.hash, stateRoot: anchor.stateRoot },
    });
    const core = await this.#l1.readContract({
      address: this.#deps.inbox,
      abi: inboxStandInAbi,
      functionName: "getCoreState",
    });
    const timestamp = now > parent.timestamp ? now : parent.timestamp + 1n;
    const genesis = this.#deps.beaconGenesisTimestamp;
    const epochStart = timestamp < genesis
      ? genesis
      : genesis + ((timestamp - genesis) / EPOCH_SECONDS) * EPOCH_SECONDS;
    return {
      blockNumber: parent.number + 1n,
      timestamp,
      // Keep the manifest gas limit (header minus the anchor budget) equal to the parent's, which
      // derivation always accepts; the genesis parent carries no anchor budget.
      gasLimit: effectiveParentGasLimit(parent.number, parent.gasLimit) + ANCHOR_GAS_LIMIT,
      anchorBlockNumber: anchor.number,
      submissionWindowEnd: epochStart + EPOCH_SECONDS - SLOT_SECONDS,
      proposalId: BigInt(core.nextProposalId),
      transactions: [anchorTx, ...(options.transactions ?? [])],
    };
  }
}

/** Plans, signs and publishes one block per call. */
export class PreconfPublisher {
  readonly #planner: PreconfBlockPlanner;
  readonly #preconfer: DemoPreconfer;
  readonly #rpc: PreconfRpcClient;

  /**
   * @param deps The planner, the signing preconfer and the runner's JSON-RPC client.
   */
  constructor(deps: { planner: PreconfBlockPlanner; preconfer: DemoPreconfer; rpc: PreconfRpcClient }) {
    this.#planner = deps.planner;
    this.#preconfer = deps.preconfer;
    this.#rpc = deps.rpc;
  }

  /**
   * Publishes the next block with `preconf_publishBlock`.
   *
   * @returns The signed message and the runner's answer.
   * @throws Error when planning fails or the runner rejects the block.
   */
  async publishNext(): Promise<{ message: PreconfMessage; result: PublishResult }> {
    const message = this.#preconfer.sign(await this.#planner.next());
    return { message, result: await this.#rpc.publishBlock(message) };
  }
}
