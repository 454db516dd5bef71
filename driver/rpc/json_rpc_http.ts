/**
 * JSON-RPC 2.0 over HTTP POST for the engine's two ports: one `fetch` per call, a deadline, a cap on
 * the response body, and failures thrown as viem's error classes (`RpcRequestError`,
 * `HttpRequestError`, `TimeoutError`, `ResponseBodyTooLargeError`), so `rpc_errors.ts` maps them exactly as it maps viem's own.
 *
 * Used instead of viem's `http` transport on the hot insertion path: viem's request layers (retry,
 * dedupe, id cache, a `JSON.stringify` replacer for bigints, header merging, signal plumbing) cost
 * about 0.1 ms of CPU per call here against 0.18 ms for the whole loopback round trip, and a 64-block
 * proposal makes some 600 calls. The parameters the driver sends are already JSON (hex strings,
 * numbers, booleans), so no replacer is needed.
 *
 * @module
 */
import { HttpRequestError, ResponseBodyTooLargeError, RpcRequestError, TimeoutError } from "viem";
import { readCappedBody } from "../../internal/read_capped.ts";

/** The abort reason of a call past its deadline. */
const TIMED_OUT = new Error("the JSON-RPC call timed out");

/** How to reach one JSON-RPC endpoint. */
export interface JsonRpcHttpOptions {
  /** The endpoint; user info in it becomes a Basic `Authorization` header. */
  readonly url: string;
  /** Deadline of each call, response body included, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest response body accepted, in bytes; a larger one fails the call. */
  readonly maxResponseBytes: number;
  /**
   * The `Authorization` header of each call (the engine's JWT), computed per call.
   * @default the Basic credentials of `url`, or none
   */
  readonly authorization?: () => Promise<string>;
  /**
   * Called when the endpoint answers HTTP 401 or 403 (the credentials were refused).
   * @default nothing
   */
  readonly onUnauthorized?: () => void;
}

/** One method of a JSON-RPC method table (viem's `rpcSchema` shape). */
export interface JsonRpcMethod {
  readonly Method: string;
  readonly Parameters: readonly unknown[];
  readonly ReturnType: unknown;
}

/** The parameters of method `M` in the table `S`. */
export type JsonRpcParameters<S extends readonly JsonRpcMethod[], M extends S[number]["Method"]> =
  S[number] extends infer E
    ? E extends JsonRpcMethod ? M extends E["Method"] ? E["Parameters"] : never : never
    : never;

/** One endpoint's calls, typed by its method table `S`. */
export interface JsonRpcHttp<S extends readonly JsonRpcMethod[]> {
  /**
   * Calls `method` and returns its `result`, unvalidated (callers parse it field by field).
   * @param method The JSON-RPC method.
   * @param params Its positional parameters, already in JSON form.
   * @returns The `result` member (`null` when the answer carries `null`).
   * @throws {RpcRequestError} The endpoint answered a JSON-RPC error.
   * @throws {HttpRequestError} A non-2xx status, a transport failure, or a body that is not JSON.
   * @throws {ResponseBodyTooLargeError} The body exceeds the cap.
   * @throws {TimeoutError} No complete answer within the deadline.
   */
  request<M extends S[number]["Method"]>(method: M, params: JsonRpcParameters<S, M>): Promise<unknown>;
  /**
   * Calls `method` once per parameter list in one JSON-RPC batch (one HTTP request).
   * @param method The JSON-RPC method.
   * @param paramsList One positional parameter list per call.
   * @returns One outcome per call, in order: its `result`, or the `RpcRequestError` it answered.
   * @throws {RpcRequestError} The endpoint refused the batch as a whole.
   * @throws {HttpRequestError} As `request`, or when an answer is missing from the batch.
   * @throws {TimeoutError} No complete answer within the deadline.
   */
  batch<M extends S[number]["Method"]>(
    method: M,
    paramsList: readonly JsonRpcParameters<S, M>[],
  ): Promise<readonly JsonRpcOutcome[]>;
}

/** The outcome of one call of a batch. */
export type JsonRpcOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: RpcRequestError };

/**
 * Creates the client of one endpoint.
 *
 * @param options The endpoint, deadline, body cap and authorization.
 * @returns The client.
 * @throws {TypeError} When the URL does not parse.
 * @throws {RangeError} When the deadline or the body cap is not positive.
 *
 * @example
 * ```ts ignore
 * const rpc = createJsonRpcHttp({ url: "http://127.0.0.1:8545", timeoutMs: 12_000, maxResponseBytes: 1 << 25 });
 * const chainId = await rpc.request("eth_chainId", []);
 * ```
 */
