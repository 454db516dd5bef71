import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { createP2pMetrics } from "../../../runner/p2p/metrics.ts";
import { P2pNetwork } from "../../../runner/p2p/p2p_network.ts";
import { CHAIN_ID, makeCommitment, MemoryStorage, RecordingValidator } from "./_helpers.ts";

Deno.test("`createP2pMetrics()` registers the p2p.md section 18 names and fills the peer gauge at scrape time", async () => {
  const registry = new Registry();
  const metrics = createP2pMetrics(registry);
  const net = new P2pNetwork(
    { storage: new MemoryStorage(), validator: new RecordingValidator(), metrics },
    { chainId: CHAIN_ID, listenAddresses: ["/ip4/127.0.0.1/tcp/0"] },
  );
  try {
    await net.start();
    await net.publishCommitment(makeCommitment(1n));
    const text = await registry.metrics();
    for (
      const name of [
        "p2p_gossip_valid",
        "p2p_gossip_invalid",
        "p2p_gossip_dropped_banned",
        "p2p_gossip_publish_error",
        "p2p_reqresp_success",
        "p2p_reqresp_error",
        "p2p_reqresp_not_found",
        "p2p_reqresp_rate_limited",
        "p2p_reqresp_dropped",
        "p2p_reqresp_rtt_seconds",
        "p2p_reputation_ban",
        "p2p_reputation_greylist",
        "p2p_connected_peers",
        "p2p_conn_error",
        "p2p_conn_rejected_total",
        "p2p_event_dropped",
      ]
    ) assert.match(text, new RegExp(`# TYPE ${name} `), name);
    assert.match(text, /p2p_connected_peers 0/);
    assert.match(text, /p2p_gossip_publish_error\{kind="commitment",reason="no_peers"\} 1/);
  } finally {
    await net.stop();
  }
});
