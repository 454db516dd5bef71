/**
 * The network layer's gossip guards (p2p.md 5.4 and 4.1), cheapest first: size, SSZ decode, the
 * EOP/txlist-hash rule, the slasher, then signature recovery; for txlists, size, decode and the
 * keccak256 of the bytes. Pure: no I/O, no reputation, no metrics (see `verdict.ts`).
 *
 * @module
 */
import { type Address, type Hex, isAddressEqual } from "viem";
import { keccak256Hex } from "../../internal/keccak.ts";
import { TimeSlice } from "../../internal/time_slice.ts";
import { P2pError } from "./errors.ts";
import type { SignerRecovery } from "./network_ports.ts";
import type { GossipKind } from "./topics.ts";
import { decodeSignedCommitment, type SignedCommitment } from "./wire/commitment.ts";
import { MAX_TXLIST_BYTES, SIGNED_COMMITMENT_BYTES } from "./wire/constants.ts";
import { decodeRawTxListGossip, type RawTxListGossip } from "./wire/raw_txlist.ts";
import { recoverSigner, recoverSignerOfEncoded, rememberEncoding } from "./wire/signing.ts";

/** Why a gossip message was not accepted, as a closed set (also the metric label `reason`). */
export type GossipDropReason =
  | "size"
  | "decode"
  | "zero_txlist_hash"
  | "slasher"
  | "signature"
  | "hash_mismatch"
  | "banned"
  | "self"
  | "unknown_topic"
  | "app_reject"
  | "app_ignore"
  | "validator_error"
  | "overload";

/** The network checks' result for one message. */
export type GossipCheck =
  | {
    readonly ok: true;
    readonly kind: "commitment";
    readonly commitment: SignedCommitment;
    readonly signer: Address;
  }
  | { readonly ok: true; readonly kind: "raw_txlists"; readonly txlist: RawTxListGossip }
  | {
    readonly ok: false;
    readonly kind: GossipKind;
    readonly reason: GossipDropReason;
    readonly detail: string;
  };

const ZERO_HASH = `0x${"00".repeat(32)}`;

/** What the commitment checks are configured with. */
export interface CommitmentCheckOptions {
  /** The 32-byte signing domain. */
  readonly signingDomain: Hex;
  /** When set, commitments naming another slasher are rejected. */
  readonly expectedSlasher?: Address;
}

/**
 * Runs the network checks on a commitment payload.
 *
 * @param data The raw gossip payload.
 * @param options Signing domain and expected slasher.
 * @returns The decoded commitment and its signer, or why it fails (every failure is a reject).
 */
export function checkCommitmentGossip(data: Uint8Array, options: CommitmentCheckOptions): GossipCheck {
  const checked = precheckCommitment(data, options);
  if ("ok" in checked) return checked;
  // [REJECT] p2p.md 4.1 rule 1 and 3: a key must be recoverable (v in 0..3, r and s in range).
  try {
    return {
      ok: true,
      kind: "commitment",
      commitment: checked,
      signer: recoverSignerOfEncoded(data, options.signingDomain),
    };
  } catch (cause) {
    return signatureFailure(cause);
  }
}

/** Event-loop time shared by every inline recovery, so a batch (a page, a gossip RPC) yields. */
const inlineSlice = new TimeSlice();

/**
 * The inline recovery as a {@linkcode SignerRecovery}: `recoverSigner()` on the calling thread,
 * its errors as rejections. Recoveries started together take turns and yield to the event loop
 * every `TIME_SLICE_MS` (20 ms; a recovery takes about 1 ms), so a batch never blocks it for long.
 *
 * @param signed The signed commitment.
 * @param domain The 32-byte signing domain.
 * @returns The checksummed signer address.
 * @throws {P2pError} kind `InvalidSignature` (as a rejection) when no key can be recovered.
 */
export const recoverSignerInline: SignerRecovery = async (signed, domain) => {
  await inlineSlice.pause();
  return recoverSigner(signed, domain);
};

