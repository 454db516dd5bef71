/**
 * The worker side of {@linkcode SignaturePool}: recovers signer addresses for batches of
 * `digest (32 bytes) ‖ r ‖ s (64 bytes) ‖ v (1 byte)` records, with the same library (libsecp256k1
 * in WebAssembly) and rules as `recoverSigner()` (v is a raw recovery id 0..3; high-S accepted).
 * Runs in a Web Worker.
 *
 * @module
 */
import type { Address } from "viem";
import { recoverAddressBytes } from "../../internal/secp256k1.ts";
import { checksumAddress } from "../../internal/checksum_address.ts";

/** Bytes of one record: digest, compact signature, recovery id. */
export const SIGNATURE_RECORD_BYTES = 97;

/** A batch sent to a worker. */
export interface SignatureBatchRequest {
  readonly id: number;
  /** `count` records of {@linkcode SIGNATURE_RECORD_BYTES}. */
  readonly records: Uint8Array;
}

/** A worker's answer: one address per record, or `null` when no key can be recovered. */
export interface SignatureBatchResponse {
  readonly id: number;
  readonly signers: (Address | null)[];
}

/**
 * The worker's first message, once its modules (and their WebAssembly) are loaded: a message posted
 * to a worker before then is lost, so the pool sends nothing until it arrives.
 */
export interface SignatureWorkerReady {
  readonly ready: true;
}

/** What a worker posts. */
export type SignatureWorkerMessage = SignatureBatchResponse | SignatureWorkerReady;

/**
 * Recovers the signers of a batch.
 *
 * @param records Packed records.
 * @returns One checksummed address, or `null`, per record.
 */
export function recoverBatch(records: Uint8Array): (Address | null)[] {
  const signers: (Address | null)[] = [];
  for (let offset = 0; offset + SIGNATURE_RECORD_BYTES <= records.length; offset += SIGNATURE_RECORD_BYTES) {
    const digest = records.subarray(offset, offset + 32);
    const compact = records.subarray(offset + 32, offset + 96);
    const v = records[offset + 96] as number;
    try {
      signers.push(checksumAddress(recoverAddressBytes(digest, compact, v)));
    } catch {
      signers.push(null);
    }
  }
  return signers;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<SignatureBatchRequest>) => void) | null;
  postMessage(message: SignatureWorkerMessage): void;
}

// Only when loaded as a worker: the pool also imports this module on the main thread.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === "function") {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (event) => {
    scope.postMessage({ id: event.data.id, signers: recoverBatch(event.data.records) });
  };
  scope.postMessage({ ready: true });
}
