/**
 * The Taiko Shasta driver: L1 event sync, derivation, engine insertion and preconfirmation ingress.
 *
 * @module
 */
export type {
  BlobSlice,
  BlockManifest,
  BlockMetadata,
  DerivationSource,
  L1Origin,
  L2BlockHeader,
  Proposal,
  SourceManifest,
  TaikoPayloadAttributes,
} from "./shasta/types.ts";
export {
  DriverError,
  type DriverErrorContext,
  type DriverErrorKind,
  SyncError,
  type SyncErrorContext,
  type SyncErrorKind,
} from "./errors.ts";
export {
  DEFAULT_HTTP_TIMEOUT_MS,
  type DriverConfig,
  type DriverConfigInput,
  type DriverConfigLabels,
  validateDriverConfig,
  type ValidateDriverConfigOptions,
} from "./config.ts";
export type { Address, Hash, Hex } from "./hex.ts";
export { anchorAbi, decodeProposedLog, inboxAbi, type ProposedLogInput } from "./shasta/abi.ts";
export {
  type AnchorCheckpoint,
  type AnchorV4TransactionInput,
  buildAnchorV4Transaction,
} from "./shasta/anchor_tx.ts";
export { type BaseFeeOptions, type BaseFeeParent, nextBaseFeeEip4396 } from "./shasta/base_fee.ts";
export {
  anchorAddress,
  type ShastaChainConfig,
  shastaChainConfig,
  type ShastaChainOverrides,
  shastaForkTimestamp,
} from "./shasta/chain_config.ts";
export {
  ANCHOR_GAS_LIMIT,
  GOLDEN_TOUCH_ADDRESS,
  MAX_ANCHOR_OFFSET,
  MAX_BLOCK_GAS_LIMIT,
  MAX_PROPOSAL_ID,
  MIN_BLOCK_GAS_LIMIT,
  PROPOSAL_MAX_BLOCKS,
  SHASTA_INITIAL_BASE_FEE,
  TAIKO_DEVNET_CHAIN_ID,
  TAIKO_HOODI_CHAIN_ID,
  TAIKO_MAINNET_CHAIN_ID,
  TIMESTAMP_MAX_OFFSET,
} from "./shasta/constants.ts";
export { decodeExtraData, encodeExtraData, type ShastaExtraData } from "./shasta/extra_data.ts";
export { effectiveParentGasLimit, gasLimitBounds } from "./shasta/manifest_validation.ts";
export { computeMixHash } from "./shasta/mix_hash.ts";
export { taikoPayloadId } from "./shasta/payload_id.ts";
export { buildPreconfPayloadAttributes, type PreconfPayloadInput } from "./shasta/preconf_payload.ts";
export { decodeTxList, decodeTxListBytes, encodeTxList, encodeTxListBytes } from "./shasta/tx_list.ts";
export {
  type AnchorBlockState,
  createEngineClient,
  DEFAULT_ENGINE_TIMEOUT_MS,
  type EngineClient,
  type EngineClientOptions,
} from "./engine/engine_client.ts";
export {
  applyPayload,
  type ApplyPayloadDeps,
  type ApplyPayloadOptions,
  type ApplyPayloadResult,
} from "./engine/apply_payload.ts";
export type {
  ExecutionPayload,
  ForkchoiceState,
  ForkchoiceUpdatedResult,
  GetPayloadResult,
  PayloadStatus,
  Withdrawal,
} from "./engine/wire.ts";
export type { PayloadStatusValue } from "./engine/rpc_schema.ts";
export { orderedTrieRoot } from "./engine/trie_root.ts";
export {
  createL2Client,
  DEFAULT_L2_TIMEOUT_MS,
  type L2BlockId,
  type L2Client,
  type L2ClientOptions,
} from "./rpc/l2_client.ts";
export type { L2Block, L2Transaction } from "./rpc/l2_block.ts";
export {
  RECENT_HEADERS_MAX_AGE_MS,
  RECENT_HEADERS_MAX_ENTRIES,
  RecentHeaders,
  type RecentHeadersOptions,
} from "./rpc/recent_headers.ts";
export {
  createDriverMetrics,
  DRIVER_DURATION_BUCKETS_SECONDS,
  type DriverMetrics,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricsRegistry,
} from "./metrics.ts";
export { createDriverClient, type DriverClient, type DriverClientOptions } from "./rpc/driver_client.ts";
export {
  createL1Client,
  type L1BlockRef,
  type L1BlockSelector,
  type L1Client,
  type L1ClientOptions,
  type L1Log,
  type L1PublicClient,
} from "./rpc/l1_client.ts";
export {
  type BeaconClient,
  type BeaconClientOptions,
  type BlobSidecar,
  createBeaconClient,
} from "./rpc/beacon_client.ts";
export {
  type BlobCommitter,
  type BlobSource,
  type BlobSourceOptions,
  createBlobSource,
} from "./rpc/blob_source.ts";
export { type InboxCoreState, readCoreState } from "./rpc/inbox_reader.ts";
export { EventSyncer } from "./sync/event_syncer.ts";
export {
  DEFAULT_L1_POLL_INTERVAL_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  type EventSyncerOptions,
} from "./sync/event_syncer_options.ts";
export {
  DEFAULT_PRECONF_QUEUE_CAPACITY,
  DEFAULT_PRECONF_SUBMIT_TIMEOUT_MS,
  type PreconfSubmissionOutcome,
  type SubmitPreconfirmationOptions,
} from "./sync/ingress.ts";
