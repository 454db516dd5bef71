/**
 * Readers for the fields the publish methods share: the SSZ commitment and the txlist with its hash.
 * Shape errors are `-32602`; a commitment of the wrong size is `-32001` and a txlist over the cap or
 * not matching its hash is `-32002` (lesson R-2), all before anything reaches the backend.
 *
 * @module
 */
import { type Hash, type Hex, zeroHash } from "viem";
import { keccak256Hex } from "../../../internal/keccak.ts";
import { MAX_TXLIST_BYTES, SIGNED_COMMITMENT_BYTES } from "../../p2p/wire/constants.ts";
import type { RawTxListGossip } from "../../p2p/wire/raw_txlist.ts";
import { decodeHexBytes, hexByteLength, readHexBytes } from "../encoding.ts";
import { RpcServerError } from "../errors.ts";

/** A commitment as sent, with its keccak256. */
export interface CommitmentField {
  readonly commitment: Uint8Array;
  readonly commitmentHash: Hash;
}

/**
 * Reads `commitment`: `0x` hex of exactly the 382 bytes of an SSZ `SignedCommitment`.
 *
 * @param value The field's value.
 * @param method The method, for messages.
 * @returns The bytes and their keccak256.
 * @throws {RpcServerError} `InvalidParams` when not hex; `InvalidCommitment` when not 382 bytes.
 */
export function readCommitmentField(value: unknown, method: string): CommitmentField {
  const hex = readHexBytes(value, method, "commitment");
  const size = hexByteLength(hex);
  if (size !== SIGNED_COMMITMENT_BYTES) {
    throw new RpcServerError(
      "InvalidCommitment",
      `Cannot run ${method}: "commitment" must be the ${SIGNED_COMMITMENT_BYTES}-byte SSZ SignedCommitment, found ${size} bytes`,
    );
  }
  const commitment = decodeHexBytes(hex, method, "commitment");
  return { commitment, commitmentHash: keccak256Hex(commitment) };
}

/**
 * Reads `txList` (compressed bytes as `0x` hex) and checks it against `txListHash`. The size is
 * checked on the hex length, before anything is decoded or hashed.
 *
 * @param value The `txList` field's value.
 * @param txListHash The `txListHash` the caller declared.
 * @param method The method, for messages.
 * @returns The txlist with its hash: keccak256 of the bytes, computed here (the backend takes it as
 *   verified and does not hash them again).
 * @throws {RpcServerError} `InvalidParams` when not hex; `InvalidTxList` when over `MAX_TXLIST_BYTES`
 *   or when the bytes do not hash to `txListHash`.
 */
export function readTxListField(value: unknown, txListHash: Hash, method: string): RawTxListGossip {
  return checkTxList(readHexBytes(value, method, "txList"), txListHash, method, "");
}

/**
 * Reads the txlist of a block publish: like {@linkcode readTxListField}, except that an empty
 * `txList` with the zero `txListHash` means "no txlist", an EOP-only commitment (lesson V-6).
 *
 * @param value The `txList` field's value.
 * @param txListHash The `txListHash` the caller declared.
 * @param method The method, for messages.
 * @returns The txlist with its hash, or `null` for an EOP-only publish.
 * @throws {RpcServerError} As {@linkcode readTxListField}.
 */
export function readBlockTxListField(
  value: unknown,
  txListHash: Hash,
  method: string,
): RawTxListGossip | null {
  const hex = readHexBytes(value, method, "txList");
  if (hex === "0x" && txListHash === zeroHash) return null;
  const hint = hex === "0x" ? ", for an EOP-only commitment send the zero hash" : "";
  return checkTxList(hex, txListHash, method, hint);
}

function checkTxList(hex: Hex, txListHash: Hash, method: string, hint: string): RawTxListGossip {
  const size = hexByteLength(hex);
  if (size > MAX_TXLIST_BYTES) {
    throw new RpcServerError(
      "InvalidTxList",
      `Cannot run ${method}: "txList" is ${size} bytes, more than the ${MAX_TXLIST_BYTES}-byte cap on compressed txlists`,
    );
  }
  const txlist = decodeHexBytes(hex, method, "txList");
  const actual = keccak256Hex(txlist);
  if (actual !== txListHash) {
    throw new RpcServerError(
      "InvalidTxList",
      `Cannot run ${method}: "txList" hashes to ${actual}, not to "txListHash" ${txListHash}: ` +
        `send keccak256 of the compressed bytes${hint}`,
    );
  }
  return { rawTxListHash: txListHash, txlist };
}
