/**
 * The runner's configuration: the driver's settings, the P2P network, the optional preconfirmation
 * JSON-RPC server and metrics endpoint. Each part has defaults (spec/p2p.md 8.2, spec/driver.md 1.2)
 * and a `validate*` function that the CLI and library users share, so both get the same errors.
 *
 * @module
 */
import { isIP } from "node:net";
import { multiaddr } from "@multiformats/multiaddr";
import { peerIdFromString } from "@libp2p/peer-id";
import { isHex } from "viem";
import { parseAddress } from "../internal/address.ts";
import type { Address, DriverConfig, Hex } from "../driver/mod.ts";
import { MAX_TXLIST_BYTES } from "./p2p/wire/constants.ts";
import { DEFAULT_SIGNING_DOMAIN } from "./p2p/wire/signing.ts";

/** Where the P2P node listens by default (the reference's `0.0.0.0:9000`). */
export const DEFAULT_P2P_LISTEN_ADDRESS = "/ip4/0.0.0.0/tcp/9000";
/** Deadline of one request/response exchange with a peer (spec/p2p.md 8.2). */
export const DEFAULT_P2P_REQUEST_TIMEOUT_MS = 10_000;
/** Host the preconfirmation JSON-RPC server binds by default: loopback, the sidecar runs beside us. */
export const DEFAULT_PRECONF_RPC_HOSTNAME = "127.0.0.1";
/** Port of the preconfirmation JSON-RPC server by default (spec/p2p.md 8.3). */
export const DEFAULT_PRECONF_RPC_PORT = 8550;
/**
 * Largest JSON-RPC request body the server reads: a maximal txlist hex-encoded (two characters per
 * byte plus `0x`) with 128 KiB for the commitment and the envelope (lesson R-3: a 4 MiB cap refused
 * maximal blocks).
 */
export const DEFAULT_PRECONF_RPC_MAX_BODY_BYTES: number = 2 * MAX_TXLIST_BYTES + 2 + 128 * 1024;
/** Most JSON-RPC requests served at once (lesson R-3). */
export const DEFAULT_PRECONF_RPC_MAX_CONNECTIONS = 64;
/** Host of the metrics endpoint by default (the reference's `--metrics.addr`). */
export const DEFAULT_METRICS_HOSTNAME = "0.0.0.0";
/** Port of the metrics endpoint by default (the reference's `--metrics.port`). */
export const DEFAULT_METRICS_PORT = 9090;
/** How long the runner waits for one part to stop before it moves on to the next. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** The libp2p network of preconfirmations (user-facing settings). */
export interface P2pConfig {
  /** TCP multiaddrs to listen on, e.g. `/ip4/0.0.0.0/tcp/9000`. */
  readonly listenAddresses: readonly string[];
  /** Multiaddrs (with `/p2p/<peer id>`) of nodes to learn peers from when discovery is on. */
  readonly bootnodes: readonly string[];
  /** Multiaddrs (with `/p2p/<peer id>`) dialled at start and redialled when they drop. */
  readonly staticPeers: readonly string[];
  /** Whether to look for peers beyond the static ones (through the bootnodes). */
  readonly discoveryEnabled: boolean;
  /** File holding the node's private key; created on first start. Unset: a new identity every start. */
  readonly nodeKeyPath?: string;
  /** The slasher every commitment must name; commitments naming another are rejected. */
  readonly slasherAddress: Address;
  /** The 32-byte domain that prefixes every commitment's signing hash; one per network. */
  readonly signingDomain: Hex;
  /** Deadline of one request/response exchange, in milliseconds. */
  readonly requestTimeoutMs: number;
}

/** The JSON-RPC server a preconfer sidecar publishes commitments and txlists through. */
export interface PreconfRpcServerConfig {
  /** Interface to bind. */
  readonly hostname: string;
  /** TCP port (0 picks a free one). */
  readonly port: number;
  /** Largest request body read, in bytes. */
  readonly maxBodyBytes: number;
  /** Most connections served at once. */
  readonly maxConnections: number;
}

/** The Prometheus text endpoint (`GET /metrics`). */
export interface MetricsServerConfig {
  /** Interface to bind. */
  readonly hostname: string;
  /** TCP port (0 picks a free one). */
  readonly port: number;
}

