/**
 * A JSON-RPC connection over one WebSocket that reconnects on the next request after a drop, exposed
 * as a viem `custom` transport.
 *
 * Why not viem's `webSocket` transport: it shares one socket per URL across every client in the
 * process (closing one client closes the others), gives up for good after a fixed number of
 * reconnect attempts, and prints reconnect failures to the console. The syncer needs a connection
 * it owns, that never gives up, and that tells it when a drop happened (lessons E-4, E-10). Framing
 * and result decoding stay viem's: only the socket lifecycle is ours.
 *
 * @module
 */
import { custom, type CustomTransport, RpcRequestError, SocketClosedError, TimeoutError } from "viem";
import { DriverError } from "../errors.ts";
import { redactUrl } from "./rpc_errors.ts";

/** Default deadline of one request, in milliseconds (lesson E-10: slow `eth_getLogs` must not end a generation). */
export const DEFAULT_WS_REQUEST_TIMEOUT_MS = 30_000;
/** Default deadline to open the socket, in milliseconds. */
export const DEFAULT_WS_CONNECT_TIMEOUT_MS = 5_000;
/** Largest message accepted from the server, in bytes; a bigger one drops the connection. */
export const DEFAULT_WS_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Most requests in flight on one connection; more are refused with a transient error. */
export const WS_MAX_PENDING_REQUESTS = 1024;

/** Tuning of a {@linkcode WsRpcConnection}. */
export interface WsRpcConnectionOptions {
  /**
   * Deadline of one request, in milliseconds.
   * @default {DEFAULT_WS_REQUEST_TIMEOUT_MS}
   */
  readonly requestTimeoutMs?: number;
  /**
   * Deadline to open the socket, in milliseconds.
   * @default {DEFAULT_WS_CONNECT_TIMEOUT_MS}
   */
  readonly connectTimeoutMs?: number;
  /**
   * Largest accepted message, in bytes.
   * @default {DEFAULT_WS_MAX_MESSAGE_BYTES}
   */
  readonly maxMessageBytes?: number;
}

interface Pending {
  readonly body: { method: string; params: unknown };
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** A JSON-RPC connection over a WebSocket that reopens on demand after a drop. */
export class WsRpcConnection {
  readonly #url: string;
  readonly #requestTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #maxMessageBytes: number;
  readonly #pending = new Map<number, Pending>();
  readonly #disconnectListeners = new Set<() => void>();
  #socket: WebSocket | null = null;
  #opening: Promise<WebSocket> | null = null;
  #nextId = 1;
  #closed = false;
  #disconnects = 0;

  /**
   * @param url A `ws://` or `wss://` endpoint.
   * @param options Deadlines and the message cap.
   * @throws {TypeError} When the URL is not a WebSocket URL.
   */
  constructor(url: string, options: WsRpcConnectionOptions = {}) {
    const protocol = URL.canParse(url) ? new URL(url).protocol : "";
    if (protocol !== "ws:" && protocol !== "wss:") {
      throw new TypeError(`Cannot connect to "${redactUrl(url)}": expected a ws:// or wss:// URL`);
    }
    this.#url = url;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_WS_REQUEST_TIMEOUT_MS;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_WS_CONNECT_TIMEOUT_MS;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_WS_MAX_MESSAGE_BYTES;
  }

  /** How many times an open connection was lost. */
  get disconnects(): number {
    return this.#disconnects;
  }

  /** Whether a socket is open now. */
  get connected(): boolean {
    return this.#socket !== null;
  }

