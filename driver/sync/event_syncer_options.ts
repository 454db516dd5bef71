/**
 * Tuning of the EventSyncer and its defaults.
 *
 * @module
 */
import type { ShastaChainOverrides } from "../shasta/chain_config.ts";

/** Default interval between L1 head polls once live, in milliseconds. */
export const DEFAULT_L1_POLL_INTERVAL_MS = 2_000;
/** Default cap of the delay between scanner generations, in milliseconds (`--driver.retryInterval`). */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 12_000;
/** First delay after a generation ends, in milliseconds. */
export const RECONNECT_BASE_DELAY_MS = 1_000;

/** Tuning of the `EventSyncer`. */
export interface EventSyncerOptions {
  /**
   * Creates the preconfirmation ingress.
   * @default {false}
   */
  readonly preconfirmationEnabled?: boolean;
  /**
   * Ingress queue capacity.
   * @default {1024}
   */
  readonly preconfQueueCapacity?: number;
  /**
   * How long a submission may wait for its job to start, in milliseconds.
   * @default {24_000}
   */
  readonly preconfSubmitTimeoutMs?: number;
  /**
   * Interval between L1 head polls when live, in milliseconds.
   * @default {DEFAULT_L1_POLL_INTERVAL_MS}
   */
  readonly pollIntervalMs?: number;
  /**
   * Blocks per `eth_getLogs`.
   * @default {1000n}
   */
  readonly logChunkBlocks?: bigint;
  /**
   * Cap of the delay between scanner generations, in milliseconds.
   * @default {DEFAULT_RECONNECT_MAX_DELAY_MS}
   */
  readonly reconnectMaxDelayMs?: number;
  /**
   * First retry delay of a failing proposal, in milliseconds.
   * @default {100}
   */
  readonly proposalRetryBaseMs?: number;
  /**
   * Cap of a failing proposal's retry delay, in milliseconds.
   * @default {12_000}
   */
  readonly proposalRetryMaxMs?: number;
  /**
   * Per-chain protocol values replacing the built-in table (e.g. the Shasta fork timestamp).
   * @default {the client's chainOverrides}
   */
  readonly chainOverrides?: ShastaChainOverrides;
}
