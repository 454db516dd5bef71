/**
 * The L1 client: a viem public client over a WebSocket that reconnects on demand (or plain HTTP),
 * plus the few typed reads the event syncer needs (spec/driver.md section 2.1).
 *
 * @module
 */
import {
  BlockNotFoundError,
  createPublicClient,
  formatLog,
  http,
  type Log,
  type PublicClient,
  type RpcBlock,
  type RpcLog,
  UnknownRpcError,
} from "viem";
import { DriverError } from "../errors.ts";
import type { Hash, Hex } from "../hex.ts";
import { redactUrl } from "./rpc_errors.ts";
import {
  DEFAULT_WS_CONNECT_TIMEOUT_MS,
  DEFAULT_WS_MAX_MESSAGE_BYTES,
  DEFAULT_WS_REQUEST_TIMEOUT_MS,
  WsRpcConnection,
} from "./ws_transport.ts";

/** Largest HTTP response body accepted from L1, in bytes. */
export const DEFAULT_L1_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** viem's public client (named here so public signatures reference package-owned types). */
export type L1PublicClient = PublicClient;
/** A log as viem formats it (bigint block number, hashes, topics, data). */
export type L1Log = Log;

/** The fields of an L1 block header the syncer reads. */
export interface L1BlockRef {
  /** Block number. */
  readonly number: bigint;
  /** Block hash. */
  readonly hash: Hash;
  /** Parent block hash. */
  readonly parentHash: Hash;
  /** Unix seconds. */
  readonly timestamp: bigint;
  /** State root (the anchor transaction checkpoints it). */
  readonly stateRoot: Hash;
}

/** Where an L1 read is evaluated: a tag, a number, or an EIP-1898 block hash. */
export type L1BlockSelector = bigint | "latest" | "safe" | "finalized" | { readonly blockHash: Hash };

/** Tuning of {@linkcode createL1Client}. */
export interface L1ClientOptions {
  /**
   * Deadline of one request, in milliseconds.
   * @default {DEFAULT_WS_REQUEST_TIMEOUT_MS}
   */
  readonly requestTimeoutMs?: number;
  /**
   * Deadline to open the WebSocket, in milliseconds.
   * @default {DEFAULT_WS_CONNECT_TIMEOUT_MS}
   */
  readonly connectTimeoutMs?: number;
  /**
   * Largest response accepted, in bytes.
   * @default {DEFAULT_WS_MAX_MESSAGE_BYTES}
   */
  readonly maxResponseBytes?: number;
}

/** Reads the event syncer makes on L1. */
export interface L1Client {
  /** The underlying viem client (same connection). */
  readonly public: L1PublicClient;
  /** The endpoint, with credentials removed. */
  readonly url: string;
  /** How many times the WebSocket was lost (always 0 over HTTP). */
  readonly disconnects: number;
  /**
   * Registers a listener called when the WebSocket drops.
   *
   * @param listener Called synchronously on the drop.
   * @returns A function that removes the listener.
   */
  onDisconnect(listener: () => void): () => void;
  /**
   * `eth_blockNumber`.
   *
   * @returns The head block number.
   */
  headNumber(): Promise<bigint>;
  /**
   * `eth_getBlockByNumber(n, false)`.
   *
   * @param at A number or a tag.
   * @returns The block, or `null` when the node has none there (e.g. no finalized block yet).
   */
  blockByNumber(at: bigint | "latest" | "safe" | "finalized"): Promise<L1BlockRef | null>;
  /**
   * `eth_getBlockByHash(hash, false)`.
   *
   * @param hash The block hash.
   * @returns The block, or `null` when unknown.
   */
  blockByHash(hash: Hash): Promise<L1BlockRef | null>;
  /**
   * `eth_getLogs` over an inclusive block range.
   *
   * @param filter Emitting address, topic0 and range.
   * @returns The logs, oldest first.
   */
  logs(filter: { address: Hex; topic0: Hash; fromBlock: bigint; toBlock: bigint }): Promise<L1Log[]>;
  /**
   * `eth_call` at a block.
   *
   * @param call Target and calldata.
   * @param at The block to evaluate at.
   * @returns The raw return data.
   */
  call(call: { to: Hex; data: Hex }, at: L1BlockSelector): Promise<Hex>;
  /** Closes the connection; later calls fail with `DriverError` kind `Stopped`. */
  close(): void;
}

