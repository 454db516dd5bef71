/**
 * The parts the runner orchestrates, as the small interfaces it needs from each: the driver client
 * (step 1), the event syncer (steps 2 and 3), the preconfirmation node (steps 4 to 6) and the
 * JSON-RPC server (step 6). The runner builds them through {@linkcode RunnerParts} factories, so
 * real parts and test doubles plug in without changing the orchestration.
 *
 * @module
 */
import type { Registry } from "prom-client";
import type {
  DriverConfig,
  PreconfSubmissionOutcome,
  SubmitPreconfirmationOptions,
  TaikoPayloadAttributes,
} from "../driver/mod.ts";
import type { PreconfRpcServerConfig, RunnerConfig } from "./config.ts";
import type { LatestL2BlockReader } from "./preconf_tip.ts";

export type { PreconfSubmissionOutcome };

/** Options of a preconfirmation submission (the event syncer's own options type). */
export type PreconfSubmitOptions = SubmitPreconfirmationOptions;

/** What the preconfirmation node may ask of the driver: submit a block and read its progress. */
export interface PreconfDriver {
  /**
   * Builds and inserts one preconfirmed block through the event syncer.
   *
   * @param attrs The block's payload attributes.
   * @param options Parent binding, signal and deadline.
   * @returns What became of the submission.
   */
  submitPreconfirmationPayload(
    attrs: TaikoPayloadAttributes,
    options?: PreconfSubmitOptions,
  ): Promise<PreconfSubmissionOutcome>;
  /** The last proposal id the syncer applied from L1. */
  readonly lastCanonicalProposalId: bigint;
  /** The highest L2 block confirmed by L1; no preconfirmation may touch it or anything below. */
  readonly confirmedTip: bigint;
}

/** The event syncer as the runner uses it (the driver's `EventSyncer` satisfies it). */
export interface RunnerEventSyncer extends PreconfDriver {
  /**
   * Follows L1 until the signal aborts.
   *
   * @param signal Stops the loop.
   * @returns When the signal aborts (any other return is an unexpected exit).
   */
  run(signal?: AbortSignal): Promise<void>;
  /**
   * Waits until preconfirmation submissions are accepted.
   *
   * @param options Abandons the wait when the signal aborts.
   * @returns `true` when ready, `null` when this syncer was built without preconfirmation ingress.
   */
  waitPreconfIngressReady(options?: { signal?: AbortSignal }): Promise<true | null>;
  /**
   * Yields the canonical proposal id each time it changes, until the signal aborts.
   *
   * @param options Ends the iteration when the signal aborts.
   * @returns The changes.
   */
  canonicalProposalIdChanges(options?: { signal?: AbortSignal }): AsyncIterable<bigint>;
}

/** What the node is told about the driver's progress (spec/p2p.md 16.3's two watches). */
export interface ProposalState {
  /** The last proposal id applied from L1. */
  readonly canonicalProposalId: bigint;
  /** L2's `latest` block number. */
  readonly preconfTip: bigint;
}

/** A read-only view of the latest {@linkcode ProposalState} (an `internal/watch.ts` Watch satisfies it). */
export interface ProposalStateReader {
  /** The current state. */
  readonly value: ProposalState;
  /** How many times the state was published; tells a reader whether it missed a change. */
  readonly version: number;
  /**
   * Waits for the state published after `sinceVersion`.
   *
   * @param options The version already seen, and a signal that abandons the wait.
   * @returns The new state.
   */
  changed(options?: { sinceVersion?: number; signal?: AbortSignal }): Promise<ProposalState>;
  /**
   * Yields the current state, then every later one, until the signal aborts.
   *
   * @param options Ends the iteration when the signal aborts.
   * @returns The states.
   */
  values(options?: { signal?: AbortSignal }): AsyncGenerator<ProposalState>;
}

/** The connections step 1 creates; the runner itself reads only L2's latest head. */
export interface RunnerDriverClient {
  /** The public L2 client. */
  readonly l2: LatestL2BlockReader;
  /**
   * Closes every connection.
   *
   * @returns When closed.
   */
  close(): Promise<void>;
}

/** The preconfirmation node: P2P network, preconfirmation client and its catch-up. */
export interface RunnerNode {
  /**
   * Starts the network (listening, dialling static peers). Called once.
   *
   * @returns When started.
   */
  start(): Promise<void>;
  /**
   * Catches up from peers, then handles gossip and requests until the signal aborts.
   *
   * @param signal Stops the loop.
   * @returns When the signal aborts (any other return is an unexpected exit).
   */
  run(signal: AbortSignal): Promise<void>;
  /**
   * Stops the network; idempotent, also after a failed start.
   *
   * @returns When stopped.
   */
  stop(): Promise<void>;
}

/** The preconfirmation JSON-RPC server. */
export interface RunnerRpcServer {
  /**
   * Binds and serves.
   *
   * @returns When listening.
   */
  start(): Promise<void>;
  /**
   * Stops serving; idempotent.
   *
   * @returns When closed.
   */
  stop(): Promise<void>;
}

/** The prom-client registry parts register their metrics in. */
export type MetricsRegistry = Registry;

/** What every factory may use besides its own inputs. */
export interface RunnerPartDeps {
  /** Where to register metrics; `null` when metrics are off. */
  readonly registry: MetricsRegistry | null;
  /** Aborts when the runner stops while the part is being built. */
  readonly signal: AbortSignal;
}

/** What the node factory gets to build the node. */
export interface PreconfNodeDeps<C extends RunnerDriverClient> extends RunnerPartDeps {
  /** The driver client from step 1. */
  readonly client: C;
  /** Submits blocks to the event syncer and reads its progress. */
  readonly driver: PreconfDriver;
  /** The canonical proposal id and preconf tip, republished as they change. */
  readonly proposalState: ProposalStateReader;
}

/** The factories of the parts the runner orchestrates. */
export interface RunnerParts<
  C extends RunnerDriverClient = RunnerDriverClient,
  N extends RunnerNode = RunnerNode,
> {
  /**
   * Step 1: connects L1, L2, the engine (JWT) and the beacon node.
   *
   * @param config The driver's settings.
   * @param deps Metrics registry and signal.
   * @returns The connected client.
   */
  createDriverClient(config: DriverConfig, deps: RunnerPartDeps): Promise<C>;
  /**
   * Step 2: builds the event syncer with preconfirmation ingress enabled (not yet running).
   *
   * @param client The client from step 1.
   * @param deps Metrics registry and signal.
   * @returns The syncer.
   */
  createEventSyncer(client: C, deps: RunnerPartDeps): RunnerEventSyncer;
  /**
   * Steps 4 and 5: builds the preconfirmation node (not yet started).
   *
   * @param deps The client, the driver port and the proposal state.
   * @param config The whole runner configuration (P2P settings first).
   * @returns The node.
   */
  createPreconfNode(deps: PreconfNodeDeps<C>, config: RunnerConfig): Promise<N>;
  /**
   * Step 6: builds the JSON-RPC server over the node (not yet started).
   *
   * @param node The node from steps 4 and 5.
   * @param config The server's settings.
   * @param deps Metrics registry and signal.
   * @returns The server.
   */
  createRpcServer(node: N, config: PreconfRpcServerConfig, deps: RunnerPartDeps): RunnerRpcServer;
}
