/**
 * Per-chain Shasta parameters in one table (driver.md §4.9, lesson K-3), and the anchor address a
 * chain id implies (driver.md §1.1).
 *
 * @module
 */
import { getAddress } from "viem";
import type { Address } from "../hex.ts";
import { SyncError } from "../errors.ts";
import {
  MAX_ANCHOR_OFFSET,
  MIN_BASE_FEE,
  TAIKO_DEVNET_CHAIN_ID,
  TAIKO_HOODI_CHAIN_ID,
  TAIKO_MAINNET_CHAIN_ID,
  TIMESTAMP_MAX_OFFSET,
} from "./constants.ts";

/** The protocol parameters derivation needs for one L2 chain. */
export interface ShastaChainConfig {
  /** The L2 chain id. */
  readonly chainId: bigint;
  /** L2 timestamp from which Shasta derivation applies, in seconds. */
  readonly shastaForkTimestamp: bigint;
  /** The L2 Anchor contract, derived from the chain id. */
  readonly anchorAddress: Address;
  /** Furthest an anchor block may lag behind the proposal's origin L1 block, in L1 blocks. */
  readonly maxAnchorOffset: bigint;
  /** Furthest a block timestamp may lag behind the proposal's L1 timestamp, in seconds. */
  readonly timestampMaxOffset: bigint;
  /** Lower clamp of the EIP-4396 base fee, in wei. */
  readonly minBaseFee: bigint;
}

/** Operator overrides for a chain: any field given replaces the table's value (or supplies a missing one). */
export interface ShastaChainOverrides {
  /** L2 timestamp from which Shasta derivation applies, in seconds. Required for chains not in the table. */
  readonly shastaForkTimestamp?: bigint;
  /** Anchor lag bound, in L1 blocks. */
  readonly maxAnchorOffset?: bigint;
  /** Timestamp lag bound, in seconds. */
  readonly timestampMaxOffset?: bigint;
  /** Lower base-fee clamp, in wei. */
  readonly minBaseFee?: bigint;
}

/** One row of the chain table; `shastaForkTimestamp: null` means Shasta is not scheduled there yet. */
interface ChainRow {
  readonly name: string;
  readonly shastaForkTimestamp: bigint | null;
  readonly maxAnchorOffset: bigint;
  readonly timestampMaxOffset: bigint;
  readonly minBaseFee: bigint;
}

// Rationale per row: the Rust reference at a33b8f7d23 schedules Shasta only on the devnet (at genesis);
// Hoodi and mainnet are "Never", so running there needs an explicit operator override.
const CHAIN_TABLE: ReadonlyMap<bigint, ChainRow> = new Map([
  [TAIKO_DEVNET_CHAIN_ID, {
    name: "Taiko devnet",
    shastaForkTimestamp: 0n,
    maxAnchorOffset: MAX_ANCHOR_OFFSET,
    timestampMaxOffset: TIMESTAMP_MAX_OFFSET,
    minBaseFee: MIN_BASE_FEE,
  }],
  [TAIKO_HOODI_CHAIN_ID, {
    name: "Taiko Hoodi",
    shastaForkTimestamp: null,
    maxAnchorOffset: MAX_ANCHOR_OFFSET,
    timestampMaxOffset: TIMESTAMP_MAX_OFFSET,
    minBaseFee: MIN_BASE_FEE,
  }],
  [TAIKO_MAINNET_CHAIN_ID, {
    name: "Taiko mainnet",
    shastaForkTimestamp: null,
    maxAnchorOffset: MAX_ANCHOR_OFFSET,
    timestampMaxOffset: TIMESTAMP_MAX_OFFSET,
    minBaseFee: MIN_BASE_FEE,
  }],
]);

