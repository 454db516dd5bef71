/**
 * JSON-RPC 2.0 envelopes: body parsing (single call or batch), request validation, positional params
 * and response objects. Nothing here knows the preconfirmation methods.
 *
 * @module
 */
import { RPC_ERROR_CODES, type RpcErrorCode } from "./error_codes.ts";
import { RpcServerError } from "./errors.ts";

/** A JSON value as the server writes it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | {
  readonly [key: string]: JsonValue;
};

/** A request id: a string, a number or `null` (JSON-RPC 2.0 section 4). */
export type JsonRpcId = string | number | null;

/** The params of a call: positional (an array) or named (an object). */
export type JsonRpcParams = readonly unknown[] | { readonly [key: string]: unknown };

/** One well-formed call. */
export interface JsonRpcCall {
  /** The method name, not yet looked up. */
  readonly method: string;
  /** The request id (`null` for a notification). */
  readonly id: JsonRpcId;
  /** A call without an `id` member: run, but never answered. */
  readonly notification: boolean;
  /** The params, `undefined` when absent. */
  readonly params: JsonRpcParams | undefined;
}

/** A call that is not a valid request object: answered with `-32600` and the id, when readable. */
export interface InvalidJsonRpcCall {
  /** The id, or `null` when the id itself is missing or malformed. */
  readonly id: JsonRpcId;
  /** Why the call is invalid. */
  readonly error: RpcServerError;
}

/** The body of a request: one value or a batch. */
export type JsonRpcBody =
  | { readonly kind: "single"; readonly value: unknown }
  | { readonly kind: "batch"; readonly values: readonly unknown[] };

/** The error member of a response. */
export interface JsonRpcErrorObject {
  /** The error code. */
  readonly code: RpcErrorCode;
  /** Sentence case, no trailing period. */
  readonly message: string;
  /** Machine-readable detail (`kind`, `reason`), when there is some. */
  readonly data?: JsonValue;
}

/** A response object. */
export type JsonRpcResponse =
  | { readonly jsonrpc: "2.0"; readonly id: JsonRpcId; readonly result: JsonValue }
  | { readonly jsonrpc: "2.0"; readonly id: JsonRpcId; readonly error: JsonRpcErrorObject };

/**
 * Parses a request body into one value or a batch.
 *
 * @param text The body, decoded as UTF-8.
 * @returns The parsed body.
 * @throws {RpcServerError} `ParseError` when the text is not JSON.
 */
export function parseJsonRpcBody(text: string): JsonRpcBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RpcServerError("ParseError", `Cannot parse the request body: not JSON (${reason})`, { cause });
  }
  return Array.isArray(value) ? { kind: "batch", values: value } : { kind: "single", value };
}

/**
 * Checks one request object of a body (JSON-RPC 2.0 section 4).
 *
 * @param value One parsed request.
 * @returns The call, or why it is invalid (with the id when it is readable).
 */
export function parseJsonRpcCall(value: unknown): JsonRpcCall | InvalidJsonRpcCall {
  if (!isPlainObject(value)) {
    return invalid(
      null,
      `Cannot read the request: expected a JSON-RPC request object, found ${describe(value)}`,
    );
  }
  const hasId = Object.hasOwn(value, "id");
  const rawId = value.id;
  if (hasId && !isJsonRpcId(rawId)) {
    return invalid(
      null,
      `Cannot read the request: "id" must be a string, a number or null, found ${describe(rawId)}`,
    );
  }
  const id: JsonRpcId = hasId ? rawId as JsonRpcId : null;
  if (value.jsonrpc !== "2.0") {
    return invalid(id, `Cannot read the request: "jsonrpc" must be "2.0", found ${describe(value.jsonrpc)}`);
  }
  if (typeof value.method !== "string" || value.method === "") {
    return invalid(
      id,
      `Cannot read the request: "method" must be a non-empty string, found ${describe(value.method)}`,
    );
  }
  const params = value.params;
  if (params !== undefined && !Array.isArray(params) && !isPlainObject(params)) {
    return invalid(
      id,
      `Cannot read the request: "params" must be an array or an object, found ${describe(params)}`,
    );
  }
  return { method: value.method, id, notification: !hasId, params: params as JsonRpcParams | undefined };
}

/**
 * Tells a valid call from an invalid one.
 *
 * @param call What {@linkcode parseJsonRpcCall} returned.
 * @returns Whether the call is valid.
 */
export function isJsonRpcCall(call: JsonRpcCall | InvalidJsonRpcCall): call is JsonRpcCall {
  return !("error" in call);
}

/**
 * Reads the only positional param of a method that takes exactly one (jsonrpsee's `Params::one`):
 * an object or a longer array is refused.
 *
 * @param params The call's params.
 * @param method The method, for the message.
 * @param expected What the param should be, for the message (e.g. `an object`).
 * @returns The param.
 * @throws {RpcServerError} `InvalidParams` unless params is an array of exactly one element.
 */
export function readSingleParam(
  params: JsonRpcParams | undefined,
  method: string,
  expected: string,
): unknown {
  if (params === undefined) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: params must be [${expected}], found none`,
    );
  }
  if (!Array.isArray(params)) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: params must be a positional array [${expected}], found an object`,
    );
  }
  if (params.length !== 1) {
    throw new RpcServerError(
      "InvalidParams",
      `Cannot run ${method}: params must be [${expected}], found ${params.length} params`,
    );
  }
  return params[0];
}

/**
 * Checks that a method without params got none (absent or `[]`).
 *
 * @param params The call's params.
 * @param method The method, for the message.
 * @throws {RpcServerError} `InvalidParams` when params are present and not empty.
 */
export function readNoParams(params: JsonRpcParams | undefined, method: string): void {
  if (params === undefined || (Array.isArray(params) && params.length === 0)) return;
  const found = Array.isArray(params) ? `${params.length} params` : "an object";
  throw new RpcServerError("InvalidParams", `Cannot run ${method}: it takes no params, found ${found}`);
}

/**
 * Builds a success response.
 *
 * @param id The request id.
 * @param result The result.
 * @returns The response object.
 */
export function jsonRpcResult(id: JsonRpcId, result: JsonValue): JsonRpcResponse {
  return { jsonrpc: "2.0", id, result };
}

/**
 * Builds an error response.
 *
 * @param id The request id (`null` when unknown).
 * @param error The error member.
 * @returns The response object.
 */
export function jsonRpcError(id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error };
}

/**
 * Builds the error member for an {@linkcode RpcServerError}.
 *
 * @param error The error.
 * @returns `{code, message}`.
 */
export function errorObjectOf(error: RpcServerError): JsonRpcErrorObject {
  return { code: RPC_ERROR_CODES[error.kind], message: error.message };
}

/**
 * Tells a JSON object (not an array, not `null`) from other values.
 *
 * @param value Any value.
 * @returns Whether it is a plain object.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Names the JSON type of a value for error messages, without echoing large or untrusted content.
 *
 * @param value Any parsed JSON value.
 * @returns E.g. `an array`, `a string`, `null`.
 */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `${value}`;
    default:
      return typeof value;
  }
}

function isJsonRpcId(value: unknown): boolean {
  return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

function invalid(id: JsonRpcId, message: string): InvalidJsonRpcCall {
  return { id, error: new RpcServerError("InvalidRequest", message) };
}