export function createJsonRpcHttp<S extends readonly JsonRpcMethod[]>(
  options: JsonRpcHttpOptions,
): JsonRpcHttp<S> {
  const parsed = new URL(options.url);
  if (!(options.timeoutMs > 0)) {
    throw new RangeError(
      `Cannot create a JSON-RPC client: timeoutMs must be positive, found ${options.timeoutMs}`,
    );
  }
  if (!(options.maxResponseBytes > 0)) {
    throw new RangeError(
      `Cannot create a JSON-RPC client: maxResponseBytes must be positive, found ${options.maxResponseBytes}`,
    );
  }
  // fetch refuses URLs with credentials; they travel as a Basic header instead, as viem sends them.
  const basic = parsed.username === "" && parsed.password === ""
    ? null
    : `Basic ${btoa(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`)}`;
  parsed.username = "";
  parsed.password = "";
  const url = parsed.toString();
  const { timeoutMs, maxResponseBytes } = options;
  let nextId = 1;

  async function post(body: { method: string; params: unknown }, payload: string): Promise<unknown> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const authorization = options.authorization === undefined ? basic : await options.authorization();
    if (authorization !== null) headers.authorization = authorization;
    let status: number;
    let text: string;
    // Not AbortSignal.timeout(): its timer cannot be cancelled, so every call that answered in time
    // would still fire it later and build a DOMException, thousands a second on the insertion path.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(TIMED_OUT), timeoutMs);
    try {
      const response = await fetch(url, { method: "POST", headers, body: payload, signal: deadline.signal });
      status = response.status;
      text = await readBody(response, maxResponseBytes);
    } catch (cause) {
      if (cause instanceof ResponseBodyTooLargeError) throw cause;
      if (cause === TIMED_OUT) throw new TimeoutError({ body, url });
      throw new HttpRequestError({ body, cause: cause as Error, url });
    } finally {
      clearTimeout(timer);
    }
    if (status === 401 || status === 403) options.onUnauthorized?.();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch (cause) {
      if (status >= 200 && status < 300) throw new HttpRequestError({ body, cause: cause as Error, url });
      throw new HttpRequestError({ body, details: text, status, url });
    }
    const error = rpcError(answer);
    if (error !== null) throw new RpcRequestError({ body, error, url, status });
    if (status < 200 || status >= 300) {
      throw new HttpRequestError({ body, details: text, status, url });
    }
    return answer;
  }

  return {
    async request(method: string, params: readonly unknown[]): Promise<unknown> {
      const id = nextId++;
      const body = { method, params };
      const answer = await post(body, JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      if (typeof answer !== "object" || answer === null || !("result" in answer)) {
        throw new HttpRequestError({ body, details: "the answer has neither result nor error", url });
      }
      return answer.result;
    },
    async batch(
      method: string,
      paramsList: readonly (readonly unknown[])[],
    ): Promise<readonly JsonRpcOutcome[]> {
      if (paramsList.length === 0) return [];
      const first = nextId;
      nextId += paramsList.length;
      const calls = paramsList.map((params, i) => ({ jsonrpc: "2.0", id: first + i, method, params }));
      const body = { method, params: paramsList };
      const answer = await post(body, JSON.stringify(calls));
      if (!Array.isArray(answer)) {
        throw new HttpRequestError({ body, details: "the answer to a batch is not a list", url });
      }
      // Answers may come in any order: they are matched by id.
      const byId = new Map<unknown, unknown>();
      for (const item of answer) {
        if (typeof item === "object" && item !== null && "id" in item) byId.set(item.id, item);
      }
      return calls.map((call): JsonRpcOutcome => {
        const item = byId.get(call.id);
        const error = rpcError(item);
        if (error !== null) {
          return {
            ok: false,
            error: new RpcRequestError({ body: { method, params: call.params }, error, url }),
          };
        }
        if (typeof item !== "object" || item === null || !("result" in item)) {
          throw new HttpRequestError({ body, details: `the batch has no answer for call ${call.id}`, url });
        }
        return { ok: true, result: item.result };
      });
    },
  };
}

/** The answer's JSON-RPC error object, when it has one with a numeric code and a message (as viem checks). */
function rpcError(answer: unknown): { code: number; message: string; data?: unknown } | null {
  if (typeof answer !== "object" || answer === null || !("error" in answer)) return null;
  const error = answer.error as { code?: unknown; message?: unknown; data?: unknown } | null;
  if (typeof error !== "object" || error === null) return null;
  const { code, message } = error;
  if (typeof code !== "number" || typeof message !== "string") return null;
  return "data" in error ? { code, message, data: error.data } : { code, message };
}

async function readBody(response: Response, maxBytes: number): Promise<string> {
  const body = await readCappedBody(response, maxBytes);
  if (body.kind === "TooLarge") throw new ResponseBodyTooLargeError({ maxSize: maxBytes, size: body.size });
  return new TextDecoder().decode(body.bytes);
}
