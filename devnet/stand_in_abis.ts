/**
 * Typed ABIs of the devnet's Solidity stand-ins. A test checks them against solc's output, so a
 * change to a `.sol` file that is not mirrored here fails CI.
 *
 * @module
 */
import { parseAbi } from "viem";

const BLOB_SLICE = "struct BlobSlice { bytes32[] blobHashes; uint24 offset; uint48 timestamp; }";
const DERIVATION_SOURCE = "struct DerivationSource { bool isForcedInclusion; BlobSlice blobSlice; }";

/** ABI of `ShastaInboxStandIn`: the protocol's `Proposed`, `getCoreState`, `getConfig`, `activationTimestamp`, plus devnet calls. */
export const inboxStandInAbi = parseAbi([
  BLOB_SLICE,
  DERIVATION_SOURCE,
  "struct CoreState { uint48 nextProposalId; uint48 lastProposalBlockId; uint48 lastFinalizedProposalId; uint48 lastFinalizedTimestamp; uint48 lastCheckpointTimestamp; bytes32 lastFinalizedBlockHash; }",
  "struct Config { address proofVerifier; address proposerChecker; address proverWhitelist; address signalService; address bondToken; uint64 minBond; uint64 livenessBond; uint48 withdrawalDelay; uint48 provingWindow; uint48 permissionlessProvingDelay; uint48 maxProofSubmissionDelay; uint48 ringBufferSize; uint8 basefeeSharingPctg; uint16 forcedInclusionDelay; uint64 forcedInclusionFeeInGwei; uint64 forcedInclusionFeeDoubleThreshold; uint8 permissionlessInclusionMultiplier; }",
  "constructor(address proposerChecker, uint8 basefeeSharingPctg, uint48 activationTimestamp_)",
  "event Proposed(uint48 indexed id, address indexed proposer, bytes32 parentProposalHash, uint48 endOfSubmissionWindowTimestamp, uint8 basefeeSharingPctg, DerivationSource[] sources)",
  "event ForcedInclusionStored(uint256 indexed index, BlobSlice blobSlice)",
  "function activationTimestamp() view returns (uint48)",
  "function finalize(uint48 proposalId, bytes32 blockHash)",
  "function forcedInclusionCount() view returns (uint256)",
  "function forcedInclusionHead() view returns (uint256)",
  "function getConfig() view returns (Config)",
  "function getCoreState() view returns (CoreState)",
  "function lastProposalHash() view returns (bytes32)",
  "function owner() view returns (address)",
  "function propose(uint24 offset, uint48 endOfSubmissionWindowTimestamp, uint16 maxForcedInclusions) returns (uint48 id)",
  "function storeForcedInclusion(uint24 offset) returns (uint256 index)",
]);

/** ABI of `LookaheadStoreStandIn`: the protocol's lookahead calls and events, plus owner-only posting. */
export const lookaheadStoreStandInAbi = parseAbi([
  "struct LookaheadSlot { address committer; uint256 timestamp; bytes32 registrationRoot; uint256 validatorLeafIndex; }",
  "struct LookaheadStoreConfig { uint16 lookaheadBufferSize; uint80 minCollateralForPosting; uint80 minCollateralForPreconfing; }",
  "constructor(address preconfWhitelist_)",
  "event LookaheadPosted(uint256 indexed epochTimestamp, bytes32 lookaheadHash, LookaheadSlot[] lookaheadSlots)",
  "event Blacklisted(bytes32 indexed operatorRegistrationRoot, uint48 timestamp)",
  "event Unblacklisted(bytes32 indexed operatorRegistrationRoot, uint48 timestamp)",
  "function blacklistOperator(bytes32 operatorRegistrationRoot)",
  "function getLookaheadStoreConfig() pure returns (LookaheadStoreConfig)",
  "function isOperatorBlacklisted(bytes32 registrationRoot) view returns (bool)",
  "function lookaheadHashes(uint256 epochTimestamp) view returns (bytes32)",
  "function owner() view returns (address)",
  "function postLookahead(uint256 epochTimestamp, LookaheadSlot[] lookaheadSlots) returns (bytes32 lookaheadHash)",
  "function preconfWhitelist() view returns (address)",
  "function unblacklistOperator(bytes32 operatorRegistrationRoot)",
]);

/** ABI of `PreconfWhitelistStandIn`: the protocol's operator calls and events, plus owner-only changes. */
export const preconfWhitelistStandInAbi = parseAbi([
  "constructor(uint256 beaconGenesisTimestamp_, address[] proposers, address[] sequencers)",
  "event OperatorAdded(address indexed proposer, address indexed sequencer, uint256 activeSince)",
  "event OperatorRemoved(address indexed proposer, address indexed sequencer, uint256 inactiveSince)",
  "function SECONDS_IN_EPOCH() view returns (uint256)",
  "function addOperator(address proposer, address sequencer)",
  "function beaconGenesisTimestamp() view returns (uint256)",
  "function epochStart(uint256 timestamp) view returns (uint256)",
  "function getOperatorForCurrentEpoch() view returns (address)",
  "function getOperatorForNextEpoch() view returns (address)",
  "function operatorCount() view returns (uint256)",
  "function operatorProposers(uint256 index) view returns (address)",
  "function operators(address proposer) view returns (address sequencer, uint64 activeSince, uint64 inactiveSince)",
  "function owner() view returns (address)",
  "function removeOperator(address proposer)",
]);
