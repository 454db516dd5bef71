/**
 * The `anchorV4` transaction that opens every Shasta block (driver.md §4.7): an EIP-1559 transaction
 * from the golden-touch account, signed with a fixed ECDSA nonce so that every node derives the same
 * bytes.
 *
 * @module
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  encodeFunctionData,
  hexToBigInt,
  numberToHex,
  serializeTransaction,
  type Signature,
  type TransactionSerializableEIP1559,
} from "viem";
import { keccak256Bytes } from "../../internal/keccak.ts";
import type { Address, Hash, Hex } from "../hex.ts";
import { bytesFromHex, hexFromBytes } from "../hex_bytes.ts";
import { anchorAbi } from "./abi.ts";
import { ANCHOR_GAS_LIMIT, GOLDEN_TOUCH_PRIVATE_KEY, MAX_PROPOSAL_ID, MAX_UINT64 } from "./constants.ts";

/** The L1 block an L2 block anchors to. */
export interface AnchorCheckpoint {
  /** The L1 block number (`uint48`). */
  readonly blockNumber: bigint;
  /** The L1 block's hash. */
  readonly blockHash: Hash;
  /** The L1 block's state root. */
  readonly stateRoot: Hash;
}

/** Everything the anchor transaction depends on. */
export interface AnchorV4TransactionInput {
  /** The L2 chain id. */
  readonly chainId: bigint;
  /** The golden-touch account's nonce at the parent block. */
  readonly nonce: bigint;
  /** The block's base fee, used as `maxFeePerGas`, in wei. */
  readonly baseFeePerGas: bigint;
  /** The L2 Anchor contract. */
  readonly anchorAddress: Address;
  /** The L1 block to anchor to. */
  readonly checkpoint: AnchorCheckpoint;
}

/** Options of {@link signWithFixedK}. */
export interface FixedKOptions {
  /**
   * Use only this nonce instead of trying 1 and then 2 (for test vectors).
   * @default {undefined}
   */
  readonly k?: 1n | 2n;
}

const CURVE_ORDER = secp256k1.Point.Fn.ORDER;
const HALF_CURVE_ORDER = CURVE_ORDER >> 1n;
const GOLDEN_TOUCH_SCALAR = hexToBigInt(GOLDEN_TOUCH_PRIVATE_KEY);

/** What a fixed nonce k fixes in every signature: `R = k·G`, hence r, and the factors of s. */
interface FixedNonce {
  readonly k: bigint;
  /** `R.x mod n`. */
  readonly r: bigint;
  /** `r·d mod n`, d the golden-touch key. */
  readonly rd: bigint;
  /** `k⁻¹ mod n`. */
  readonly kInverse: bigint;
  /** The recovery id of R before low-s normalisation: bit 1 for `R.x ≥ n`, bit 0 for odd `R.y`. */
  readonly recovery: number;
}

// With k fixed, R and r are constants: signing is s = k⁻¹(e + r·d) mod n, a few bigint operations
// instead of a scalar multiplication per anchor transaction (64 of them per proposal).
const FIXED_NONCES: ReadonlyMap<bigint, FixedNonce> = new Map(
  [1n, 2n].map((k) => {
    const point = secp256k1.Point.BASE.multiply(k).toAffine();
    const r = point.x % CURVE_ORDER;
    return [k, {
      k,
      r,
      rd: r * GOLDEN_TOUCH_SCALAR % CURVE_ORDER,
      kInverse: secp256k1.Point.Fn.inv(k),
      recovery: (point.x >= CURVE_ORDER ? 2 : 0) | (point.y & 1n ? 1 : 0),
    }];
  }),
);

