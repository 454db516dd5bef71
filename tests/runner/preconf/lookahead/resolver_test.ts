import assert from "node:assert/strict";
import type { Address, Hash } from "viem";
import { PreconfError } from "../../../../runner/preconf/errors.ts";
import { LookaheadResolver, pickSlot } from "../../../../runner/preconf/lookahead/resolver.ts";
import {
  epochStart,
  type LookaheadSlot,
  LookaheadTimeline,
} from "../../../../runner/preconf/lookahead/timeline.ts";
import { FakeLookaheadL1 } from "./_fake_l1.ts";

const GENESIS = 1000n;
const E1 = 1384n;
const E2 = 1768n;
const A: Address = "0x000000000000000000000000000000000000000a";
const B: Address = "0x000000000000000000000000000000000000000b";
const C: Address = "0x000000000000000000000000000000000000000c";
const F: Address = "0x00000000000000000000000000000000000000f0";
const G: Address = "0x00000000000000000000000000000000000000f1";
const H: Address = "0x00000000000000000000000000000000000000f2";
const WHITELIST: Address = "0x00000000000000000000000000000000000000aa";

function slot(committer: Address, timestamp: bigint, root = 1): LookaheadSlot {
  return {
    committer,
    timestamp,
    registrationRoot: `0x${root.toString(16).padStart(64, "0")}` as Hash,
    validatorLeafIndex: 0n,
  };
}

function setup(
  now: bigint,
): { timeline: LookaheadTimeline; l1: FakeLookaheadL1; resolver: LookaheadResolver; clock: { now: bigint } } {
  const clock = { now };
  const timeline = new LookaheadTimeline({ genesisTime: GENESIS });
  const l1 = new FakeLookaheadL1();
  const resolver = new LookaheadResolver({ timeline, l1 }, { whitelist: WHITELIST, now: () => clock.now });
  return { timeline, l1, resolver, clock };
}

Deno.test("`pickSlot()` matches the reference vectors of p2p.md 21.4", () => {
  const current = [{ timestamp: 200n }, { timestamp: 240n }];
  const next = [{ timestamp: 400n }];
  assert.deepEqual(pickSlot(210n, current, next), { kind: "Current", index: 1 });
  assert.deepEqual(pickSlot(300n, current, next), { kind: "Next", index: 0 });
  assert.equal(pickSlot(500n, current, next), null);
  assert.equal(pickSlot(210n, [], next), null);
  assert.deepEqual(pickSlot(200n, current, next), { kind: "Current", index: 0 });
});

Deno.test("`epochStart()` rounds down to the epoch boundary and refuses pre-genesis timestamps", () => {
  assert.equal(epochStart(GENESIS + 384n + 1n, GENESIS), GENESIS + 384n);
  assert.equal(epochStart(GENESIS + 383n, GENESIS), GENESIS);
  assert.throws(() => epochStart(GENESIS - 1n, GENESIS), RangeError);
});

Deno.test("`LookaheadTimeline.wasBlacklistedAt()` follows the last event at or before the timestamp", () => {
  const timeline = new LookaheadTimeline({ genesisTime: 0n });
  const root: Hash = `0x${"11".repeat(32)}`;
  timeline.recordBlacklist(root, 200n, true);
  timeline.recordBlacklist(root, 50n, true);
  timeline.recordBlacklist(root, 300n, false);
  timeline.recordBlacklist(root, 100n, false);
  assert.equal(timeline.wasBlacklistedAt(root, 40n), false);
  assert.equal(timeline.wasBlacklistedAt(root, 75n), true);
  assert.equal(timeline.wasBlacklistedAt(root, 150n), false);
  assert.equal(timeline.wasBlacklistedAt(root, 250n), true);
  assert.equal(timeline.wasBlacklistedAt(root, 300n), false);
});

Deno.test("`LookaheadResolver.resolve()` answers a posted slot's committer and its timestamp as window end", async () => {
  const { timeline, resolver } = setup(E1 + 100n);
  timeline.setEpoch({
    epochStart: E1,
    slots: [slot(B, E1 + 36n, 2), slot(A, E1 + 12n, 1)],
    fallback: F,
    source: "posted",
  });
  assert.deepEqual(await resolver.resolve(E1 + 5n), {
    kind: "Known",
    source: "Slot",
    signer: A,
    submissionWindowEnd: E1 + 12n,
  });
  assert.deepEqual(await resolver.resolve(E1 + 13n), {
    kind: "Known",
    source: "Slot",
    signer: B,
    submissionWindowEnd: E1 + 36n,
  });
});