/**
 * Creates an L1 client for a `ws://`/`wss://` endpoint (reconnects on the next request after a drop)
 * or an `http://`/`https://` endpoint.
 *
 * @example
 * ```ts ignore
 * import { createL1Client } from "./l1_client.ts";
 * const l1 = createL1Client("ws://127.0.0.1:8545");
 * console.log(await l1.headNumber());
 * l1.close();
 * ```
 *
 * @param url The endpoint.
 * @param options Deadlines and response cap.
 * @returns The client; nothing is connected until the first request.
 * @throws {TypeError} When the URL scheme is not ws, wss, http or https.
 */
export function createL1Client(url: string, options: L1ClientOptions = {}): L1Client {
  const protocol = URL.canParse(url) ? new URL(url).protocol : "";
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_WS_REQUEST_TIMEOUT_MS;
  let connection: WsRpcConnection | null = null;
  let client: PublicClient;
  if (protocol === "ws:" || protocol === "wss:") {
    connection = new WsRpcConnection(url, {
      requestTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_WS_CONNECT_TIMEOUT_MS,
      maxMessageBytes: options.maxResponseBytes ?? DEFAULT_WS_MAX_MESSAGE_BYTES,
    });
    client = createPublicClient({ transport: connection.transport() });
  } else if (protocol === "http:" || protocol === "https:") {
    client = createPublicClient({
      transport: http(url, {
        timeout: requestTimeoutMs,
        retryCount: 0,
        maxResponseBodySize: options.maxResponseBytes ?? DEFAULT_L1_MAX_RESPONSE_BYTES,
      }),
    });
  } else {
    throw new TypeError(
      `Cannot create L1 client for "${redactUrl(url)}": expected a ws, wss, http or https URL`,
    );
  }
  const ws = connection;

  async function getBlock(method: string, param: string): Promise<L1BlockRef | null> {
    try {
      const block = await unwrapped(() =>
        client.request({
          method: method as "eth_getBlockByNumber",
          params: [param as Hex, false],
        })
      ) as RpcBlock | null;
      return block === null ? null : parseL1Block(block);
    } catch (error) {
      if (error instanceof BlockNotFoundError) return null;
      throw error;
    }
  }

  return {
    public: client,
    url: redactUrl(url),
    get disconnects() {
      return ws?.disconnects ?? 0;
    },
    onDisconnect(listener) {
      return ws?.onDisconnect(listener) ?? (() => {});
    },
    headNumber() {
      return unwrapped(() => client.getBlockNumber({ cacheTime: 0 }));
    },
    blockByNumber(at) {
      return getBlock("eth_getBlockByNumber", typeof at === "bigint" ? toQuantity(at) : at);
    },
    blockByHash(hash) {
      return getBlock("eth_getBlockByHash", hash);
    },
    logs(filter) {
      return unwrapped(async () => {
        const raw = await client.request({
          method: "eth_getLogs",
          params: [{
            address: filter.address,
            topics: [filter.topic0],
            fromBlock: toQuantity(filter.fromBlock),
            toBlock: toQuantity(filter.toBlock),
          }],
        }) as RpcLog[];
        return raw.map((log) => formatLog(log) as Log);
      });
    },
    call(call, at) {
      const block = typeof at === "bigint"
        ? toQuantity(at)
        : typeof at === "string"
        ? at
        : { blockHash: at.blockHash, requireCanonical: false };
      return unwrapped(() =>
        client.request({
          method: "eth_call",
          params: [{ to: call.to, data: call.data }, block as Hex],
        }) as Promise<Hex>
      );
    },
    close() {
      ws?.close();
    },
  };
}

/** viem wraps errors of a custom transport in `UnknownRpcError`; give callers our typed error back. */
async function unwrapped<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof UnknownRpcError && error.cause instanceof DriverError) throw error.cause;
    throw error;
  }
}

function toQuantity(value: bigint): Hex {
  return `0x${value.toString(16)}`;
}

function parseL1Block(block: RpcBlock): L1BlockRef {
  if (block.number === null || block.hash === null) {
    throw new TypeError("Cannot parse L1 block: a pending block has no number or hash");
  }
  return {
    number: BigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: BigInt(block.timestamp),
    stateRoot: block.stateRoot,
  };
}
