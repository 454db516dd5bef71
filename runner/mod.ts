/**
 * The preconfirmation driver runner: orchestration of the event syncer, the P2P preconfirmation
 * node and the JSON-RPC server, with its configuration and errors.
 *
 * @example
 * ```ts ignore
 * import { runPreconfirmationDriver, validateP2pConfig } from "./mod.ts";
 * import { validateDriverConfig } from "../driver/mod.ts";
 *
 * const controller = new AbortController();
 * Deno.addSignalListener("SIGTERM", () => controller.abort());
 * await runPreconfirmationDriver({
 *   driver: validateDriverConfig({ l1Ws, l2Http, l2Auth, jwtSecretPath, inboxAddress, l1Beacon }),
 *   p2p: validateP2pConfig({ slasherAddress }),
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
  DEFAULT_STOP_TIMEOUT_MS,
  type MetricsServerConfig,
  type MetricsServerConfigInput,
  type P2pConfig,
  type P2pConfigInput,
  parseMemoryTrimIntervalMs,
  parseSocketAddress,
  type PreconfRpcServerConfig,
  type PreconfRpcServerConfigInput,
  type RunnerConfig,
  type ValidateConfigOptions,
  validateMetricsServerConfig,
  validateP2pConfig,
  validatePreconfRpcServerConfig,
  validateRunnerConfig,
} from "./config.ts";
export { RunnerError, type RunnerErrorKind } from "./errors.ts";
export { MEMORY_TRIM_INTERVAL_MS } from "./memory_trim.ts";
export { type LatestL2BlockReader, resolvePreconfTipFromL2 } from "./preconf_tip.ts";
export type {
  MetricsRegistry,
  PreconfDriver,
  PreconfNodeDeps,
  PreconfSubmissionOutcome,
  PreconfSubmitOptions,
  ProposalState,
  ProposalStateReader,
  RunnerDriverClient,
  RunnerEventSyncer,
  RunnerNode,
  RunnerPartDeps,
  RunnerParts,
  RunnerRpcServer,
} from "./parts.ts";
export { PreconfirmationDriverRunner, type RunnerOptions } from "./runner.ts";
export { runPreconfirmationDriver } from "./run_preconfirmation_driver.ts";
export { DEFAULT_SIGNING_DOMAIN } from "./p2p/wire/signing.ts";
export { RPC_ERROR_CODES, type RpcErrorCode, type RpcErrorName } from "./rpc/error_codes.ts";
export { MAX_RPC_BODY_BYTES, MAX_RPC_CONNECTIONS } from "./rpc/server.ts";
