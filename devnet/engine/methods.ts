/**
 * The engine simulator's JSON-RPC methods: the public `eth_*` / `taiko_*` reads and the
 * authenticated `engine_*` / `taikoAuth_*` writes, over a `ChainState`.
 *
 * @module
 */
import {
  type Address,
  encodeFunctionResult,
  type Hash,
  type Hex,
  isAddressEqual,
  numberToHex,
  toFunctionSelector,
} from "viem";
import { taikoPayloadId } from "../../driver/shasta/payload_id.ts";
import { anchorAbi } from "../../driver/shasta/abi.ts";
import { GOLDEN_TOUCH_ADDRESS } from "../../driver/shasta/constants.ts";
import type { L1Origin } from "../../driver/shasta/types.ts";
import { BlockRejectedError, buildBlock, type ChainRules, importBlock } from "./block_builder.ts";
import type { ChainState } from "./chain_state.ts";
import {
  type BlockRef,
  InvalidParamsError,
  readAddress,
  readBlockRef,
  readBoolean,
  readBytes,
  readForkchoiceState,
  readHash,
  readL1Origin,
  readNewPayload,
  readParamList,
  readPayloadAttributes,
  readQuantity,
} from "./params.ts";
import { blockToJson, type SimBlock } from "./sim_block.ts";

/** A JSON-RPC error the simulator answers with. */
export class RpcFailure extends Error {
  /**
   * @param code The JSON-RPC error code.
   * @param message The error message.
   */
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = "RpcFailure";
  }
}

/** One JSON-RPC method. */
export type MethodHandler = (params: unknown) => unknown;

/** Which port a method is served on. */
export type Port = "public" | "auth";

const U64_MAX = (1n << 64n) - 1n;
const U256_MAX = (1n << 256n) - 1n;
const GET_BLOCK_STATE_SELECTOR = toFunctionSelector("getBlockState()");
const NOT_FOUND = -32000;

/**
 * Builds the method tables of both ports. The auth port serves every public method too.
 *
 * @param state The chain.
 * @param rules Chain id and anchor contract.
 * @returns The handlers per port.
 */
