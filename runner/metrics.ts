/**
 * The runner's metrics in one place: the P2P network (`p2p_*`), the preconfirmation client
 * (`preconf_client_*`) and the JSON-RPC server (`preconf_rpc_*`), registered on one prom-client
 * registry that the metrics endpoint serves (spec p2p.md 18, lesson L-5).
 *
 * @module
 */
import type { Registry } from "prom-client";
import { createP2pMetrics, type P2pMetrics } from "./p2p/metrics.ts";
import { createPreconfMetrics, type PreconfMetrics } from "./preconf/metrics.ts";
import { createRpcMetrics, type RpcMetrics } from "./rpc/metrics.ts";

/** Every metrics tree of the runner; each part gets its own branch as `metrics`. */
export interface RunnerMetrics {
  /** The libp2p network. */
  readonly p2p: P2pMetrics;
  /** The preconfirmation client. */
  readonly preconf: PreconfMetrics;
  /** The JSON-RPC server. */
  readonly rpc: RpcMetrics;
}

/**
 * Registers every runner metric on `registry`. Call it once per registry: prom-client refuses a
 * second metric of the same name.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { createRunnerMetrics } from "./metrics.ts";
 * const metrics = createRunnerMetrics(new Registry());
 * metrics.rpc.requests.inc({ method: "preconf_tip" });
 * ```
 *
 * @param registry The Prometheus registry of the process.
 * @returns The trees to pass on to the parts.
 * @throws {Error} when a metric of the same name is already registered on `registry`.
 */
export function createRunnerMetrics(registry: Registry): RunnerMetrics {
  return {
    p2p: createP2pMetrics(registry),
    preconf: createPreconfMetrics(registry),
    rpc: createRpcMetrics(registry),
  };
}
