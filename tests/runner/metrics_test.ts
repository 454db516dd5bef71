import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { createRunnerMetrics } from "../../runner/metrics.ts";

Deno.test("`createRunnerMetrics()` registers the p2p, preconf client and rpc trees on one registry", async () => {
  const registry = new Registry();
  const metrics = createRunnerMetrics(registry);
  metrics.rpc.requests.inc({ method: "preconf_getStatus" });
  const text = await registry.metrics();
  assert.match(text, /^preconf_rpc_requests_total\{method="preconf_getStatus"\} 1$/m);
  for (
    const name of ["preconf_rpc_errors_total", "preconf_rpc_duration_seconds", "preconf_client_", "p2p_"]
  ) {
    assert.match(text, new RegExp(`^# TYPE ${name}`, "m"), name);
  }
});

Deno.test("`createRunnerMetrics()` refuses a registry that already holds them", () => {
  const registry = new Registry();
  createRunnerMetrics(registry);
  assert.throws(() => createRunnerMetrics(registry), /already been registered/);
});
