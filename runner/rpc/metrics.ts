/**
 * Metrics of the preconfirmation JSON-RPC server (`preconf_rpc_*`, spec p2p.md 17). Method labels
 * come only from the closed method set, with `unknown` for anything else (malformed requests and
 * unknown methods), so a caller cannot grow the label space.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { PRECONF_RPC_METHOD_NAMES, type PreconfRpcMethod } from "./methods.ts";

/** The `method` label: a known method or `unknown`. */
export type RpcMethodLabel = PreconfRpcMethod | "unknown";

/** Why the server refused an HTTP request before any JSON-RPC call ran. */
export type RpcRefusalReason =
  /** The body is over the cap (413). */
  | "body_too_large"
  /** Every connection slot is busy (503). */
  | "too_many_connections"
  /** Not a POST (405). */
  | "method_not_allowed"
  /** Not `application/json` (415). */
  | "unsupported_media_type"
  /** The body could not be read or is not UTF-8 (400). */
  | "unreadable_body";

const REFUSAL_REASONS: readonly RpcRefusalReason[] = [
  "body_too_large",
  "too_many_connections",
  "method_not_allowed",
  "unsupported_media_type",
  "unreadable_body",
];

/** Buckets of `preconf_rpc_duration_seconds`: reads take milliseconds, a publish waits for the engine. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The server's metrics. */
export interface RpcMetrics {
  /** `preconf_rpc_requests_total{method}`: calls, including failed ones. */
  readonly requests: Counter<"method">;
  /** `preconf_rpc_errors_total{method}`: calls answered with an error. */
  readonly errors: Counter<"method">;
  /** `preconf_rpc_duration_seconds{method}`: time from parsing to the result. */
  readonly duration: Histogram<"method">;
  /** `preconf_rpc_refused_total{reason}`: HTTP requests refused before any call ran. */
  readonly refused: Counter<"reason">;
  /**
   * Sets where `preconf_rpc_active_connections` reads its value at scrape time.
   *
   * @param source Returns the number of requests being served.
   */
  bindActiveConnections(source: () => number): void;
}

/**
 * Registers the `preconf_rpc_*` metrics on `registry`, every label value starting at zero.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { createRpcMetrics } from "./metrics.ts";
 * const metrics = createRpcMetrics(new Registry());
 * metrics.requests.inc({ method: "preconf_tip" });
 * ```
 *
 * @param registry The Prometheus registry of the process.
 * @returns The metrics tree to pass on as `metrics`.
 */
export function createRpcMetrics(registry: Registry): RpcMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: "preconf_rpc_requests_total",
    help: "JSON-RPC calls received, by method",
    labelNames: ["method"] as const,
    registers,
  });
  const errors = new Counter({
    name: "preconf_rpc_errors_total",
    help: "JSON-RPC calls answered with an error, by method",
    labelNames: ["method"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "preconf_rpc_duration_seconds",
    help: "Time to answer one JSON-RPC call, by method",
    labelNames: ["method"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers,
  });
  const refused = new Counter({
    name: "preconf_rpc_refused_total",
    help: "HTTP requests refused before any JSON-RPC call ran, by reason",
    labelNames: ["reason"] as const,
    registers,
  });
  let activeConnections: () => number = () => 0;
  new Gauge({
    name: "preconf_rpc_active_connections",
    help: "HTTP requests being served now",
    registers,
    collect() {
      this.set(activeConnections());
    },
  });
  for (const method of [...PRECONF_RPC_METHOD_NAMES, "unknown"] satisfies RpcMethodLabel[]) {
    requests.inc({ method }, 0);
    errors.inc({ method }, 0);
  }
  for (const reason of REFUSAL_REASONS) refused.inc({ reason }, 0);
  return {
    requests,
    errors,
    duration,
    refused,
    bindActiveConnections(source: () => number): void {
      activeConnections = source;
    },
  };
}
