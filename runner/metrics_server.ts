/**
 * The Prometheus text endpoint: `GET /metrics` serves a prom-client registry, anything else is 404.
 *
 * @module
 */
import type { Registry } from "prom-client";
import type { MetricsServerConfig } from "./config.ts";
import { runnerLogger } from "./log.ts";

const log = runnerLogger("metrics");

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The address it listens on (the real port when the config asked for 0). */
  readonly address: { readonly hostname: string; readonly port: number };
  /**
   * Stops serving; idempotent.
   *
   * @returns When the listener is closed.
   */
  stop(): Promise<void>;
}

/**
 * Serves `registry` at `http://<hostname>:<port>/metrics`.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { startMetricsServer } from "./metrics_server.ts";
 * const server = startMetricsServer(new Registry(), { hostname: "127.0.0.1", port: 0 });
 * await server.stop();
 * ```
 *
 * @param registry The metrics to serve.
 * @param config Where to listen.
 * @returns The running server.
 * @throws {Deno.errors.AddrInUse} when the port is taken; other listen errors as `Deno.serve` throws them.
 */
export function startMetricsServer(registry: Registry, config: MetricsServerConfig): MetricsServer {
  const server = Deno.serve({
    hostname: config.hostname,
    port: config.port,
    onListen: () => {},
  }, async (request) => {
    if (request.method !== "GET" || new URL(request.url).pathname !== "/metrics") {
      return new Response("Not found\n", { status: 404 });
    }
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
  });
  const address = { hostname: server.addr.hostname, port: server.addr.port };
  log.info("Serving metrics at http://{hostname}:{port}/metrics", address);
  let stopped: Promise<void> | undefined;
  return {
    address,
    stop(): Promise<void> {
      stopped ??= server.shutdown();
      return stopped;
    },
  };
}