/** Everything a {@linkcode PreconfirmationDriverRunner} needs. */
export interface RunnerConfig {
  /** How to reach L1, L2, the engine and the beacon node. */
  readonly driver: DriverConfig;
  /** The P2P network. */
  readonly p2p: P2pConfig;
  /** The preconfirmation JSON-RPC server; unset: no server. */
  readonly rpc?: PreconfRpcServerConfig;
  /** The metrics endpoint; unset: no endpoint (metrics are not collected). */
  readonly metrics?: MetricsServerConfig;
  /**
   * How long to wait for each part to stop, in milliseconds.
   * @default {DEFAULT_STOP_TIMEOUT_MS}
   */
  readonly stopTimeoutMs?: number;
  /**
   * How often free heap pages go back to the system (glibc `malloc_trim`, needs the `ffi`
   * permission), in milliseconds; 0 never.
   * @default {MEMORY_TRIM_INTERVAL_MS}
   */
  readonly memoryTrimIntervalMs?: number;
}

/** Unchecked P2P settings, as they come from flags, the environment or a file. */
export interface P2pConfigInput {
  /** Multiaddrs or `host:port` TCP addresses. @default {[DEFAULT_P2P_LISTEN_ADDRESS]} */
  readonly listenAddresses?: readonly string[] | undefined;
  /** See {@linkcode P2pConfig.bootnodes}. @default {[]} */
  readonly bootnodes?: readonly string[] | undefined;
  /** See {@linkcode P2pConfig.staticPeers}. @default {[]} */
  readonly staticPeers?: readonly string[] | undefined;
  /** See {@linkcode P2pConfig.discoveryEnabled}. @default {true} */
  readonly discoveryEnabled?: boolean | undefined;
  /** See {@linkcode P2pConfig.nodeKeyPath}. @default {undefined} */
  readonly nodeKeyPath?: string | undefined;
  /** See {@linkcode P2pConfig.slasherAddress}; required. */
  readonly slasherAddress?: string | undefined;
  /** See {@linkcode P2pConfig.signingDomain}. @default {DEFAULT_SIGNING_DOMAIN} */
  readonly signingDomain?: string | undefined;
  /** See {@linkcode P2pConfig.requestTimeoutMs}. @default {DEFAULT_P2P_REQUEST_TIMEOUT_MS} */
  readonly requestTimeoutMs?: number | undefined;
}

/** Unchecked JSON-RPC server settings: either `address` (`host:port`) or `hostname` and `port`. */
export interface PreconfRpcServerConfigInput {
  /** `host:port`, e.g. `127.0.0.1:8550` or `[::1]:8550`. @default {undefined} */
  readonly address?: string | undefined;
  /** See {@linkcode PreconfRpcServerConfig.hostname}. @default {DEFAULT_PRECONF_RPC_HOSTNAME} */
  readonly hostname?: string | undefined;
  /** See {@linkcode PreconfRpcServerConfig.port}; text must be a whole number. @default {DEFAULT_PRECONF_RPC_PORT} */
  readonly port?: number | string | undefined;
  /** See {@linkcode PreconfRpcServerConfig.maxBodyBytes}. @default {DEFAULT_PRECONF_RPC_MAX_BODY_BYTES} */
  readonly maxBodyBytes?: number | undefined;
  /** See {@linkcode PreconfRpcServerConfig.maxConnections}. @default {DEFAULT_PRECONF_RPC_MAX_CONNECTIONS} */
  readonly maxConnections?: number | undefined;
}

/** Unchecked metrics endpoint settings. */
export interface MetricsServerConfigInput {
  /** See {@linkcode MetricsServerConfig.hostname}. @default {DEFAULT_METRICS_HOSTNAME} */
  readonly hostname?: string | undefined;
  /** See {@linkcode MetricsServerConfig.port}; text must be a whole number. @default {DEFAULT_METRICS_PORT} */
  readonly port?: number | string | undefined;
}

/** Options of the `validate*` functions. */
export interface ValidateConfigOptions<T> {
  /**
   * The name each error uses for a field (the CLI passes its flag names).
   * @default {undefined} `<part>.<field>`
   */
  readonly labels?: { readonly [K in keyof T]?: string };
}

