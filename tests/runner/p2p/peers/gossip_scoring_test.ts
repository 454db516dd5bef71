import assert from "node:assert/strict";
import { validatePeerScoreParams } from "@libp2p/gossipsub/score";
import { buildGossipScoring } from "../../../../runner/p2p/peers/gossip_scoring.ts";
import { PeerReputation } from "../../../../runner/p2p/peers/reputation.ts";
import { gossipTopic } from "../../../../runner/p2p/topics.ts";

Deno.test("`buildGossipScoring()` enables the P2P-1 profile: negative P4, no colocation or mesh penalties", () => {
  const topics = [gossipTopic("commitment", 167001n), gossipTopic("raw_txlists", 167001n)];
  const { params, thresholds } = buildGossipScoring(topics, () => 0);
  validatePeerScoreParams(params);
  for (const t of topics) {
    const p = params.topics[t];
    assert.ok(p !== undefined);
    assert.equal(p.invalidMessageDeliveriesWeight, -2);
    assert.equal(p.meshMessageDeliveriesWeight, 0);
    assert.equal(p.meshFailurePenaltyWeight, 0);
    assert.equal(p.firstMessageDeliveriesCap, 20);
  }
  assert.equal(params.IPColocationFactorWeight, 0);
  assert.equal(params.behaviourPenaltyWeight, 0);
  assert.equal(params.decayInterval, 10_000);
  assert.equal(params.retainScore, 3_600_000);
  assert.deepEqual(
    [thresholds.gossipThreshold, thresholds.publishThreshold, thresholds.graylistThreshold],
    [-1, -2, -5],
  );
});

Deno.test("`buildGossipScoring()` mirrors the application reputation as the app-specific score", () => {
  const reputation = new PeerReputation({ now: () => 0 });
  const { params } = buildGossipScoring(["/t"], (p) => reputation.score(p));
  reputation.penalize("peer");
  assert.equal(params.appSpecificScore("peer"), -1);
  for (let i = 0; i < 15; i++) reputation.penalize("peer");
  assert.equal(params.appSpecificScore("peer"), -4, "capped per window");
  assert.equal(params.appSpecificWeight, 1);
});
