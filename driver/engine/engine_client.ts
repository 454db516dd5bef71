/**
 * The client of the engine's authenticated port (spec/driver.md 2.4): the engine API V2 trio, the
 * `taikoAuth_*` L1-origin bookkeeping, and `Anchor.getBlockState()` read through `eth_call`.
 *
 * Every request carries an HS256 JWT (one token reused for a few seconds, `EngineTokens`) and has a
 * deadline. Calls are not retried here
 * (retries belong to the caller, which knows what is safe to repeat), and they take no abort signal on
 * purpose: an engine injection must finish or time out, never be cut off halfway by a caller that went
 * away (lesson S-3).
 *
 * @module
 */
import { decodeFunctionResult, encodeFunctionData } from "viem";
import type { Address, Hash, Hex } from "../hex.ts";
import { readAnswer, readBytes, readQuantity } from "../rpc/json_fields.ts";
import { createJsonRpcHttp, type JsonRpcParameters } from "../rpc/json_rpc_http.ts";
import { isIgnorableRpcError, redactUrl, toRpcDriverError } from "../rpc/rpc_errors.ts";
import { anchorAbi } from "../shasta/abi.ts";
import { anchorAddress as anchorAddressOf } from "../shasta/chain_config.ts";
import type { L1Origin, TaikoPayloadAttributes } from "../shasta/types.ts";
import { EngineTokens, JWT_SECRET_BYTES } from "./jwt.ts";
import type { EngineRpcSchema, L1OriginRpc } from "./rpc_schema.ts";
import {
  type ExecutionPayload,
  type ForkchoiceState,
  type ForkchoiceUpdatedResult,
  type GetPayloadResult,
  parseForkchoiceUpdatedResult,
  parseGetPayloadResult,
  parseL1Origin,
  parsePayloadStatus,
  type PayloadStatus,
  quantity,
  serializeForkchoiceState,
  serializeL1Origin,
  serializeNewPayloadParams,
  serializePayloadAttributes,
} from "./wire.ts";

/** Deadline of one engine request, in milliseconds (the Rust client's 12 s HTTP timeout). */
export const DEFAULT_ENGINE_TIMEOUT_MS = 12_000;

/** Largest engine response body accepted, in bytes; a larger one fails the call (a full payload fits). */
export const ENGINE_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Calls sent in one JSON-RPC batch at most; longer lists go in several batches. */
export const ENGINE_BATCH_MAX_CALLS = 100;

/** How to reach the engine's authenticated port. */
export interface EngineClientOptions {
  /** The auth RPC URL (`--l2.auth`). */
  readonly url: string;
  /** The 32-byte JWT secret. */
  readonly jwtSecret: Uint8Array;
  /**
   * Deadline of each request, in milliseconds.
   * @default {DEFAULT_ENGINE_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /**
   * The L2 Anchor contract for `anchorBlockState`.
   * @default derived from the engine's `eth_chainId` on first use
   */
  readonly anchorAddress?: Address;
  /**
   * Largest response body accepted, in bytes.
   * @default {ENGINE_MAX_RESPONSE_BYTES}
   */
  readonly maxResponseBytes?: number;
}

/** What `Anchor.getBlockState()` returns at a block. */
export interface AnchorBlockState {
  /** The highest L1 block anchored so far on this chain. */
  readonly anchorBlockNumber: bigint;
  /** The rolling hash of the ancestors, as the Anchor contract keeps it. */
  readonly ancestorsHash: Hash;
}

