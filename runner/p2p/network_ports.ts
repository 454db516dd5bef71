/**
 * What the network needs from the preconfirmation client: a storage to serve requests from, and an
 * application validator that decides a gossip verdict before the message is forwarded.
 *
 * @module
 */
import type { Address, Hash, Hex } from "viem";
import type { SignedCommitment } from "./wire/commitment.ts";
import type { RawTxListGossip } from "./wire/raw_txlist.ts";

/**
 * What the request/response responder serves (the client's store implements it, with only
 * client-accepted data).
 */
export interface PreconfStorage {
  /**
   * Stored commitments with block number at or above `start`, ascending, at most `max`.
   *
   * @param start The first block number.
   * @param max The most entries to return (already clamped to 256).
   * @returns The commitments (not necessarily contiguous; may be empty).
   */
  commitmentsFrom(start: bigint, max: number): SignedCommitment[];
  /**
   * The txlist with this hash.
   *
   * @param hash keccak256 of the compressed txlist.
   * @returns The txlist, or `undefined` when it is not stored.
   */
  getTxList(hash: Hash): RawTxListGossip | undefined;
}

/**
 * The verdict on one gossip message: `accept` forwards it, `ignore` drops it without penalty (for
 * example while lookahead data is missing), `reject` drops it and penalises the sender.
 */
export type GossipVerdict = "accept" | "ignore" | "reject";

/**
 * The client's gossip checks, run after the network's own (size, decode, hash, signature, EOP
 * rule, slasher) and before the message is forwarded. An exception counts as `ignore`.
 */
export interface GossipValidator {
  /**
   * Judges a commitment whose signature is valid.
   *
   * @param commitment The signed commitment.
   * @param from The relaying peer (base58).
   * @param signer The signer the network already recovered under the configured signing domain;
   *   given, the validator does not recover it again (one secp256k1 recovery per message).
   * @returns The verdict.
   */
  validateCommitment(commitment: SignedCommitment, from: string, signer?: Address): Promise<GossipVerdict>;
  /**
   * Judges a txlist whose hash matches its bytes.
   *
   * @param txlist The txlist message.
   * @param from The relaying peer (base58).
   * @returns The verdict.
   */
  validateRawTxList(txlist: RawTxListGossip, from: string): Promise<GossipVerdict>;
}

/** A commitment whose signature the network checked, with the signer it recovered. */
export interface RecoveredCommitment {
  /** The signed commitment. */
  readonly signed: SignedCommitment;
  /** The address recovered from its signature under the configured signing domain. */
  readonly signer: Address;
}

/**
 * Recovers the address that signed a commitment under a signing domain, like `recoverSigner()` in
 * `wire/signing.ts` but allowed to do it elsewhere (the node passes `SignaturePool.recoverSigner`,
 * which recovers on worker threads).
 *
 * @param signed The signed commitment.
 * @param domain The 32-byte signing domain.
 * @returns The checksummed signer address.
 * @throws {P2pError} kind `InvalidSignature` (as a rejection) when no key can be recovered.
 * @throws {TypeError} (as a rejection) The domain or the signature is malformed.
 */
export type SignerRecovery = (signed: SignedCommitment, domain: Hex) => Promise<Address>;
