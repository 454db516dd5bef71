/**
 * The beacon API reads of the driver (spec/driver.md section 2.6): genesis time and slot length once
 * at start, then blob sidecars by slot. Every request has a deadline and a body cap.
 *
 * @module
 */
import type { Hex } from "../hex.ts";
import { DriverError } from "../errors.ts";
import { DEFAULT_HTTP_TIMEOUT_MS, getJson } from "./http_json.ts";
import { redactUrl } from "./rpc_errors.ts";

/** Size of one blob, in bytes. */
export const BLOB_SIZE_BYTES = 131_072;
/** Size of a KZG commitment, in bytes. */
export const KZG_COMMITMENT_BYTES = 48;
/** Largest beacon response body accepted, in bytes (room for 64 hex-encoded blobs). */
export const DEFAULT_BEACON_MAX_BODY_BYTES = 64 * (2 * BLOB_SIZE_BYTES + 1024);
/** Largest genesis or spec body accepted, in bytes. */
export const BEACON_MAX_SMALL_BODY_BYTES = 1024 * 1024;

/** One blob with its commitment, as served by the beacon API or a blob server. */
export interface BlobSidecar {
  /** The 131072-byte blob. */
  readonly blob: Uint8Array;
  /** The 48-byte KZG commitment. */
  readonly kzgCommitment: Hex;
}

