/**
 * The client of the L2 engine's public HTTP port (spec/driver.md 2.3): chain id, blocks by number,
 * tag or hash, the Taiko L1-origin reads and the golden-touch nonce the anchor transaction needs.
 * Every call has a deadline and answers are validated field by field. Calls are not retried here;
 * retries belong to the caller.
 *
 * @module
 */
import type { Hash } from "../hex.ts";
import { GOLDEN_TOUCH_ADDRESS } from "../shasta/constants.ts";
import type { L1Origin, L2BlockHeader } from "../shasta/types.ts";
import type { L2PublicRpcSchema, QuantityRpc } from "../engine/rpc_schema.ts";
import { parseL1Origin, quantity } from "../engine/wire.ts";
import { readAnswer, readQuantity } from "./json_fields.ts";
import { createJsonRpcHttp, type JsonRpcParameters } from "./json_rpc_http.ts";
import { type L2Block, parseL2Block, parseL2BlockHeader } from "./l2_block.ts";
import { RecentHeaders } from "./recent_headers.ts";
import { isIgnorableRpcError, redactUrl, toRpcDriverError } from "./rpc_errors.ts";

/** Deadline of one public L2 request, in milliseconds (the Rust client's 12 s HTTP timeout). */
export const DEFAULT_L2_TIMEOUT_MS = 12_000;

/** Largest public L2 response body accepted, in bytes (a block with full transactions fits). */
export const L2_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Calls sent in one JSON-RPC batch at most; longer lists go in several batches. */
export const L2_BATCH_MAX_CALLS = 100;

/** A block number or one of the tags the driver reads. */
export type L2BlockId = bigint | "latest" | "safe" | "finalized";

/** How to reach the public L2 port. */
export interface L2ClientOptions {
  /** The public L2 HTTP URL (`--l2.http`). */
  readonly url: string;
  /**
   * Deadline of each request, in milliseconds.
   * @default {DEFAULT_L2_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /**
   * Largest response body accepted, in bytes.
   * @default {L2_MAX_RESPONSE_BYTES}
   */
  readonly maxResponseBytes?: number;
}

/** Typed reads of the public L2 port. Failures are `DriverError`s of kind `Rpc`. */
export interface L2Client {
  /** The endpoint, without credentials. */
  readonly url: string;
  /**
   * The headers of the blocks the driver inserted last through this client (`applyPayload` keeps
   * them); `blockByNumber(n)` and `blockByHash` answer from them without a request.
   * @default {undefined} no cache
   */
  readonly recentHeaders?: RecentHeaders;
  /**
   * `eth_chainId`.
   * @returns The L2 chain id.
   */
  chainId(): Promise<bigint>;
  /**
   * `eth_blockNumber`: the head's number, never cached (far smaller than the `latest` header, whose
   * answer lists every transaction hash of the head block).
   * @returns The number of the engine's head block.
   */
  blockNumber(): Promise<bigint>;
  /**
   * `eth_getBlockByNumber(id, false)`; a number the driver inserted recently is answered from
   * {@linkcode L2Client.recentHeaders}.
   * @param id A number or `latest` / `safe` / `finalized`.
   * @returns The header, or `null` when the node has no such block.
   */
  blockByNumber(id: L2BlockId): Promise<L2BlockHeader | null>;
  /**
   * `eth_getBlockByHash(hash, false)`; a block the driver inserted recently is answered from
   * {@linkcode L2Client.recentHeaders}.
   * @param hash The block hash.
   * @returns The header, or `null` when the node has no such block.
   */
  blockByHash(hash: Hash): Promise<L2BlockHeader | null>;
  /**
   * `eth_getBlockByNumber(id, true)`.
   * @param id A number or `latest` / `safe` / `finalized`.
   * @returns The block with its transactions, or `null` when the node has no such block.
   */
  blockWithTransactions(id: L2BlockId): Promise<L2Block | null>;
  /**
   * `taiko_l1OriginByID`.
   * @param blockId The L2 block number.
   * @returns Its L1 origin, or `null` when the engine has none.
   */
  l1OriginById(blockId: bigint): Promise<L1Origin | null>;
  /**
   * `taiko_l1OriginByID` for several blocks, in JSON-RPC batches of at most
   * {@linkcode L2_BATCH_MAX_CALLS} (one HTTP request each).
   * @param blockIds The L2 block numbers.
   * @returns Their L1 origins in the same order, `null` where the engine has none.
   */
  l1OriginsById(blockIds: readonly bigint[]): Promise<(L1Origin | null)[]>;
  /**
   * `taiko_headL1Origin`.
   * @returns The L1 origin of the head-L1-origin block, or `null` when unset.
   */
  headL1Origin(): Promise<L1Origin | null>;
  /**
   * `eth_getTransactionCount(goldenTouch, {blockHash, requireCanonical: true})`: the anchor nonce of
   * the block built on `parentHash`. A "not found" answer reads as 0, as in the reference.
   * @param parentHash The parent block of the block being built.
   * @returns The golden-touch account's nonce after `parentHash`.
   */
  goldenTouchNonce(parentHash: Hash): Promise<bigint>;
}

