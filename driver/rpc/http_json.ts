/**
 * `GET` a JSON document with a deadline and a body-size cap: the beacon API and blob servers are
 * outside input, and an endpoint that never answers or streams forever must not stall the syncer.
 *
 * @module
 */
import { readCappedBody } from "../../internal/read_capped.ts";
import { DriverError } from "../errors.ts";
import { redactUrl } from "./rpc_errors.ts";

/** Default deadline of one HTTP request, in milliseconds (spec/driver.md section 1.1). */
export const DEFAULT_HTTP_TIMEOUT_MS = 12_000;

/** Options of {@linkcode getJson}. */
export interface GetJsonOptions {
  /** Deadline, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes; a bigger one fails the request. */
  readonly maxBodyBytes: number;
  /**
   * Aborts the request.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/**
 * Fetches `url` and parses the body as JSON.
 *
 * @param url The document's URL.
 * @param options Deadline, body cap and signal.
 * @returns The parsed JSON.
 * @throws {DriverError} kind `Rpc` (context `url`, redacted) on a transport failure, a non-2xx
 *   status (the status is in the message), a body over the cap, or invalid JSON; the caller's
 *   `signal.reason` when it aborts.
 */
export async function getJson(url: string, options: GetJsonOptions): Promise<unknown> {
  const shown = redactUrl(url);
  const signals = [AbortSignal.timeout(options.timeoutMs)];
  if (options.signal !== undefined) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal });
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new DriverError("Rpc", `Cannot GET "${shown}": the request failed, check the endpoint`, {
      cause,
      context: { url: shown },
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DriverError("Rpc", `Cannot GET "${shown}": HTTP status ${response.status}`, {
      context: { url: shown },
    });
  }
  let text: string;
  try {
    text = await readCapped(response, options.maxBodyBytes);
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (cause instanceof DriverError) {
      throw new DriverError(cause.kind, `Cannot GET "${shown}": ${cause.message}`, {
        context: { url: shown },
      });
    }
    throw new DriverError("Rpc", `Cannot GET "${shown}": reading the body failed`, {
      cause,
      context: { url: shown },
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DriverError("Rpc", `Cannot GET "${shown}": the body is not JSON`, {
      cause,
      context: { url: shown },
    });
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const body = await readCappedBody(response, maxBytes);
  if (body.kind === "Complete") return new TextDecoder().decode(body.bytes);
  throw new DriverError(
    "Rpc",
    body.declared
      ? `the body declares ${body.size} bytes, more than the cap of ${maxBytes} bytes`
      : `the body exceeds the cap of ${maxBytes} bytes`,
  );
}
