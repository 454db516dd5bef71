/**
 * SSZ codecs of `Preconfirmation` (297 bytes), `PreconfCommitment` (317 bytes) and
 * `SignedCommitment` (382 bytes), p2p.md sections 2.1-2.3. `uint256` fields are little-endian.
 *
 * @module
 */
import { BooleanType, ByteVectorType, ContainerType, UintBigintType, type ValueOf } from "@chainsafe/ssz";
import type { Address, Hash, Hex } from "viem";
import { checksumAddress } from "../../../internal/checksum_address.ts";
import { decodeSsz, fixedBytes, toHex, uint256 } from "./_ssz.ts";

const Uint256 = new UintBigintType(32);
const Bytes20 = new ByteVectorType(20);
const Bytes32 = new ByteVectorType(32);

/** SSZ type of `Preconfirmation` (field order is the wire order). */
export const PreconfirmationSsz = new ContainerType({
  eop: new BooleanType(),
  blockNumber: Uint256,
  timestamp: Uint256,
  gasLimit: Uint256,
  coinbase: Bytes20,
  anchorBlockNumber: Uint256,
  rawTxListHash: Bytes32,
  parentPreconfirmationHash: Bytes32,
  submissionWindowEnd: Uint256,
  proverAuth: Bytes20,
  proposalId: Uint256,
}, { typeName: "Preconfirmation" });

/** SSZ type of `PreconfCommitment`. */
export const PreconfCommitmentSsz = new ContainerType({
  preconf: PreconfirmationSsz,
  slasherAddress: Bytes20,
}, { typeName: "PreconfCommitment" });

/** SSZ type of `SignedCommitment`. */
export const SignedCommitmentSsz = new ContainerType({
  commitment: PreconfCommitmentSsz,
  signature: new ByteVectorType(65),
}, { typeName: "SignedCommitment" });

/** One preconfirmed L2 block's parameters, as signed by the elected preconfer. */
export interface Preconfirmation {
  /** End of the preconfer's proposal: true with a zero txlist hash means "no block, handoff only". */
  readonly eop: boolean;
  /** The L2 block number. */
  readonly blockNumber: bigint;
  /** The L2 block timestamp (seconds). */
  readonly timestamp: bigint;
  /** The L2 block gas limit. */
  readonly gasLimit: bigint;
  /** The L2 block's fee recipient. */
  readonly coinbase: Address;
  /** The L1 block the anchor transaction refers to. */
  readonly anchorBlockNumber: bigint;
  /** keccak256 of the compressed txlist bytes; zero only for an EOP-only commitment. */
  readonly rawTxListHash: Hash;
  /** `preconfirmationHash` of the parent block's preconfirmation (zero for none). */
  readonly parentPreconfirmationHash: Hash;
  /** The L1 timestamp at which the signer's submission window ends. */
  readonly submissionWindowEnd: bigint;
  /** The prover authorization address. */
  readonly proverAuth: Address;
  /** The Shasta proposal id this block will belong to. */
  readonly proposalId: bigint;
}

/** A preconfirmation bound to the slasher contract that may punish its signer. */
export interface PreconfCommitment {
  /** The preconfirmed block. */
  readonly preconf: Preconfirmation;
  /** The slasher contract address. */
  readonly slasherAddress: Address;
}

/** A commitment with its 65-byte `r ‖ s ‖ v` secp256k1 signature (v in {0, 1}). */
export interface SignedCommitment {
  /** The signed commitment. */
  readonly commitment: PreconfCommitment;
  /** `r ‖ s ‖ v`, 65 bytes of hex. */
  readonly signature: Hex;
}

function preconfToSsz(p: Preconfirmation): ValueOf<typeof PreconfirmationSsz> {
  if (typeof p.eop !== "boolean") {
    throw new TypeError(`Cannot encode eop "${String(p.eop)}": expected a boolean`);
  }
  return {
    eop: p.eop,
    blockNumber: uint256(p.blockNumber, "blockNumber"),
    timestamp: uint256(p.timestamp, "timestamp"),
    gasLimit: uint256(p.gasLimit, "gasLimit"),
    coinbase: fixedBytes(p.coinbase, 20, "coinbase"),
    anchorBlockNumber: uint256(p.anchorBlockNumber, "anchorBlockNumber"),
    rawTxListHash: fixedBytes(p.rawTxListHash, 32, "rawTxListHash"),
    parentPreconfirmationHash: fixedBytes(p.parentPreconfirmationHash, 32, "parentPreconfirmationHash"),
    submissionWindowEnd: uint256(p.submissionWindowEnd, "submissionWindowEnd"),
    proverAuth: fixedBytes(p.proverAuth, 20, "proverAuth"),
    proposalId: uint256(p.proposalId, "proposalId"),
  };
}

