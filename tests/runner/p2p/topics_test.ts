import assert from "node:assert/strict";
import { GOSSIP_KINDS, gossipKindOf, gossipTopic } from "../../../runner/p2p/topics.ts";

Deno.test("`gossipKindOf()` names the kind of each topic and nothing for other strings", () => {
  for (const kind of GOSSIP_KINDS) {
    assert.equal(gossipKindOf(gossipTopic(kind, 167001n)), kind);
    assert.equal(gossipKindOf(gossipTopic(kind, 1n)), kind);
  }
  assert.equal(gossipKindOf("/taiko/167001/0/other"), undefined);
  assert.equal(gossipKindOf("rawTxLists"), undefined);
  assert.equal(gossipKindOf("/eth2/0/0/rawTxLists"), undefined);
});
