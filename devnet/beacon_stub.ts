/**
 * A beacon API stub for the devnet: anvil serves blobs but no beacon API with KZG commitments, so this
 * HTTP server on 127.0.0.1 answers the calls the driver makes (driver.md §2.6) plus the blob-server
 * endpoint of §2.7:
 *
 * - `GET /eth/v1/beacon/genesis`, `GET /eth/v1/config/spec`
 * - `GET /eth/v1/beacon/blob_sidecars/{slot}`: every blob posted to L1 in that slot
 * - `GET /eth/v2/beacon/blocks/{slot}`: the slot's last L1 block number as its execution payload
 * - `GET /blobs/{versionedHash}`: one blob with its commitment and proof
 *
 * A slot is `(timestamp - genesis) / SECONDS_PER_SLOT`, so several anvil blocks can share one slot.
 * Blobs come from {@link BeaconStub.registerSidecars} (the demo proposer registers what it posts) and,
 * when an L1 URL is given, from scanning L1 blocks for blob transactions (`anvil_getBlobsByTransactionHash`,
 * commitments and proofs recomputed with c-kzg). A slot with no L1 block, or past the head, is a 404 as
 * on a real beacon node; a slot with blocks but no blobs is an empty list.
 *
 * @module
 */
import { createPublicClient, type Hash, type Hex, hexToBytes, http, type PublicClient } from "viem";
import { type BlobSidecar, computeBlobSidecars } from "./kzg.ts";

/** Slot length the stub reports by default. */
export const DEFAULT_SECONDS_PER_SLOT = 12;
/** Slots kept in the index; the oldest slot is dropped when full. */
export const BEACON_STUB_MAX_SLOTS = 16_384;
/** Blobs kept (128 KiB each); the oldest blob is dropped when full. */
export const BEACON_STUB_MAX_BLOBS = 1_024;

/** How to start the stub. */
export interface BeaconStubOptions {
  /** `genesis_time` in unix seconds; slots count from it. */
  readonly genesisTimestamp: bigint;
  /**
   * `SECONDS_PER_SLOT`.
   * @default DEFAULT_SECONDS_PER_SLOT
   */
  readonly secondsPerSlot?: number;
  /**
   * L1 HTTP JSON-RPC endpoint (anvil) to scan for blob transactions and to know which slots have blocks;
   * `null` serves only registered blobs.
   * @default null
   */
  readonly l1Url?: string | null;
}

/** The L1 block a set of sidecars was posted in. */
export interface L1BlockRef {
  readonly number: bigint;
  readonly hash: Hash;
  readonly timestamp: bigint;
}

interface SlotEntry {
  lastBlock: L1BlockRef;
  readonly blobHashes: Hash[];
}