/**
 * Creates the client of the public L2 port.
 *
 * @param options The URL and the deadline.
 * @returns The typed client, with an empty {@linkcode RecentHeaders}.
 * @throws {TypeError} when the URL does not parse.
 * @throws {RangeError} when the timeout is not positive.
 *
 * @example
 * ```ts ignore
 * const l2 = createL2Client({ url: "http://127.0.0.1:8545" });
 * const head = await l2.blockByNumber("latest");
 * ```
 */
export function createL2Client(options: L2ClientOptions): L2Client {
  const url = redactUrl(new URL(options.url).toString());
  const timeoutMs = options.timeoutMs ?? DEFAULT_L2_TIMEOUT_MS;
  if (!(timeoutMs > 0)) {
    throw new RangeError(`Cannot create L2 client: timeoutMs must be positive, found ${timeoutMs}`);
  }
  const rpc = createJsonRpcHttp<L2PublicRpcSchema>({
    url: options.url,
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? L2_MAX_RESPONSE_BYTES,
  });

  type Method = L2PublicRpcSchema[number]["Method"];
  async function call<M extends Method>(
    method: M,
    params: JsonRpcParameters<L2PublicRpcSchema, M>,
  ): Promise<unknown> {
    try {
      return await rpc.request(method, params);
    } catch (error) {
      throw toRpcDriverError(error, { method, url, timeoutMs });
    }
  }

  async function lookup<M extends Method>(
    method: M,
    params: JsonRpcParameters<L2PublicRpcSchema, M>,
    fragments?: readonly string[],
  ): Promise<unknown> {
    try {
      return await rpc.request(method, params);
    } catch (error) {
      if (isIgnorableRpcError(error, fragments)) return null;
      throw toRpcDriverError(error, { method, url, timeoutMs });
    }
  }

  async function header(
    method: "eth_getBlockByNumber" | "eth_getBlockByHash",
    id: L2BlockId | Hash,
  ): Promise<L2BlockHeader | null> {
    const json = method === "eth_getBlockByNumber"
      ? await call(method, [blockParam(id as L2BlockId), false])
      : await call(method, [id as Hash, false]);
    return json === null ? null : readAnswer({ method, url }, () => parseL2BlockHeader(json));
  }

  const recentHeaders = new RecentHeaders();

  return {
    url,
    recentHeaders,
    async chainId() {
      const method = "eth_chainId";
      const json = await call(method, []);
      return readAnswer({ method, url }, () => readQuantity(json, "chainId"));
    },
    async blockNumber() {
      const method = "eth_blockNumber";
      const json = await call(method, []);
      return readAnswer({ method, url }, () => readQuantity(json, "blockNumber"));
    },
    async blockByNumber(id) {
      return (typeof id === "bigint" ? recentHeaders.byNumber(id) : null) ??
        await header("eth_getBlockByNumber", id);
    },
    async blockByHash(hash) {
      return recentHeaders.byHash(hash) ?? await header("eth_getBlockByHash", hash);
    },
    async blockWithTransactions(id) {
      const method = "eth_getBlockByNumber";
      const json = await call(method, [blockParam(id), true]);
      return json === null ? null : readAnswer({ method, url }, () => parseL2Block(json));
    },
    async l1OriginById(blockId) {
      const method = "taiko_l1OriginByID";
      const json = await lookup(method, [quantity(blockId)]);
      return json === null ? null : readAnswer({ method, url }, () => parseL1Origin(json));
    },
    async l1OriginsById(blockIds) {
      const method = "taiko_l1OriginByID";
      const origins: (L1Origin | null)[] = [];
      for (let start = 0; start < blockIds.length; start += L2_BATCH_MAX_CALLS) {
        const chunk = blockIds.slice(start, start + L2_BATCH_MAX_CALLS);
        let outcomes;
        try {
          outcomes = await rpc.batch(method, chunk.map((blockId) => [quantity(blockId)] as [QuantityRpc]));
        } catch (error) {
          throw toRpcDriverError(error, { method, url, timeoutMs });
        }
        for (const outcome of outcomes) {
          if (!outcome.ok) {
            if (isIgnorableRpcError(outcome.error)) {
              origins.push(null);
              continue;
            }
            throw toRpcDriverError(outcome.error, { method, url, timeoutMs });
          }
          const json = outcome.result;
          origins.push(json === null ? null : readAnswer({ method, url }, () => parseL1Origin(json)));
        }
      }
      return origins;
    },
    async headL1Origin() {
      const method = "taiko_headL1Origin";
      const json = await lookup(method, []);
      return json === null ? null : readAnswer({ method, url }, () => parseL1Origin(json));
    },
    async goldenTouchNonce(parentHash) {
      const method = "eth_getTransactionCount";
      const json = await lookup(
        method,
        [GOLDEN_TOUCH_ADDRESS, { blockHash: parentHash, requireCanonical: true }],
        ["not found"],
      );
      return json === null ? 0n : readAnswer({ method, url }, () => readQuantity(json, "nonce"));
    },
  };
}

function blockParam(id: L2BlockId): QuantityRpc | "latest" | "safe" | "finalized" {
  return typeof id === "bigint" ? quantity(id) : id;
}