/** Tuning of {@linkcode createBeaconClient}. */
export interface BeaconClientOptions {
  /**
   * Deadline of one request, in milliseconds.
   * @default {DEFAULT_HTTP_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /**
   * Largest sidecar response accepted, in bytes.
   * @default {DEFAULT_BEACON_MAX_BODY_BYTES}
   */
  readonly maxBodyBytes?: number;
  /**
   * Aborts the start-up reads.
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/** Beacon reads used for blob retrieval. */
export interface BeaconClient {
  /** The endpoint, with credentials removed. */
  readonly url: string;
  /** Beacon genesis time, in unix seconds. */
  readonly genesisTime: bigint;
  /** Slot length, in seconds. */
  readonly secondsPerSlot: bigint;
  /**
   * The slot holding `timestamp`: `(timestamp - genesisTime) / secondsPerSlot`.
   *
   * @param timestamp Unix seconds.
   * @returns The slot.
   * @throws {RangeError} When the timestamp is before genesis.
   */
  slotOf(timestamp: bigint): bigint;
  /**
   * `GET /eth/v1/beacon/blob_sidecars/{slot}`.
   *
   * @param slot The slot.
   * @param options Aborts the request.
   * @returns The sidecars, each with a blob of exactly 131072 bytes.
   * @throws {DriverError} kind `Rpc` on a failed request or a malformed body (the route is named).
   */
  blobSidecars(slot: bigint, options?: { signal?: AbortSignal }): Promise<BlobSidecar[]>;
}

/**
 * Connects to a beacon endpoint: reads `/eth/v1/beacon/genesis` and `/eth/v1/config/spec`.
 *
 * @example
 * ```ts ignore
 * import { createBeaconClient } from "./beacon_client.ts";
 * const beacon = await createBeaconClient("http://127.0.0.1:5052");
 * const sidecars = await beacon.blobSidecars(beacon.slotOf(1_700_000_000n));
 * ```
 *
 * @param baseUrl The beacon API base URL (any path prefix is dropped, as in the reference).
 * @param options Deadline, body cap and signal.
 * @returns The client.
 * @throws {TypeError} When the URL does not parse.
 * @throws {DriverError} kind `Rpc` when either start-up read fails or is malformed.
 */
export async function createBeaconClient(
  baseUrl: string,
  options: BeaconClientOptions = {},
): Promise<BeaconClient> {
  if (!URL.canParse(baseUrl)) {
    throw new TypeError(`Cannot use beacon URL "${redactUrl(baseUrl)}": it does not parse`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_BEACON_MAX_BODY_BYTES;
  const shown = redactUrl(baseUrl);
  const small = { timeoutMs, maxBodyBytes: BEACON_MAX_SMALL_BODY_BYTES, ...signalOf(options.signal) };

  const genesisRoute = "/eth/v1/beacon/genesis";
  const genesis = await getJson(new URL(genesisRoute, baseUrl).href, small);
  const genesisTime = decimalField(dataOf(genesis, shown, genesisRoute), "genesis_time", shown, genesisRoute);
  const specRoute = "/eth/v1/config/spec";
  const spec = await getJson(new URL(specRoute, baseUrl).href, small);
  const secondsPerSlot = decimalField(dataOf(spec, shown, specRoute), "SECONDS_PER_SLOT", shown, specRoute);
  if (secondsPerSlot === 0n) {
    throw new DriverError("Rpc", `Cannot use beacon "${shown}": SECONDS_PER_SLOT is 0`, {
      context: { url: shown },
    });
  }

  return {
    url: shown,
    genesisTime,
    secondsPerSlot,
    slotOf(timestamp) {
      if (timestamp < genesisTime) {
        throw new RangeError(
          `Cannot compute slot of timestamp ${timestamp}: it is before genesis ${genesisTime}`,
        );
      }
      return (timestamp - genesisTime) / secondsPerSlot;
    },
    async blobSidecars(slot, callOptions = {}) {
      const route = `/eth/v1/beacon/blob_sidecars/${slot}`;
      const body = await getJson(new URL(route, baseUrl).href, {
        timeoutMs,
        maxBodyBytes,
        ...signalOf(callOptions.signal),
      });
      const data = dataOf(body, shown, route);
      if (!Array.isArray(data)) throw malformed(shown, route, "data is not a list");
      return data.map((item, index) => parseSidecar(item, shown, `${route} item ${index}`));
    },
  };
}

/**
 * Parses one blob and its commitment from a JSON object (`blob` or `data`, `kzg_commitment` or
 * `commitment`), checking both lengths.
 *
 * @param item The JSON object.
 * @param url The redacted endpoint, for the message.
 * @param route The route, for the message.
 * @returns The sidecar.
 * @throws {DriverError} kind `Rpc` naming the route when a field is missing or has the wrong length.
 */
export function parseSidecar(item: unknown, url: string, route: string): BlobSidecar {
  if (typeof item !== "object" || item === null) throw malformed(url, route, "sidecar is not an object");
  const record = item as Record<string, unknown>;
  const blobHex = record.blob ?? record.data;
  const commitment = record.kzg_commitment ?? record.commitment;
  // A blob is 256 KiB of hex: it is decoded natively, which also checks the digits and accepts
  // either case (lower-casing, a pattern test and viem's hexToBytes took about 3 ms per blob here).
  const blob = typeof blobHex === "string" ? decodeHex(paddedDigits(blobHex)) : null;
  if (blob === null) throw malformed(url, route, "blob is missing");
  const kzgCommitment = typeof commitment === "string" ? normaliseHex(commitment) : null;
  if (kzgCommitment === null || decodeHex(kzgCommitment.slice(2)) === null) {
    throw malformed(url, route, "commitment is missing");
  }
  if (blob.length !== BLOB_SIZE_BYTES) {
    throw malformed(url, route, `blob has ${blob.length} bytes, expected ${BLOB_SIZE_BYTES}`);
  }
  if ((kzgCommitment.length - 2) / 2 !== KZG_COMMITMENT_BYTES) {
    throw malformed(url, route, `commitment is not ${KZG_COMMITMENT_BYTES} bytes`);
  }
  return { blob, kzgCommitment };
}

/** Adds `0x` when missing and left-pads an odd-length digit string, as the reference parser does. */
function normaliseHex(text: string): Hex {
  return `0x${paddedDigits(text).toLowerCase()}`;
}

/** The bytes of even-length hex digits (either case), or `null` when a character is not a hex digit. */
function decodeHex(digits: string): Uint8Array | null {
  try {
    return Uint8Array.fromHex(digits);
  } catch {
    return null;
  }
}

/** The digits of `text` without `0x`, left-padded to even length, in their own case. */
function paddedDigits(text: string): string {
  const digits = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  return digits.length % 2 === 0 ? digits : `0${digits}`;
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function dataOf(body: unknown, url: string, route: string): unknown {
  if (typeof body !== "object" || body === null || !("data" in body)) {
    throw malformed(url, route, "the response has no data field");
  }
  return (body as { data: unknown }).data;
}

function decimalField(data: unknown, field: string, url: string, route: string): bigint {
  const value = typeof data === "object" && data !== null
    ? (data as Record<string, unknown>)[field]
    : undefined;
  if (typeof value !== "string" || !/^[0-9]{1,20}$/.test(value)) {
    throw malformed(url, route, `${field} is not a decimal string`);
  }
  return BigInt(value);
}

function malformed(url: string, route: string, what: string): DriverError {
  return new DriverError("Rpc", `Cannot read "${route}" from "${url}": ${what}`, { context: { url } });
}