Deno.test("`LookaheadResolver.resolve()` gives a blacklisted slot to the fallback but keeps the slot's window end", async () => {
  const { timeline, resolver } = setup(E1 + 100n);
  timeline.setEpoch({
    epochStart: E1,
    slots: [slot(A, E1 + 12n, 1), slot(B, E1 + 36n, 2)],
    fallback: F,
    source: "posted",
  });
  timeline.recordBlacklist(slot(B, 0n, 2).registrationRoot, E1 + 20n, true);
  assert.deepEqual(await resolver.resolve(E1 + 30n), {
    kind: "Known",
    source: "Blacklisted",
    signer: F,
    submissionWindowEnd: E1 + 36n,
  });
  assert.deepEqual(await resolver.resolve(E1 + 5n), {
    kind: "Known",
    source: "Slot",
    signer: A,
    submissionWindowEnd: E1 + 12n,
  });
});

Deno.test("`LookaheadResolver.resolve()` borrows the next epoch's first slot after the last current slot", async () => {
  const { timeline, resolver } = setup(E1 + 100n);
  timeline.setEpoch({ epochStart: E1, slots: [slot(A, E1 + 12n)], fallback: F, source: "posted" });
  timeline.setEpoch({ epochStart: E2, slots: [slot(C, E2 + 24n, 3)], fallback: F, source: "posted" });
  assert.deepEqual(await resolver.resolve(E1 + 200n), {
    kind: "Known",
    source: "Slot",
    signer: C,
    submissionWindowEnd: E2 + 24n,
  });
});

Deno.test("`LookaheadResolver.resolve()` waits for the next epoch's schedule, then falls back with window end N - 12", async () => {
  const { timeline, resolver, clock } = setup(E1 + 100n);
  timeline.setEpoch({ epochStart: E1, slots: [slot(A, E1 + 12n)], fallback: F, source: "posted" });
  const waiting = await resolver.resolve(E1 + 200n);
  assert.equal(waiting.kind, "NotYetKnown");

  clock.now = E2 + 30n;
  timeline.markScanned({ blockNumber: 9n, blockTimestamp: E2 + 24n, headSeenAt: E2 + 30n, coveredFrom: 0n });
  assert.deepEqual(await resolver.resolve(E1 + 200n), {
    kind: "Known",
    source: "Fallback",
    signer: F,
    submissionWindowEnd: E2 - 12n,
  });
});

Deno.test("`LookaheadResolver.resolve()` synthesizes an empty epoch once its absence is final, with one L1 read", async () => {
  const { timeline, l1, resolver, clock } = setup(E2 + 30n);
  l1.mine([GENESIS, E1 + 10n, E2 + 22n]);
  l1.operator = (epoch) => (epoch === "current" ? G : H);
  assert.equal((await resolver.resolve(E2 + 5n)).kind, "NotYetKnown");
  assert.equal(l1.operatorCalls.length, 0);

  timeline.markScanned({ blockNumber: 2n, blockTimestamp: E2 + 22n, headSeenAt: clock.now, coveredFrom: 0n });
  const answers = await Promise.all([resolver.resolve(E2 + 5n), resolver.resolve(E2 + 100n)]);
  for (const answer of answers) {
    assert.deepEqual(answer, {
      kind: "Known",
      source: "Fallback",
      signer: G,
      submissionWindowEnd: E2 + 384n - 12n,
    });
  }
  assert.deepEqual(l1.operatorCalls, [{ epoch: "current", blockNumber: 2n }]);
  assert.equal(timeline.epoch(E2)?.source, "synthesized");
});

Deno.test("`LookaheadResolver.resolve()` reads the next-epoch operator from the epoch before when L1 has no block inside", async () => {
  const { timeline, l1, resolver } = setup(E2 + 30n);
  l1.mine([GENESIS, E1 + 10n]);
  l1.operator = (epoch) => (epoch === "current" ? G : H);
  timeline.markScanned({ blockNumber: 1n, blockTimestamp: E1 + 10n, headSeenAt: E2 + 30n, coveredFrom: 0n });
  const answer = await resolver.resolve(E2 + 5n);
  assert.equal(answer.kind === "Known" ? answer.signer : null, H);
  assert.deepEqual(l1.operatorCalls, [{ epoch: "next", blockNumber: 1n }]);
});

