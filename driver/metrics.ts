/**
 * Prometheus metrics of the driver (spec/driver.md section 6). One typed tree per registry, passed
 * to the parts that record into it as `metrics: DriverMetrics | null`.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** A prom-client registry (named here so public signatures reference package-owned types). */
export type MetricsRegistry = Registry;
/** A prom-client counter. */
export type MetricCounter = Counter;
/** A prom-client gauge. */
export type MetricGauge = Gauge;
/** A prom-client histogram. */
export type MetricHistogram = Histogram;

/** Buckets of the preconfirmation injection and parent lookup histograms, in seconds. */
export const DRIVER_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
];

/** The driver's metrics, grouped by area. */
export interface DriverMetrics {
  /** The L1 log scanner. */
  readonly eventScanner: {
    /** `driver_event_scanner_batches_total`: non-empty log batches handed to the processor. */
    readonly batches: MetricCounter;
    /** `driver_event_scanner_errors_total`: scanner generations ended by an L1 error. */
    readonly errors: MetricCounter;
    /** `driver_event_scanner_reorgs_total`: L1 reorgs detected by the scanner. */
    readonly reorgs: MetricCounter;
  };
  /** Proposal processing. */
  readonly event: {
    /** `driver_event_proposals_total`: `Proposed` logs received. */
    readonly proposals: MetricCounter;
    /** `driver_event_proposals_skipped_total`: proposals skipped (id 0 or already processed). */
    readonly proposalsSkipped: MetricCounter;
    /** `driver_event_derived_blocks_total`: L2 blocks produced or confirmed from proposals. */
    readonly derivedBlocks: MetricCounter;
    /** `driver_event_last_canonical_proposal_id`. */
    readonly lastCanonicalProposalId: MetricGauge;
    /** `driver_event_proposal_retries_total`: failed proposal attempts that were retried. */
    readonly proposalRetries: MetricCounter;
  };
  /** Derivation and L1-origin bookkeeping. */
  readonly derivation: {
    /** `driver_derivation_canonical_hits_total`: proposals confirmed on the fast path. */
    readonly canonicalHits: MetricCounter;
    /** `driver_derivation_l1_origin_updates_total`. */
    readonly l1OriginUpdates: MetricCounter;
    /** `driver_derivation_last_finalized_proposal_id`. */
    readonly lastFinalizedProposalId: MetricGauge;
    /** `driver_derivation_default_manifests_total`: sources that fell back to the default manifest. */
    readonly defaultManifests: MetricCounter;
  };
  /** The preconfirmation ingress. */
  readonly preconf: {
    /** `driver_preconf_injection_success_total`. */
    readonly injectionSuccess: MetricCounter;
    /** `driver_preconf_injection_failures_total`. */
    readonly injectionFailures: MetricCounter;
    /** `driver_preconf_injection_duration_seconds`. */
    readonly injectionDuration: MetricHistogram;
    /** `driver_preconf_queue_depth`. */
    readonly queueDepth: MetricGauge;
    /** `driver_preconf_enqueue_failures_total`: submissions refused because the queue was full. */
    readonly enqueueFailures: MetricCounter;
    /** `driver_preconf_enqueue_timeouts_total`: submissions abandoned before their job started. */
    readonly enqueueTimeouts: MetricCounter;
    /** `driver_preconf_stale_total`: submissions at or below the confirmed tip. */
    readonly stale: MetricCounter;
    /** `driver_preconf_not_ready_total`: submissions answered NotReady. */
    readonly notReady: MetricCounter;
    /** `driver_preconf_already_materialized_total`. */
    readonly alreadyMaterialized: MetricCounter;
    /** `driver_preconf_parent_hash_lookup_duration_seconds`. */
    readonly parentHashLookupDuration: MetricHistogram;
    /** `driver_preconf_parent_hash_lookup_failures_total`. */
    readonly parentHashLookupFailures: MetricCounter;
  };
}

/**
 * Creates the driver's metrics and registers them on `registry`.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { createDriverMetrics } from "./metrics.ts";
 * const metrics = createDriverMetrics(new Registry());
 * metrics.event.proposals.inc();
 * ```
 *
 * @param registry The Prometheus registry to register on (one tree per registry).
 * @returns The typed metric tree.
 * @throws {Error} When the registry already holds a metric of the same name.
 */
export function createDriverMetrics(registry: MetricsRegistry): DriverMetrics {
  const registers = [registry];
  function counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers });
  }
  function gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers });
  }
  function histogram(name: string, help: string): Histogram {
    return new Histogram({ name, help, registers, buckets: [...DRIVER_DURATION_BUCKETS_SECONDS] });
  }
  return {
    eventScanner: {
      batches: counter("driver_event_scanner_batches_total", "Non-empty Proposed log batches processed"),
      errors: counter("driver_event_scanner_errors_total", "Scanner generations ended by an L1 error"),
      reorgs: counter("driver_event_scanner_reorgs_total", "L1 reorgs detected by the scanner"),
    },
    event: {
      proposals: counter("driver_event_proposals_total", "Proposed logs received"),
      proposalsSkipped: counter(
        "driver_event_proposals_skipped_total",
        "Proposals skipped (id 0 or already processed)",
      ),
      derivedBlocks: counter("driver_event_derived_blocks_total", "L2 blocks produced or confirmed from L1"),
      lastCanonicalProposalId: gauge(
        "driver_event_last_canonical_proposal_id",
        "Last proposal id processed from L1",
      ),
      proposalRetries: counter("driver_event_proposal_retries_total", "Failed proposal attempts retried"),
    },
    derivation: {
      canonicalHits: counter(
        "driver_derivation_canonical_hits_total",
        "Proposals whose blocks were already in the engine",
      ),
      l1OriginUpdates: counter("driver_derivation_l1_origin_updates_total", "taikoAuth_updateL1Origin calls"),
      lastFinalizedProposalId: gauge(
        "driver_derivation_last_finalized_proposal_id",
        "Last finalized proposal id seen in a bundle",
      ),
      defaultManifests: counter(
        "driver_derivation_default_manifests_total",
        "Sources that fell back to the default manifest",
      ),
    },
    preconf: {
      injectionSuccess: counter("driver_preconf_injection_success_total", "Preconfirmation jobs that ended"),
      injectionFailures: counter(
        "driver_preconf_injection_failures_total",
        "Preconfirmation jobs that failed",
      ),
      injectionDuration: histogram(
        "driver_preconf_injection_duration_seconds",
        "Time a preconfirmation job held the production lock",
      ),
      queueDepth: gauge("driver_preconf_queue_depth", "Preconfirmation jobs waiting in the ingress queue"),
      enqueueFailures: counter(
        "driver_preconf_enqueue_failures_total",
        "Submissions refused because the ingress queue was full",
      ),
      enqueueTimeouts: counter(
        "driver_preconf_enqueue_timeouts_total",
        "Submissions abandoned by their caller before the job started",
      ),
      stale: counter("driver_preconf_stale_total", "Submissions at or below the confirmed tip"),
      notReady: counter("driver_preconf_not_ready_total", "Submissions answered NotReady"),
      alreadyMaterialized: counter(
        "driver_preconf_already_materialized_total",
        "Submissions whose block was already in the engine",
      ),
      parentHashLookupDuration: histogram(
        "driver_preconf_parent_hash_lookup_duration_seconds",
        "Time to read the parent block of a preconfirmation",
      ),
      parentHashLookupFailures: counter(
        "driver_preconf_parent_hash_lookup_failures_total",
        "Preconfirmation parent lookups that failed or mismatched",
      ),
    },
  };
}