/**
 * Checks raw P2P settings, fills in the defaults and returns a typed {@linkcode P2pConfig}.
 *
 * @example
 * ```ts
 * import { validateP2pConfig } from "./config.ts";
 * const p2p = validateP2pConfig({ slasherAddress: "0x00000000000000000000000000000000000000aa" });
 * if (p2p.listenAddresses[0] !== "/ip4/0.0.0.0/tcp/9000") throw new Error("unexpected default");
 * ```
 *
 * @param raw The unchecked settings.
 * @param options How errors name the fields.
 * @returns The checked configuration.
 * @throws {TypeError} when the slasher is missing or not an address, the signing domain is not 32
 *   bytes of hex, or a listen address, bootnode or static peer is not a usable TCP multiaddr.
 * @throws {RangeError} when a port or the request timeout is out of range.
 */
export function validateP2pConfig(
  raw: P2pConfigInput,
  options: ValidateConfigOptions<P2pConfig> = {},
): P2pConfig {
  const label = (field: keyof P2pConfig): string => options.labels?.[field] ?? `p2p.${field}`;
  const listenInput = raw.listenAddresses ?? [DEFAULT_P2P_LISTEN_ADDRESS];
  if (listenInput.length === 0) {
    throw new TypeError(`Cannot start without ${label("listenAddresses")}: at least one address is required`);
  }
  const listenAddresses = listenInput.map((text) => checkListenAddress(text, label("listenAddresses")));
  const bootnodes = (raw.bootnodes ?? []).map((text) => checkPeerAddress(text, label("bootnodes")));
  const staticPeers = (raw.staticPeers ?? []).map((text) => checkPeerAddress(text, label("staticPeers")));
  const slasherText = raw.slasherAddress?.trim() ?? "";
  if (slasherText === "") {
    throw new TypeError(`Cannot start without ${label("slasherAddress")}: a value is required`);
  }
  const slasherAddress = parseAddress(slasherText, label("slasherAddress"));
  const signingDomain = checkSigningDomain(
    raw.signingDomain ?? DEFAULT_SIGNING_DOMAIN,
    label("signingDomain"),
  );
  const requestTimeoutMs = raw.requestTimeoutMs ?? DEFAULT_P2P_REQUEST_TIMEOUT_MS;
  checkPositiveInteger(requestTimeoutMs, label("requestTimeoutMs"), "milliseconds");
  const config: { -readonly [K in keyof P2pConfig]: P2pConfig[K] } = {
    listenAddresses,
    bootnodes,
    staticPeers,
    discoveryEnabled: raw.discoveryEnabled ?? true,
    slasherAddress,
    signingDomain,
    requestTimeoutMs,
  };
  const keyPath = raw.nodeKeyPath?.trim() ?? "";
  if (keyPath !== "") config.nodeKeyPath = keyPath;
  return config;
}

/**
 * Checks raw JSON-RPC server settings and fills in the defaults (`127.0.0.1:8550`).
 *
 * @example
 * ```ts
 * import { validatePreconfRpcServerConfig } from "./config.ts";
 * const rpc = validatePreconfRpcServerConfig({ address: "127.0.0.1:0" });
 * if (rpc.port !== 0) throw new Error("unexpected port");
 * ```
 *
 * @param raw The unchecked settings.
 * @param options How errors name the fields (`address` names the `host:port` form).
 * @returns The checked configuration.
 * @throws {TypeError} when the address is malformed, or both `address` and `hostname`/`port` are set.
 * @throws {RangeError} when the port or a limit is out of range.
 */
