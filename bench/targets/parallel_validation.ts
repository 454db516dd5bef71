/**
 * Target 1 with both cores: the node's gossip path as PreconfNode wires it, the network checks
 * (`verifyCommitmentGossip`) with secp256k1 recovery on `SignaturePool` worker threads (one per CPU),
 * then `validateCommitment()` with that signer, against the real store and lookahead; a window of
 * commitments in flight as a busy gossip stream keeps. Wall-clock throughput; the event-loop
 * monitor watches the loop.
 *
 * @module
 */
import { verifyCommitmentGossip } from "../../runner/p2p/gossip_validation.ts";
import { SignaturePool } from "../../runner/preconf/signature_pool.ts";
import { validateCommitment } from "../../runner/preconf/validation.ts";
import type { BenchContext } from "../harness/context.ts";
import type { Measured } from "../harness/section.ts";
import { runSliced } from "../harness/time_slice.ts";
import {
  recoverAddressRaw,
  recoverAddressWasm,
  type RecoveryFixture,
  recoveryFixtures,
} from "../limits/crypto_limits.ts";
import { commitmentChain } from "../fixtures/commitment_chain.ts";
import { acceptingContext } from "./commitment_validation.ts";

/** Requests kept in flight. */
const WINDOW = 256;

/** Multi-core validation throughput, interleaved with the raw single-core limit. */
export interface ParallelFigures {
  /** Raw single-core recoveries per second (L1's library), in rounds alternating with the pool. */
  readonly rawPerSec: number;
  /** Raw single-core recoveries per second with the product's library (libsecp256k1-WASM), same rounds. */
  readonly wasmPerSec: number;
  readonly perSec: number;
  readonly workers: number;
  /** Recoveries the pool did on the event loop (overflow or stop). */
  readonly inline: number;
}

/**
 * Measures the gossip path's validation throughput with recovery on the pool.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @returns Commitments per second.
 * @throws {Error} A commitment is refused.
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
    const recoverSigner = pool.recoverSigner.bind(pool);
    const { store, stateAt } = acceptingContext(chain);
    // One clock for the whole run (commitments are validated concurrently): the last block's time.
    const state = stateAt(n - 1);
    const deps = { store, lookahead: chain.resolver, recoverSigner };
    const options = {
      signingDomain: chain.config.signingDomain,
      expectedSlasher: chain.config.expectedSlasher,
    };
    const one = async (i: number): Promise<void> => {
      const check = await verifyCommitmentGossip(chain.bytes[i % n] as Uint8Array, options, recoverSigner);
      if (!check.ok || check.kind !== "commitment") {
        throw new Error(`Commitment ${i % n} failed the network checks`);
      }
      const verdict = await validateCommitment(check.commitment, deps, chain.config, state, check.signer);
      if (!verdict.ok) throw new Error(`Commitment ${i % n} was refused: ${verdict.message}`);
    };
    await Promise.all(Array.from({ length: 2 * workers }, (_, i) => one(i)));
    const fixtures = recoveryFixtures(256);
    const raw = (i: number) => recoverAddressRaw(fixtures[i % fixtures.length] as RecoveryFixture);
    const wasm = (i: number) => recoverAddressWasm(fixtures[i % fixtures.length] as RecoveryFixture);
    const rounds = ctx.short ? 2 : 8;
    const roundMs = 500;
    const totals: Record<"raw" | "wasm" | "pool", [number, number]> = {
      raw: [0, 0],
      wasm: [0, 0],
      pool: [0, 0],
    };
    let next = 0;
    await measured(async () => {
      for (let r = 0; r < rounds; r++) {
        const rawRun = await runSliced(raw, { durationMs: roundMs });
        totals.raw[0] += rawRun.count;
        totals.raw[1] += rawRun.busyMs;
        const wasmRun = await runSliced(wasm, { durationMs: roundMs });
        totals.wasm[0] += wasmRun.count;
        totals.wasm[1] += wasmRun.busyMs;
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
    return {
      rawPerSec: rate(totals.raw),
      wasmPerSec: rate(totals.wasm),
      perSec: rate(totals.pool),
      workers,
      inline: pool.inlineRecoveries,
    };
  } finally {
    pool.stop();
  }
}
