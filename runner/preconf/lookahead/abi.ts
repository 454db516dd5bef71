/**
 * ABIs of the L1 contracts the lookahead resolver reads: the LookaheadStore (which also holds the
 * operator blacklist) and the PreconfWhitelist (the fallback preconfer). Only the functions and
 * events the resolver uses are listed (p2p.md §15.1).
 *
 * @module
 */

/** The `LookaheadSlot` tuple as posted in `LookaheadPosted`. */
const lookaheadSlotComponents = [
  { name: "committer", type: "address" },
  { name: "timestamp", type: "uint256" },
  { name: "registrationRoot", type: "bytes32" },
  { name: "validatorLeafIndex", type: "uint256" },
] as const;

/** LookaheadStore: schedule posting, blacklist events, configuration and the whitelist address. */
export const lookaheadStoreAbi = [
  {
    type: "event",
    name: "LookaheadPosted",
    anonymous: false,
    inputs: [
      { name: "epochTimestamp", type: "uint256", indexed: true },
      { name: "lookaheadHash", type: "bytes32", indexed: false },
      { name: "lookaheadSlots", type: "tuple[]", indexed: false, components: lookaheadSlotComponents },
    ],
  },
  {
    type: "event",
    name: "Blacklisted",
    anonymous: false,
    inputs: [
      { name: "operatorRegistrationRoot", type: "bytes32", indexed: true },
      { name: "timestamp", type: "uint48", indexed: false },
    ],
  },
  {
    type: "event",
    name: "Unblacklisted",
    anonymous: false,
    inputs: [
      { name: "operatorRegistrationRoot", type: "bytes32", indexed: true },
      { name: "timestamp", type: "uint48", indexed: false },
    ],
  },
  {
    type: "function",
    name: "getLookaheadStoreConfig",
    stateMutability: "view",
    inputs: [],
    outputs: [
      {
        name: "",
        type: "tuple",
        components: [
          { name: "lookaheadBufferSize", type: "uint16" },
          { name: "minCollateralForPosting", type: "uint80" },
          { name: "minCollateralForPreconfing", type: "uint80" },
        ],
      },
    ],
  },
  {
    type: "function",
    name: "preconfWhitelist",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
] as const;

/** PreconfWhitelist: the fallback operator per epoch and the operator set's change events. */
export const preconfWhitelistAbi = [
  {
    type: "event",
    name: "OperatorAdded",
    anonymous: false,
    inputs: [
      { name: "proposer", type: "address", indexed: true },
      { name: "sequencer", type: "address", indexed: true },
      { name: "activeSince", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "OperatorRemoved",
    anonymous: false,
    inputs: [
      { name: "proposer", type: "address", indexed: true },
      { name: "sequencer", type: "address", indexed: true },
      { name: "inactiveSince", type: "uint256", indexed: false },
    ],
  },
  {
    type: "function",
    name: "getOperatorForCurrentEpoch",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "getOperatorForNextEpoch",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
] as const;
