import assert from "node:assert/strict";
import { Counter, Registry } from "prom-client";
import { startMetricsServer } from "../../runner/metrics_server.ts";

Deno.test("`startMetricsServer()` serves the registry at /metrics and 404 elsewhere", async () => {
  const registry = new Registry();
  new Counter({ name: "test_events_total", help: "Events seen by the test", registers: [registry] }).inc(3);
  const server = startMetricsServer(registry, { hostname: "127.0.0.1", port: 0 });
  try {
    const base = `http://127.0.0.1:${server.address.port}`;
    const metrics = await fetch(`${base}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(await metrics.text(), /^test_events_total 3$/m);
    const other = await fetch(`${base}/`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("`startMetricsServer()` stop is idempotent", async () => {
  const server = startMetricsServer(new Registry(), { hostname: "127.0.0.1", port: 0 });
  await server.stop();
  await server.stop();
  await assert.rejects(fetch(`http://127.0.0.1:${server.address.port}/metrics`));
});
