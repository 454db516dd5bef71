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