function preconfFromSsz(v: ValueOf<typeof PreconfirmationSsz>): Preconfirmation {
  return {
    eop: v.eop,
    blockNumber: v.blockNumber,
    timestamp: v.timestamp,
    gasLimit: v.gasLimit,
    coinbase: checksumAddress(v.coinbase),
    anchorBlockNumber: v.anchorBlockNumber,
    rawTxListHash: toHex(v.rawTxListHash),
    parentPreconfirmationHash: toHex(v.parentPreconfirmationHash),
    submissionWindowEnd: v.submissionWindowEnd,
    proverAuth: checksumAddress(v.proverAuth),
    proposalId: v.proposalId,
  };
}

function commitmentToSsz(c: PreconfCommitment): ValueOf<typeof PreconfCommitmentSsz> {
  return {
    preconf: preconfToSsz(c.preconf),
    slasherAddress: fixedBytes(c.slasherAddress, 20, "slasherAddress"),
  };
}

function commitmentFromSsz(v: ValueOf<typeof PreconfCommitmentSsz>): PreconfCommitment {
  return { preconf: preconfFromSsz(v.preconf), slasherAddress: checksumAddress(v.slasherAddress) };
}

/**
 * Encodes a preconfirmation as its 297-byte SSZ form.
 *
 * @param preconf The preconfirmation.
 * @returns The SSZ bytes.
 * @throws {RangeError} A number does not fit a uint256.
 * @throws {TypeError} A byte field has the wrong length or is not hex.
 * @example
 * ```ts ignore
 * const bytes = encodePreconfirmation(preconf); // bytes.length === 297
 * ```
 */
export function encodePreconfirmation(preconf: Preconfirmation): Uint8Array {
  return PreconfirmationSsz.serialize(preconfToSsz(preconf));
}

/**
 * Decodes a 297-byte SSZ preconfirmation.
 *
 * @param bytes Exactly 297 bytes.
 * @returns The preconfirmation (addresses checksummed, hashes lower-case).
 * @throws {P2pError} kind `Decode` on any length or boolean error.
 */
export function decodePreconfirmation(bytes: Uint8Array): Preconfirmation {
  return preconfFromSsz(decodeSsz(PreconfirmationSsz, bytes, "Preconfirmation"));
}

/**
 * Encodes a commitment as its 317-byte SSZ form (the signed part of a `SignedCommitment`).
 *
 * @param commitment The commitment.
 * @returns The SSZ bytes.
 * @throws {RangeError} A number does not fit a uint256.
 * @throws {TypeError} A byte field has the wrong length or is not hex.
 */
export function encodePreconfCommitment(commitment: PreconfCommitment): Uint8Array {
  return PreconfCommitmentSsz.serialize(commitmentToSsz(commitment));
}

/**
 * Decodes a 317-byte SSZ commitment.
 *
 * @param bytes Exactly 317 bytes.
 * @returns The commitment.
 * @throws {P2pError} kind `Decode` on any length or boolean error.
 */
export function decodePreconfCommitment(bytes: Uint8Array): PreconfCommitment {
  return commitmentFromSsz(decodeSsz(PreconfCommitmentSsz, bytes, "PreconfCommitment"));
}

/**
 * Encodes a signed commitment as its 382-byte SSZ form (the gossip payload).
 *
 * @param signed The signed commitment.
 * @returns The SSZ bytes.
 * @throws {RangeError} A number does not fit a uint256.
 * @throws {TypeError} A byte field (or the 65-byte signature) has the wrong length or is not hex.
 * @example
 * ```ts ignore
 * const payload = encodeSignedCommitment(signCommitment(commitment, privateKey));
 * ```
 */
export function encodeSignedCommitment(signed: SignedCommitment): Uint8Array {
  return SignedCommitmentSsz.serialize(signedToSsz(signed));
}

/**
 * Decodes a 382-byte SSZ signed commitment. The signature is not checked here (see `recoverSigner`).
 *
 * @param bytes Exactly 382 bytes.
 * @returns The signed commitment.
 * @throws {P2pError} kind `Decode` on any length or boolean error.
 */
export function decodeSignedCommitment(bytes: Uint8Array): SignedCommitment {
  return signedFromSsz(decodeSsz(SignedCommitmentSsz, bytes, "SignedCommitment"));
}

/**
 * Converts a signed commitment to the SSZ library's value (for containers that embed it).
 *
 * @param signed The signed commitment.
 * @returns The `@chainsafe/ssz` value of `SignedCommitmentSsz`.
 * @throws {RangeError} A number does not fit a uint256.
 * @throws {TypeError} A byte field has the wrong length or is not hex.
 */
export function signedToSsz(signed: SignedCommitment): ValueOf<typeof SignedCommitmentSsz> {
  return {
    commitment: commitmentToSsz(signed.commitment),
    signature: fixedBytes(signed.signature, 65, "signature"),
  };
}

/**
 * Converts the SSZ library's value back to a signed commitment.
 *
 * @param v A decoded `SignedCommitmentSsz` value.
 * @returns The signed commitment.
 */
export function signedFromSsz(v: ValueOf<typeof SignedCommitmentSsz>): SignedCommitment {
  return { commitment: commitmentFromSsz(v.commitment), signature: toHex(v.signature) };
}
