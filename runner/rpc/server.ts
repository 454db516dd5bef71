/**
 * The preconfirmation JSON-RPC server: HTTP POST with JSON-RPC 2.0 bodies (single calls and
 * batches) on `127.0.0.1:8550` by default, with a body cap and a connection cap (lesson R-3).
 *
 * There is no authentication: anyone who can reach the port can get blocks inserted, so keep it on
 * loopback or a trusted network.
 *
 * @module
 */
import {
  DEFAULT_PRECONF_RPC_HOSTNAME,
  DEFAULT_PRECONF_RPC_MAX_BODY_BYTES,
  DEFAULT_PRECONF_RPC_MAX_CONNECTIONS,
  DEFAULT_PRECONF_RPC_PORT,
} from "../config.ts";
import { type CappedBody, readCappedBody } from "../../internal/read_capped.ts";
import { runnerLogger } from "../log.ts";
import type { PreconfRpcBackend } from "./backend.ts";
import { dispatchJsonRpc, MAX_RPC_BATCH_CALLS } from "./dispatcher.ts";
import { RPC_ERROR_CODES, type RpcErrorCode } from "./error_codes.ts";
import { jsonRpcError } from "./json_rpc.ts";
import type { RpcMetrics, RpcRefusalReason } from "./metrics.ts";

/**
 * Largest request body read, in bytes (lesson R-3). Overflow policy: reject with 413 without reading
 * the rest.
 */
export const MAX_RPC_BODY_BYTES: number = DEFAULT_PRECONF_RPC_MAX_BODY_BYTES;

/**
 * Most requests served at once; each HTTP/1.1 connection carries one at a time, so this caps the
 * busy connections. Overflow policy: reject with 503 and close.
 */
export const MAX_RPC_CONNECTIONS: number = DEFAULT_PRECONF_RPC_MAX_CONNECTIONS;

const log = runnerLogger("rpc");
/** Decoding is stateless for whole bodies, so one strict and one lenient decoder serve every request. */
const UTF8_STRICT = new TextDecoder("utf-8", { fatal: true });
const UTF8_LENIENT = new TextDecoder("utf-8");

/** What the server needs. */
export interface PreconfRpcServerDeps {
  /** The node behind the server. */
  readonly backend: PreconfRpcBackend;
  /** Where calls and refusals are counted; `null` when metrics are off. */
  readonly metrics: RpcMetrics | null;
}

/** How the server listens and what it accepts (a `PreconfRpcServerConfig` fits). */
export interface PreconfRpcServerOptions {
  /**
   * Interface to bind.
   * @default {DEFAULT_PRECONF_RPC_HOSTNAME} 127.0.0.1
   */
  readonly hostname?: string;
  /**
   * TCP port; 0 picks a free one.
   * @default {DEFAULT_PRECONF_RPC_PORT} 8550
   */
  readonly port?: number;
  /**
   * Largest request body read, in bytes.
   * @default {MAX_RPC_BODY_BYTES}
   */
  readonly maxBodyBytes?: number;
  /**
   * Most requests served at once.
   * @default {MAX_RPC_CONNECTIONS}
   */
  readonly maxConnections?: number;
  /**
   * Most calls in one batch.
   * @default {MAX_RPC_BATCH_CALLS}
   */
  readonly maxBatchCalls?: number;
}

/** Where a running server listens. */
export interface RpcServerAddress {
  readonly hostname: string;
  readonly port: number;
}

/** The preconfirmation JSON-RPC server; `start()` and `stop()` are idempotent. */
export class PreconfRpcServer {
  readonly #deps: PreconfRpcServerDeps;
  readonly #hostname: string;
  readonly #port: number;
  readonly #maxBodyBytes: number;
  readonly #maxConnections: number;
  readonly #maxBatchCalls: number;
  #server: Deno.HttpServer<Deno.NetAddr> | null = null;
  #requests = new AbortController();
  #stopping: Promise<void> | null = null;
  #active = 0;