/** Typed methods of the engine's authenticated port. Failures are `DriverError`s of kind `Rpc`. */
export interface EngineClient {
  /** The endpoint, without credentials. */
  readonly url: string;
  /**
   * `engine_forkchoiceUpdatedV2`: moves the forkchoice and, with attributes, builds a payload.
   * @param state The head, safe and finalized hashes.
   * @param attrs Taiko payload attributes, or `null` to only move the forkchoice.
   * @returns The payload status and payload id (the status is not judged here).
   */
  forkchoiceUpdatedV2(
    state: ForkchoiceState,
    attrs: TaikoPayloadAttributes | null,
  ): Promise<ForkchoiceUpdatedResult>;
  /**
   * `engine_getPayloadV2`: fetches a built payload.
   * @param payloadId The 8-byte id returned by the forkchoice update.
   * @returns The execution payload and block value.
   */
  getPayloadV2(payloadId: Hex): Promise<GetPayloadResult>;
  /**
   * `engine_newPayloadV2` with Taiko's sidecar (`txHash`, `withdrawalsHash`, `taikoBlock`).
   * @param payload The payload to import.
   * @returns The payload status (not judged here).
   */
  newPayloadV2(payload: ExecutionPayload): Promise<PayloadStatus>;
  /**
   * `taikoAuth_updateL1Origin`: writes a block's L1 origin.
   * @param origin The record to store.
   */
  updateL1Origin(origin: L1Origin): Promise<void>;
  /**
   * `taikoAuth_updateL1Origin` for several blocks, in JSON-RPC batches of at most
   * {@linkcode ENGINE_BATCH_MAX_CALLS} (one HTTP request each). The records are independent; on a
   * failure some of them may be written, and writing them all again is harmless.
   * @param origins The records to store.
   */
  updateL1Origins(origins: readonly L1Origin[]): Promise<void>;
  /**
   * `taikoAuth_setHeadL1Origin`: moves the head-L1-origin pointer.
   * @param blockId The L2 block number.
   */
  setHeadL1Origin(blockId: bigint): Promise<void>;
  /**
   * `taikoAuth_setBatchToLastBlock`: records the last L2 block of a proposal.
   * @param proposalId The proposal (batch) id.
   * @param blockId Its last L2 block number.
   */
  setBatchToLastBlock(proposalId: bigint, blockId: bigint): Promise<void>;
  /**
   * `taikoAuth_lastL1OriginByBatchID`.
   * @param proposalId The proposal id.
   * @returns The L1 origin of the proposal's last block, or `null` when the engine has none.
   */
  lastL1OriginByBatchId(proposalId: bigint): Promise<L1Origin | null>;
  /**
   * `taikoAuth_lastBlockIDByBatchID`.
   * @param proposalId The proposal id.
   * @returns The proposal's last L2 block number, or `null` when unknown or uncertain.
   */
  lastBlockIdByBatchId(proposalId: bigint): Promise<bigint | null>;
  /**
   * `eth_call` of `Anchor.getBlockState()` at a block (EIP-1898, `requireCanonical: false`).
   * @param blockHash The L2 block.
   * @returns The anchor state after that block.
   */
  anchorBlockState(blockHash: Hash): Promise<AnchorBlockState>;
}