/**
 * {@linkcode checkCommitmentGossip} with the recovery as a dependency (for example on worker
 * threads): the cheap checks run here, the recovery where `recover` runs it.
 *
 * @param data The raw gossip payload.
 * @param options Signing domain and expected slasher.
 * @param recover The signer recovery.
 * @returns The decoded commitment and its signer, or why it fails (every failure is a reject).
 */
export async function verifyCommitmentGossip(
  data: Uint8Array,
  options: CommitmentCheckOptions,
  recover: SignerRecovery,
): Promise<GossipCheck> {
  const checked = precheckCommitment(data, options);
  if ("ok" in checked) return checked;
  // [REJECT] p2p.md 4.1 rule 1 and 3: a key must be recoverable (v in 0..3, r and s in range).
  try {
    return {
      ok: true,
      kind: "commitment",
      commitment: checked,
      signer: await recover(checked, options.signingDomain),
    };
  } catch (cause) {
    return signatureFailure(cause);
  }
}

function signatureFailure(cause: unknown): GossipCheck {
  if (cause instanceof P2pError) {
    return { ok: false, kind: "commitment", reason: "signature", detail: cause.message };
  }
  throw cause;
}

/** Every commitment check but the recovery: the decoded commitment, or the failure. */
function precheckCommitment(
  data: Uint8Array,
  options: CommitmentCheckOptions,
): SignedCommitment | Extract<GossipCheck, { ok: false }> {
  const kind = "commitment";
  // [REJECT] p2p.md 2.3: a SignedCommitment is exactly 382 bytes.
  if (data.length !== SIGNED_COMMITMENT_BYTES) {
    return {
      ok: false,
      kind,
      reason: "size",
      detail: `${data.length} bytes, expected ${SIGNED_COMMITMENT_BYTES}`,
    };
  }
  let commitment: SignedCommitment;
  try {
    commitment = decodeSignedCommitment(data);
  } catch (cause) {
    return { ok: false, kind, reason: "decode", detail: (cause as Error).message };
  }
  // Validation hashes the commitment three ways (signing, parent link, RPC hash): from these bytes.
  rememberEncoding(commitment, data);
  const preconf = commitment.commitment.preconf;
  // [REJECT] p2p.md 4.1 rule 2: a block commitment (eop false) must name its txlist.
  if (!preconf.eop && preconf.rawTxListHash === ZERO_HASH) {
    return {
      ok: false,
      kind,
      reason: "zero_txlist_hash",
      detail: `block ${preconf.blockNumber} has no txlist hash`,
    };
  }
  // [REJECT] p2p.md 4.1 rule 3: the configured slasher.
  if (
    options.expectedSlasher !== undefined &&
    !isAddressEqual(commitment.commitment.slasherAddress, options.expectedSlasher)
  ) {
    return { ok: false, kind, reason: "slasher", detail: `slasher ${commitment.commitment.slasherAddress}` };
  }
  return commitment;
}

/**
 * Runs the network checks on a txlist payload.
 *
 * @param data The raw gossip payload.
 * @returns The decoded txlist, or why it fails (every failure is a reject).
 */
export function checkRawTxListGossip(data: Uint8Array): GossipCheck {
  const kind = "raw_txlists";
  // [REJECT] p2p.md 2.4: 36 bytes of header and at most 2 MiB of txlist.
  if (data.length < 36 || data.length > 36 + MAX_TXLIST_BYTES) {
    return { ok: false, kind, reason: "size", detail: `${data.length} bytes` };
  }
  let txlist: RawTxListGossip;
  try {
    txlist = decodeRawTxListGossip(data);
  } catch (cause) {
    return { ok: false, kind, reason: "decode", detail: (cause as Error).message };
  }
  // [REJECT] p2p.md 4.1 rule 4: the hash covers the bytes exactly as carried.
  const actual = keccak256Hex(txlist.txlist);
  if (actual !== txlist.rawTxListHash) {
    return {
      ok: false,
      kind,
      reason: "hash_mismatch",
      detail: `hash ${txlist.rawTxListHash}, bytes hash ${actual}`,
    };
  }
  return { ok: true, kind, txlist };
}
