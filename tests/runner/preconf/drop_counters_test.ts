import assert from "node:assert/strict";
import { keccak256, toHex } from "viem";
import { Registry } from "prom-client";
import { DriverError } from "../../../driver/mod.ts";
import { createPreconfMetrics } from "../../../runner/preconf/metrics.ts";
import { PENDING_MAX_AGE_MS, PreconfClient } from "../../../runner/preconf/preconf_client.ts";
import { ChainDouble } from "./_chain_double.ts";
import { DriverDouble } from "./_driver_double.ts";
import {
  chain,
  commitment,
  emptyTxList,
  junkTxList,
  OTHER_KEY,
  SIGNER,
  SLASHER,
  ZERO_HASH,
} from "./_fixtures.ts";
import { ScriptedLookahead } from "./_lookahead_double.ts";

const LIST = emptyTxList();
const BUFFERED = /reason="(?:AwaitingParent|LookaheadNotYetKnown)"/;
const DROP_FAMILIES =
  /^(preconf_client_(?:validation_failures|dropped|equivocations)_total)(\{[^}]*\})? (\d+)$/;

function setup() {
  const clock = { ms: 1_030_000 };
  const l2 = new ChainDouble(0n);
  const driver = new DriverDouble(l2);
  const registry = new Registry();
  const lookahead = ScriptedLookahead.fixed(SIGNER, 2000n);
  const client = new PreconfClient(
    {
      driver,
      chain: l2,
      lookahead,
      metrics: createPreconfMetrics(registry),
    },
    {
      expectedSlasher: SLASHER,
      chainRules: { shastaForkTimestamp: 0n, timestampMaxOffset: 1536n, maxAnchorOffset: 128n },
      now: () => clock.ms,
      tickIntervalMs: 20,
      store: { maxPending: 1 },
    },
  );
  return { clock, driver, registry, lookahead, client };
}
type Env = ReturnType<typeof setup>;

/** Every non-zero sample of the drop counter families, as `name{labels}` → value. */
async function dropSamples(registry: Registry): Promise<Map<string, number>> {
  const samples = new Map<string, number>();
  for (const line of (await registry.metrics()).split("\n")) {
    const match = DROP_FAMILIES.exec(line);
    if (match === null || match[3] === "0") continue;
    // Buffered, not dropped: the commitment waits for its parent or its slot (p2p.md 4.2, lesson V-1).
    if (BUFFERED.test(match[2] ?? "")) continue;
    samples.set(`${match[1]}${match[2] ?? ""}`, Number(match[3]));
  }
  return samples;
}

const block1 = () => commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash });

