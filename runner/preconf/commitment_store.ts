/**
 * The client's store (p2p.md §10.2, reworked): accepted commitments by block number and by
 * preconfirmation hash, EOP-only handoff markers, txlists by hash, and a pending buffer for
 * commitments waiting for their parent or for lookahead data. Every map has a named count or byte
 * bound with a stated overflow policy. Peers are served only accepted data (it implements the P2P
 * layer's `PreconfStorage`). Equivocation keeps the first commitment.
 *
 * @module
 */
import type { Hash } from "viem";
import type { PreconfStorage } from "../p2p/network_ports.ts";
import type { SignedCommitment } from "../p2p/wire/commitment.ts";
import { MAX_COMMITMENTS_PER_RESPONSE } from "../p2p/wire/constants.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import type { AcceptedCommitment, PendingCommitment } from "./types.ts";

/** Accepted commitments kept (384 × 10 blocks, the reference's retention); the lowest block numbers go first. */
export const STORE_MAX_COMMITMENTS = 3840;
/** EOP-only handoff markers kept; the lowest block numbers go first. */
export const STORE_MAX_EOP_MARKERS = 256;
/** Txlists kept (referenced and orphan); orphans go first, then those of the lowest block numbers. */
export const STORE_MAX_TXLISTS = 3840;
/** Total compressed txlist bytes kept (128 MiB: 64 full-size txlists); same eviction order. */
export const STORE_MAX_TXLIST_BYTES = 128 * 1024 * 1024;
/**
 * Txlists held before their commitment arrives; the oldest arrival goes first. Large enough that
 * gossip at 200 blocks/s outrunning commitment validation by 5 s loses no txlist (64 did: a block
 * whose txlist was evicted stalled execution); {@linkcode STORE_MAX_ORPHAN_TXLIST_BYTES} bounds the
 * memory.
 */
export const STORE_MAX_ORPHAN_TXLISTS = 1024;
/** Bytes of txlists held before their commitment arrives (16 MiB); the oldest arrival goes first. */
export const STORE_MAX_ORPHAN_TXLIST_BYTES = 16 * 1024 * 1024;
/** Commitments buffered for their parent or the lookahead; the highest block number goes first. */
export const STORE_MAX_PENDING = 768;

/** Bounds of a {@linkcode CommitmentStore}; every field defaults to the constant of the same name. */
export interface CommitmentStoreOptions {
  /** Accepted commitments kept. @default {STORE_MAX_COMMITMENTS} */
  readonly maxCommitments?: number;
  /** EOP-only markers kept. @default {STORE_MAX_EOP_MARKERS} */
  readonly maxEopMarkers?: number;
  /** Txlists kept. @default {STORE_MAX_TXLISTS} */
  readonly maxTxLists?: number;
  /** Compressed txlist bytes kept. @default {STORE_MAX_TXLIST_BYTES} */
  readonly maxTxListBytes?: number;
  /** Txlists kept before their commitment arrives. @default {STORE_MAX_ORPHAN_TXLISTS} */
  readonly maxOrphanTxLists?: number;
  /** Bytes of txlists kept before their commitment arrives. @default {STORE_MAX_ORPHAN_TXLIST_BYTES} */
  readonly maxOrphanTxListBytes?: number;
  /** Commitments buffered for their parent or the lookahead. @default {STORE_MAX_PENDING} */
  readonly maxPending?: number;
}

/** What accepting a commitment did. */
export type AcceptResult =
  /** Stored; `evicted` lists the block numbers dropped to stay within the bound. */
  | { readonly kind: "Inserted"; readonly evicted: readonly bigint[] }
  /** The same commitment was already accepted. */
  | { readonly kind: "Duplicate" }
  /** Another commitment holds this block (or marker) already; it is kept. */
  | { readonly kind: "Equivocation"; readonly existing: AcceptedCommitment };

/** What storing a txlist did. */
export type TxListPutResult =
  | { readonly kind: "Stored"; readonly evicted: number }
  | { readonly kind: "Duplicate" }
  /** Larger than the byte bound on its own; not stored. */
  | { readonly kind: "TooLarge" };

/** What buffering a pending commitment did. */
export type PendingAddResult =
  | { readonly kind: "Buffered"; readonly evicted: PendingCommitment | null }
  | { readonly kind: "Duplicate" }
  /** The buffer is full of lower block numbers; this one (the highest) is refused. */
  | { readonly kind: "Full" };

/** Current sizes, for gauges and tests. */
export interface CommitmentStoreStats {
  /** Accepted block commitments. */
  readonly commitments: number;
  /** EOP-only markers. */
  readonly eopMarkers: number;
  /** Txlists (named and orphan). */
  readonly txLists: number;
  /** Compressed bytes of all txlists. */
  readonly txListBytes: number;
  /** Txlists no accepted commitment names yet. */
  readonly orphanTxLists: number;
  /** Buffered commitments. */
  readonly pending: number;
}

