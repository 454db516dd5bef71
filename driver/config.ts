/**
 * The driver's configuration (spec/driver.md sections 1.1 and 1.2) and its validation. The CLI and
 * library users go through the same `validateDriverConfig()`, so both get the same errors.
 *
 * @module
 */
import { parseAddress } from "../internal/address.ts";
import type { Address } from "./hex.ts";
import type { ShastaChainOverrides } from "./shasta/chain_config.ts";
import { parseJwtSecret } from "./engine/jwt.ts";

/** Deadline of every HTTP request to L2, the engine, the beacon node and the blob server (spec/driver.md 1.1). */
export const DEFAULT_HTTP_TIMEOUT_MS = 12_000;

/** Everything the driver needs to reach L1, L2, the engine and the beacon node. */
export interface DriverConfig {
  /** L1 JSON-RPC WebSocket URL (`ws://` or `wss://`). */
  readonly l1Ws: string;
  /** Public L2 JSON-RPC URL (`http://` or `https://`). */
  readonly l2Http: string;
  /** Authenticated L2 engine API URL (`http://` or `https://`). */
  readonly l2Auth: string;
  /** Path of the file holding the engine's 32-byte JWT secret in hex. */
  readonly jwtSecretPath: string;
  /** The Shasta Inbox contract on L1. */
  readonly inboxAddress: Address;
  /** L1 beacon API base URL (`http://` or `https://`), for blob sidecars. */
  readonly l1Beacon: string;
  /** Optional blob-server base URL, asked when the beacon node no longer has a blob. */
  readonly blobServer?: string;
  /** Per-chain protocol values that replace the built-in table. */
  readonly chainOverrides?: ShastaChainOverrides;
  /**
   * Deadline of each HTTP request, in milliseconds.
   * @default {DEFAULT_HTTP_TIMEOUT_MS}
   */
  readonly httpTimeoutMs?: number;
}

/** Unchecked driver settings, as they come from flags, the environment or a file. */
export interface DriverConfigInput {
  /** See {@linkcode DriverConfig.l1Ws}. */
  readonly l1Ws?: string | undefined;
  /** See {@linkcode DriverConfig.l2Http}. */
  readonly l2Http?: string | undefined;
  /** See {@linkcode DriverConfig.l2Auth}. */
  readonly l2Auth?: string | undefined;
  /** See {@linkcode DriverConfig.jwtSecretPath}. */
  readonly jwtSecretPath?: string | undefined;
  /** See {@linkcode DriverConfig.inboxAddress}. */
  readonly inboxAddress?: string | undefined;
  /** See {@linkcode DriverConfig.l1Beacon}. */
  readonly l1Beacon?: string | undefined;
  /** See {@linkcode DriverConfig.blobServer}. */
  readonly blobServer?: string | undefined;
  /** See {@linkcode DriverConfig.chainOverrides}. */
  readonly chainOverrides?: ShastaChainOverrides | undefined;
  /** See {@linkcode DriverConfig.httpTimeoutMs}. */
  readonly httpTimeoutMs?: number | undefined;
}

/** How a configuration error names each field (the CLI passes its flag names). */
export type DriverConfigLabels = { readonly [K in keyof DriverConfig]?: string };

/** Options of {@linkcode validateDriverConfig}. */
export interface ValidateDriverConfigOptions {
  /**
   * The name each error uses for a field.
   * @default {undefined} `driver.<field>`
   */
  readonly labels?: DriverConfigLabels;
}

/**
 * Checks raw driver settings and returns a typed {@linkcode DriverConfig}: URLs parse and use the
 * right scheme (L1 `ws`/`wss`, the rest `http`/`https`), the inbox is an address, and the JWT file
 * can be read and holds 32 bytes of hex.
 *
 * @example Validate settings read from the environment
 * ```ts ignore
 * const config = validateDriverConfig({
 *   l1Ws: "ws://127.0.0.1:8546",
 *   l2Http: "http://127.0.0.1:28545",
 *   l2Auth: "http://127.0.0.1:28551",
 *   jwtSecretPath: "./jwt.hex",
 *   inboxAddress: "0x0000000000000000000000000000000000000001",
 *   l1Beacon: "http://127.0.0.1:5052",
 * });
 * ```
 *
 * @param raw The unchecked settings.
 * @param options How errors name the fields.
 * @returns The checked configuration (the inbox address checksummed).
 * @throws {TypeError} when a required field is missing, a URL is malformed or has the wrong scheme,
 *   the inbox is not an address, or the JWT file is unreadable or not 32 bytes of hex.
 * @throws {RangeError} when `httpTimeoutMs` is not a positive integer.
 */
