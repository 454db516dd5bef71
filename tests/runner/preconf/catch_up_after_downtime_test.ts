import assert from "node:assert/strict";
import { type LookaheadAnswer, LookaheadResolver } from "../../../runner/preconf/lookahead/resolver.ts";
import { LookaheadTimeline, SECONDS_PER_EPOCH } from "../../../runner/preconf/lookahead/timeline.ts";
import { chain, commitment, emptyTxList, SIGNER, waitFor } from "./_fixtures.ts";
import { NetworkDouble, PeerDouble } from "./_network_double.ts";
import { setupClient } from "./_client_setup.ts";
import { ScriptedLookahead } from "./_lookahead_double.ts";
import { FakeLookaheadL1 } from "./lookahead/_fake_l1.ts";

const LIST = emptyTxList();

/** The real resolver behind the shape `setupClient()` takes. */
class ResolverLookahead extends ScriptedLookahead {
  constructor(readonly resolver: LookaheadResolver) {
    super(() => {
      throw new Error("answers come from the resolver");
    });
  }

  override resolve(timestamp: bigint): Promise<LookaheadAnswer> {
    this.calls.push(timestamp);
    return this.resolver.resolve(timestamp);
  }
}
const GENESIS = 1000n;
/** The epoch the history was preconfirmed in: SIGNER holds its last slot, so the whole epoch. */
const HISTORY_EPOCH = GENESIS + SECONDS_PER_EPOCH;
const WINDOW_END = HISTORY_EPOCH + SECONDS_PER_EPOCH - 12n;
const FALLBACK = "0x00000000000000000000000000000000000000f0" as const;

/**
 * A follower whose real resolver's clock reads `downtimeSeconds` after the last historical block,
 * with 20 unproposed blocks (L1 proposals lag: the confirmed tip stays 0) served by one peer.
 */
function follower(downtimeSeconds: bigint) {
  const resolverClock = { now: 0n };
  const timeline = new LookaheadTimeline({ genesisTime: GENESIS });
  timeline.setEpoch({
    epochStart: HISTORY_EPOCH,
    slots: [{
      committer: SIGNER,
      timestamp: WINDOW_END,
      registrationRoot: `0x${"01".padStart(64, "0")}`,
      validatorLeafIndex: 0n,
    }],
    fallback: FALLBACK,
    source: "posted",
  });
  const resolver = new LookaheadResolver(
    { timeline, l1: new FakeLookaheadL1() },
    { whitelist: "0x00000000000000000000000000000000000000aa", now: () => resolverClock.now },
  );
  const env = setupClient({ lookahead: new ResolverLookahead(resolver) });
  const blocks = chain(1n, 20, (n) => ({
    rawTxListHash: LIST.rawTxListHash,
    timestamp: HISTORY_EPOCH + 10n + n,
    submissionWindowEnd: WINDOW_END,
  }));
  const restartAt = blocks.at(-1)!.commitment.preconf.timestamp + downtimeSeconds;
  resolverClock.now = restartAt;
  env.clock.ms = Number(restartAt) * 1000;
  const network = new NetworkDouble();
  network.addPeer("peer-a", new PeerDouble().serve(blocks, [LIST]));
  env.client.attachNetwork(network);
  return { ...env, resolver, timeline, blocks };
}

Deno.test("C-3: a follower restarted after two epochs (768 s) of downtime, L1 proposals lagging, starts and catches up", async () => {
  const { client, driver, resolver, blocks } = follower(2n * SECONDS_PER_EPOCH);
  assert.ok(resolver.earliestAnswerable() <= blocks[0]!.commitment.preconf.timestamp);
  await client.start();
  try {
    await waitFor(() => client.head === 20n, "block 20");
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
  assert.equal(driver.confirmedTip, 0n);
});

Deno.test("C-3: a follower down longer than the lookahead reaches still starts, skips the unverifiable history and goes live", async () => {
  const { client, driver, l2, registry, resolver, timeline, blocks } = follower(6n * SECONDS_PER_EPOCH);
  const liveEpoch = resolver.earliestAnswerable();
  assert.ok(liveEpoch > blocks.at(-1)!.commitment.preconf.timestamp);
  await client.start();
  let lastMetrics = "";
  try {
    for (let i = 0; i < 500; i++) {
      lastMetrics = await registry.metrics();
      if (/reason="(?:LookaheadOutOfRange|TimestampOutOfBounds)"\} [1-9]/.test(lastMetrics)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.match(
      lastMetrics,
      /preconf_client_validation_failures_total\{reason="(?:LookaheadOutOfRange|TimestampOutOfBounds)"\} [1-9]/,
    );
    assert.equal(driver.submissions.length, 0);

    // The proposals land on L1 and derivation produces blocks 1..20; the node then follows live.
    for (const signed of blocks) {
      const preconf = signed.commitment.preconf;
      l2.insert(
        preconf.blockNumber,
        `0x${preconf.blockNumber.toString(16).padStart(64, "0")}`,
        preconf.timestamp,
        preconf.gasLimit,
      );
    }
    driver.confirmedTip = 20n;
    client.updateProposalState({ preconfTip: 20n });
    timeline.setEpoch({
      epochStart: liveEpoch,
      slots: [{
        committer: SIGNER,
        timestamp: liveEpoch + SECONDS_PER_EPOCH - 12n,
        registrationRoot: `0x${"02".padStart(64, "0")}`,
        validatorLeafIndex: 0n,
      }],
      fallback: FALLBACK,
      source: "posted",
    });
    const live = commitment({
      blockNumber: 21n,
      rawTxListHash: LIST.rawTxListHash,
      timestamp: liveEpoch + 10n,
      submissionWindowEnd: liveEpoch + SECONDS_PER_EPOCH - 12n,
    });
    assert.equal(await client.validateRawTxList(LIST, "peer-a"), "accept");
    assert.equal(await client.validateCommitment(live, "peer-a"), "accept");
    await waitFor(() => client.head === 21n, "live block 21");
  } finally {
    await client.stop();
  }
  assert.deepEqual(driver.blockNumbers, [21n]);
});