interface TxListEntry {
  readonly gossip: RawTxListGossip;
  /** Insertion order, for oldest-first eviction of orphans. */
  readonly seq: number;
}

function ascending(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Accepted and pending preconfirmation data, bounded, serving peers only what was accepted. */
export class CommitmentStore implements PreconfStorage {
  readonly #max: Required<CommitmentStoreOptions>;
  readonly #byNumber = new Map<bigint, AcceptedCommitment>();
  readonly #byPreconfHash = new Map<Hash, AcceptedCommitment>();
  readonly #eopMarkers = new Map<bigint, AcceptedCommitment>();
  readonly #txLists = new Map<Hash, TxListEntry>();
  readonly #refs = new Map<Hash, number>();
  #txListBytes = 0;
  #orphanCount = 0;
  #orphanBytes = 0;
  #seq = 0;
  readonly #pending = new Map<Hash, PendingCommitment>();

  /**
   * Creates an empty store.
   *
   * @param options Bounds; each defaults to its `STORE_MAX_*` constant.
   */
  constructor(options: CommitmentStoreOptions = {}) {
    this.#max = {
      maxCommitments: bound(options.maxCommitments ?? STORE_MAX_COMMITMENTS, "maxCommitments"),
      maxEopMarkers: bound(options.maxEopMarkers ?? STORE_MAX_EOP_MARKERS, "maxEopMarkers"),
      maxTxLists: bound(options.maxTxLists ?? STORE_MAX_TXLISTS, "maxTxLists"),
      maxTxListBytes: bound(options.maxTxListBytes ?? STORE_MAX_TXLIST_BYTES, "maxTxListBytes"),
      maxOrphanTxLists: bound(options.maxOrphanTxLists ?? STORE_MAX_ORPHAN_TXLISTS, "maxOrphanTxLists"),
      maxOrphanTxListBytes: bound(
        options.maxOrphanTxListBytes ?? STORE_MAX_ORPHAN_TXLIST_BYTES,
        "maxOrphanTxListBytes",
      ),
      maxPending: bound(options.maxPending ?? STORE_MAX_PENDING, "maxPending"),
    };
  }

  /** Current sizes. */
  get stats(): CommitmentStoreStats {
    return {
      commitments: this.#byNumber.size,
      eopMarkers: this.#eopMarkers.size,
      txLists: this.#txLists.size,
      txListBytes: this.#txListBytes,
      orphanTxLists: this.#orphanCount,
      pending: this.#pending.size,
    };
  }

  // ---- accepted commitments -------------------------------------------------------------------

  /**
   * Stores an accepted commitment. A block commitment takes its block number; an EOP-only one is a
   * marker beside it and never blocks the number. A second, different commitment for a taken
   * number is equivocation: the first stays.
   *
   * @param record The accepted commitment.
   * @returns What happened.
   */
  accept(record: AcceptedCommitment): AcceptResult {
    const number = record.signed.commitment.preconf.blockNumber;
    const map = record.eopOnly ? this.#eopMarkers : this.#byNumber;
    const existing = map.get(number);
    if (existing !== undefined) {
      return existing.commitmentHash === record.commitmentHash
        ? { kind: "Duplicate" }
        : { kind: "Equivocation", existing };
    }
    map.set(number, record);
    const evicted: bigint[] = [];
    if (record.eopOnly) {
      while (this.#eopMarkers.size > this.#max.maxEopMarkers) {
        const lowest = this.#lowestKey(this.#eopMarkers);
        this.#eopMarkers.delete(lowest);
        evicted.push(lowest);
      }
      return { kind: "Inserted", evicted };
    }
    this.#byPreconfHash.set(record.preconfHash, record);
    this.#ref(record.signed.commitment.preconf.rawTxListHash, +1);
    while (this.#byNumber.size > this.#max.maxCommitments) {
      const lowest = this.#lowestKey(this.#byNumber);
      this.remove(lowest);
      evicted.push(lowest);
    }
    return { kind: "Inserted", evicted };
  }

  /**
   * The accepted block commitment at `number`.
   *
   * @param number An L2 block number.
   * @returns The record, or `undefined`.
   */
  commitmentAt(number: bigint): AcceptedCommitment | undefined {
    return this.#byNumber.get(number);
  }

  /**
   * The accepted EOP-only marker at `number`.
   *
   * @param number An L2 block number.
   * @returns The record, or `undefined`.
   */
  eopMarkerAt(number: bigint): AcceptedCommitment | undefined {
    return this.#eopMarkers.get(number);
  }

  /**
   * The accepted block commitment whose preconfirmation hashes to `hash`.
   *
   * @param hash A preconfirmation hash (a child's parent link).
   * @returns The record, or `undefined`.
   */
  commitmentByPreconfHash(hash: Hash): AcceptedCommitment | undefined {
    return this.#byPreconfHash.get(hash);
  }

  /** The highest accepted block number, or `null` when none is stored. */
  highestBlockNumber(): bigint | null {
    let highest: bigint | null = null;
    for (const number of this.#byNumber.keys()) if (highest === null || number > highest) highest = number;
    return highest;
  }

  /**
   * Removes the accepted block commitment at `number`, and its txlist when nothing else names it.
   *
   * @param number An L2 block number.
   * @returns The removed record, or `undefined`.
   */
  remove(number: bigint): AcceptedCommitment | undefined {
    const record = this.#byNumber.get(number);
    if (record === undefined) return undefined;
    this.#byNumber.delete(number);
    if (this.#byPreconfHash.get(record.preconfHash) === record) {
      this.#byPreconfHash.delete(record.preconfHash);
    }
    const hash = record.signed.commitment.preconf.rawTxListHash;
    this.#ref(hash, -1);
    if (!this.#refs.has(hash)) this.removeTxList(hash);
    return record;
  }

  /**
   * Accepted block numbers in `[from, to]`, ascending.
   *
   * @param from The lowest number.
   * @param to The highest number.
   * @returns The numbers.
   */
  acceptedNumbers(from: bigint, to: bigint): bigint[] {
    return [...this.#byNumber.keys()].filter((n) => n >= from && n <= to).sort(ascending);
  }

  // ---- txlists --------------------------------------------------------------------------------

  /**
   * Stores a txlist (its hash already checked). One no commitment names yet is an orphan, kept
   * within the orphan bounds; the total count and byte bounds evict orphans first, then the
   * txlists of the lowest block numbers.
   *
   * @param gossip The hash and compressed bytes.
   * @returns What happened.
   */
  putTxList(gossip: RawTxListGossip): TxListPutResult {
    if (this.#txLists.has(gossip.rawTxListHash)) return { kind: "Duplicate" };
    const size = gossip.txlist.length;
    const orphan = !this.#refs.has(gossip.rawTxListHash);
    if (size > this.#max.maxTxListBytes || (orphan && size > this.#max.maxOrphanTxListBytes)) {
      return { kind: "TooLarge" };
    }
    this.#txLists.set(gossip.rawTxListHash, { gossip, seq: this.#seq++ });
    this.#txListBytes += size;
    if (orphan) {
      this.#orphanCount++;
      this.#orphanBytes += size;
    }
    let evicted = 0;
    while (
      this.#orphanCount > this.#max.maxOrphanTxLists || this.#orphanBytes > this.#max.maxOrphanTxListBytes
    ) {
      if (!this.#evictOldestOrphan()) break;
      evicted++;
    }
    while (this.#txLists.size > this.#max.maxTxLists || this.#txListBytes > this.#max.maxTxListBytes) {
      if (!this.#evictOldestOrphan() && !this.#evictLowestReferenced(gossip.rawTxListHash)) break;
      evicted++;
    }
    return { kind: "Stored", evicted };
  }

  /**
   * A stored txlist, accepted or orphan.
   *
   * @param hash The txlist hash.
   * @returns The txlist, or `undefined`.
   */
  txList(hash: Hash): RawTxListGossip | undefined {
    return this.#txLists.get(hash)?.gossip;
  }

  /**
   * Removes a txlist.
   *
   * @param hash The txlist hash.
   */
  removeTxList(hash: Hash): void {
    const entry = this.#txLists.get(hash);
    if (entry === undefined) return;
    this.#txLists.delete(hash);
    this.#txListBytes -= entry.gossip.txlist.length;
    if (!this.#refs.has(hash)) {
      this.#orphanCount--;
      this.#orphanBytes -= entry.gossip.txlist.length;
    }
  }

  // ---- pending buffer -------------------------------------------------------------------------

  /**
   * Buffers a commitment waiting for its parent or the lookahead. When full, the highest block
   * number is dropped (it is the furthest from being usable), which may be the new one.
   *
   * @param entry The pending commitment.
   * @returns What happened.
   */
  addPending(entry: PendingCommitment): PendingAddResult {
    if (this.#pending.has(entry.commitmentHash)) return { kind: "Duplicate" };
    if (this.#pending.size < this.#max.maxPending) {
      this.#pending.set(entry.commitmentHash, entry);
      return { kind: "Buffered", evicted: null };
    }
    let highest: PendingCommitment | null = null;
    for (const candidate of this.#pending.values()) {
      if (highest === null || numberOf(candidate) > numberOf(highest)) highest = candidate;
    }
    if (highest === null || numberOf(entry) >= numberOf(highest)) return { kind: "Full" };
    this.#pending.delete(highest.commitmentHash);
    this.#pending.set(entry.commitmentHash, entry);
    return { kind: "Buffered", evicted: highest };
  }

  /**
   * Removes and returns the pending commitments matching `predicate`, ascending by block number.
   *
   * @param predicate Which entries to take.
   * @returns The taken entries.
   */
  takePending(predicate: (entry: PendingCommitment) => boolean): PendingCommitment[] {
    const taken: PendingCommitment[] = [];
    for (const [hash, entry] of this.#pending) {
      if (predicate(entry)) {
        taken.push(entry);
        this.#pending.delete(hash);
      }
    }
    return taken.sort((a, b) => ascending(numberOf(a), numberOf(b)));
  }

  /** The pending commitments, ascending by block number (a copy). */
  pendingEntries(): PendingCommitment[] {
    return [...this.#pending.values()].sort((a, b) => ascending(numberOf(a), numberOf(b)));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Drops everything at or below the confirmed tip (lesson V-8): accepted commitments with their
   * txlists, markers and pending entries.
   *
   * @param tip The L1-confirmed tip.
   * @returns How many commitments (accepted, markers, pending) were dropped.
   */
  pruneThrough(tip: bigint): number {
    let dropped = 0;
    for (const number of [...this.#byNumber.keys()]) {
      if (number > tip) continue;
      if (this.remove(number) !== undefined) dropped++;
    }
    for (const number of [...this.#eopMarkers.keys()]) {
      if (number <= tip) {
        this.#eopMarkers.delete(number);
        dropped++;
      }
    }
    dropped += this.takePending((entry) => numberOf(entry) <= tip).length;
    return dropped;
  }

  // ---- PreconfStorage (what peers are served) -------------------------------------------------

  /**
   * Accepted commitments with block number at or above `start`, ascending, at most `max` (clamped
   * to 256). A block commitment hides an EOP-only marker of the same number.
   *
   * @param start The first block number wanted.
   * @param max How many at most.
   * @returns The commitments.
   */
  commitmentsFrom(start: bigint, max: number): SignedCommitment[] {
    const limit = Math.max(0, Math.min(Math.floor(max), MAX_COMMITMENTS_PER_RESPONSE));
    if (limit === 0) return [];
    const numbers = new Set<bigint>();
    for (const number of this.#byNumber.keys()) if (number >= start) numbers.add(number);
    for (const number of this.#eopMarkers.keys()) if (number >= start) numbers.add(number);
    return [...numbers].sort(ascending).slice(0, limit).map((number) =>
      (this.#byNumber.get(number) ?? this.#eopMarkers.get(number) as AcceptedCommitment).signed
    );
  }

  /**
   * A txlist that an accepted commitment names (orphans are not served).
   *
   * @param hash The txlist hash.
   * @returns The txlist, or `undefined`.
   */
  getTxList(hash: Hash): RawTxListGossip | undefined {
    return this.#refs.has(hash) ? this.#txLists.get(hash)?.gossip : undefined;
  }

  // ---- internals ------------------------------------------------------------------------------

  #ref(hash: Hash, delta: 1 | -1): void {
    const before = this.#refs.get(hash) ?? 0;
    const after = before + delta;
    const entry = this.#txLists.get(hash);
    if (after <= 0) this.#refs.delete(hash);
    else this.#refs.set(hash, after);
    if (entry === undefined) return;
    const size = entry.gossip.txlist.length;
    if (before === 0 && after > 0) {
      this.#orphanCount--;
      this.#orphanBytes -= size;
    } else if (before > 0 && after <= 0) {
      this.#orphanCount++;
      this.#orphanBytes += size;
    }
  }

  #evictOldestOrphan(): boolean {
    let oldest: [Hash, TxListEntry] | null = null;
    for (const item of this.#txLists) {
      if (this.#refs.has(item[0])) continue;
      if (oldest === null || item[1].seq < oldest[1].seq) oldest = item;
    }
    if (oldest === null) return false;
    this.removeTxList(oldest[0]);
    return true;
  }

  #evictLowestReferenced(keep: Hash): boolean {
    for (const number of [...this.#byNumber.keys()].sort(ascending)) {
      const hash = (this.#byNumber.get(number) as AcceptedCommitment).signed.commitment.preconf.rawTxListHash;
      if (hash !== keep && this.#txLists.has(hash)) {
        this.removeTxList(hash);
        return true;
      }
    }
    return false;
  }

  #lowestKey(map: Map<bigint, unknown>): bigint {
    let lowest: bigint | null = null;
    for (const key of map.keys()) if (lowest === null || key < lowest) lowest = key;
    return lowest as bigint;
  }
}

function numberOf(entry: PendingCommitment): bigint {
  return entry.signed.commitment.preconf.blockNumber;
}

function bound(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot create commitment store: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