export function validateDriverConfig(
  raw: DriverConfigInput,
  options: ValidateDriverConfigOptions = {},
): DriverConfig {
  const label = (field: keyof DriverConfig): string => options.labels?.[field] ?? `driver.${field}`;
  const l1WsText = required(raw.l1Ws, label("l1Ws"));
  const l2HttpText = required(raw.l2Http, label("l2Http"));
  const l2AuthText = required(raw.l2Auth, label("l2Auth"));
  const jwtPathText = required(raw.jwtSecretPath, label("jwtSecretPath"));
  const inboxText = required(raw.inboxAddress, label("inboxAddress"));
  const l1BeaconText = required(raw.l1Beacon, label("l1Beacon"));
  const l1Ws = checkUrl(l1WsText, label("l1Ws"), WS_SCHEMES);
  const l2Http = checkUrl(l2HttpText, label("l2Http"), HTTP_SCHEMES);
  const l2Auth = checkUrl(l2AuthText, label("l2Auth"), HTTP_SCHEMES);
  const jwtSecretPath = checkJwtSecretFile(jwtPathText, label("jwtSecretPath"));
  const inboxAddress = parseAddress(inboxText, label("inboxAddress"));
  const l1Beacon = checkUrl(l1BeaconText, label("l1Beacon"), HTTP_SCHEMES);
  const config: {
    -readonly [K in keyof DriverConfig]: DriverConfig[K];
  } = { l1Ws, l2Http, l2Auth, jwtSecretPath, inboxAddress, l1Beacon };
  if (raw.blobServer !== undefined && raw.blobServer.trim() !== "") {
    config.blobServer = checkUrl(raw.blobServer, label("blobServer"), HTTP_SCHEMES);
  }
  if (raw.chainOverrides !== undefined) config.chainOverrides = raw.chainOverrides;
  if (raw.httpTimeoutMs !== undefined) {
    if (!Number.isSafeInteger(raw.httpTimeoutMs) || raw.httpTimeoutMs <= 0) {
      throw new RangeError(
        `Cannot use ${
          label("httpTimeoutMs")
        } "${raw.httpTimeoutMs}": expected a positive number of milliseconds`,
      );
    }
    config.httpTimeoutMs = raw.httpTimeoutMs;
  }
  return config;
}

const WS_SCHEMES = ["ws:", "wss:"] as const;
const HTTP_SCHEMES = ["http:", "https:"] as const;

function required(value: unknown, label: string): string {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    throw new TypeError(`Cannot start without ${label}: a value is required`);
  }
  if (typeof value !== "string") {
    throw new TypeError(`Cannot use ${label}: expected a string, got ${typeof value}`);
  }
  return value.trim();
}

/** Drops user info, query and fragment (where credentials and API keys sit) so a URL can be printed. */
function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.username === "" && url.password === "" && url.search === "" && url.hash === "") return text;
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.href;
  } catch {
    return text.replace(/\/\/[^/@]*@/, "//").replace(/[?#].*$/, "");
  }
}

function checkUrl(text: string, label: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new TypeError(`Cannot use ${label} "${redactUrl(text)}": not a valid URL`, { cause });
  }
  if (!schemes.includes(url.protocol)) {
    const expected = schemes.map((s) => s.replace(":", "://")).join(" or ");
    throw new TypeError(
      `Cannot use ${label} "${redactUrl(text)}": expected a ${expected} URL, got ${
        url.protocol.replace(":", "://")
      }`,
    );
  }
  if (url.hostname === "") {
    throw new TypeError(`Cannot use ${label} "${redactUrl(text)}": the URL has no host`);
  }
  return text;
}

function checkJwtSecretFile(path: string, label: string): string {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.name : "unknown error";
    throw new TypeError(
      `Cannot use ${label} "${path}": the file cannot be read (${reason}), check the path`,
      {
        cause,
      },
    );
  }
  try {
    parseJwtSecret(text, path);
  } catch (cause) {
    throw new TypeError(
      `Cannot use ${label} "${path}": the file does not hold 32 bytes of hex, write one with "openssl rand -hex 32"`,
      { cause },
    );
  }
  return path;
}
