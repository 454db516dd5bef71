/**
 * Taiko's permissionless preconfirmation driver for Deno: it follows the Shasta Inbox on L1, takes
 * signed preconfirmations from a libp2p network and inserts both into an L2 execution engine.
 *
 * Run it with {@linkcode runPreconfirmationDriver} (or hold a {@linkcode PreconfirmationDriverRunner}),
 * configured through the `validate*Config` functions; a stop is explained by a {@linkcode RunnerError}.
 *
 * @example
 * ```ts ignore
 * import { runPreconfirmationDriver, validateDriverConfig, validateP2pConfig } from "@taiko/preconf-driver";
 *
 * const controller = new AbortController();
 * Deno.addSignalListener("SIGTERM", () => controller.abort());
 * await runPreconfirmationDriver({
 *   driver: validateDriverConfig({
 *     l1Ws: "ws://127.0.0.1:8546",
 *     l2Http: "http://127.0.0.1:28545",
 *     l2Auth: "http://127.0.0.1:28551",
 *     jwtSecretPath: "./jwt.hex",
 *     inboxAddress: "0x0000000000000000000000000000000000000001",
 *     l1Beacon: "http://127.0.0.1:5052",
 *   }),
 *   p2p: validateP2pConfig({ slasherAddress: "0x00000000000000000000000000000000000000aa" }),
 * }, controller.signal);
 * ```
 *
 * @module
 */
export {
  DEFAULT_METRICS_HOSTNAME,
  DEFAULT_METRICS_PORT,
  DEFAULT_P2P_LISTEN_ADDRESS,
  DEFAULT_P2P_REQUEST_TIMEOUT_MS,
  DEFAULT_PRECONF_RPC_HOSTNAME,
  DEFAULT_PRECONF_RPC_MAX_BODY_BYTES,
  DEFAULT_PRECONF_RPC_MAX_CONNECTIONS,
  DEFAULT_PRECONF_RPC_PORT,
  DEFAULT_SIGNING_DOMAIN,
  DEFAULT_STOP_TIMEOUT_MS,
  type LatestL2BlockReader,
  MEMORY_TRIM_INTERVAL_MS,
  type MetricsRegistry,
  type MetricsServerConfig,
  type MetricsServerConfigInput,
  type P2pConfig,
  type P2pConfigInput,
  parseMemoryTrimIntervalMs,
  parseSocketAddress,
  type PreconfDriver,
  PreconfirmationDriverRunner,
  type PreconfNodeDeps,
  type PreconfRpcServerConfig,
  type PreconfRpcServerConfigInput,
  type PreconfSubmissionOutcome,
  type PreconfSubmitOptions,
  type ProposalState,
  type ProposalStateReader,
  resolvePreconfTipFromL2,
  type RunnerConfig,
  type RunnerDriverClient,
  RunnerError,
  type RunnerErrorKind,
  type RunnerEventSyncer,
  type RunnerNode,
  type RunnerOptions,
  type RunnerPartDeps,
  type RunnerParts,
  type RunnerRpcServer,
  runPreconfirmationDriver,
  type ValidateConfigOptions,
  validateMetricsServerConfig,
  validateP2pConfig,
  validatePreconfRpcServerConfig,
  validateRunnerConfig,
} from "./runner/mod.ts";
export {
  type Address,
  type BlobSlice,
  type BlockManifest,
  type BlockMetadata,
  DEFAULT_HTTP_TIMEOUT_MS,
  type DerivationSource,
  type DriverConfig,
  type DriverConfigInput,
  type DriverConfigLabels,
  DriverError,
  type DriverErrorContext,
  type DriverErrorKind,
  type Hash,
  type Hex,
  type L1Origin,
  type L2BlockHeader,
  type Proposal,
  type ShastaChainOverrides,
  type SourceManifest,
  SyncError,
  type SyncErrorContext,
  type SyncErrorKind,
  type TaikoPayloadAttributes,
  validateDriverConfig,
  type ValidateDriverConfigOptions,
} from "./driver/mod.ts";