  /**
   * Registers a listener called each time an open connection is lost.
   *
   * @param listener Called synchronously from the socket's close handler.
   * @returns A function that removes the listener.
   */
  onDisconnect(listener: () => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  /**
   * Sends one JSON-RPC request, opening the socket first when needed.
   *
   * @param body The method and its positional params.
   * @returns The `result` member of the response.
   * @throws {RpcRequestError} For a JSON-RPC error response.
   * @throws {TimeoutError} When the deadline passes.
   * @throws {SocketClosedError} When the connection drops or cannot be opened.
   * @throws {DriverError} kind `Stopped` after `close()`.
   */
  async request(body: { method: string; params?: unknown }): Promise<unknown> {
    if (this.#closed) throw this.#stoppedError();
    const socket = await this.#open();
    if (this.#pending.size >= WS_MAX_PENDING_REQUESTS) {
      throw new DriverError(
        "Rpc",
        `Cannot send "${body.method}": ${WS_MAX_PENDING_REQUESTS} requests in flight`,
      );
    }
    const id = this.#nextId++;
    const message = { jsonrpc: "2.0", id, method: body.method, params: body.params ?? [] };
    return await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TimeoutError({ body: message, url: redactUrl(this.#url) }));
      }, this.#requestTimeoutMs);
      this.#pending.set(id, { body: message, resolve, reject, timer });
      try {
        socket.send(JSON.stringify(message));
      } catch {
        this.#settle(id, undefined, new SocketClosedError({ url: redactUrl(this.#url) }));
      }
    });
  }

  /** Closes the socket for good; requests in flight reject with `DriverError` kind `Stopped`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = null;
    this.#rejectAll(this.#stoppedError());
    socket?.close();
  }

  /** A viem transport that sends every request over this connection (viem's own retries off). */
  transport(): CustomTransport {
    return custom({ request: (body) => this.request(body) }, { retryCount: 0, key: "ws-rpc" });
  }

  #stoppedError(): DriverError {
    return new DriverError("Stopped", `Cannot use "${redactUrl(this.#url)}": the connection was closed`);
  }

  #open(): Promise<WebSocket> {
    if (this.#socket !== null) return Promise.resolve(this.#socket);
    this.#opening ??= this.#connect().finally(() => this.#opening = null);
    return this.#opening;
  }

  #connect(): Promise<WebSocket> {
    const url = redactUrl(this.#url);
    return new Promise<WebSocket>((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(this.#url);
      } catch (cause) {
        reject(new DriverError("Rpc", `Cannot connect to "${url}": the socket cannot be created`, { cause }));
        return;
      }
      let opened = false;
      const timer = setTimeout(() => {
        socket.close();
        reject(new TimeoutError({ body: { method: "connect" }, url }));
      }, this.#connectTimeoutMs);
      socket.onopen = () => {
        clearTimeout(timer);
        if (this.#closed) {
          socket.close();
          reject(this.#stoppedError());
          return;
        }
        opened = true;
        this.#socket = socket;
        resolve(socket);
      };
      socket.onerror = () => {
        // A close event always follows; the close handler does the bookkeeping.
      };
      socket.onclose = () => {
        clearTimeout(timer);
        if (!opened) {
          reject(new SocketClosedError({ url }));
          return;
        }
        if (this.#socket === socket) this.#socket = null;
        this.#rejectAll(new SocketClosedError({ url }));
        if (this.#closed) return;
        this.#disconnects++;
        for (const listener of [...this.#disconnectListeners]) listener();
      };
      socket.onmessage = (event) => this.#onMessage(socket, event.data);
    });
  }

  #onMessage(socket: WebSocket, data: unknown): void {
    if (typeof data !== "string" || data.length > this.#maxMessageBytes) {
      // An oversized or binary frame is a broken or hostile peer: drop the connection.
      socket.close();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      socket.close();
      return;
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (typeof item !== "object" || item === null) continue;
      const { id, result, error } = item as { id?: unknown; result?: unknown; error?: unknown };
      if (typeof id !== "number") continue;
      if (error !== undefined && error !== null) {
        const pending = this.#pending.get(id);
        if (pending === undefined) continue;
        this.#settle(
          id,
          undefined,
          new RpcRequestError({
            body: pending.body,
            error: normaliseRpcError(error),
            url: redactUrl(this.#url),
          }),
        );
      } else {
        this.#settle(id, result);
      }
    }
  }

  #settle(id: number, result: unknown, error?: Error): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error !== undefined) {
      pending.reject(error);
    } else {
      pending.resolve(result);
    }
  }

  #rejectAll(error: Error): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}

function normaliseRpcError(error: unknown): { code: number; message: string; data?: unknown } {
  if (typeof error === "object" && error !== null) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    return {
      code: typeof code === "number" ? code : -32603,
      message: typeof message === "string" ? message : "unknown error",
      ...(data === undefined ? {} : { data }),
    };
  }
  return { code: -32603, message: String(error) };
}