  /**
   * Creates a server (not listening yet).
   *
   * @example
   * ```ts ignore
   * const server = new PreconfRpcServer({ backend, metrics: null }, { port: 0 });
   * await server.start();
   * console.log(server.url);
   * await server.stop();
   * ```
   *
   * @param deps The backend and the metrics.
   * @param options Where to listen and the caps.
   * @throws {RangeError} when a cap is not a positive whole number or the port is out of range.
   */
  constructor(deps: PreconfRpcServerDeps, options: PreconfRpcServerOptions = {}) {
    this.#deps = deps;
    this.#hostname = options.hostname ?? DEFAULT_PRECONF_RPC_HOSTNAME;
    this.#port = options.port ?? DEFAULT_PRECONF_RPC_PORT;
    this.#maxBodyBytes = positive(options.maxBodyBytes ?? MAX_RPC_BODY_BYTES, "maxBodyBytes");
    this.#maxConnections = positive(options.maxConnections ?? MAX_RPC_CONNECTIONS, "maxConnections");
    this.#maxBatchCalls = positive(options.maxBatchCalls ?? MAX_RPC_BATCH_CALLS, "maxBatchCalls");
    if (!Number.isInteger(this.#port) || this.#port < 0 || this.#port > 65_535) {
      throw new RangeError(`Cannot create the JSON-RPC server: port "${this.#port}" must be from 0 to 65535`);
    }
    deps.metrics?.bindActiveConnections(() => this.#active);
  }

  /** Where the server listens, or `null` when it is not running. */
  get address(): RpcServerAddress | null {
    const addr = this.#server?.addr;
    return addr === undefined ? null : { hostname: addr.hostname, port: addr.port };
  }

  /** The server's `http://host:port` URL, or `null` when it is not running. */
  get url(): string | null {
    const address = this.address;
    if (address === null) return null;
    const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
    return `http://${host}:${address.port}`;
  }

  /**
   * Binds and serves; a second call while running does nothing.
   *
   * @returns When listening.
   * @throws {Deno.errors.AddrInUse} when the port is taken (other listen errors as `Deno.serve` throws them).
   */
  async start(): Promise<void> {
    await this.#stopping;
    if (this.#server !== null) return;
    const requests = new AbortController();
    this.#server = Deno.serve({
      hostname: this.#hostname,
      port: this.#port,
      onListen: () => {},
    }, (request) => this.#handle(request, requests.signal));
    this.#requests = requests;
    log.info("Serving preconfirmation JSON-RPC at {url}", { url: this.url });
    if (!isLoopback(this.#hostname)) {
      log.warn(
        "The JSON-RPC server on {hostname} has no authentication: anyone who can reach it can insert blocks",
        {
          hostname: this.#hostname,
        },
      );
    }
  }

  /**
   * Stops accepting and waits for requests in flight: reads are aborted, publishes run to their
   * end (a caller's block must not be cut off halfway; lesson S-3), bounded by the backend's own
   * deadlines. A second call waits for the first.
   *
   * @returns When closed.
   */
  stop(): Promise<void> {
    if (this.#stopping !== null) return this.#stopping;
    const server = this.#server;
    if (server === null) return Promise.resolve();
    this.#requests.abort();
    this.#stopping = server.shutdown().finally(() => {
      this.#server = null;
      this.#stopping = null;
      log.info("Stopped the preconfirmation JSON-RPC server");
    });
    return this.#stopping;
  }

  async #handle(request: Request, serverSignal: AbortSignal): Promise<Response> {
    if (this.#active >= this.#maxConnections) {
      return this.#refuse(
        "too_many_connections",
        503,
        RPC_ERROR_CODES.InternalError,
        `Cannot serve the request: all ${this.#maxConnections} connections are busy, retry shortly`,
      );
    }
    this.#active += 1;
    try {
      return await this.#serve(request, serverSignal);
    } finally {
      this.#active -= 1;
    }
  }

  async #serve(request: Request, serverSignal: AbortSignal): Promise<Response> {
    if (request.method !== "POST") {
      return this.#refuse(
        "method_not_allowed",
        405,
        RPC_ERROR_CODES.InvalidRequest,
        `Cannot serve ${request.method}: JSON-RPC requests must be POST`,
        { allow: "POST" },
      );
    }
    const contentType = request.headers.get("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return this.#refuse(
        "unsupported_media_type",
        415,
        RPC_ERROR_CODES.InvalidRequest,
        `Cannot serve the request: content-type must be application/json, found "${
          contentType.slice(0, 64)
        }"`,
      );
    }
    let body: CappedBody;
    try {
      body = await readCappedBody(request, this.#maxBodyBytes);
    } catch (error) {
      log.debug("Cannot read a JSON-RPC request body: {error}", { error });
      return this.#refuse(
        "unreadable_body",
        400,
        RPC_ERROR_CODES.InvalidRequest,
        "Cannot read the request body: the connection failed while it was sent",
      );
    }
    if (body.kind === "TooLarge") {
      return this.#tooLarge(body.declared ? `${body.size} bytes` : `over ${this.#maxBodyBytes} bytes`);
    }
    let text: string;
    try {
      text = decodeUtf8(body.bytes);
    } catch {
      return json(
        200,
        jsonRpcError(null, {
          code: RPC_ERROR_CODES.ParseError,
          message: "Cannot parse the request body: it is not UTF-8",
        }),
      );
    }
    // The server's signal, not request.signal: Deno aborts the latter after every response.
    const answer = await dispatchJsonRpc(this.#deps, text, {
      signal: serverSignal,
      maxBatchCalls: this.#maxBatchCalls,
    });
    return answer === null ? new Response(null, { status: 204 }) : json(200, answer);
  }

  #tooLarge(size: string): Response {
    return this.#refuse(
      "body_too_large",
      413,
      RPC_ERROR_CODES.InvalidRequest,
      `Cannot read the request body: it is ${size}, more than the ${this.#maxBodyBytes}-byte cap`,
    );
  }

  #refuse(
    reason: RpcRefusalReason,
    status: number,
    code: RpcErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ): Response {
    this.#deps.metrics?.refused.inc({ reason });
    log.debug("Refused a JSON-RPC request ({reason}): {message}", { reason, message });
    // Closing tells the client to stop sending a body we will not read.
    return json(status, jsonRpcError(null, { code, message }), { connection: "close", ...headers });
  }
}

/**
 * Decodes a body as UTF-8, refusing invalid sequences. The lenient decoder is about 8× faster than
 * the strict one on the ASCII bodies JSON-RPC carries (12 µs against 98 µs for 200 KiB here); it
 * marks an invalid sequence with U+FFFD, so only a text holding U+FFFD (invalid, or a real one) is
 * decoded again strictly to tell the two apart.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const text = UTF8_LENIENT.decode(bytes);
  return text.includes("\uFFFD") ? UTF8_STRICT.decode(bytes) : text;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot create the JSON-RPC server: ${name} "${value}" must be a positive whole number`,
    );
  }
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}
