/**
 * Target 1, commitment validation: decode, signing hash, recovery and every check against the store
 * and the lookahead (`validateCommitment` with a real `CommitmentStore` holding each parent and a
 * real `LookaheadResolver` on a posted schedule), on one core; and the same work on the gossip path,
 * where the network layer's checks (`checkCommitmentGossip`) run first.
 *
 * @module
 */
import { checkCommitmentGossip } from "../../runner/p2p/gossip_validation.ts";
import { decodeSignedCommitment } from "../../runner/p2p/wire/commitment.ts";
import { CommitmentStore } from "../../runner/preconf/commitment_store.ts";
import { validateCommitment, type ValidationState } from "../../runner/preconf/validation.ts";
import type { BenchContext } from "../harness/context.ts";
import type { Measured } from "../harness/section.ts";
import { runSliced } from "../harness/time_slice.ts";
import {
  recoverAddressRaw,
  recoverAddressWasm,
  type RecoveryFixture,
  recoveryFixtures,
} from "../limits/crypto_limits.ts";
import { BENCH_ANCHOR_BLOCK, type CommitmentChain, commitmentChain } from "../fixtures/commitment_chain.ts";

/** Validation throughput on one core, interleaved with the raw recovery limit. */
export interface ValidationFigures {
  /** Raw recoveries per second (L1's library), measured in rounds alternating with the product paths. */
  readonly rawPerSec: number;
  /** Raw recoveries per second with the product's library (libsecp256k1-WASM), in the same rounds. */
  readonly wasmPerSec: number;
  /** decode + validateCommitment, per second. */
  readonly clientPerSec: number;
  /** checkCommitmentGossip + validateCommitment with the recovered signer (the gossip path), per second. */
  readonly gossipPathPerSec: number;
  /** Commitments in the chain the figures cycle through. */
  readonly chainLength: number;
}

/**
 * Builds the store and state under which every commitment of the chain validates.
 *
 * @param chain The chain.
 * @returns The store holding every block (so each finds its parent) and a state factory.
 */
export function acceptingContext(chain: CommitmentChain): {
  store: CommitmentStore;
  stateAt: (i: number) => ValidationState;
} {
  const store = new CommitmentStore();
  for (const record of chain.records) store.accept(record);
  const stateAt = (i: number): ValidationState => {
    const timestamp = chain.signed[i]?.commitment.preconf.timestamp ?? 0n;
    chain.clock.now = timestamp;
    return {
      confirmedTip: 0n,
      preconfTip: 0n,
      canonicalProposalId: 0n,
      nowSeconds: timestamp,
      l1Head: BENCH_ANCHOR_BLOCK + 1n,
    };
  };
  return { store, stateAt };
}

/**
 * Measures validation throughput.
 *
 * @param ctx The run.
 * @param measured Marks the measured part.
 * @returns Commitments per second on both paths.
 * @throws {Error} A fixture commitment is refused (the benchmark would measure a short cut).
 */
export async function measureCommitmentValidation(
  ctx: BenchContext,
  measured: Measured,
): Promise<ValidationFigures> {
  const chain = commitmentChain(ctx.short ? 200 : 1_500);
  const { store, stateAt } = acceptingContext(chain);
  const deps = { store, lookahead: chain.resolver };
  const n = chain.bytes.length;

  const client = async (i: number): Promise<void> => {
    const k = i % n;
    const signed = decodeSignedCommitment(chain.bytes[k] as Uint8Array);
    const verdict = await validateCommitment(signed, deps, chain.config, stateAt(k));
    if (!verdict.ok) throw new Error(`Benchmark commitment ${k} was refused: ${verdict.message}`);
  };
  const gossip = async (i: number): Promise<void> => {
    const k = i % n;
    const check = checkCommitmentGossip(chain.bytes[k] as Uint8Array, {
      signingDomain: chain.config.signingDomain,
      expectedSlasher: chain.config.expectedSlasher,
    });
    if (!check.ok || check.kind !== "commitment") {
      throw new Error(`Benchmark commitment ${k} failed the network checks`);
    }
    // As the node does: the signer the network layer recovered is handed on, not recovered again.
    const verdict = await validateCommitment(check.commitment, deps, chain.config, stateAt(k), check.signer);
    if (!verdict.ok) throw new Error(`Benchmark commitment ${k} was refused: ${verdict.message}`);
  };
  const fixtures = recoveryFixtures(256);
  const raw = (i: number) => recoverAddressRaw(fixtures[i % fixtures.length] as RecoveryFixture);
  const wasm = (i: number) => recoverAddressWasm(fixtures[i % fixtures.length] as RecoveryFixture);
  for (let i = 0; i < 50; i++) {
    await client(i);
    await gossip(i);
    raw(i);
    wasm(i);
  }
  // Alternating short rounds: on a shared machine the load changes, and each ratio must compare
  // figures taken under the same load.
  const rounds = ctx.short ? 3 : 15;
  const roundMs = 200;
  const totals: Record<"raw" | "wasm" | "client" | "gossip", [number, number]> = {
    raw: [0, 0],
    wasm: [0, 0],
    client: [0, 0],
    gossip: [0, 0],
  };
  await measured(async () => {
    for (let r = 0; r < rounds; r++) {
      const steps = [["raw", raw], ["wasm", wasm], ["client", client], ["gossip", gossip]] as const;
      for (const [key, step] of steps) {
        const run = await runSliced(step, { durationMs: roundMs });
        totals[key][0] += run.count;
        totals[key][1] += run.busyMs;
      }
    }
  });
  const rate = ([count, ms]: [number, number]) => (count * 1000) / ms;
  return {
    rawPerSec: rate(totals.raw),
    wasmPerSec: rate(totals.wasm),
    clientPerSec: rate(totals.client),
    gossipPathPerSec: rate(totals.gossip),
    chainLength: n,
  };
}