export function createMethods(
  state: ChainState,
  rules: ChainRules,
): Record<Port, Map<string, MethodHandler>> {
  const publicMethods = new Map<string, MethodHandler>([
    ["eth_chainId", (params) => {
      readParamList(params, { min: 0, max: 0 });
      return numberToHex(rules.chainId);
    }],
    ["eth_blockNumber", (params) => {
      readParamList(params, { min: 0, max: 0 });
      return numberToHex(state.head.header.number);
    }],
    ["eth_getBlockByNumber", (params) => {
      const [ref, full] = readParamList(params, { min: 2, max: 2 });
      const blockRef = readBlockRef(ref, "block");
      if (blockRef.kind === "hash") throw new InvalidParamsError("block must be a tag or a quantity");
      const block = resolve(state, blockRef);
      return block === null ? null : blockToJson(block, readBoolean(full, "fullTransactions"));
    }],
    ["eth_getBlockByHash", (params) => {
      const [hash, full] = readParamList(params, { min: 2, max: 2 });
      const block = state.block(readHash(hash, "blockHash"));
      return block === undefined ? null : blockToJson(block, readBoolean(full, "fullTransactions"));
    }],
    ["eth_getTransactionCount", (params) => {
      const [address, ref] = readParamList(params, { min: 1, max: 2 });
      const account = readAddress(address, "address");
      const block = resolveExisting(
        state,
        ref === undefined ? { kind: "tag", tag: "latest" } : readBlockRef(ref, "block"),
      );
      return numberToHex(transactionCount(state, block, account));
    }],
    ["eth_call", (params) => {
      const [call, ref] = readParamList(params, { min: 1, max: 2 });
      const block = resolveExisting(
        state,
        ref === undefined ? { kind: "tag", tag: "latest" } : readBlockRef(ref, "block"),
      );
      return anchorCall(call, block, rules.anchorAddress);
    }],
    ["taiko_l1OriginByID", (params) => {
      const [id] = readParamList(params, { min: 1, max: 1 });
      const origin = state.l1Origin(readQuantity(id, "blockID", { max: U256_MAX }));
      if (origin === undefined) throw new RpcFailure(NOT_FOUND, "not found");
      return l1OriginToJson(origin);
    }],
    ["taiko_headL1Origin", (params) => {
      readParamList(params, { min: 0, max: 0 });
      const id = state.headL1OriginId;
      const origin = id === null ? undefined : state.l1Origin(id);
      if (origin === undefined) throw new RpcFailure(NOT_FOUND, "not found");
      return l1OriginToJson(origin);
    }],
  ]);

  const authMethods = new Map<string, MethodHandler>([
    ...publicMethods,
    ["engine_forkchoiceUpdatedV2", (params) => {
      const [forkchoice, attributes] = readParamList(params, { min: 1, max: 2 });
      const fc = readForkchoiceState(forkchoice);
      const attrs = attributes === null || attributes === undefined
        ? null
        : readPayloadAttributes(attributes);
      const head = state.block(fc.headBlockHash);
      if (head === undefined) return { payloadStatus: status("SYNCING", null, null), payloadId: null };
      for (
        const [hash, name] of [[fc.safeBlockHash, "safe"], [fc.finalizedBlockHash, "finalized"]] as const
      ) {
        if (!isZero(hash) && state.block(hash) === undefined) {
          throw new RpcFailure(-38002, `Invalid forkchoice state: unknown ${name} block ${hash}`);
        }
      }
      state.setHead(head.hash);
      if (!isZero(fc.safeBlockHash)) state.setSafe(fc.safeBlockHash);
      if (!isZero(fc.finalizedBlockHash)) state.setFinalized(fc.finalizedBlockHash);
      if (attrs === null) return { payloadStatus: status("VALID", head.hash, null), payloadId: null };
      let built: SimBlock;
      try {
        built = buildBlock(rules, { parent: head, attributes: attrs });
      } catch (error) {
        if (error instanceof BlockRejectedError) {
          throw new RpcFailure(-38003, `Invalid payload attributes: ${error.message}`);
        }
        throw error;
      }
      const payloadId = taikoPayloadId(head.hash, attrs);
      state.storePayload(payloadId, built);
      state.setL1Origin({
        ...attrs.l1Origin,
        blockId: built.header.number,
        l2BlockHash: built.hash,
        buildPayloadArgsId: payloadId,
      });
      const height = attrs.l1Origin.l1BlockHeight;
      if (height !== null && height !== 0n) state.setHeadL1Origin(built.header.number);
      return { payloadStatus: status("VALID", head.hash, null), payloadId };
    }],
    ["engine_getPayloadV2", (params) => {
      const [id] = readParamList(params, { min: 1, max: 1 });
      const payloadId = readBytes(id, "payloadId");
      if (payloadId.length !== 18) throw new InvalidParamsError("payloadId must be 8 bytes");
      const block = state.payload(payloadId);
      if (block === undefined) throw new RpcFailure(-38001, "Unknown payload");
      return { executionPayload: executionPayloadJson(block), blockValue: "0x0" };
    }],
    ["engine_newPayloadV2", (params) => {
      const [param] = readParamList(params, { min: 1, max: 1 });
      const payload = readNewPayload(param);
      const known = state.block(payload.blockHash);
      if (known !== undefined) return status("VALID", known.hash, null);
      const parent = state.block(payload.parentHash);
      if (parent === undefined) return status("SYNCING", null, null);
      try {
        const block = importBlock(rules, { parent, payload });
        state.add(block);
        return status("VALID", block.hash, null);
      } catch (error) {
        if (error instanceof BlockRejectedError) return status("INVALID", parent.hash, error.message);
        throw error;
      }
    }],
    ["taikoAuth_updateL1Origin", (params) => {
      const [origin] = readParamList(params, { min: 1, max: 1 });
      const parsed = readL1Origin(origin, "l1Origin");
      state.setL1Origin(parsed);
      return l1OriginToJson(parsed);
    }],
    ["taikoAuth_setHeadL1Origin", (params) => {
      const [id] = readParamList(params, { min: 1, max: 1 });
      const blockId = readQuantity(id, "blockID", { max: U64_MAX });
      state.setHeadL1Origin(blockId);
      return Number(blockId);
    }],
    ["taikoAuth_setBatchToLastBlock", (params) => {
      const [proposal, id] = readParamList(params, { min: 2, max: 2 });
      const blockId = readQuantity(id, "blockID", { max: U64_MAX });
      state.setBatchLastBlock(readQuantity(proposal, "batchID", { max: U64_MAX }), blockId);
      return Number(blockId);
    }],
    ["taikoAuth_lastL1OriginByBatchID", (params) => {
      const [proposal] = readParamList(params, { min: 1, max: 1 });
      const blockId = lastBlockId(state, readQuantity(proposal, "batchID", { max: U64_MAX }));
      const origin = state.l1Origin(blockId);
      if (origin === undefined) throw new RpcFailure(NOT_FOUND, "not found");
      return l1OriginToJson(origin);
    }],
    ["taikoAuth_lastBlockIDByBatchID", (params) => {
      const [proposal] = readParamList(params, { min: 1, max: 1 });
      return numberToHex(lastBlockId(state, readQuantity(proposal, "batchID", { max: U64_MAX })));
    }],
  ]);
  return { public: publicMethods, auth: authMethods };
}