/**
 * The Shasta parameters of a chain: the table row with the operator's overrides applied.
 *
 * @param chainId The L2 chain id (from `eth_chainId`).
 * @param overrides Values that replace the table's; a chain outside the table needs at least
 *   `shastaForkTimestamp`.
 * @returns The complete parameter set.
 * @throws {SyncError} `UnsupportedChain` when the chain has no Shasta fork timestamp and none is given.
 * @throws {RangeError} When an override is negative.
 *
 * @example
 * ```ts
 * import { shastaChainConfig } from "./chain_config.ts";
 * const devnet = shastaChainConfig(167001n);
 * console.assert(devnet.shastaForkTimestamp === 0n);
 * const custom = shastaChainConfig(1337n, { shastaForkTimestamp: 1_700_000_000n });
 * console.assert(custom.anchorAddress === "0x1337000000000000000000000000000000010001");
 * ```
 */
export function shastaChainConfig(chainId: bigint, overrides: ShastaChainOverrides = {}): ShastaChainConfig {
  for (const [field, value] of Object.entries(overrides)) {
    if (typeof value === "bigint" && value < 0n) {
      throw new RangeError(
        `Cannot apply chain override "${field}" = ${value}: expected a non-negative value`,
      );
    }
  }
  const row = CHAIN_TABLE.get(chainId);
  const forkTimestamp = overrides.shastaForkTimestamp ?? row?.shastaForkTimestamp ?? null;
  if (forkTimestamp === null) {
    const what = row === undefined
      ? `chain ${chainId} is not in the Shasta chain table`
      : `Shasta is not scheduled on ${row.name} (${chainId})`;
    throw new SyncError(
      "UnsupportedChain",
      `Cannot derive Shasta blocks for chain ${chainId}: ${what}, set a Shasta fork timestamp override for it`,
      { context: { chainId } },
    );
  }
  return {
    chainId,
    shastaForkTimestamp: forkTimestamp,
    anchorAddress: anchorAddress(chainId),
    maxAnchorOffset: overrides.maxAnchorOffset ?? row?.maxAnchorOffset ?? MAX_ANCHOR_OFFSET,
    timestampMaxOffset: overrides.timestampMaxOffset ?? row?.timestampMaxOffset ?? TIMESTAMP_MAX_OFFSET,
    minBaseFee: overrides.minBaseFee ?? row?.minBaseFee ?? MIN_BASE_FEE,
  };
}

/**
 * The Shasta fork timestamp of a chain (driver.md §4.9).
 *
 * @param chainId The L2 chain id.
 * @param overrides Operator overrides; `shastaForkTimestamp` replaces the table's value.
 * @returns The fork timestamp, in seconds.
 * @throws {SyncError} `UnsupportedChain` when the chain has no Shasta fork timestamp and none is given.
 *
 * @example
 * ```ts
 * import { shastaForkTimestamp } from "./chain_config.ts";
 * console.assert(shastaForkTimestamp(167001n) === 0n);
 * ```
 */
export function shastaForkTimestamp(chainId: bigint, overrides: ShastaChainOverrides = {}): bigint {
  return shastaChainConfig(chainId, overrides).shastaForkTimestamp;
}

/**
 * The L2 Anchor contract address of a chain: `"0x" + decimal(chainId)`, zero padding, then `"10001"`,
 * 40 hex digits in all (alethia-reth `get_treasury_address`).
 *
 * @param chainId The L2 chain id; its decimal form must leave room for the `10001` suffix.
 * @returns The checksummed address.
 * @throws {RangeError} When the chain id is not positive or has more than 35 decimal digits.
 *
 * @example
 * ```ts
 * import { anchorAddress } from "./chain_config.ts";
 * console.assert(anchorAddress(167001n) === "0x1670010000000000000000000000000000010001");
 * ```
 */
export function anchorAddress(chainId: bigint): Address {
  const prefix = chainId.toString(10);
  const suffix = "10001";
  if (chainId <= 0n || prefix.length + suffix.length > 40) {
    throw new RangeError(
      `Cannot derive the anchor address of chain ${chainId}: expected 1 to 35 decimal digits`,
    );
  }
  return getAddress(`0x${prefix}${"0".repeat(40 - prefix.length - suffix.length)}${suffix}`);
}