/**
 * Builds and signs the `anchorV4(checkpoint)` transaction: type 2, `maxPriorityFeePerGas` 0,
 * `maxFeePerGas` = base fee, gas 1 000 000, value 0, empty access list.
 *
 * @param input Chain, nonce, base fee, anchor contract and checkpoint.
 * @returns The signed transaction's EIP-2718 bytes.
 * @throws {RangeError} When the nonce exceeds 64 bits, the base fee 128 bits, or the checkpoint's
 *   block number 48 bits.
 *
 * @example
 * ```ts
 * import { buildAnchorV4Transaction } from "./anchor_tx.ts";
 * const tx = buildAnchorV4Transaction({
 *   chainId: 167001n, nonce: 0n, baseFeePerGas: 25_000_000n,
 *   anchorAddress: "0x1670010000000000000000000000000000010001",
 *   checkpoint: { blockNumber: 1n, blockHash: `0x${"11".repeat(32)}`, stateRoot: `0x${"22".repeat(32)}` },
 * });
 * console.assert(tx.startsWith("0x02"));
 * ```
 */
export function buildAnchorV4Transaction(input: AnchorV4TransactionInput): Hex {
  if (input.nonce < 0n || input.nonce > MAX_UINT64) {
    throw new RangeError(`Cannot build the anchor transaction: nonce ${input.nonce} is not a uint64`);
  }
  if (input.baseFeePerGas < 0n || input.baseFeePerGas >= 1n << 128n) {
    throw new RangeError(
      `Cannot build the anchor transaction: base fee ${input.baseFeePerGas} is not a uint128`,
    );
  }
  const { blockNumber, blockHash, stateRoot } = input.checkpoint;
  if (blockNumber < 0n || blockNumber > MAX_PROPOSAL_ID) {
    throw new RangeError(`Cannot build the anchor transaction: anchor block ${blockNumber} is not a uint48`);
  }
  const tx: TransactionSerializableEIP1559 = {
    type: "eip1559",
    chainId: Number(input.chainId),
    nonce: Number(input.nonce),
    maxPriorityFeePerGas: 0n,
    maxFeePerGas: input.baseFeePerGas,
    gas: ANCHOR_GAS_LIMIT,
    to: input.anchorAddress,
    value: 0n,
    data: encodeFunctionData({
      abi: anchorAbi,
      functionName: "anchorV4",
      args: [{ blockNumber: Number(blockNumber), blockHash, stateRoot }],
    }),
    accessList: [],
  };
  const signingHash = keccak256Bytes(bytesFromHex(serializeTransaction(tx)));
  return serializeTransaction(tx, signWithFixedK(signingHash));
}

/**
 * Signs a hash with the golden-touch key using the fixed nonce k = 1, or k = 2 if k = 1 yields s = 0
 * (not RFC 6979): `R = k·G`, `r = R.x mod n`, `s = k⁻¹(e + r·d) mod n`, then `s` is made low and the
 * recovery bit flipped accordingly.
 *
 * @param hash The 32-byte signing hash, as hex or bytes.
 * @param options Force one nonce.
 * @returns The signature as viem serializes it (`r`, `s`, `yParity`).
 * @throws {RangeError} When the hash is not 32 bytes, or the forced nonce yields `r = 0` or `s = 0`.
 *
 * @example
 * ```ts
 * import { signWithFixedK } from "./anchor_tx.ts";
 * const { r } = signWithFixedK(`0x${"44".repeat(32)}`);
 * console.assert(r === "0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
 * ```
 */
export function signWithFixedK(hash: Hash | Uint8Array, options: FixedKOptions = {}): Signature {
  const nonces = options.k === undefined ? [1n, 2n] : [options.k];
  const hex = typeof hash === "string" ? hash : hexFromBytes(hash);
  if (hex.length !== 66) throw new RangeError(`Cannot sign "${hex}": expected a 32-byte hash`);
  const e = hexToBigInt(hex) % CURVE_ORDER;
  for (const k of nonces) {
    const fixed = FIXED_NONCES.get(k) as FixedNonce;
    let s = fixed.kInverse * ((e + fixed.rd) % CURVE_ORDER) % CURVE_ORDER;
    if (fixed.r === 0n || s === 0n) continue;
    let recovery = fixed.recovery;
    if (s > HALF_CURVE_ORDER) {
      s = CURVE_ORDER - s;
      recovery ^= 1;
    }
    return { r: numberToHex(fixed.r, { size: 32 }), s: numberToHex(s, { size: 32 }), yParity: recovery & 1 };
  }
  throw new RangeError(
    `Cannot sign "${hex}" with the fixed nonce ${nonces.join(" or ")}: the signature is zero`,
  );
}
