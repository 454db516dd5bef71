/**
 * SSZ codecs of the request/response containers (p2p.md section 2.5): `GetHeadRequest`,
 * `PreconfHead`, `GetCommitmentsByNumberRequest/Response` and `GetRawTxListRequest/Response`.
 *
 * @module
 */
import {
  ByteVectorType,
  ContainerType,
  ListCompositeType,
  UintBigintType,
  UintNumberType,
} from "@chainsafe/ssz";
import type { Hash } from "viem";
import { P2pError } from "../errors.ts";
import { type SignedCommitment, SignedCommitmentSsz, signedFromSsz, signedToSsz } from "./commitment.ts";
import { MAX_COMMITMENTS_PER_RESPONSE } from "./constants.ts";
import { decodeSsz, fixedBytes, toHex, uint256 } from "./_ssz.ts";
import { decodeRawTxListGossip, encodeRawTxListGossip, type RawTxListGossip } from "./raw_txlist.ts";

const Uint256 = new UintBigintType(32);

/**
 * The only valid `GetHeadRequest` body: the 4-byte offset of its empty `reserved: List[uint8, 0]`.
 * `@chainsafe/ssz` refuses a list limit of 0, so the container is hard-coded.
 */
export const GET_HEAD_REQUEST_BYTES: Uint8Array = Uint8Array.of(0x04, 0x00, 0x00, 0x00);

const PreconfHeadSsz = new ContainerType({
  blockNumber: Uint256,
  submissionWindowEnd: Uint256,
}, { typeName: "PreconfHead" });

const GetCommitmentsByNumberRequestSsz = new ContainerType({
  startBlockNumber: Uint256,
  maxCount: new UintNumberType(4),
}, { typeName: "GetCommitmentsByNumberRequest" });

const GetCommitmentsByNumberResponseSsz = new ContainerType({
  commitments: new ListCompositeType(SignedCommitmentSsz, MAX_COMMITMENTS_PER_RESPONSE),
}, { typeName: "GetCommitmentsByNumberResponse" });

const GetRawTxListRequestSsz = new ContainerType({
  rawTxListHash: new ByteVectorType(32),
}, { typeName: "GetRawTxListRequest" });

/** The highest accepted preconfirmation a node serves on `get_head`. */
export interface PreconfHead {
  /** The L2 block number of the highest accepted commitment (0 before any). */
  readonly blockNumber: bigint;
  /** That commitment's submission window end. */
  readonly submissionWindowEnd: bigint;
}

/** Asks for stored commitments with block number at or above `startBlockNumber`, ascending. */
export interface GetCommitmentsByNumberRequest {
  /** The first L2 block number wanted. */
  readonly startBlockNumber: bigint;
  /** How many commitments at most (a uint32; responders clamp it to 256). */
  readonly maxCount: number;
}

/** Up to 256 signed commitments, ascending by block number (not necessarily contiguous). */
export interface GetCommitmentsByNumberResponse {
  /** The commitments. */
  readonly commitments: readonly SignedCommitment[];
}

/** Asks for the txlist with this hash. */
export interface GetRawTxListRequest {
  /** keccak256 of the wanted compressed txlist. */
  readonly rawTxListHash: Hash;
}

/** The txlist, or the echoed hash with an empty txlist when the responder does not have it. */
export type GetRawTxListResponse = RawTxListGossip;

/**
 * Returns a fresh copy of the `GetHeadRequest` body (`04000000`).
 *
 * @returns The 4 request bytes.
 */
export function encodeGetHeadRequest(): Uint8Array {
  return GET_HEAD_REQUEST_BYTES.slice();
}

/**
 * Accepts exactly the 4-byte `GetHeadRequest` body, as the Rust decoder does (an empty body or any
 * bytes in the zero-limit list are refused).
 *
 * @param bytes The request body.
 * @throws {P2pError} kind `Decode` for anything but `04000000`.
 */
export function decodeGetHeadRequest(bytes: Uint8Array): void {
  if (bytes.length !== 4 || bytes.some((b, i) => b !== GET_HEAD_REQUEST_BYTES[i])) {
    throw new P2pError(
      "Decode",
      `Cannot decode GetHeadRequest from ${bytes.length} bytes: expected 04000000`,
      {
        context: { sizeBytes: bytes.length },
      },
    );
  }
}

/**
 * Encodes a head as 64 bytes.
 *
 * @param head The head.
 * @returns `blockNumber ‖ submissionWindowEnd`, each a little-endian uint256.
 * @throws {RangeError} A value does not fit a uint256.
 */
export function encodePreconfHead(head: PreconfHead): Uint8Array {
  return PreconfHeadSsz.serialize({
    blockNumber: uint256(head.blockNumber, "blockNumber"),
    submissionWindowEnd: uint256(head.submissionWindowEnd, "submissionWindowEnd"),
  });
}

/**
 * Decodes a 64-byte head.
 *
 * @param bytes Exactly 64 bytes.
 * @returns The head.
 * @throws {P2pError} kind `Decode` on a wrong length.
 */
