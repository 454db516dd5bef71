import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { startMetricsServer } from "../../../runner/metrics_server.ts";
import { createRpcMetrics } from "../../../runner/rpc/metrics.ts";
import { call, post, withRpcServer } from "./_server.ts";

Deno.test("the metrics endpoint serves the rpc counters, with unknown methods counted as unknown", async () => {
  await withRpcServer(async ({ url, registry }) => {
    const endpoint = startMetricsServer(registry, { hostname: "127.0.0.1", port: 0 });
    try {
      await call(url, "preconf_tip");
      await call(url, "preconf_tip", []);
      await call(url, "foo_bar");
      await call(url, "preconf_publishBlock", { not: "an array" });
      await post(url, "{not json");
      const response = await fetch(`http://127.0.0.1:${endpoint.address.port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
      const text = await response.text();
      assert.match(text, /^preconf_rpc_requests_total\{method="preconf_tip"\} 2$/m);
      assert.match(text, /^preconf_rpc_errors_total\{method="preconf_tip"\} 0$/m);
      assert.match(text, /^preconf_rpc_duration_seconds_count\{method="preconf_tip"\} 2$/m);
      assert.match(text, /^preconf_rpc_requests_total\{method="preconf_publishBlock"\} 1$/m);
      assert.match(text, /^preconf_rpc_errors_total\{method="preconf_publishBlock"\} 1$/m);
      assert.match(text, /^preconf_rpc_requests_total\{method="unknown"\} 2$/m);
      assert.match(text, /^preconf_rpc_errors_total\{method="unknown"\} 2$/m);
      assert.match(text, /^preconf_rpc_requests_total\{method="preconf_getPreconfSlotInfo"\} 0$/m);
      assert.match(text, /^preconf_rpc_active_connections 0$/m);
      assert.doesNotMatch(text, /foo_bar/);
    } finally {
      await endpoint.stop();
    }
  });
});

Deno.test("`createRpcMetrics()` starts every method label at zero", async () => {
  const registry = new Registry();
  createRpcMetrics(registry);
  const text = await registry.metrics();
  const methods = [...text.matchAll(/^preconf_rpc_requests_total\{method="([^"]+)"\} 0$/gm)].map((m) => m[1]);
  assert.deepEqual(methods.sort(), [
    "preconf_canonicalProposalId",
    "preconf_getPreconfSlotInfo",
    "preconf_getStatus",
    "preconf_publishBlock",
    "preconf_publishCommitment",
    "preconf_publishTxList",
    "preconf_tip",
    "unknown",
  ]);
});
