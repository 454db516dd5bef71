/**
 * Metrics of the preconfirmation client (`preconf_client_*`, p2p.md §18), plus one counter per drop
 * path (lesson L-5). Label values come only from the closed unions below; gauges that mirror state
 * are filled at scrape time from a snapshot the client provides.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Where a commitment or txlist entered the client. */
export type PreconfSource = "gossip" | "catchup" | "rpc";

/** Why an accepted or buffered item was dropped without being executed. */
export type PreconfDropReason =
  /** At or below the confirmed tip (V-8). */
  | "stale"
  /** The accepted-commitment bound was exceeded (lowest block numbers go first). */
  | "store_commitments_full"
  /** The txlist count or byte bound was exceeded. */
  | "store_txlists_full"
  /** The pending (awaiting parent or lookahead) bound was exceeded. */
  | "pending_full"
  /** A pending commitment waited too long or fell out of the lookahead range. */
  | "pending_expired"
  /** The txlist of a block does not decode (L-2). */
  | "txlist_undecodable"
  /** Building the engine payload failed. */
  | "payload_build_failed"
  /** The driver refused the block (L-2). */
  | "driver_error"
  /** The block's parameters broke the derivation rules against the executed parent. */
  | "parent_check_failed"
  /** Validation itself failed (an L1 read, a bug): the commitment is refused without a verdict. */
  | "validation_error";

/** Why a catch-up step failed. */
export type CatchUpErrorKind =
  | "no_peers"
  | "head_request"
  | "commitments_request"
  | "txlist_request"
  | "invalid_response";

/** State mirrored into gauges at scrape time. */
export interface PreconfStateSnapshot {
  /** The highest block in the engine. */
  readonly headBlock: bigint;
  /** Accepted commitments held. */
  readonly storeCommitments: number;
  /** Txlists held. */
  readonly storeTxLists: number;
  /** Buffered commitments. */
  readonly storePending: number;
  /** Accepted commitments whose txlist is missing. */
  readonly awaitingTxList: number;
}

/** The preconfirmation client's metrics. */
export interface PreconfMetrics {
  /** `preconf_client_commitments_received_total{source}`. */
  readonly commitmentsReceived: Counter<"source">;
  /** `preconf_client_txlists_received_total{source}`. */
  readonly txListsReceived: Counter<"source">;
  /** `preconf_client_validation_failures_total{reason}`. */
  readonly validationFailures: Counter<"reason">;
  /** `preconf_client_dropped_total{reason}`, one reason per drop path. */
  readonly dropped: Counter<"reason">;
  /** `preconf_client_equivocations_total`. */
  readonly equivocations: Counter;
  /** `preconf_client_driver_submit_success_total`. */
  readonly driverSubmitSuccess: Counter;
  /** `preconf_client_driver_submit_failure_total{kind}`. */
  readonly driverSubmitFailure: Counter<"kind">;
  /** `preconf_client_payload_build_duration_seconds`. */
  readonly payloadBuildDuration: Histogram;
  /** `preconf_client_payload_build_failures_total`. */
  readonly payloadBuildFailures: Counter;
  /** `preconf_client_catchup_duration_seconds`. */
  readonly catchUpDuration: Histogram;
  /** `preconf_client_catchup_batches_total`. */
  readonly catchUpBatches: Counter;
  /** `preconf_client_catchup_errors_total{kind}`. */
  readonly catchUpErrors: Counter<"kind">;
  /** `preconf_client_synced_total`. */
  readonly synced: Counter;
  /** `preconf_client_event_sync_wait_duration_seconds`. */
  readonly eventSyncWaitDuration: Histogram;
  /** `preconf_client_lookahead_scan_errors_total`. */
  readonly lookaheadScanErrors: Counter;
  /**
   * Sets where the scrape-time gauges read their values.
   *
   * @param source Returns the current state.
   */
  bindState(source: () => PreconfStateSnapshot): void;
}

