import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { createDriverMetrics } from "../../driver/metrics.ts";

Deno.test("`createDriverMetrics()` registers the driver.md section 6 names and refuses a second tree", async () => {
  const registry = new Registry();
  const metrics = createDriverMetrics(registry);
  metrics.event.proposals.inc(2);
  metrics.preconf.queueDepth.set(3);
  const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
  for (
    const name of [
      "driver_event_scanner_batches_total",
      "driver_event_scanner_errors_total",
      "driver_event_proposals_total",
      "driver_event_proposals_skipped_total",
      "driver_event_derived_blocks_total",
      "driver_event_last_canonical_proposal_id",
      "driver_derivation_canonical_hits_total",
      "driver_derivation_l1_origin_updates_total",
      "driver_derivation_last_finalized_proposal_id",
      "driver_preconf_injection_success_total",
      "driver_preconf_injection_failures_total",
      "driver_preconf_injection_duration_seconds",
      "driver_preconf_queue_depth",
      "driver_preconf_enqueue_timeouts_total",
      "driver_preconf_enqueue_failures_total",
      "driver_preconf_parent_hash_lookup_duration_seconds",
      "driver_preconf_parent_hash_lookup_failures_total",
    ]
  ) assert.ok(names.includes(name), name);
  const text = await registry.metrics();
  assert.match(text, /^driver_event_proposals_total 2$/m);
  assert.match(text, /^driver_preconf_queue_depth 3$/m);
  assert.throws(() => createDriverMetrics(registry), /already been registered/);
});
