/**
 * The machine's raw crypto limits on one core, as issue 7 defines them: secp256k1 public-key
 * recovery to an address with `@noble/curves` 2.x (L1) and keccak256 with `@noble/hashes` (L2).
 *
 * The product recovers with libsecp256k1 in WebAssembly (internal/secp256k1.ts, about 2× L1), so
 * the validation rows also measure that library's raw rate ({@linkcode recoverAddressWasm}) in the
 * same rounds and report which fraction of it the product path reaches.
 *
 * @module
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { recoverAddressBytes } from "../../internal/secp256k1.ts";
import type { BenchContext } from "../harness/context.ts";
import { runSliced } from "../harness/time_slice.ts";
import { Prng } from "../fixtures/prng.ts";

/** Raw crypto throughput of this machine, single core. */
export interface CryptoLimits {
  /** secp256k1 recoveries to an address per second. */
  readonly recoverPerSec: number;
  /** keccak256 of a 349-byte preimage (the signing hash input) per second. */
  readonly keccakSmallPerSec: number;
  /** keccak256 throughput on 100 KiB inputs, in MiB/s. */
  readonly keccakMiBPerSec: number;
}

/** A digest and its signature, ready to recover. */
export interface RecoveryFixture {
  readonly digest: Uint8Array;
  readonly compact: Uint8Array;
  readonly v: number;
}

/**
 * Makes distinct signatures to recover (distinct keys and digests: no caching can help).
 *
 * @param count How many.
 * @returns The digests and signatures.
 */
export function recoveryFixtures(count: number): RecoveryFixture[] {
  const prng = new Prng(11);
  return Array.from({ length: count }, () => {
    const key = keccak_256(prng.bytes(32));
    const digest = keccak_256(prng.bytes(349));
    const recovered = secp256k1.sign(digest, key, { prehash: false, format: "recovered" });
    return { digest, compact: recovered.subarray(1), v: recovered[0] as number };
  });
}

/**
 * Recovers the 20-byte address of one fixture: the raw work a commitment check cannot avoid.
 *
 * @param f The fixture.
 * @returns The address bytes.
 */
export function recoverAddressRaw(f: RecoveryFixture): Uint8Array {
  const point = secp256k1.Signature.fromBytes(f.compact, "compact").addRecoveryBit(f.v).recoverPublicKey(
    f.digest,
  );
  return keccak_256(point.toBytes(false).subarray(1)).subarray(12);
}

/**
 * Recovers the 20-byte address of one fixture with the product's library, libsecp256k1 in
 * WebAssembly: the raw work of a commitment check as the product does it (no checksum, no hashing
 * of the commitment).
 *
 * @param f The fixture.
 * @returns The address bytes.
 */
export function recoverAddressWasm(f: RecoveryFixture): Uint8Array {
  return recoverAddressBytes(f.digest, f.compact, f.v);
}

/**
 * Measures the raw crypto limits.
 *
 * @param ctx The run.
 * @returns Recoveries per second and keccak throughput.
 */
export async function measureCryptoLimits(ctx: BenchContext): Promise<CryptoLimits> {
  const fixtures = recoveryFixtures(256);
  for (let i = 0; i < 64; i++) recoverAddressRaw(fixtures[i] as RecoveryFixture);
  const recovery = await runSliced(
    (i) => recoverAddressRaw(fixtures[i % fixtures.length] as RecoveryFixture),
    {
      durationMs: ctx.short ? 300 : 3_000,
    },
  );
  const prng = new Prng(5);
  const small = Array.from({ length: 64 }, () => prng.bytes(349));
  const smallRun = await runSliced((i) => keccak_256(small[i % small.length] as Uint8Array), {
    durationMs: ctx.short ? 100 : 1_000,
  });
  const large = prng.bytes(100 * 1024);
  const largeRun = await runSliced(() => keccak_256(large), { durationMs: ctx.short ? 100 : 1_000 });
  return {
    recoverPerSec: (recovery.count * 1000) / recovery.busyMs,
    keccakSmallPerSec: (smallRun.count * 1000) / smallRun.busyMs,
    keccakMiBPerSec: (largeRun.count * 100 / 1024 * 1000) / largeRun.busyMs,
  };
}