/**
 * Registers the `preconf_client_*` metrics on `registry`.
 *
 * @param registry The Prometheus registry of the process.
 * @returns The metrics tree to pass on as `metrics`.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { createPreconfMetrics } from "./metrics.ts";
 * const metrics = createPreconfMetrics(new Registry());
 * metrics.synced.inc();
 * ```
 */
export function createPreconfMetrics(registry: Registry): PreconfMetrics {
  const registers = [registry];
  let source: (() => PreconfStateSnapshot) | null = null;
  function gauge(name: string, help: string, read: (s: PreconfStateSnapshot) => number): Gauge {
    return new Gauge({
      name,
      help,
      registers,
      collect() {
        if (source !== null) this.set(read(source()));
      },
    });
  }
  gauge(
    "preconf_client_head_block",
    "Highest L2 block executed from a preconfirmation",
    (s) => Number(s.headBlock),
  );
  gauge("preconf_client_store_commitments_count", "Accepted commitments held", (s) => s.storeCommitments);
  gauge("preconf_client_store_txlists_count", "Txlists held", (s) => s.storeTxLists);
  gauge(
    "preconf_client_store_pending_commitments_count",
    "Commitments buffered for their parent or the lookahead",
    (s) => s.storePending,
  );
  gauge(
    "preconf_client_awaiting_txlist_depth",
    "Accepted commitments whose txlist is missing",
    (s) => s.awaitingTxList,
  );
  return {
    commitmentsReceived: new Counter({
      name: "preconf_client_commitments_received_total",
      help: "Commitments received, by source",
      labelNames: ["source"],
      registers,
    }),
    txListsReceived: new Counter({
      name: "preconf_client_txlists_received_total",
      help: "Txlists received, by source",
      labelNames: ["source"],
      registers,
    }),
    validationFailures: new Counter({
      name: "preconf_client_validation_failures_total",
      help: "Commitments refused, by validation reason",
      labelNames: ["reason"],
      registers,
    }),
    dropped: new Counter({
      name: "preconf_client_dropped_total",
      help: "Accepted or buffered items dropped before execution, by reason",
      labelNames: ["reason"],
      registers,
    }),
    equivocations: new Counter({
      name: "preconf_client_equivocations_total",
      help: "Second commitments for an already accepted block (the first is kept)",
      registers,
    }),
    driverSubmitSuccess: new Counter({
      name: "preconf_client_driver_submit_success_total",
      help: "Blocks the driver inserted or found already materialized",
      registers,
    }),
    driverSubmitFailure: new Counter({
      name: "preconf_client_driver_submit_failure_total",
      help: "Driver submissions that failed, by outcome",
      labelNames: ["kind"],
      registers,
    }),
    payloadBuildDuration: new Histogram({
      name: "preconf_client_payload_build_duration_seconds",
      help: "Time to build engine payload attributes from a commitment",
      registers,
    }),
    payloadBuildFailures: new Counter({
      name: "preconf_client_payload_build_failures_total",
      help: "Payload builds that failed",
      registers,
    }),
    catchUpDuration: new Histogram({
      name: "preconf_client_catchup_duration_seconds",
      help: "Duration of one catch-up run",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
    catchUpBatches: new Counter({
      name: "preconf_client_catchup_batches_total",
      help: "Commitment pages requested during catch-up",
      registers,
    }),
    catchUpErrors: new Counter({
      name: "preconf_client_catchup_errors_total",
      help: "Catch-up steps that failed, by kind",
      labelNames: ["kind"],
      registers,
    }),
    synced: new Counter({
      name: "preconf_client_synced_total",
      help: "Catch-up runs that completed",
      registers,
    }),
    eventSyncWaitDuration: new Histogram({
      name: "preconf_client_event_sync_wait_duration_seconds",
      help: "Time spent waiting for the driver's event sync before going live",
      registers,
    }),
    lookaheadScanErrors: new Counter({
      name: "preconf_client_lookahead_scan_errors_total",
      help: "Lookahead scanner passes that failed and were retried",
      registers,
    }),
    bindState(next: () => PreconfStateSnapshot): void {
      source = next;
    },
  };
}
