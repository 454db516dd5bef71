// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title LookaheadStoreStandIn
/// @notice A devnet stand-in for Taiko's LookaheadStore: the owner posts lookaheads and blacklists
/// operators directly (no URC, collateral or commitment checks); the calls and events the
/// preconfirmation lookahead resolver reads have the protocol's signatures.
contract LookaheadStoreStandIn {
    struct LookaheadSlot {
        address committer;
        uint256 timestamp;
        bytes32 registrationRoot;
        uint256 validatorLeafIndex;
    }

    struct LookaheadStoreConfig {
        uint16 lookaheadBufferSize;
        uint80 minCollateralForPosting;
        uint80 minCollateralForPreconfing;
    }

    event LookaheadPosted(uint256 indexed epochTimestamp, bytes32 lookaheadHash, LookaheadSlot[] lookaheadSlots);
    event Blacklisted(bytes32 indexed operatorRegistrationRoot, uint48 timestamp);
    event Unblacklisted(bytes32 indexed operatorRegistrationRoot, uint48 timestamp);

    error NotOwner();

    address public immutable owner;
    address public immutable preconfWhitelist;
    mapping(uint256 epochTimestamp => bytes32 lookaheadHash) public lookaheadHashes;
    mapping(bytes32 registrationRoot => bool listed) public isOperatorBlacklisted;

    constructor(address preconfWhitelist_) {
        owner = msg.sender;
        preconfWhitelist = preconfWhitelist_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function getLookaheadStoreConfig() external pure returns (LookaheadStoreConfig memory) {
        return LookaheadStoreConfig({
            lookaheadBufferSize: 503,
            minCollateralForPosting: 1 ether,
            minCollateralForPreconfing: 1 ether
        });
    }

    function postLookahead(uint256 epochTimestamp, LookaheadSlot[] calldata lookaheadSlots)
        external
        onlyOwner
        returns (bytes32 lookaheadHash)
    {
        lookaheadHash = keccak256(abi.encode(epochTimestamp, lookaheadSlots));
        lookaheadHashes[epochTimestamp] = lookaheadHash;
        emit LookaheadPosted(epochTimestamp, lookaheadHash, lookaheadSlots);
    }

    function blacklistOperator(bytes32 operatorRegistrationRoot) external onlyOwner {
        isOperatorBlacklisted[operatorRegistrationRoot] = true;
        emit Blacklisted(operatorRegistrationRoot, uint48(block.timestamp));
    }

    function unblacklistOperator(bytes32 operatorRegistrationRoot) external onlyOwner {
        isOperatorBlacklisted[operatorRegistrationRoot] = false;
        emit Unblacklisted(operatorRegistrationRoot, uint48(block.timestamp));
    }
}
