/**
 * Turns an accepted commitment and its decoded transactions into the engine payload attributes the
 * driver inserts (p2p.md §13.2). The maths (EIP-4396 base fee, mixHash, extraData, payload id,
 * txList encoding) is the driver's own `buildPreconfPayloadAttributes`, the same code L1
 * derivation uses, so the block preconfirmed here is the block derivation later produces
 * (lesson S-7). This file only gathers the inputs: the parent and grandparent headers (read, or
 * the ones the submitter just inserted) and the Inbox's fee-sharing percentage.
 *
 * @module
 */
import type { Hex } from "viem";
import {
  buildPreconfPayloadAttributes,
  type L2BlockHeader,
  type TaikoPayloadAttributes,
} from "../../driver/mod.ts";
import type { Preconfirmation } from "../p2p/wire/commitment.ts";
import { PreconfError } from "./errors.ts";
import type { PreconfChain } from "./types.ts";

/** The attributes of one block and the parent they were built on. */
export interface PreconfPayload {
  /** The attributes to submit. */
  readonly attributes: TaikoPayloadAttributes;
  /** The engine's block at `blockNumber - 1`: its hash is bound into the submission (lesson S-4). */
  readonly parent: L2BlockHeader;
}

/** Tuning of {@linkcode buildPreconfPayload}. */
export interface BuildPreconfPayloadOptions {
  /**
   * The chain's base-fee lower clamp, in wei.
   * @default {the driver's MIN_BASE_FEE}
   */
  readonly minBaseFee?: bigint;
  /**
   * Headers the caller itself just put in the engine (the blocks it inserted last), used instead of
   * reading the parent and grandparent when their numbers match and they link by hash. The
   * submission still binds the parent's hash, so a parent the engine no longer has is refused by
   * the driver (lesson S-4).
   * @default {[]} both headers are read
   */
  readonly knownHeaders?: readonly L2BlockHeader[];
}

/**
 * Builds the payload attributes of a preconfirmed block.
 *
 * @param chain L2 headers and the Inbox's fee-sharing percentage.
 * @param input The preconfirmation and its transactions (the preconfer's anchor first).
 * @param options The chain's minimum base fee and the headers the caller already holds.
 * @returns The attributes and the parent header they build on.
 * @throws {PreconfError} `PayloadBuild` when the parent or grandparent block is missing, or a value
 *   is out of range (block number, timestamp or gas limit beyond 64 bits, malformed transactions).
 *
 * @example
 * ```ts ignore
 * import { buildPreconfPayload } from "./payload_builder.ts";
 * const { attributes, parent } = await buildPreconfPayload(chain, { preconf, transactions });
 * ```
 */
export async function buildPreconfPayload(
  chain: PreconfChain,
  input: { readonly preconf: Preconfirmation; readonly transactions: readonly Hex[] },
  options: BuildPreconfPayloadOptions = {},
): Promise<PreconfPayload> {
  const { preconf } = input;
  const n = preconf.blockNumber;
  if (n < 1n) throw buildError(n, "block 0 is genesis and cannot be preconfirmed");
  const known = options.knownHeaders ?? [];
  const parent = known.find((h) => h.number === n - 1n) ?? await chain.l2Block(n - 1n);
  if (parent === null) throw buildError(n, `the parent block ${n - 1n} is not in the engine yet`);
  let grandparentTimestamp: bigint | null = null;
  if (parent.number > 0n) {
    const grandparent = known.find((h) => h.number === parent.number - 1n && h.hash === parent.parentHash) ??
      await chain.l2Block(parent.number - 1n);
    if (grandparent === null) throw buildError(n, `the grandparent block ${parent.number - 1n} is missing`);
    grandparentTimestamp = grandparent.timestamp;
  }
  const basefeeSharingPctg = await chain.basefeeSharingPctg();
  try {
    const attributes = buildPreconfPayloadAttributes({
      parent,
      grandparentTimestamp,
      blockNumber: n,
      timestamp: preconf.timestamp,
      gasLimit: preconf.gasLimit,
      coinbase: preconf.coinbase,
      proposalId: preconf.proposalId,
      basefeeSharingPctg,
      transactions: input.transactions,
      ...(options.minBaseFee === undefined ? {} : { minBaseFee: options.minBaseFee }),
    });
    return { attributes, parent };
  } catch (cause) {
    throw buildError(n, cause instanceof Error ? cause.message : String(cause), cause);
  }
}

function buildError(n: bigint, state: string, cause?: unknown): PreconfError {
  return new PreconfError("PayloadBuild", `Cannot build the payload of block ${n}: ${state}`, {
    ...(cause === undefined ? {} : { cause }),
    context: { blockNumber: n },
  });
}