/** A running beacon stub. */
export class BeaconStub implements AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly genesisTimestamp: bigint;
  readonly secondsPerSlot: number;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #l1: PublicClient | null;
  readonly #slots = new Map<bigint, SlotEntry>();
  readonly #blobs = new Map<Hash, BlobSidecar>();
  #scannedThrough = -1n;
  #scanning: Promise<void> = Promise.resolve();
  #stopped: Promise<void> | null = null;

  private constructor(options: BeaconStubOptions) {
    this.genesisTimestamp = options.genesisTimestamp;
    this.secondsPerSlot = options.secondsPerSlot ?? DEFAULT_SECONDS_PER_SLOT;
    this.#l1 = options.l1Url === undefined || options.l1Url === null ? null : createPublicClient({
      transport: http(options.l1Url, { retryCount: 0, timeout: 30_000 }),
      cacheTime: 0,
    });
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
    this.url = `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /**
   * Starts the stub on 127.0.0.1 with an OS-assigned port.
   *
   * @param options Genesis, slot length and the optional L1 to scan.
   * @returns The running stub.
   * @throws RangeError for a non-positive slot length or a negative genesis.
   */
  static start(options: BeaconStubOptions): BeaconStub {
    const seconds = options.secondsPerSlot ?? DEFAULT_SECONDS_PER_SLOT;
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw new RangeError(
        `Cannot start the beacon stub with SECONDS_PER_SLOT "${seconds}": expected a positive integer`,
      );
    }
    if (options.genesisTimestamp < 0n) {
      throw new RangeError(
        `Cannot start the beacon stub with genesis "${options.genesisTimestamp}": expected >= 0`,
      );
    }
    return new BeaconStub(options);
  }

  /**
   * The beacon slot of a timestamp.
   *
   * @param timestamp Unix seconds, at or after genesis.
   * @returns `(timestamp - genesis) / secondsPerSlot`.
   * @throws RangeError for a timestamp before genesis.
   */
  slotOf(timestamp: bigint): bigint {
    if (timestamp < this.genesisTimestamp) {
      throw new RangeError(
        `Cannot map timestamp ${timestamp} to a slot: it is before genesis ${this.genesisTimestamp}`,
      );
    }
    return (timestamp - this.genesisTimestamp) / BigInt(this.secondsPerSlot);
  }

  /**
   * Records blobs posted in an L1 block, so the slot of the block serves them.
   *
   * @param block The L1 block that holds the blob transaction.
   * @param sidecars The blobs with commitments and proofs.
   * @throws RangeError for a block before genesis.
   */
  registerSidecars(block: L1BlockRef, sidecars: readonly BlobSidecar[]): void {
    const entry = this.#slotEntry(block);
    for (const sidecar of sidecars) {
      if (!entry.blobHashes.includes(sidecar.versionedHash)) entry.blobHashes.push(sidecar.versionedHash);
      this.#blobs.delete(sidecar.versionedHash);
      this.#blobs.set(sidecar.versionedHash, sidecar);
      if (this.#blobs.size > BEACON_STUB_MAX_BLOBS) {
        const oldest = this.#blobs.keys().next().value;
        if (oldest !== undefined) this.#blobs.delete(oldest);
      }
    }
  }

  /** Stops the server. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= this.#server.shutdown();
    return this.#stopped;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #slotEntry(block: L1BlockRef): SlotEntry {
    const slot = this.slotOf(block.timestamp);
    let entry = this.#slots.get(slot);
    if (entry === undefined) {
      entry = { lastBlock: block, blobHashes: [] };
      this.#slots.set(slot, entry);
      if (this.#slots.size > BEACON_STUB_MAX_SLOTS) {
        const oldest = this.#slots.keys().next().value;
        if (oldest !== undefined) this.#slots.delete(oldest);
      }
    } else if (block.number > entry.lastBlock.number) {
      entry.lastBlock = block;
    }
    return entry;
  }

  /** Indexes L1 blocks up to the head; scans run one at a time. */
  #scan(): Promise<void> {
    const l1 = this.#l1;
    if (l1 === null) return Promise.resolve();
    this.#scanning = this.#scanning.catch(() => {}).then(async () => {
      const head = await l1.getBlockNumber();
      for (let n = this.#scannedThrough + 1n; n <= head; n++) {
        const block = await l1.getBlock({ blockNumber: n, includeTransactions: true });
        if (block.timestamp >= this.genesisTimestamp) {
          const ref = { number: n, hash: block.hash, timestamp: block.timestamp };
          this.#slotEntry(ref);
          for (const tx of block.transactions) {
            const hashes = tx.blobVersionedHashes ?? [];
            if (hashes.length === 0 || hashes.every((h) => this.#blobs.has(h))) continue;
            const blobs = await l1.request<{
              Method: "anvil_getBlobsByTransactionHash";
              Parameters: [Hash];
              ReturnType: Hex[];
            }>({ method: "anvil_getBlobsByTransactionHash", params: [tx.hash] });
            this.registerSidecars(ref, computeBlobSidecars(blobs.map((blob) => hexToBytes(blob))));
          }
        }
        this.#scannedThrough = n;
      }
    });
    return this.#scanning;
  }

  /** The highest slot with a known block, or -1 when none is known. */
  #headSlot(): bigint {
    let head = -1n;
    for (const slot of this.#slots.keys()) if (slot > head) head = slot;
    return head;
  }

  async #handle(request: Request): Promise<Response> {
    if (request.method !== "GET") {
      return json(405, { code: 405, message: `Method ${request.method} not allowed` });
    }
    const path = new URL(request.url).pathname;
    try {
      if (path === "/eth/v1/beacon/genesis") {
        return json(200, {
          data: {
            genesis_time: this.genesisTimestamp.toString(),
            genesis_validators_root: `0x${"00".repeat(32)}`,
            genesis_fork_version: "0x00000000",
          },
        });
      }
      if (path === "/eth/v1/config/spec") {
        return json(200, { data: { SECONDS_PER_SLOT: String(this.secondsPerSlot), SLOTS_PER_EPOCH: "32" } });
      }
      const sidecars = /^\/eth\/v1\/beacon\/blob_sidecars\/([^/]+)$/.exec(path);
      if (sidecars?.[1] !== undefined) return await this.#blobSidecars(sidecars[1]);
      const blocks = /^\/eth\/v2\/beacon\/blocks\/([^/]+)$/.exec(path);
      if (blocks?.[1] !== undefined) return await this.#block(blocks[1]);
      const blob = /^\/blobs\/([^/]+)$/.exec(path);
      if (blob?.[1] !== undefined) return await this.#blob(blob[1]);
      return json(404, { code: 404, message: `Route ${path} not found` });
    } catch (error) {
      return json(500, {
        code: 500,
        message: `Internal error: ${error instanceof Error ? error.message : error}`,
      });
    }
  }

  /** Parses a block id into a slot, `null` when it is malformed. */
  async #slotId(id: string): Promise<bigint | null> {
    await this.#scan();
    if (id === "head") return this.#headSlot();
    if (id === "genesis") return 0n;
    if (!/^\d{1,20}$/.test(id)) return null;
    return BigInt(id);
  }

  async #blobSidecars(id: string): Promise<Response> {
    const slot = await this.#slotId(id);
    if (slot === null) return json(400, { code: 400, message: `Invalid block ID: ${id}` });
    const entry = this.#slots.get(slot);
    if (entry === undefined) {
      return json(404, { code: 404, message: `NOT_FOUND: beacon block at slot ${id}` });
    }
    const data = entry.blobHashes.flatMap((hash, index) => {
      const sidecar = this.#blobs.get(hash);
      return sidecar === undefined ? [] : [{
        index: String(index),
        blob: sidecar.blob,
        kzg_commitment: sidecar.commitment,
        kzg_proof: sidecar.proof,
      }];
    });
    return json(200, { execution_optimistic: false, finalized: false, data });
  }

  async #block(id: string): Promise<Response> {
    const slot = await this.#slotId(id);
    if (slot === null) return json(400, { code: 400, message: `Invalid block ID: ${id}` });
    const entry = this.#slots.get(slot);
    if (entry === undefined) {
      return json(404, { code: 404, message: `NOT_FOUND: beacon block at slot ${id}` });
    }
    const block = entry.lastBlock;
    return json(200, {
      version: "deneb",
      execution_optimistic: false,
      finalized: false,
      data: {
        message: {
          slot: slot.toString(),
          proposer_index: "0",
          parent_root: `0x${"00".repeat(32)}`,
          state_root: `0x${"00".repeat(32)}`,
          body: {
            execution_payload: {
              block_number: block.number.toString(),
              block_hash: block.hash,
              timestamp: block.timestamp.toString(),
            },
          },
        },
        signature: `0x${"00".repeat(96)}`,
      },
    });
  }

  async #blob(id: string): Promise<Response> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) {
      return json(400, { code: 400, message: `Invalid versioned hash: ${id}` });
    }
    const hash = id.toLowerCase() as Hash;
    if (!this.#blobs.has(hash)) await this.#scan();
    const sidecar = this.#blobs.get(hash);
    if (sidecar === undefined) return json(404, { code: 404, message: `Blob ${id} not found` });
    return json(200, {
      versioned_hash: sidecar.versionedHash,
      commitment: sidecar.commitment,
      proof: sidecar.proof,
      data: sidecar.blob,
    });
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
