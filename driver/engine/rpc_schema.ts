/**
 * What a Taiko execution engine puts on the wire (spec/driver.md 2.3-2.5): the hex JSON shapes of the
 * engine API and of the `taiko_*` / `taikoAuth_*` methods, and the method tables that type the
 * requests of `driver/rpc/json_rpc_http.ts`. Shapes only: `wire.ts` converts them to and from the
 * typed values the driver uses.
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";

/** A JSON-RPC quantity: `0x` and minimal hex digits (`0x0` for zero). */
export type QuantityRpc = `0x${string}`;

/** The three forkchoice hashes of `engine_forkchoiceUpdatedV2`. */
export interface ForkchoiceStateRpc {
  headBlockHash: Hash;
  safeBlockHash: Hash;
  finalizedBlockHash: Hash;
}

/** Taiko block metadata inside payload attributes. Note the mixed encodings of alethia-reth's serde. */
export interface BlockMetadataRpc {
  beneficiary: Address;
  /** A u64 serialised as a JSON number, not a hex string. */
  gasLimit: number;
  /** A U256 serialised as a hex quantity. */
  timestamp: QuantityRpc;
  mixHash: Hash;
  /** The RLP transaction list; the key is absent when the engine should use its mempool. */
  txList?: Hex;
  /** Base64 (standard alphabet, padded), not hex. */
  extraData: string;
}

/** `RpcL1Origin`: byte arrays are JSON arrays of numbers. */
export interface L1OriginRpc {
  blockID: QuantityRpc;
  l2BlockHash: Hash;
  l1BlockHeight: QuantityRpc | null;
  l1BlockHash: Hash | null;
  /** 8 numbers 0..255. */
  buildPayloadArgsID: number[];
  isForcedInclusion: boolean;
  /** 65 numbers 0..255. */
  signature: number[];
}

/** An EIP-4895 withdrawal. */
export interface WithdrawalRpc {
  index: QuantityRpc;
  validatorIndex: QuantityRpc;
  address: Address;
  amount: QuantityRpc;
}

/** `TaikoPayloadAttributes`: the Ethereum attributes flattened into the top level. */
export interface TaikoPayloadAttributesRpc {
  timestamp: QuantityRpc;
  prevRandao: Hash;
  suggestedFeeRecipient: Address;
  withdrawals: WithdrawalRpc[];
  baseFeePerGas: QuantityRpc;
  blockMetadata: BlockMetadataRpc;
  l1Origin: L1OriginRpc;
}

/** `PayloadStatus.status` values of the engine API. */
export type PayloadStatusValue = "VALID" | "INVALID" | "SYNCING" | "ACCEPTED";

/** `PayloadStatusV1`. */
export interface PayloadStatusRpc {
  status: PayloadStatusValue;
  latestValidHash: Hash | null;
  validationError: string | null;
}

/** The result of `engine_forkchoiceUpdatedV2`. */
export interface ForkchoiceUpdatedResultRpc {
  payloadStatus: PayloadStatusRpc;
  /** 8 bytes as `0x` + 16 hex digits, or `null` without attributes. */
  payloadId: Hex | null;
}

/** `ExecutionPayloadV1` fields. */
export interface ExecutionPayloadV1Rpc {
  parentHash: Hash;
  feeRecipient: Address;
  stateRoot: Hash;
  receiptsRoot: Hash;
  logsBloom: Hex;
  prevRandao: Hash;
  blockNumber: QuantityRpc;
  gasLimit: QuantityRpc;
  gasUsed: QuantityRpc;
  timestamp: QuantityRpc;
  /** Hex here, unlike in block metadata. */
  extraData: Hex;
  baseFeePerGas: QuantityRpc;
  blockHash: Hash;
  /** EIP-2718 encoded transactions. */
  transactions: Hex[];
}

/** `ExecutionPayloadV2`: V1 plus withdrawals (absent in a V1 envelope). */
export interface ExecutionPayloadRpc extends ExecutionPayloadV1Rpc {
  withdrawals?: WithdrawalRpc[];
}

/** The result of `engine_getPayloadV2`. */
export interface GetPayloadV2ResultRpc {
  executionPayload: ExecutionPayloadRpc;
  blockValue: QuantityRpc;
}

/**
 * The single parameter of Taiko's `engine_newPayloadV2`: the V1 fields (no `withdrawals` key) plus
 * the Taiko sidecar.
 */
export interface TaikoExecutionDataRpc extends ExecutionPayloadV1Rpc {
  /** Ordered-trie root of `transactions` (the header's `transactionsRoot`). */
  txHash: Hash;
  /** Withdrawals root; `0x00…00` when the payload carried no withdrawals list. */
  withdrawalsHash: Hash;
  taikoBlock: true;
}

/** An EIP-1898 block reference by hash. */
export interface BlockHashReferenceRpc {
  blockHash: Hash;
  requireCanonical: boolean;
}

/** Methods of the engine's authenticated port used by the driver. */
export type EngineRpcSchema = [
  {
    Method: "engine_forkchoiceUpdatedV2";
    Parameters: [ForkchoiceStateRpc, TaikoPayloadAttributesRpc | null];
    ReturnType: ForkchoiceUpdatedResultRpc;
  },
  { Method: "engine_getPayloadV2"; Parameters: [Hex]; ReturnType: GetPayloadV2ResultRpc },
  { Method: "engine_newPayloadV2"; Parameters: [TaikoExecutionDataRpc]; ReturnType: PayloadStatusRpc },
  { Method: "taikoAuth_updateL1Origin"; Parameters: [L1OriginRpc]; ReturnType: L1OriginRpc | null },
  { Method: "taikoAuth_setHeadL1Origin"; Parameters: [QuantityRpc]; ReturnType: unknown },
  {
    Method: "taikoAuth_setBatchToLastBlock";
    Parameters: [QuantityRpc, QuantityRpc];
    ReturnType: unknown;
  },
  { Method: "taikoAuth_lastL1OriginByBatchID"; Parameters: [QuantityRpc]; ReturnType: L1OriginRpc | null },
  { Method: "taikoAuth_lastBlockIDByBatchID"; Parameters: [QuantityRpc]; ReturnType: QuantityRpc | null },
  { Method: "eth_chainId"; Parameters: []; ReturnType: QuantityRpc },
  {
    Method: "eth_call";
    Parameters: [{ to: Address; data: Hex }, BlockHashReferenceRpc];
    ReturnType: Hex;
  },
];

/** Methods of the engine's public port used by the driver; blocks are parsed by `driver/rpc/l2_block.ts`. */
export type L2PublicRpcSchema = [
  { Method: "eth_chainId"; Parameters: []; ReturnType: QuantityRpc },
  { Method: "eth_blockNumber"; Parameters: []; ReturnType: QuantityRpc },
  {
    Method: "eth_getBlockByNumber";
    Parameters: [QuantityRpc | "latest" | "safe" | "finalized", boolean];
    ReturnType: unknown;
  },
  { Method: "eth_getBlockByHash"; Parameters: [Hash, boolean]; ReturnType: unknown },
  {
    Method: "eth_getTransactionCount";
    Parameters: [Address, BlockHashReferenceRpc];
    ReturnType: QuantityRpc;
  },
  { Method: "taiko_l1OriginByID"; Parameters: [QuantityRpc]; ReturnType: L1OriginRpc | null },
  { Method: "taiko_headL1Origin"; Parameters: []; ReturnType: L1OriginRpc | null },
];