const DROP_PATHS: { path: string; counter: string; drive: (env: Env) => Promise<void> }[] = [
  {
    path: "stale commitment (at or below the confirmed tip)",
    counter: 'preconf_client_validation_failures_total{reason="Stale"}',
    drive: async ({ client, driver }) => {
      driver.confirmedTip = 5n;
      await client.validateCommitment(
        commitment({ blockNumber: 5n, rawTxListHash: LIST.rawTxListHash }),
        "p",
      );
    },
  },
  {
    path: "stale at the driver (the confirmed tip passed it before insertion)",
    counter: 'preconf_client_dropped_total{reason="stale"}',
    drive: async ({ client, driver }) => {
      driver.script = [{ kind: "Stale", confirmedTip: 1n }];
      await client.validateRawTxList(LIST, "p");
      await client.validateCommitment(block1(), "p");
      await client.tick();
    },
  },
  {
    path: "unrecoverable signature",
    counter: 'preconf_client_validation_failures_total{reason="InvalidSignature"}',
    drive: async ({ client }) => {
      await client.validateCommitment({ ...block1(), signature: toHex(new Uint8Array(65)) }, "p");
    },
  },
  {
    path: "wrong slasher",
    counter: 'preconf_client_validation_failures_total{reason="SlasherMismatch"}',
    drive: async ({ client }) => {
      const signed = commitment({ blockNumber: 1n, slasher: "0x0000000000000000000000000000000000000bad" });
      await client.validateCommitment(signed, "p");
    },
  },
  {
    path: "wrong signer",
    counter: 'preconf_client_validation_failures_total{reason="SignerMismatch"}',
    drive: async ({ client }) => {
      await client.validateCommitment(commitment({ blockNumber: 1n, key: OTHER_KEY }), "p");
    },
  },
  {
    path: "wrong submission window end",
    counter: 'preconf_client_validation_failures_total{reason="SubmissionWindowMismatch"}',
    drive: async ({ client }) => {
      await client.validateCommitment(commitment({ blockNumber: 1n, submissionWindowEnd: 1999n }), "p");
    },
  },
  {
    path: "zero txlist hash without EOP",
    counter: 'preconf_client_validation_failures_total{reason="InvalidEop"}',
    drive: async ({ client }) => {
      await client.validateCommitment(commitment({ blockNumber: 1n, rawTxListHash: ZERO_HASH }), "p");
    },
  },
  {
    path: "broken parent link",
    counter: 'preconf_client_validation_failures_total{reason="ParentHashMismatch"}',
    drive: async ({ client, registry }) => {
      await client.validateCommitment(block1(), "p");
      const broken = commitment({ blockNumber: 2n, parentPreconfirmationHash: `0x${"77".repeat(32)}` });
      await client.validateCommitment(broken, "p");
      assert.equal((await dropSamples(registry)).size, 1, "block 1 was accepted, not dropped");
    },
  },
  {
    path: "txlist that does not hash to its declared hash",
    counter: 'preconf_client_validation_failures_total{reason="InvalidTxList"}',
    drive: async ({ client }) => {
      await client.validateRawTxList({ ...LIST, rawTxListHash: keccak256("0x01") }, "p");
    },
  },
  {
    path: "committed txlist that does not decode",
    counter: 'preconf_client_dropped_total{reason="txlist_undecodable"}',
    drive: async ({ client }) => {
      const junk = junkTxList();
      await client.validateRawTxList(junk, "p");
      await client.validateCommitment(
        commitment({ blockNumber: 1n, rawTxListHash: junk.rawTxListHash }),
        "p",
      );
      await client.tick();
    },
  },
  {
    path: "driver refusal that is not retryable",
    counter: 'preconf_client_dropped_total{reason="driver_error"}',
    drive: async ({ client, driver }) => {
      driver.script = [
        new DriverError("PreconfInjectionFailed", "Cannot insert block 1: engine said INVALID"),
      ];
      await client.validateRawTxList(LIST, "p");
      await client.validateCommitment(block1(), "p");
      await client.tick();
    },
  },
  {
    path: "equivocation (a second commitment for an accepted block)",
    counter: "preconf_client_equivocations_total",
    drive: async ({ client }) => {
      await client.validateCommitment(block1(), "p");
      await client.validateCommitment(
        commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash, gasLimit: 31_000_100n }),
        "q",
      );
    },
  },
  {
    path: "validation that fails on our side (the lookahead read throws)",
    counter: 'preconf_client_dropped_total{reason="validation_error"}',
    drive: async ({ client, lookahead }) => {
      lookahead.answer = () => {
        throw new Error("L1 unreachable");
      };
      await client.validateCommitment(block1(), "p");
    },
  },
  {
    path: "pending-buffer overflow",
    counter: 'preconf_client_dropped_total{reason="pending_full"}',
    drive: async ({ client }) => {
      const [, , three, four] = chain(1n, 4, () => ({ rawTxListHash: LIST.rawTxListHash }));
      await client.validateCommitment(three!, "p");
      await client.validateCommitment(four!, "p");
    },
  },
  {
    path: "pending entry older than the buffer's age bound",
    counter: 'preconf_client_dropped_total{reason="pending_expired"}',
    drive: async ({ client, clock }) => {
      const [, , three] = chain(1n, 3, () => ({ rawTxListHash: LIST.rawTxListHash }));
      await client.validateCommitment(three!, "p");
      clock.ms += PENDING_MAX_AGE_MS + 1;
      await client.tick();
    },
  },
];

Deno.test("L-5: each drop path of `PreconfClient` increments its own counter, and only that one", async (t) => {
  for (const { path, counter, drive } of DROP_PATHS) {
    await t.step(`${path} → ${counter}`, async () => {
      const env = setup();
      await drive(env);
      assert.deepEqual(Object.fromEntries(await dropSamples(env.registry)), { [counter]: 1 });
    });
  }
  assert.equal(new Set(DROP_PATHS.map((row) => row.counter)).size, DROP_PATHS.length);
});
