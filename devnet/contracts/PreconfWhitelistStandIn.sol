// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PreconfWhitelistStandIn
/// @notice A devnet stand-in for Taiko's PreconfWhitelist. Operators added or removed by the owner
/// take effect at the start of the next epoch (32 slots of 12 s from the configured beacon genesis);
/// the constructor's operators are active from genesis. The operator of an epoch is picked
/// round-robin by epoch number among the operators active at the epoch's start (the protocol uses
/// beacon randomness instead).
contract PreconfWhitelistStandIn {
    struct Operator {
        address sequencer;
        uint64 activeSince;
        uint64 inactiveSince;
    }

    event OperatorAdded(address indexed proposer, address indexed sequencer, uint256 activeSince);
    event OperatorRemoved(address indexed proposer, address indexed sequencer, uint256 inactiveSince);

    error NotOwner();
    error UnknownOperator();
    error LengthMismatch();

    uint256 public constant SECONDS_IN_EPOCH = 384;

    address public immutable owner;
    uint256 public immutable beaconGenesisTimestamp;
    address[] public operatorProposers;
    mapping(address proposer => Operator operator) public operators;
    mapping(address proposer => bool listed) private _known;

    constructor(uint256 beaconGenesisTimestamp_, address[] memory proposers, address[] memory sequencers) {
        if (proposers.length != sequencers.length) revert LengthMismatch();
        owner = msg.sender;
        beaconGenesisTimestamp = beaconGenesisTimestamp_;
        for (uint256 i = 0; i < proposers.length; ++i) {
            operatorProposers.push(proposers[i]);
            _known[proposers[i]] = true;
            operators[proposers[i]] = Operator({ sequencer: sequencers[i], activeSince: 0, inactiveSince: 0 });
            emit OperatorAdded(proposers[i], sequencers[i], 0);
        }
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function operatorCount() external view returns (uint256) {
        return operatorProposers.length;
    }

    function addOperator(address proposer, address sequencer) external onlyOwner {
        uint64 activeSince = uint64(epochStart(block.timestamp) + SECONDS_IN_EPOCH);
        if (!_known[proposer]) {
            operatorProposers.push(proposer);
            _known[proposer] = true;
        }
        operators[proposer] = Operator({ sequencer: sequencer, activeSince: activeSince, inactiveSince: 0 });
        emit OperatorAdded(proposer, sequencer, activeSince);
    }

    function removeOperator(address proposer) external onlyOwner {
        Operator storage operator = operators[proposer];
        if (operator.sequencer == address(0)) revert UnknownOperator();
        uint64 inactiveSince = uint64(epochStart(block.timestamp) + SECONDS_IN_EPOCH);
        operator.inactiveSince = inactiveSince;
        emit OperatorRemoved(proposer, operator.sequencer, inactiveSince);
    }

    function getOperatorForCurrentEpoch() external view returns (address) {
        return _operatorAt(epochStart(block.timestamp));
    }

    function getOperatorForNextEpoch() external view returns (address) {
        return _operatorAt(epochStart(block.timestamp) + SECONDS_IN_EPOCH);
    }

    function epochStart(uint256 timestamp) public view returns (uint256) {
        if (timestamp < beaconGenesisTimestamp) return beaconGenesisTimestamp;
        uint256 elapsed = timestamp - beaconGenesisTimestamp;
        return beaconGenesisTimestamp + elapsed - (elapsed % SECONDS_IN_EPOCH);
    }

    function _operatorAt(uint256 epochTimestamp) private view returns (address) {
        uint256 active;
        for (uint256 i = 0; i < operatorProposers.length; ++i) {
            if (_isActive(operators[operatorProposers[i]], epochTimestamp)) ++active;
        }
        if (active == 0) return address(0);
        uint256 pick = ((epochTimestamp - beaconGenesisTimestamp) / SECONDS_IN_EPOCH) % active;
        for (uint256 i = 0; i < operatorProposers.length; ++i) {
            if (!_isActive(operators[operatorProposers[i]], epochTimestamp)) continue;
            if (pick == 0) return operatorProposers[i];
            --pick;
        }
        return address(0);
    }

    function _isActive(Operator memory operator, uint256 epochTimestamp) private pure returns (bool) {
        if (operator.sequencer == address(0)) return false;
        if (operator.activeSince > epochTimestamp) return false;
        return operator.inactiveSince == 0 || operator.inactiveSince > epochTimestamp;
    }
}
