/**
 * A JSON-RPC client for the runner's preconfirmation API (p2p.md §17 and its successor
 * `preconf_publishBlock`), used by the demo preconfer to publish what it signs.
 *
 * @module
 */
import { bytesToHex, createClient, type Hash, type Hex, http } from "viem";
import type { PreconfMessage } from "./preconfer.ts";

/** Deadline of one call. */
export const PRECONF_RPC_TIMEOUT_MS = 15_000;

/** The publish result: the hash of the 382 commitment bytes and the txlist hash. */
export interface PublishResult {
  readonly commitmentHash: Hash;
  readonly txListHash: Hash;
}

/** The calls the demo preconfer makes. */
export interface PreconfRpcClient {
  /** `preconf_publishBlock([{commitment, txListHash, txList}])`: validate, insert locally, gossip. */
  publishBlock(message: PreconfMessage): Promise<PublishResult>;
  /** `preconf_publishTxList([{txListHash, txList}])` (first-generation API). */
  publishTxList(message: PreconfMessage): Promise<{ txListHash: Hash }>;
  /** `preconf_publishCommitment([{commitment}])` (first-generation API). */
  publishCommitment(message: PreconfMessage): Promise<PublishResult>;
  /** `preconf_tip()`: the L2 `latest` block number. */
  tip(): Promise<bigint>;
}

/**
 * Connects to a runner's preconfirmation JSON-RPC server.
 *
 * @param url The server's HTTP URL.
 * @param options The per-call deadline.
 * @returns The client; each call rejects with viem's RPC error when the server answers an error.
 */
export function createPreconfRpcClient(
  url: string,
  options: {
    /**
     * Per-call deadline.
     * @default PRECONF_RPC_TIMEOUT_MS
     */
    readonly timeoutMs?: number;
  } = {},
): PreconfRpcClient {
  const client = createClient({
    transport: http(url, { retryCount: 0, timeout: options.timeoutMs ?? PRECONF_RPC_TIMEOUT_MS }),
  });
  // The preconf methods are not in viem's schema; each call names its own method and result.
  const call = <T>(method: string, params: unknown[]): Promise<T> =>
    client.request({ method, params } as never) as Promise<T>;
  const commitment = (message: PreconfMessage): Hex => bytesToHex(message.commitment);
  return {
    publishBlock: (message) =>
      call("preconf_publishBlock", [{
        commitment: commitment(message),
        txListHash: message.txListHash,
        txList: bytesToHex(message.txList),
      }]),
    publishTxList: (message) =>
      call("preconf_publishTxList", [{ txListHash: message.txListHash, txList: bytesToHex(message.txList) }]),
    publishCommitment: (message) => call("preconf_publishCommitment", [{ commitment: commitment(message) }]),
    tip: async () => BigInt(await call<Hex>("preconf_tip", [])),
  };
}
