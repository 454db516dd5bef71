/**
 * The EIP-4396 base fee of Taiko Shasta blocks (alethia-reth `calculate_next_block_eip4396_base_fee`,
 * driver.md §4.8): the gas target scales with the parent's block time.
 *
 * @module
 */
import { MAX_BASE_FEE, MIN_BASE_FEE, SHASTA_INITIAL_BASE_FEE } from "./constants.ts";

/** The parent header fields the base fee depends on. */
export interface BaseFeeParent {
  /** The parent block number; 0 means genesis. */
  readonly number: bigint;
  /** The parent's header gas limit. */
  readonly gasLimit: bigint;
  /** Gas the parent's transactions used. */
  readonly gasUsed: bigint;
  /** `null` only for a pre-London parent; a non-genesis Shasta parent always has one. */
  readonly baseFeePerGas: bigint | null;
}

/** Clamps of the base fee. */
export interface BaseFeeOptions {
  /**
   * Lower clamp, in wei (per chain, see `ShastaChainConfig.minBaseFee`).
   * @default {MIN_BASE_FEE}
   */
  readonly minBaseFee?: bigint;
  /**
   * Upper clamp, in wei.
   * @default {MAX_BASE_FEE}
   */
  readonly maxBaseFee?: bigint;
}

/**
 * The base fee of the block after `parent`. A genesis parent gives 25 000 000 wei. Otherwise, with
 * `T = gasLimit / 2` and `adj = min(T · parentBlockTime / 2, gasLimit · 95 / 100)`, the parent's base
 * fee moves by `baseFee · |gasUsed − adj| / T / 8` (up by at least 1), then is clamped.
 *
 * @param parent The parent header.
 * @param parentBlockTime `parent.timestamp − grandparent.timestamp`, in seconds.
 * @param options Clamps.
 * @returns The base fee, in wei.
 * @throws {RangeError} When a non-genesis parent has no base fee, its gas limit is below 2, or the
 *   block time is negative.
 *
 * @example
 * ```ts
 * import { nextBaseFeeEip4396 } from "./base_fee.ts";
 * const parent = { number: 1n, gasLimit: 30_000_000n, gasUsed: 20_000_000n, baseFeePerGas: 900_000_000n };
 * console.assert(nextBaseFeeEip4396(parent, 2n) === 937_500_000n);
 * ```
 */
export function nextBaseFeeEip4396(
  parent: BaseFeeParent,
  parentBlockTime: bigint,
  options: BaseFeeOptions = {},
): bigint {
  if (parent.number === 0n) return SHASTA_INITIAL_BASE_FEE;
  if (parent.baseFeePerGas === null) {
    throw new RangeError(
      `Cannot compute the base fee after block ${parent.number}: the parent has no base fee`,
    );
  }
  if (parentBlockTime < 0n) {
    throw new RangeError(
      `Cannot compute the base fee after block ${parent.number}: block time ${parentBlockTime}s`,
    );
  }
  const target = parent.gasLimit / 2n;
  if (target === 0n) {
    throw new RangeError(
      `Cannot compute the base fee after block ${parent.number}: gas limit ${parent.gasLimit} gives no gas target`,
    );
  }
  const scaledTarget = target * parentBlockTime / 2n;
  const cap = parent.gasLimit * 95n / 100n;
  const adjusted = scaledTarget < cap ? scaledTarget : cap;

  let baseFee = parent.baseFeePerGas;
  if (parent.gasUsed > adjusted) {
    const delta = baseFee * (parent.gasUsed - adjusted) / target / 8n;
    baseFee += delta > 1n ? delta : 1n;
  } else if (parent.gasUsed < adjusted) {
    const delta = baseFee * (adjusted - parent.gasUsed) / target / 8n;
    baseFee = baseFee > delta ? baseFee - delta : 0n;
  }

  const min = options.minBaseFee ?? MIN_BASE_FEE;
  const max = options.maxBaseFee ?? MAX_BASE_FEE;
  if (baseFee < min) return min;
  return baseFee > max ? max : baseFee;
}
