/**
 * Blob retrieval for derivation sources (spec/driver.md section 2.7): beacon sidecars for the
 * slot of the source's timestamp first, then a blob server. Every blob is bound to its requested
 * versioned hash through its commitment; with a KZG backend the commitment is also recomputed from
 * the blob, so a lying server cannot substitute data.
 *
 * @module
 */
import { bytesToHex, commitmentToVersionedHash } from "viem";
import type { Hash } from "../hex.ts";
import { DriverError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import { type BeaconClient, type BlobSidecar, parseSidecar } from "./beacon_client.ts";
import { DEFAULT_HTTP_TIMEOUT_MS, getJson } from "./http_json.ts";
import { redactUrl } from "./rpc_errors.ts";

/** Largest blob-server response accepted per blob, in bytes. */
export const DEFAULT_BLOB_SERVER_MAX_BODY_BYTES = 2 * 131_072 + 16 * 1024;
/** Most versioned hashes one source may reference (a proposal carries at most a few dozen blobs). */
export const MAX_BLOBS_PER_SOURCE = 64;

/** The one KZG operation the blob source uses (viem's `Kzg` has it). */
export interface BlobCommitter {
  /** Computes the KZG commitment of a blob. */
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
}

/** Tuning of {@linkcode createBlobSource}. */
export interface BlobSourceOptions {
  /**
   * Base URL of a blob server used when the beacon cannot serve a source.
   * @default {undefined}
   */
  readonly blobServerUrl?: string;
  /**
   * Deadline of one blob-server request, in milliseconds.
   * @default {DEFAULT_HTTP_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /**
   * Largest blob-server body accepted, in bytes.
   * @default {DEFAULT_BLOB_SERVER_MAX_BODY_BYTES}
   */
  readonly maxBodyBytes?: number;
  /**
   * Recomputes each blob's commitment when given; without it only the commitment is checked against
   * the versioned hash (as the reference does).
   * @default {undefined}
   */
  readonly kzg?: BlobCommitter;
}

/** Where blobs come from. */
export interface BlobSource {
  /**
   * Fetches the blobs of one source, in the order of `versionedHashes`.
   *
   * @param timestamp The source's `blobSlice.timestamp` (locates the beacon slot).
   * @param versionedHashes The requested versioned hashes.
   * @param options Aborts the requests.
   * @returns One 131072-byte blob per hash.
   * @throws {DriverError} kind `BlobUnavailable` when no source can serve every hash (transient).
   */
  getBlobs(
    timestamp: bigint,
    versionedHashes: readonly Hash[],
    options?: { signal?: AbortSignal },
  ): Promise<Uint8Array[]>;
}

const log = driverLogger("blobs");

/**
 * Creates a blob source over a beacon client and an optional blob server.
 *
 * @example
 * ```ts ignore
 * import { createBeaconClient } from "./beacon_client.ts";
 * import { createBlobSource } from "./blob_source.ts";
 * const blobs = createBlobSource({ beacon: await createBeaconClient("http://127.0.0.1:5052") });
 * ```
 *
 * @param deps The beacon client, or `null` to use only the blob server.
 * @param options Blob server, deadlines, caps and an optional KZG backend.
 * @returns The blob source.
 * @throws {TypeError} When the blob-server URL does not parse.
 */
export function createBlobSource(
  deps: { beacon: BeaconClient | null },
  options: BlobSourceOptions = {},
): BlobSource {
  const serverUrl = options.blobServerUrl;
  if (serverUrl !== undefined && !URL.canParse(serverUrl)) {
    throw new TypeError(`Cannot use blob server URL "${redactUrl(serverUrl)}": it does not parse`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_BLOB_SERVER_MAX_BODY_BYTES;

  function verified(sidecar: BlobSidecar): boolean {
    if (options.kzg === undefined) return true;
    return bytesToHex(options.kzg.blobToKzgCommitment(sidecar.blob)) === sidecar.kzgCommitment.toLowerCase();
  }

  /** Fills `found` with every requested blob the slot's sidecars hold (each sidecar used once). */
  async function fromBeacon(
    beacon: BeaconClient,
    timestamp: bigint,
    hashes: readonly Hash[],
    found: (Uint8Array | undefined)[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const sidecars = await beacon.blobSidecars(
      beacon.slotOf(timestamp),
      signal === undefined ? {} : { signal },
    );
    const candidates = sidecars.map((sidecar) => ({
      sidecar,
      hash: commitmentToVersionedHash({ commitment: sidecar.kzgCommitment }).toLowerCase(),
      used: false,
    }));
    for (const [index, wanted] of hashes.entries()) {
      const match = candidates.find((entry) => !entry.used && entry.hash === wanted.toLowerCase());
      if (match === undefined) continue;
      match.used = true;
      if (verified(match.sidecar)) {
        found[index] = match.sidecar.blob;
      } else {
        log.warn("beacon blob does not match its KZG commitment {versionedHash}", { versionedHash: wanted });
      }
    }
  }

  async function fromServer(
    base: string,
    wanted: Hash,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const url = `${base.replace(/\/+$/, "")}/blobs/${wanted}`;
    const shown = redactUrl(url);
    const body = await getJson(url, { timeoutMs, maxBodyBytes, ...(signal === undefined ? {} : { signal }) });
    const sidecar = parseSidecar(body, shown, "/blobs");
    const computed = commitmentToVersionedHash({ commitment: sidecar.kzgCommitment });
    if (computed.toLowerCase() !== wanted.toLowerCase()) {
      throw new DriverError(
        "BlobUnavailable",
        `Cannot use blob from "${shown}": its commitment hashes to "${computed}"`,
      );
    }
    const record = body as Record<string, unknown>;
    const reported = record.versioned_hash ?? record.versionedHash;
    if (
      typeof reported === "string" && /^0x[0-9a-fA-F]{64}$/.test(reported) &&
      reported.toLowerCase() !== wanted.toLowerCase()
    ) {
      throw new DriverError(
        "BlobUnavailable",
        `Cannot use blob from "${shown}": it reports versioned hash "${reported}"`,
      );
    }
    if (!verified(sidecar)) {
      throw new DriverError(
        "BlobUnavailable",
        `Cannot use blob from "${shown}": its KZG commitment does not match the data`,
      );
    }
    return sidecar.blob;
  }

  return {
    async getBlobs(timestamp, versionedHashes, callOptions = {}) {
      if (versionedHashes.length === 0) return [];
      if (versionedHashes.length > MAX_BLOBS_PER_SOURCE) {
        throw new RangeError(
          `Cannot fetch ${versionedHashes.length} blobs: at most ${MAX_BLOBS_PER_SOURCE} per source`,
        );
      }
      const signal = callOptions.signal;
      const failures: unknown[] = [];
      const found: (Uint8Array | undefined)[] = versionedHashes.map(() => undefined);
      if (deps.beacon !== null) {
        try {
          await fromBeacon(deps.beacon, timestamp, versionedHashes, found, signal);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          failures.push(error);
        }
      }
      const missing = versionedHashes.filter((_, index) => found[index] === undefined);
      if (missing.length === 0) return found as Uint8Array[];
      if (deps.beacon !== null) {
        log.warn("beacon cannot serve {missing} of {requested} blobs; trying the blob server", {
          timestamp,
          missing: missing.length,
          requested: versionedHashes.length,
        });
      }
      if (serverUrl !== undefined) {
        for (const [index, wanted] of versionedHashes.entries()) {
          if (found[index] !== undefined) continue;
          try {
            found[index] = await fromServer(serverUrl, wanted, signal);
          } catch (error) {
            if (signal?.aborted) throw signal.reason;
            failures.push(error);
          }
        }
        if (found.every((blob) => blob !== undefined)) return found as Uint8Array[];
      }
      const unavailable = versionedHashes.filter((_, index) => found[index] === undefined);
      const reason = deps.beacon === null && serverUrl === undefined
        ? "no beacon or blob server available for blob retrieval"
        : failures.length === 0
        ? `no source holds ${unavailable.join(", ")}`
        : failures.map(describe).join("; ");
      throw new DriverError(
        "BlobUnavailable",
        `Cannot fetch ${unavailable.length} of ${versionedHashes.length} blob(s) at timestamp ${timestamp}: ${reason}`,
        { cause: failures.at(-1) },
      );
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