/**
 * Renders an L1 origin as `RpcL1Origin` (byte strings as arrays of numbers).
 *
 * @param origin The record.
 * @returns The JSON object.
 */
export function l1OriginToJson(origin: L1Origin): Record<string, unknown> {
  return {
    blockID: numberToHex(origin.blockId),
    l2BlockHash: origin.l2BlockHash,
    l1BlockHeight: origin.l1BlockHeight === null ? null : numberToHex(origin.l1BlockHeight),
    l1BlockHash: origin.l1BlockHash,
    buildPayloadArgsID: byteNumbers(origin.buildPayloadArgsId),
    isForcedInclusion: origin.isForcedInclusion,
    signature: byteNumbers(origin.signature),
  };
}

function executionPayloadJson(block: SimBlock): Record<string, unknown> {
  const h = block.header;
  return {
    parentHash: h.parentHash,
    feeRecipient: h.miner,
    stateRoot: h.stateRoot,
    receiptsRoot: h.receiptsRoot,
    logsBloom: h.logsBloom,
    prevRandao: h.mixHash,
    blockNumber: numberToHex(h.number),
    gasLimit: numberToHex(h.gasLimit),
    gasUsed: numberToHex(h.gasUsed),
    timestamp: numberToHex(h.timestamp),
    extraData: h.extraData,
    baseFeePerGas: numberToHex(h.baseFeePerGas),
    blockHash: block.hash,
    transactions: block.transactions.map((tx) => tx.raw),
    withdrawals: [],
  };
}

function status(value: "VALID" | "INVALID" | "SYNCING", latestValidHash: Hash | null, error: string | null) {
  return { status: value, latestValidHash, validationError: error };
}

function resolve(state: ChainState, ref: BlockRef): SimBlock | null {
  switch (ref.kind) {
    case "tag":
      switch (ref.tag) {
        case "latest":
        case "pending":
          return state.head;
        case "earliest":
          return state.canonicalAt(0n) ?? null;
        case "safe":
          return state.safe;
        case "finalized":
          return state.finalized;
      }
      break;
    case "number":
      return state.canonicalAt(ref.number) ?? null;
    case "hash": {
      const block = state.block(ref.hash);
      if (block === undefined) return null;
      if (ref.requireCanonical && !state.isCanonical(block.hash)) {
        throw new RpcFailure(NOT_FOUND, `hash ${ref.hash} is not currently canonical`);
      }
      return block;
    }
  }
  return null;
}

function resolveExisting(state: ChainState, ref: BlockRef): SimBlock {
  const block = resolve(state, ref);
  if (block !== null) return block;
  throw new RpcFailure(
    NOT_FOUND,
    ref.kind === "hash" ? `header for hash ${ref.hash} not found` : "header not found",
  );
}

/** Transactions sent by `account` up to and including `block` on its branch. */
function transactionCount(state: ChainState, block: SimBlock, account: Address): bigint {
  if (isAddressEqual(account, GOLDEN_TOUCH_ADDRESS)) return block.goldenTouchNonce;
  let count = 0n;
  for (
    let current: SimBlock | undefined = block;
    current !== undefined;
    current = state.block(current.header.parentHash)
  ) {
    for (const tx of current.transactions) if (isAddressEqual(tx.from, account)) count++;
    if (current.header.number === 0n) break;
  }
  return count;
}

function anchorCall(call: unknown, block: SimBlock, anchor: Address): Hex {
  if (typeof call !== "object" || call === null || Array.isArray(call)) {
    throw new InvalidParamsError("call must be an object");
  }
  const o = call as Record<string, unknown>;
  const to = readAddress(o.to, "call.to");
  const data = readBytes(o.data ?? o.input, "call.data");
  if (!isAddressEqual(to, anchor) || data !== GET_BLOCK_STATE_SELECTOR) {
    throw new RpcFailure(
      -32000,
      "execution reverted: the engine simulator runs no EVM and answers only Anchor.getBlockState()",
    );
  }
  // The ancestors hash is not modelled; the driver reads only the anchor block number.
  return encodeFunctionResult({
    abi: anchorAbi,
    functionName: "getBlockState",
    result: { anchorBlockNumber: Number(block.anchorBlockNumber), ancestorsHash: `0x${"00".repeat(32)}` },
  });
}

function lastBlockId(state: ChainState, proposalId: bigint): bigint {
  const lookup = state.lastBlockOfBatch(proposalId);
  if (lookup.kind === "uncertain") throw new RpcFailure(NOT_FOUND, "proposal last block uncertain");
  if (lookup.kind === "missing") throw new RpcFailure(NOT_FOUND, "not found");
  return lookup.blockId;
}

function isZero(hash: Hash): boolean {
  return /^0x0{64}$/.test(hash);
}

function byteNumbers(hex: Hex): number[] {
  const out: number[] = [];
  for (let i = 2; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}
