/**
 * Protocol constants of the preconfirmation wire format (p2p.md sections 2, 6.2 and 8.1).
 *
 * @module
 */

/** Most commitments one `get_commitments_by_number` response may carry. */
export const MAX_COMMITMENTS_PER_RESPONSE = 256;

/** Largest txlist (compressed bytes, as carried) a gossip message or response may carry: 2 MiB. */
export const MAX_TXLIST_BYTES = 2 * 1024 * 1024;

/** Largest gossip message the Rust peers transmit: 10 MiB. */
export const MAX_GOSSIP_SIZE_BYTES = 10 * 1024 * 1024;

/** SSZ size of a `Preconfirmation`. */
export const PRECONFIRMATION_BYTES = 297;

/** SSZ size of a `PreconfCommitment`. */
export const PRECONF_COMMITMENT_BYTES = 317;

/** SSZ size of a `SignedCommitment`. */
export const SIGNED_COMMITMENT_BYTES = 382;

/** Largest value of an SSZ `uint256`. */
export const MAX_UINT256: bigint = (1n << 256n) - 1n;
