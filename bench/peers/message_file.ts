/**
 * A file of gossip messages for a publishing peer: records of
 * `kind (1 byte) ‖ with-previous (1 byte) ‖ length (u32 BE) ‖ bytes`. A record marked
 * with-previous goes out in the same tick as the one before it (a txlist and its commitment).
 *
 * @module
 */
import type { GossipKind } from "../../runner/p2p/topics.ts";

/** One message to publish. */
export interface GossipRecord {
  readonly kind: GossipKind;
  /** Published right after the previous record, in the same tick. */
  readonly withPrevious: boolean;
  readonly data: Uint8Array;
}

/**
 * Encodes records.
 *
 * @param records The messages.
 * @returns The file bytes.
 */
export function encodeMessageFile(records: readonly GossipRecord[]): Uint8Array {
  const size = records.reduce((n, r) => n + 6 + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const record of records) {
    out[offset] = record.kind === "commitment" ? 0 : 1;
    out[offset + 1] = record.withPrevious ? 1 : 0;
    view.setUint32(offset + 2, record.data.length);
    out.set(record.data, offset + 6);
    offset += 6 + record.data.length;
  }
  return out;
}

/**
 * Decodes records.
 *
 * @param bytes The file bytes.
 * @returns The messages.
 * @throws {RangeError} The file is truncated.
 */
export function decodeMessageFile(bytes: Uint8Array): GossipRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: GossipRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 6 > bytes.length) throw new RangeError(`Cannot read message file: truncated at ${offset}`);
    const length = view.getUint32(offset + 2);
    const end = offset + 6 + length;
    if (end > bytes.length) throw new RangeError(`Cannot read message file: truncated record at ${offset}`);
    records.push({
      kind: bytes[offset] === 0 ? "commitment" : "raw_txlists",
      withPrevious: bytes[offset + 1] === 1,
      data: bytes.subarray(offset + 6, end),
    });
    offset = end;
  }
  return records;
}
