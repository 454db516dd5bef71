/**
 * Reads the beacon chain's genesis time, the origin of the L1 slot and epoch maths (lesson K-3,
 * #21330): custom chains work without a table of known networks.
 *
 * @module
 */
import { PreconfError } from "../errors.ts";

/** How long the genesis request may take. */
export const BEACON_GENESIS_TIMEOUT_MS = 12_000;
/** The largest genesis response read; the real one is a few hundred bytes. */
export const BEACON_GENESIS_MAX_BODY_BYTES = 64 * 1024;

/**
 * Fetches `GET /eth/v1/beacon/genesis` and returns `data.genesis_time`.
 *
 * @param beaconUrl The beacon API base URL (any path on it is ignored, as in the driver).
 * @param options Abort signal and deadline.
 * @returns The genesis time in seconds.
 * @throws {PreconfError} `LookaheadRpc` when the request fails, times out or the answer is malformed.
 */
export async function fetchBeaconGenesisTime(
  beaconUrl: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<bigint> {
  const url = new URL("/eth/v1/beacon/genesis", beaconUrl);
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? BEACON_GENESIS_TIMEOUT_MS);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let text: string;
  try {
    const response = await fetch(url, { signal, headers: { accept: "application/json" } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    const length = Number(response.headers.get("content-length") ?? "0");
    if (length > BEACON_GENESIS_MAX_BODY_BYTES) {
      await response.body?.cancel();
      throw new Error(`body of ${length} bytes exceeds ${BEACON_GENESIS_MAX_BODY_BYTES}`);
    }
    text = await response.text();
  } catch (cause) {
    throw new PreconfError(
      "LookaheadRpc",
      `Cannot read beacon genesis "${shown}": ${describe(cause)}, check the beacon URL`,
      {
        cause,
      },
    );
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { data?: { genesis_time?: unknown } }).data?.genesis_time;
  } catch (cause) {
    throw new PreconfError("LookaheadRpc", `Cannot read beacon genesis "${shown}": the body is not JSON`, {
      cause,
    });
  }
  if (typeof value !== "string" || !/^\d{1,20}$/.test(value)) {
    throw new PreconfError(
      "LookaheadRpc",
      `Cannot read beacon genesis "${shown}": data.genesis_time must be a decimal string, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return BigInt(value);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
