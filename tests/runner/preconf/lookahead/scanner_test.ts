import assert from "node:assert/strict";
import { Registry } from "prom-client";
import type { Address, Hash } from "viem";
import { LookaheadScanner } from "../../../../runner/preconf/lookahead/scanner.ts";
import { LookaheadTimeline } from "../../../../runner/preconf/lookahead/timeline.ts";
import { createPreconfMetrics } from "../../../../runner/preconf/metrics.ts";
import { FakeLookaheadL1 } from "./_fake_l1.ts";

const GENESIS = 1000n;
const E2 = 1768n;
const ADDRESSES = {
  lookaheadStore: "0x00000000000000000000000000000000000000a1" as Address,
  whitelist: "0x00000000000000000000000000000000000000aa" as Address,
};
const A: Address = "0x000000000000000000000000000000000000000a";
const B: Address = "0x000000000000000000000000000000000000000b";
const ROOT: Hash = `0x${"22".repeat(32)}`;

function operatorFor(epoch: "current" | "next", blockNumber: bigint): Address {
  return `0x${
    (epoch === "current" ? 0xc0n + blockNumber : 0xd0n + blockNumber).toString(16).padStart(40, "0")
  }`;
}

function setup(): { l1: FakeLookaheadL1; timeline: LookaheadTimeline; scanner: LookaheadScanner } {
  const l1 = new FakeLookaheadL1();
  l1.operator = operatorFor;
  const timeline = new LookaheadTimeline({ genesisTime: GENESIS });
  const scanner = new LookaheadScanner({ l1, timeline, metrics: null }, {
    ...ADDRESSES,
    now: () => E2 + 100n,
  });
  return { l1, timeline, scanner };
}

Deno.test("`LookaheadScanner.scanOnce()` backfills a posted schedule with the next-epoch fallback read at its block", async () => {
  const { l1, timeline, scanner } = setup();
  l1.mine([GENESIS, 1100n, 1500n, 1600n, E2 + 12n]);
  l1.events.push({
    blockNumber: 3n,
    logIndex: 0,
    event: {
      kind: "LookaheadPosted",
      epochTimestamp: E2,
      slots: [{ committer: A, timestamp: E2 + 36n, registrationRoot: ROOT, validatorLeafIndex: 1n }],
    },
  });
  await scanner.scanOnce();
  const schedule = timeline.epoch(E2);
  assert.equal(schedule?.source, "posted");
  assert.equal(schedule?.slots[0]?.committer, A);
  assert.equal(schedule?.fallback, operatorFor("next", 3n));
  assert.equal(timeline.fallbackAt(E2), operatorFor("next", 3n));
  assert.deepEqual(timeline.progress, {
    blockNumber: 4n,
    blockTimestamp: E2 + 12n,
    headSeenAt: E2 + 100n,
    coveredFrom: 0n,
  });
  assert.equal(timeline.isEpochSettled(E2, 12n), true);
});

Deno.test("`LookaheadScanner.scanOnce()` applies blacklist events and whitelist operator changes", async () => {
  const { l1, timeline, scanner } = setup();
  l1.mine([GENESIS, 1500n, E2 + 50n]);
  l1.events.push(
    { blockNumber: 1n, logIndex: 0, event: { kind: "Blacklisted", root: ROOT, timestamp: 1490n } },
    { blockNumber: 2n, logIndex: 0, event: { kind: "Unblacklisted", root: ROOT, timestamp: E2 + 40n } },
    { blockNumber: 2n, logIndex: 1, event: { kind: "OperatorAdded", proposer: A, sequencer: B } },
  );
  await scanner.scanOnce();
  assert.equal(timeline.wasBlacklistedAt(ROOT, 1495n), true);
  assert.equal(timeline.wasBlacklistedAt(ROOT, E2 + 45n), false);
  assert.equal(timeline.fallbackAt(E2 + 50n), operatorFor("current", 2n));
  assert.equal(timeline.fallbackAt(E2 + 384n), operatorFor("next", 2n));
});

Deno.test("`LookaheadScanner.scanOnce()` rescans after an L1 reorg of its last block", async () => {
  const { l1, timeline, scanner } = setup();
  l1.mine([GENESIS, 1500n, 1600n]);
  await scanner.scanOnce();
  assert.equal(timeline.epoch(E2), undefined);

  l1.reorg(2n, 7);
  l1.events.push({
    blockNumber: 2n,
    logIndex: 0,
    event: {
      kind: "LookaheadPosted",
      epochTimestamp: E2,
      slots: [{ committer: B, timestamp: E2 + 12n, registrationRoot: ROOT, validatorLeafIndex: 0n }],
    },
  });
  await scanner.scanOnce();
  assert.equal(timeline.epoch(E2)?.slots[0]?.committer, B);
});

Deno.test("`LookaheadScanner` retries failed passes in the background and counts them", async () => {
  const { l1, timeline } = setup();
  const registry = new Registry();
  const metrics = createPreconfMetrics(registry);
  const scanner = new LookaheadScanner({ l1, timeline, metrics }, {
    ...ADDRESSES,
    now: () => E2 + 100n,
    pollIntervalMs: 20,
  });
  l1.mine([GENESIS, 1500n]);
  l1.failNext = 2;
  scanner.start();
  scanner.start();
  // The scanner's timers are unref'd; a ref'd one keeps the test's event loop alive while it waits.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    while (timeline.progress === null) await timeline.changes.changed();
  } finally {
    clearInterval(keepAlive);
    await scanner.stop();
  }
  assert.equal(scanner.running, false);
  assert.match(await registry.metrics(), /preconf_client_lookahead_scan_errors_total 2/);
  await scanner.stop();
});
