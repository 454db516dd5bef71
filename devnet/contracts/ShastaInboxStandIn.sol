// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ShastaInboxStandIn
/// @notice A devnet stand-in for Taiko's Shasta Inbox. `propose` reads the blob hashes of the calling
/// transaction and emits the protocol's exact `Proposed` event; `getCoreState`, `getConfig` and
/// `activationTimestamp` answer with the protocol's layouts. It checks no bonds, proofs or proposer
/// rights: anyone may propose.
/// @dev Forced inclusions: anyone may call `storeForcedInclusion` in a blob transaction to queue the
/// transaction's blobs; each `propose` then consumes up to `maxForcedInclusions` queued entries, oldest
/// first, as sources with `isForcedInclusion = true`, placed before the proposer's own source.
contract ShastaInboxStandIn {
    struct BlobSlice {
        bytes32[] blobHashes;
        uint24 offset;
        uint48 timestamp;
    }

    struct DerivationSource {
        bool isForcedInclusion;
        BlobSlice blobSlice;
    }

    struct CoreState {
        uint48 nextProposalId;
        uint48 lastProposalBlockId;
        uint48 lastFinalizedProposalId;
        uint48 lastFinalizedTimestamp;
        uint48 lastCheckpointTimestamp;
        bytes32 lastFinalizedBlockHash;
    }

    struct Config {
        address proofVerifier;
        address proposerChecker;
        address proverWhitelist;
        address signalService;
        address bondToken;
        uint64 minBond;
        uint64 livenessBond;
        uint48 withdrawalDelay;
        uint48 provingWindow;
        uint48 permissionlessProvingDelay;
        uint48 maxProofSubmissionDelay;
        uint48 ringBufferSize;
        uint8 basefeeSharingPctg;
        uint16 forcedInclusionDelay;
        uint64 forcedInclusionFeeInGwei;
        uint64 forcedInclusionFeeDoubleThreshold;
        uint8 permissionlessInclusionMultiplier;
    }

    /// @dev Upper bound of the blob-hash scan; a transaction carries far fewer blobs.
    uint256 private constant MAX_BLOBS_PER_TX = 64;

    event Proposed(
        uint48 indexed id,
        address indexed proposer,
        bytes32 parentProposalHash,
        uint48 endOfSubmissionWindowTimestamp,
        uint8 basefeeSharingPctg,
        DerivationSource[] sources
    );

    /// @notice Devnet-only: a forced inclusion was queued.
    event ForcedInclusionStored(uint256 indexed index, BlobSlice blobSlice);

    error NoBlobs();
    error NotOwner();

    address public immutable owner;
    uint48 public immutable activationTimestamp;

    Config private _config;
    CoreState private _coreState;
    bytes32 public lastProposalHash;
    BlobSlice[] private _forcedInclusions;
    uint256 public forcedInclusionHead;

    constructor(address proposerChecker, uint8 basefeeSharingPctg, uint48 activationTimestamp_) {
        owner = msg.sender;
        activationTimestamp = activationTimestamp_ == 0 ? uint48(block.timestamp) : activationTimestamp_;
        _config = Config({
            proofVerifier: address(0),
            proposerChecker: proposerChecker,
            proverWhitelist: address(0),
            signalService: address(0),
            bondToken: address(0),
            minBond: 0,
            livenessBond: 0,
            withdrawalDelay: 1 weeks,
            provingWindow: 4 hours,
            permissionlessProvingDelay: 5 days,
            maxProofSubmissionDelay: 3 minutes,
            ringBufferSize: 16_800,
            basefeeSharingPctg: basefeeSharingPctg,
            forcedInclusionDelay: 0,
            forcedInclusionFeeInGwei: 10_000_000,
            forcedInclusionFeeDoubleThreshold: 50,
            permissionlessInclusionMultiplier: 5
        });
        _coreState.nextProposalId = 1;
    }

    function getConfig() external view returns (Config memory) {
        return _config;
    }

    function getCoreState() external view returns (CoreState memory) {
        return _coreState;
    }

    function forcedInclusionCount() external view returns (uint256) {
        return _forcedInclusions.length - forcedInclusionHead;
    }

    /// @notice Queues the blobs of the calling transaction as one forced inclusion.
    function storeForcedInclusion(uint24 offset) external returns (uint256 index) {
        BlobSlice memory slice = BlobSlice({ blobHashes: _txBlobHashes(), offset: offset, timestamp: uint48(block.timestamp) });
        index = _forcedInclusions.length;
        _forcedInclusions.push(slice);
        emit ForcedInclusionStored(index, slice);
    }

    /// @notice Proposes the blobs of the calling transaction, after up to `maxForcedInclusions` queued
    /// forced inclusions.
    function propose(
        uint24 offset,
        uint48 endOfSubmissionWindowTimestamp,
        uint16 maxForcedInclusions
    )
        external
        returns (uint48 id)
    {
        uint256 available = _forcedInclusions.length - forcedInclusionHead;
        uint256 forced = available < maxForcedInclusions ? available : maxForcedInclusions;
        DerivationSource[] memory sources = new DerivationSource[](forced + 1);
        for (uint256 i = 0; i < forced; ++i) {
            sources[i] = DerivationSource({ isForcedInclusion: true, blobSlice: _forcedInclusions[forcedInclusionHead + i] });
            delete _forcedInclusions[forcedInclusionHead + i];
        }
        forcedInclusionHead += forced;
        sources[forced] = DerivationSource({
            isForcedInclusion: false,
            blobSlice: BlobSlice({ blobHashes: _txBlobHashes(), offset: offset, timestamp: uint48(block.timestamp) })
        });

        id = _coreState.nextProposalId;
        _coreState.nextProposalId = id + 1;
        _coreState.lastProposalBlockId = uint48(block.number);
        bytes32 parent = lastProposalHash;
        lastProposalHash = keccak256(abi.encode(id, msg.sender, parent, sources));
        emit Proposed(id, msg.sender, parent, endOfSubmissionWindowTimestamp, _config.basefeeSharingPctg, sources);
    }

    /// @notice Devnet-only: records a finalized proposal, as proving would.
    function finalize(uint48 proposalId, bytes32 blockHash) external {
        if (msg.sender != owner) revert NotOwner();
        _coreState.lastFinalizedProposalId = proposalId;
        _coreState.lastFinalizedTimestamp = uint48(block.timestamp);
        _coreState.lastFinalizedBlockHash = blockHash;
    }

    function _txBlobHashes() private view returns (bytes32[] memory hashes) {
        uint256 count;
        while (count < MAX_BLOBS_PER_TX && blobhash(count) != bytes32(0)) ++count;
        if (count == 0) revert NoBlobs();
        hashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) hashes[i] = blobhash(i);
    }
}