export function decodePreconfHead(bytes: Uint8Array): PreconfHead {
  const v = decodeSsz(PreconfHeadSsz, bytes, "PreconfHead");
  return { blockNumber: v.blockNumber, submissionWindowEnd: v.submissionWindowEnd };
}

/**
 * Encodes a commitments request (36 bytes).
 *
 * @param request Start block and maximum count.
 * @returns The SSZ bytes.
 * @throws {RangeError} The start does not fit a uint256 or the count is not a uint32.
 */
export function encodeGetCommitmentsByNumberRequest(request: GetCommitmentsByNumberRequest): Uint8Array {
  if (!Number.isInteger(request.maxCount) || request.maxCount < 0 || request.maxCount > 0xffff_ffff) {
    throw new RangeError(`Cannot encode maxCount "${request.maxCount}": expected an integer in [0, 2^32)`);
  }
  return GetCommitmentsByNumberRequestSsz.serialize({
    startBlockNumber: uint256(request.startBlockNumber, "startBlockNumber"),
    maxCount: request.maxCount,
  });
}

/**
 * Decodes a 36-byte commitments request. The count is returned as sent (not clamped).
 *
 * @param bytes Exactly 36 bytes.
 * @returns The request.
 * @throws {P2pError} kind `Decode` on a wrong length.
 */
export function decodeGetCommitmentsByNumberRequest(bytes: Uint8Array): GetCommitmentsByNumberRequest {
  const v = decodeSsz(GetCommitmentsByNumberRequestSsz, bytes, "GetCommitmentsByNumberRequest");
  return { startBlockNumber: v.startBlockNumber, maxCount: v.maxCount };
}

/**
 * Encodes a commitments response: offset `04000000`, then 382 bytes per commitment.
 *
 * @param response At most 256 commitments.
 * @returns The SSZ bytes.
 * @throws {RangeError} More than 256 commitments, or a number does not fit a uint256.
 * @throws {TypeError} A byte field has the wrong length or is not hex.
 */
export function encodeGetCommitmentsByNumberResponse(response: GetCommitmentsByNumberResponse): Uint8Array {
  if (response.commitments.length > MAX_COMMITMENTS_PER_RESPONSE) {
    throw new RangeError(
      `Cannot encode ${response.commitments.length} commitments: the limit is ${MAX_COMMITMENTS_PER_RESPONSE}`,
    );
  }
  return GetCommitmentsByNumberResponseSsz.serialize({ commitments: response.commitments.map(signedToSsz) });
}

/**
 * Decodes a commitments response. Signatures are not checked here.
 *
 * @param bytes `04000000` followed by N × 382 bytes, N at most 256.
 * @returns The commitments in wire order.
 * @throws {P2pError} kind `Decode` on a wrong offset, a partial entry or more than 256 entries.
 */
export function decodeGetCommitmentsByNumberResponse(bytes: Uint8Array): GetCommitmentsByNumberResponse {
  const v = decodeSsz(GetCommitmentsByNumberResponseSsz, bytes, "GetCommitmentsByNumberResponse");
  return { commitments: v.commitments.map(signedFromSsz) };
}

/**
 * Encodes a txlist request (32 bytes).
 *
 * @param request The wanted hash.
 * @returns The SSZ bytes.
 * @throws {TypeError} The hash is not 32 bytes of hex.
 */
export function encodeGetRawTxListRequest(request: GetRawTxListRequest): Uint8Array {
  return GetRawTxListRequestSsz.serialize({
    rawTxListHash: fixedBytes(request.rawTxListHash, 32, "rawTxListHash"),
  });
}

/**
 * Decodes a 32-byte txlist request.
 *
 * @param bytes Exactly 32 bytes.
 * @returns The request.
 * @throws {P2pError} kind `Decode` on a wrong length.
 */
export function decodeGetRawTxListRequest(bytes: Uint8Array): GetRawTxListRequest {
  return {
    rawTxListHash: toHex(decodeSsz(GetRawTxListRequestSsz, bytes, "GetRawTxListRequest").rawTxListHash),
  };
}

/**
 * Encodes a txlist response (the same layout as the gossip message).
 *
 * @param response The hash and txlist (empty for "not found").
 * @returns The SSZ bytes.
 * @throws {TypeError} The hash is not 32 bytes of hex.
 * @throws {RangeError} The txlist is larger than 2 MiB.
 */
export function encodeGetRawTxListResponse(response: GetRawTxListResponse): Uint8Array {
  return encodeRawTxListGossip(response);
}

/**
 * Decodes a txlist response.
 *
 * @param bytes The SSZ bytes.
 * @returns The hash and txlist (empty for "not found").
 * @throws {P2pError} kind `Decode` on a short input, a wrong offset or an over-limit txlist.
 */
export function decodeGetRawTxListResponse(bytes: Uint8Array): GetRawTxListResponse {
  return decodeRawTxListGossip(bytes);
}
