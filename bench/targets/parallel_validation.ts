/**
 * Target 1 with both cores: the commitment's decode and signing hash on the event loop, secp256k1
 * recovery on `SignaturePool` worker threads (one per CPU), with a window of requests in flight as
 * a busy gossip stream would keep. Wall-clock throughput; the event-loop monitor watches the loop.
 *
 * @module
 */
import { decodeSignedCommitment } from "../../runner/p2p/wire/commitment.ts";
import { SignaturePool } from "../../runner/preconf/signature_pool.ts";
import type { BenchContext } from "../harness/context.ts";
import type { Measured } from "../harness/section.ts";
import { runSliced } from "../harness/time_slice.ts";
import { recoverAddressRaw, type RecoveryFixture, recoveryFixtures } from "../limits/crypto_limits.ts";
import { commitmentChain } from "../fixtures/commitment_chain.ts";

/** Requests kept in flight. */
const WINDOW = 256;

/** Multi-core recovery throughput, interleaved with the raw single-core limit. */
export interface ParallelFigures {
  /** Raw single-core recoveries per second, in rounds alternating with the pool. */
  readonly rawPerSec: number;
  readonly perSec: number;
  readonly workers: number;
  /** Recoveries the pool did on the event loop (overflow or stop). */
  readonly inline: number;
}

/**
 * Measures decode + pooled recovery throughput.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @returns Recoveries per second.
 * @throws {Error} A recovered signer is not the fixture's.
 */
export async function measureParallelValidation(
  ctx: BenchContext,
  measured: Measured,
): Promise<ParallelFigures> {
  const chain = commitmentChain(ctx.short ? 64 : 512);
  const workers = navigator.hardwareConcurrency;
  const pool = new SignaturePool({ workers });
  pool.start();
  try {
    const n = chain.bytes.length;
    const one = async (i: number): Promise<void> => {
      const signed = decodeSignedCommitment(chain.bytes[i % n] as Uint8Array);
      const signer = await pool.recoverSigner(signed, chain.config.signingDomain);
      if (signer !== chain.signer) throw new Error(`Pool recovered ${signer}, expected ${chain.signer}`);
    };
    await Promise.all(Array.from({ length: 2 * workers }, (_, i) => one(i)));
    const fixtures = recoveryFixtures(256);
    const raw = (i: number) => recoverAddressRaw(fixtures[i % fixtures.length] as RecoveryFixture);
    const rounds = ctx.short ? 2 : 8;
    const roundMs = 500;
    const totals: Record<"raw" | "pool", [number, number]> = { raw: [0, 0], pool: [0, 0] };
    let next = 0;
    await measured(async () => {
      for (let r = 0; r < rounds; r++) {
        const rawRun = await runSliced(raw, { durationMs: roundMs });
        totals.raw[0] += rawRun.count;
        totals.raw[1] += rawRun.busyMs;
        let count = 0;
        const start = performance.now();
        const end = start + roundMs;
        await Promise.all(Array.from({ length: WINDOW }, async () => {
          while (performance.now() < end) {
            await one(next++);
            count++;
          }
        }));
        totals.pool[0] += count;
        totals.pool[1] += performance.now() - start;
      }
    });
    const rate = ([count, ms]: [number, number]) => (count * 1000) / ms;
    return { rawPerSec: rate(totals.raw), perSec: rate(totals.pool), workers, inline: pool.inlineRecoveries };
  } finally {
    pool.stop();
  }
}