export function validatePreconfRpcServerConfig(
  raw: PreconfRpcServerConfigInput,
  options: ValidateConfigOptions<PreconfRpcServerConfigInput> = {},
): PreconfRpcServerConfig {
  const label = (field: keyof PreconfRpcServerConfigInput): string =>
    options.labels?.[field] ?? `rpc.${field}`;
  let hostname = raw.hostname ?? DEFAULT_PRECONF_RPC_HOSTNAME;
  let port = parsePort(raw.port ?? DEFAULT_PRECONF_RPC_PORT, label("port"));
  if (raw.address !== undefined) {
    if (raw.hostname !== undefined || raw.port !== undefined) {
      throw new TypeError(
        `Cannot use ${label("address")}: set either the address or hostname and port, not both`,
      );
    }
    ({ hostname, port } = parseSocketAddress(raw.address, label("address")));
  }
  checkHostname(hostname, label("hostname"));
  const maxBodyBytes = raw.maxBodyBytes ?? DEFAULT_PRECONF_RPC_MAX_BODY_BYTES;
  checkPositiveInteger(maxBodyBytes, label("maxBodyBytes"), "bytes");
  const maxConnections = raw.maxConnections ?? DEFAULT_PRECONF_RPC_MAX_CONNECTIONS;
  checkPositiveInteger(maxConnections, label("maxConnections"), "connections");
  return { hostname, port, maxBodyBytes, maxConnections };
}

/**
 * Checks raw metrics endpoint settings and fills in the defaults (`0.0.0.0:9090`).
 *
 * @param raw The unchecked settings.
 * @param options How errors name the fields.
 * @returns The checked configuration.
 * @throws {TypeError} when the hostname is empty or malformed.
 * @throws {RangeError} when the port is out of range.
 */
export function validateMetricsServerConfig(
  raw: MetricsServerConfigInput,
  options: ValidateConfigOptions<MetricsServerConfig> = {},
): MetricsServerConfig {
  const label = (field: keyof MetricsServerConfig): string => options.labels?.[field] ?? `metrics.${field}`;
  const hostname = raw.hostname ?? DEFAULT_METRICS_HOSTNAME;
  const port = parsePort(raw.port ?? DEFAULT_METRICS_PORT, label("port"));
  checkHostname(hostname, label("hostname"));
  return { hostname, port };
}

/**
 * Checks that a runner configuration is complete and its own numbers are in range. The parts are
 * expected to come from the `validate*` functions.
 *
 * @param config The configuration.
 * @returns The same configuration.
 * @throws {TypeError} when `driver` or `p2p` is missing.
 * @throws {RangeError} when `stopTimeoutMs` is not a positive integer or `memoryTrimIntervalMs` is
 *   not a whole number.
 */
export function validateRunnerConfig(config: RunnerConfig): RunnerConfig {
  if (typeof config?.driver !== "object" || config.driver === null) {
    throw new TypeError(
      "Cannot create the runner: config.driver is missing, build it with validateDriverConfig()",
    );
  }
  if (typeof config.p2p !== "object" || config.p2p === null) {
    throw new TypeError("Cannot create the runner: config.p2p is missing, build it with validateP2pConfig()");
  }
  if (config.stopTimeoutMs !== undefined) {
    checkPositiveInteger(config.stopTimeoutMs, "config.stopTimeoutMs", "milliseconds");
  }
  if (config.memoryTrimIntervalMs !== undefined) {
    parseMemoryTrimIntervalMs(config.memoryTrimIntervalMs, "config.memoryTrimIntervalMs");
  }
  return config;
}

/**
 * Reads a memory trim interval: a whole number of milliseconds, 0 for never.
 *
 * @example
 * ```ts
 * import { parseMemoryTrimIntervalMs } from "./config.ts";
 * if (parseMemoryTrimIntervalMs("1000", "--memory.trim-interval") !== 1000) throw new Error("unexpected");
 * ```
 *
 * @param value The interval, as a number or as decimal text.
 * @param label How errors name the value.
 * @returns The interval in milliseconds.
 * @throws {TypeError} when text is not a whole number.
 * @throws {RangeError} when the number is negative, fractional or above 2^53 - 1.
 */
export function parseMemoryTrimIntervalMs(value: number | string, label: string): number {
  if (typeof value === "string" && !/^\s*[0-9]+\s*$/.test(value)) {
    throw new TypeError(
      `Cannot use ${label} "${value}": expected a whole number of milliseconds, 0 to never trim`,
    );
  }
  const interval = Number(value);
  if (!Number.isSafeInteger(interval) || interval < 0) {
    throw new RangeError(
      `Cannot use ${label} "${value}": expected a whole number of milliseconds, 0 to never trim`,
    );
  }
  return interval;
}