Deno.test("`LookaheadResolver.resolve()` follows a whitelist change inside the epoch", async () => {
  const { timeline, resolver } = setup(E2 + 100n);
  timeline.setEpoch({ epochStart: E2, slots: [], fallback: G, source: "posted" });
  timeline.recordFallback(E2 + 50n, H);
  const before = await resolver.resolve(E2 + 10n);
  const after = await resolver.resolve(E2 + 60n);
  assert.equal(before.kind === "Known" ? before.signer : null, G);
  assert.equal(after.kind === "Known" ? after.signer : null, H);
});

Deno.test("`LookaheadResolver.resolve()` marks timestamps outside its window as out of range", async () => {
  const { resolver, clock } = setup(E1 + 100n);
  assert.deepEqual(await resolver.resolve(GENESIS - 1n), { kind: "OutOfRange", reason: "BeforeGenesis" });
  assert.deepEqual(await resolver.resolve(E2), { kind: "OutOfRange", reason: "TooNew" });
  clock.now = GENESIS + 384n * 10n;
  assert.deepEqual(await resolver.resolve(GENESIS + 384n * 6n), { kind: "OutOfRange", reason: "TooOld" });
  assert.equal(resolver.earliestAnswerable(), GENESIS + 384n * 7n);
});

Deno.test("`LookaheadResolver.slotInfoForTimestamp()` throws typed errors for out-of-range and unknown epochs", async () => {
  const { resolver } = setup(E1 + 100n);
  await assert.rejects(resolver.slotInfoForTimestamp(E2 + 1n), (error: unknown) => {
    assert.ok(error instanceof PreconfError);
    assert.equal(error.kind, "LookaheadOutOfRange");
    return true;
  });
  await assert.rejects(resolver.slotInfoForTimestamp(E1 + 1n), (error: unknown) => {
    assert.ok(error instanceof PreconfError);
    assert.equal(error.kind, "LookaheadNotYetKnown");
    return true;
  });
});

Deno.test("`LookaheadTimeline` evicts the oldest epoch, root and event at its bounds", () => {
  const timeline = new LookaheadTimeline({
    genesisTime: 0n,
    maxEpochs: 2,
    maxBlacklistRoots: 2,
    maxTimelineEvents: 3,
  });
  for (const start of [0n, 384n, 768n]) {
    timeline.setEpoch({ epochStart: start, slots: [], fallback: F, source: "posted" });
  }
  assert.equal(timeline.epochCount, 2);
  assert.equal(timeline.epoch(0n), undefined);
  assert.ok(timeline.epoch(768n));

  const roots = ["01", "02", "03"].map((b) => `0x${b.repeat(32)}` as Hash);
  for (const root of roots) timeline.recordBlacklist(root, 10n, true);
  assert.equal(timeline.blacklistRootCount, 2);
  assert.equal(timeline.wasBlacklistedAt(roots[0] as Hash, 20n), false);
  assert.equal(timeline.wasBlacklistedAt(roots[2] as Hash, 20n), true);

  for (const at of [1n, 2n, 3n, 4n]) timeline.recordFallback(at, at === 4n ? H : G);
  assert.equal(timeline.fallbackEventCount, 3);
  assert.equal(timeline.fallbackAt(4n), H);
});

Deno.test("`LookaheadTimeline.setEpoch()` never lets a synthesized schedule replace a posted one", () => {
  const timeline = new LookaheadTimeline({ genesisTime: 0n });
  timeline.setEpoch({ epochStart: 384n, slots: [slot(A, 400n)], fallback: F, source: "posted" });
  timeline.setEpoch({ epochStart: 384n, slots: [], fallback: G, source: "synthesized" });
  assert.equal(timeline.epoch(384n)?.slots.length, 1);
  timeline.setEpoch({ epochStart: 768n, slots: [], fallback: G, source: "synthesized" });
  timeline.setEpoch({ epochStart: 768n, slots: [slot(B, 800n)], fallback: F, source: "posted" });
  assert.equal(timeline.epoch(768n)?.source, "posted");
});

Deno.test("`LookaheadTimeline.prune()` keeps the last earlier event as the baseline", () => {
  const timeline = new LookaheadTimeline({ genesisTime: 0n });
  timeline.recordFallback(10n, G);
  timeline.recordFallback(20n, H);
  timeline.recordFallback(500n, F);
  timeline.prune(400n);
  assert.equal(timeline.fallbackEventCount, 2);
  assert.equal(timeline.fallbackAt(450n), H);
  assert.equal(timeline.fallbackAt(500n), F);
});