/**
 * Creates the client of the engine's authenticated port.
 *
 * @param options The URL, the JWT secret and the deadline.
 * @returns The typed client.
 * @throws {TypeError} when the URL does not parse.
 * @throws {RangeError} when the secret is not 32 bytes or the timeout is not positive.
 *
 * @example
 * ```ts ignore
 * const engine = createEngineClient({ url: "http://127.0.0.1:8551", jwtSecret });
 * const { payloadStatus } = await engine.forkchoiceUpdatedV2(state, null);
 * ```
 */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const url = redactUrl(new URL(options.url).toString());
  if (options.jwtSecret.length !== JWT_SECRET_BYTES) {
    throw new RangeError(
      `Cannot create engine client: expected a ${JWT_SECRET_BYTES}-byte JWT secret, found ${options.jwtSecret.length} bytes`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
  if (!(timeoutMs > 0)) {
    throw new RangeError(`Cannot create engine client: timeoutMs must be positive, found ${timeoutMs}`);
  }
  const tokens = new EngineTokens(options.jwtSecret);
  const rpc = createJsonRpcHttp<EngineRpcSchema>({
    url: options.url,
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? ENGINE_MAX_RESPONSE_BYTES,
    authorization: async () => `Bearer ${await tokens.token()}`,
    onUnauthorized: () => tokens.invalidate(),
  });

  type Method = EngineRpcSchema[number]["Method"];
  async function call<M extends Method>(
    method: M,
    params: JsonRpcParameters<EngineRpcSchema, M>,
  ): Promise<unknown> {
    try {
      return await rpc.request(method, params);
    } catch (error) {
      throw toRpcDriverError(error, { method, url, timeoutMs });
    }
  }

  async function lookup<M extends Method>(
    method: M,
    params: JsonRpcParameters<EngineRpcSchema, M>,
  ): Promise<unknown> {
    try {
      return await rpc.request(method, params);
    } catch (error) {
      if (isIgnorableRpcError(error)) return null;
      throw toRpcDriverError(error, { method, url, timeoutMs });
    }
  }

  let anchor: Promise<Address> | null = options.anchorAddress === undefined
    ? null
    : Promise.resolve(options.anchorAddress);
  function resolveAnchor(): Promise<Address> {
    if (anchor === null) {
      const method = "eth_chainId";
      const pending = call(method, [])
        .then((chainId) =>
          anchorAddressOf(readAnswer({ method, url }, () => readQuantity(chainId, "chainId")))
        );
      // A failed lookup is retried by the next call instead of being cached.
      pending.catch(() => {
        if (anchor === pending) anchor = null;
      });
      anchor = pending;
    }
    return anchor;
  }

  return {
    url,
    async forkchoiceUpdatedV2(state, attrs) {
      const method = "engine_forkchoiceUpdatedV2";
      const params = [
        serializeForkchoiceState(state),
        attrs === null ? null : serializePayloadAttributes(attrs),
      ] as const;
      const result = await call(method, [...params]);
      return readAnswer({ method, url }, () => parseForkchoiceUpdatedResult(result));
    },
    async getPayloadV2(payloadId) {
      const method = "engine_getPayloadV2";
      const result = await call(method, [payloadId]);
      return readAnswer({ method, url }, () => parseGetPayloadResult(result));
    },
    async newPayloadV2(payload) {
      const method = "engine_newPayloadV2";
      const params = serializeNewPayloadParams(payload);
      const result = await call(method, [params]);
      return readAnswer({ method, url }, () => parsePayloadStatus(result));
    },
    async updateL1Origin(origin) {
      const method = "taikoAuth_updateL1Origin";
      await call(method, [serializeL1Origin(origin)]);
    },
    async updateL1Origins(origins) {
      const method = "taikoAuth_updateL1Origin";
      for (let start = 0; start < origins.length; start += ENGINE_BATCH_MAX_CALLS) {
        const chunk = origins.slice(start, start + ENGINE_BATCH_MAX_CALLS);
        let outcomes;
        try {
          outcomes = await rpc.batch(
            method,
            chunk.map((origin) => [serializeL1Origin(origin)] as [L1OriginRpc]),
          );
        } catch (error) {
          throw toRpcDriverError(error, { method, url, timeoutMs });
        }
        const failed = outcomes.find((outcome) => !outcome.ok);
        if (failed !== undefined && !failed.ok) {
          throw toRpcDriverError(failed.error, { method, url, timeoutMs });
        }
      }
    },
    async setHeadL1Origin(blockId) {
      const method = "taikoAuth_setHeadL1Origin";
      await call(method, [quantity(blockId)]);
    },
    async setBatchToLastBlock(proposalId, blockId) {
      const method = "taikoAuth_setBatchToLastBlock";
      await call(method, [quantity(proposalId), quantity(blockId)]);
    },
    async lastL1OriginByBatchId(proposalId) {
      const method = "taikoAuth_lastL1OriginByBatchID";
      const result = await lookup(method, [quantity(proposalId)]);
      return result === null ? null : readAnswer({ method, url }, () => parseL1Origin(result));
    },
    async lastBlockIdByBatchId(proposalId) {
      const method = "taikoAuth_lastBlockIDByBatchID";
      const result = await lookup(method, [quantity(proposalId)]);
      return result === null ? null : readAnswer({ method, url }, () => readQuantity(result, "blockID"));
    },
    async anchorBlockState(blockHash) {
      const method = "eth_call";
      const to = await resolveAnchor();
      const data = encodeFunctionData({ abi: anchorAbi, functionName: "getBlockState" });
      const result = await call(method, [{ to, data }, { blockHash, requireCanonical: false }]);
      return readAnswer({ method, url }, () => {
        const state = decodeFunctionResult({
          abi: anchorAbi,
          functionName: "getBlockState",
          data: readBytes(result, "result"),
        });
        return { anchorBlockNumber: BigInt(state.anchorBlockNumber), ancestorsHash: state.ancestorsHash };
      });
    },
  };
}