/**
 * Parses `host:port` (`[v6]:port` for IPv6).
 *
 * @param text The address.
 * @param label How errors name the value.
 * @returns The host (brackets removed) and the port.
 * @throws {TypeError} when the text is not `host:port`.
 * @throws {RangeError} when the port is out of range.
 */
export function parseSocketAddress(text: string, label: string): { hostname: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/]+)):([0-9]+)$/.exec(text.trim());
  if (match === null) {
    throw new TypeError(
      `Cannot use ${label} "${text}": expected host:port, e.g. 127.0.0.1:8550 or [::1]:8550`,
    );
  }
  const hostname = (match[1] ?? match[2]) as string;
  const port = Number(match[3]);
  if (port > MAX_PORT) {
    throw new RangeError(`Cannot use ${label} "${text}": the port must be from 0 to ${MAX_PORT}`);
  }
  return { hostname, port };
}

const MAX_PORT = 65_535;

/** A port given as a number or as decimal text. */
function parsePort(value: number | string, label: string): number {
  const port = typeof value === "string" && /^\s*[0-9]+\s*$/.test(value) ? Number(value) : value;
  if (typeof port !== "number" || !Number.isInteger(port)) {
    throw new TypeError(`Cannot use ${label} "${value}": expected a port number from 0 to ${MAX_PORT}`);
  }
  if (port < 0 || port > MAX_PORT) {
    throw new RangeError(`Cannot use ${label} "${value}": the port must be from 0 to ${MAX_PORT}`);
  }
  return port;
}

function checkHostname(hostname: string, label: string): void {
  if (hostname === "" || /[\s/[\]@]/.test(hostname)) {
    throw new TypeError(`Cannot use ${label} "${hostname}": expected an IP address or a host name`);
  }
}

function checkPositiveInteger(value: number, label: string, unit: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Cannot use ${label} "${value}": expected a positive whole number of ${unit}`);
  }
}

function checkSigningDomain(text: string, label: string): Hex {
  const value = text.trim();
  if (!isHex(value, { strict: true }) || value.length !== 66) {
    throw new TypeError(
      `Cannot use ${label} "${value}": expected 32 bytes of hex (0x followed by 64 hex digits)`,
    );
  }
  return value.toLowerCase() as Hex;
}

/** Accepts a TCP multiaddr or the reference's `ip:port` form; returns the multiaddr. */
function checkListenAddress(text: string, label: string): string {
  const value = text.trim();
  if (!value.startsWith("/")) {
    const { hostname, port } = parseSocketAddress(value, label);
    const family = isIP(hostname);
    if (family === 0) {
      throw new TypeError(`Cannot use ${label} "${value}": the host must be an IP address to listen on`);
    }
    return `/ip${family}/${hostname}/tcp/${port}`;
  }
  const components = parseMultiaddr(value, label);
  const [ip, tcp, ...rest] = components;
  if ((ip?.name !== "ip4" && ip?.name !== "ip6") || tcp?.name !== "tcp" || rest.length > 0) {
    throw new TypeError(
      `Cannot use ${label} "${value}": expected /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>`,
    );
  }
  return value;
}

/** Accepts a dialable TCP multiaddr that names the peer (`/p2p/<peer id>`). */
function checkPeerAddress(text: string, label: string): string {
  const value = text.trim();
  const components = parseMultiaddr(value, label);
  const last = components.at(-1);
  if (last?.name !== "p2p" || last.value === undefined) {
    throw new TypeError(`Cannot use ${label} "${value}": the multiaddr must end with /p2p/<peer id>`);
  }
  try {
    peerIdFromString(last.value);
  } catch (cause) {
    throw new TypeError(`Cannot use ${label} "${value}": "${last.value}" is not a valid peer id`, { cause });
  }
  if (!components.some((c) => c.name === "tcp")) {
    throw new TypeError(`Cannot use ${label} "${value}": only TCP is supported, add /tcp/<port>`);
  }
  return value;
}

function parseMultiaddr(value: string, label: string): { name: string; value?: string }[] {
  try {
    return multiaddr(value).getComponents();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`Cannot use ${label} "${value}": not a valid multiaddr (${reason})`, { cause });
  }
}
