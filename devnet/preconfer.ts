/**
 * The devnet's demo preconfer: holds a secp256k1 key, turns consecutive L2 blocks into signed SSZ
 * commitments and raw txlists (p2p.md §2-3, §13.1), and links each commitment to the previous one by
 * its preconfirmation hash. Publishing goes through the runner's JSON-RPC (`preconf_rpc_client.ts`).
 *
 * @module
 */
import { deflateSync } from "node:zlib";
import { type Address, getAddress, type Hash, type Hex, keccak256, toRlp, zeroAddress, zeroHash } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import {
  encodeSignedCommitment,
  type Preconfirmation,
  type SignedCommitment,
} from "../runner/p2p/wire/commitment.ts";
import { MAX_TXLIST_BYTES } from "../runner/p2p/wire/constants.ts";
import { DEFAULT_SIGNING_DOMAIN, preconfirmationHash, signCommitment } from "../runner/p2p/wire/signing.ts";

/** anvil's dev account #1 (public test key): the devnet's default preconfer. */
export const DEVNET_PRECONFER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** The slasher address every devnet commitment names and every devnet node requires (no slasher contract runs). */
export const DEVNET_SLASHER: Address = getAddress("0x00000000000000000000000000000000005a5a5a");

/** Who the preconfer is and which network it signs for. */
export interface DemoPreconferOptions {
  /**
   * The signing key.
   * @default DEVNET_PRECONFER_KEY
   */
  readonly privateKey?: Hex;
  /**
   * The 32-byte signing domain every node of the network uses.
   * @default DEFAULT_SIGNING_DOMAIN
   */
  readonly signingDomain?: Hex;
  /**
   * The slasher address the network requires in every commitment.
   * @default the zero address
   */
  readonly slasherAddress?: Address;
  /**
   * `proverAuth` of every commitment.
   * @default the zero address
   */
  readonly proverAuth?: Address;
}

/** The parameters of one preconfirmed block. */
export interface PreconfBlock {
  readonly blockNumber: bigint;
  readonly timestamp: bigint;
  readonly gasLimit: bigint;
  readonly anchorBlockNumber: bigint;
  readonly submissionWindowEnd: bigint;
  readonly proposalId: bigint;
  /** Raw EIP-2718 transactions, the anchor transaction first. */
  readonly transactions: readonly Hex[];
  /**
   * Fee recipient.
   * @default the preconfer's address
   */
  readonly coinbase?: Address;
  /**
   * Whether this block ends the preconfer's window.
   * @default false
   */
  readonly eop?: boolean;
}

/** What a preconfer publishes for one block. */
export interface PreconfMessage {
  readonly signed: SignedCommitment;
  /** The 382-byte SSZ signed commitment. */
  readonly commitment: Uint8Array;
  /** zlib of the RLP list of raw transactions. */
  readonly txList: Uint8Array;
  /** keccak256 of `txList` (the compressed bytes). */
  readonly txListHash: Hash;
  /** keccak256 of the SSZ preconfirmation: the next block's parent link. */
  readonly preconfirmationHash: Hash;
}

/**
 * Encodes transactions as a preconfirmation txlist: zlib of an RLP list of byte strings, one raw
 * EIP-2718 envelope each (a legacy transaction's RLP wrapped as a string).
 *
 * @param transactions Raw transactions.
 * @returns The compressed txlist.
 * @throws RangeError when the compressed txlist exceeds MAX_TXLIST_BYTES.
 */
export function encodeRawTxList(transactions: readonly Hex[]): Uint8Array {
  const compressed = new Uint8Array(deflateSync(toRlp([...transactions], "bytes")));
  if (compressed.length > MAX_TXLIST_BYTES) {
    throw new RangeError(
      `Cannot build a txlist of ${compressed.length} compressed bytes: the limit is ${MAX_TXLIST_BYTES}`,
    );
  }
  return compressed;
}

/** Signs commitments for consecutive blocks, each linked to the one before. */
export class DemoPreconfer {
  /** The signer's address, which the lookahead must name. */
  readonly address: Address;
  readonly #privateKey: Hex;
  readonly #domain: Hex;
  readonly #slasher: Address;
  readonly #proverAuth: Address;
  #parent: { blockNumber: bigint; hash: Hash } | null = null;

  /**
   * @param options Key, signing domain, slasher and prover auth.
   * @throws Error when the key is not a valid secp256k1 key.
   */
  constructor(options: DemoPreconferOptions = {}) {
    this.#privateKey = options.privateKey ?? DEVNET_PRECONFER_KEY;
    this.address = privateKeyToAddress(this.#privateKey);
    this.#domain = options.signingDomain ?? DEFAULT_SIGNING_DOMAIN;
    this.#slasher = options.slasherAddress ?? zeroAddress;
    this.#proverAuth = options.proverAuth ?? zeroAddress;
  }

  /**
   * Forgets the parent link, e.g. after the chain of preconfirmations was broken by a proposal.
   *
   * @param parent The block the next commitment follows and its preconfirmation hash; `null` links the
   *   next commitment to the zero hash.
   */
  resetParent(parent: { blockNumber: bigint; hash: Hash } | null): void {
    this.#parent = parent;
  }

  /**
   * Builds and signs the commitment and txlist of one block. The parent link is the previous block's
   * preconfirmation hash when this block directly follows it, else the zero hash.
   *
   * @param block The block's parameters and transactions.
   * @returns The signed commitment, its SSZ bytes, the txlist and the hashes.
   * @throws RangeError when the txlist is too large or a number does not fit a uint256.
   */
  sign(block: PreconfBlock): PreconfMessage {
    const txList = encodeRawTxList(block.transactions);
    const txListHash = keccak256(txList);
    const parentHash = this.#parent !== null && this.#parent.blockNumber + 1n === block.blockNumber
      ? this.#parent.hash
      : zeroHash;
    const preconf: Preconfirmation = {
      eop: block.eop ?? false,
      blockNumber: block.blockNumber,
      timestamp: block.timestamp,
      gasLimit: block.gasLimit,
      coinbase: block.coinbase ?? this.address,
      anchorBlockNumber: block.anchorBlockNumber,
      rawTxListHash: txListHash,
      parentPreconfirmationHash: parentHash,
      submissionWindowEnd: block.submissionWindowEnd,
      proverAuth: this.#proverAuth,
      proposalId: block.proposalId,
    };
    const signed = signCommitment({ preconf, slasherAddress: this.#slasher }, this.#privateKey, this.#domain);
    const hash = preconfirmationHash(preconf);
    this.#parent = { blockNumber: block.blockNumber, hash };
    return {
      signed,
      commitment: encodeSignedCommitment(signed),
      txList,
      txListHash,
      preconfirmationHash: hash,
    };
  }
}
