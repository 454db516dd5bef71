/**
 * The options of a node process (`peers/node_process.ts`), as JSON (bigints as decimal strings).
 *
 * @module
 */
import type { Address } from "viem";

/** How the node under test is set up. */
export interface NodeProcessOptions {
  /** The driver config (`validateDriverConfig` input). */
  readonly driver: {
    readonly l1Ws: string;
    readonly l2Http: string;
    readonly l2Auth: string;
    readonly jwtSecretPath: string;
    readonly inboxAddress: Address;
    readonly l1Beacon: string;
    readonly blobServer: string;
  };
  /** L1 HTTP for the client's chain reads. */
  readonly l1Http: string;
  /** The elected preconfer of the benchmark lookahead, and the span it covers (seconds). */
  readonly lookahead: { readonly signer: Address; readonly from: string; readonly to: string };
  readonly slasher: Address;
  /** Clock speed: 1 is the wall clock; 50 runs 50 s per second from `clock` commands on. */
  readonly clockSpeed: number;
  /** Serve the JSON-RPC API. */
  readonly rpc: boolean;
  /** Store bounds (`CommitmentStoreOptions`). */
  readonly store?: Record<string, number>;
  /** Catch-up tuning (`CatchUpOptions`; `maxSpanBlocks` as a string). */
  readonly catchUp?: Record<string, number | string>;
  /** Static peers to dial. */
  readonly staticPeers?: readonly string[];
  /** Scale every inbound and outbound request/response rate limit by this factor. @default 1 */
  readonly rateLimitFactor?: number;
  /** Reputation windows and thresholds (`PeerReputationOptions`). @default the production profile */
  readonly reputation?: Record<string, number>;
  /** How often bans are evaluated, ms. @default the production tick */
  readonly reputationTickMs?: number;
  /** Signer-recovery worker threads (PreconfNode's `signatureWorkers`; 0: on the event loop). @default one per CPU */
  readonly signatureWorkers?: number;
}
