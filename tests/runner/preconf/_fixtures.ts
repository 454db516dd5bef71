// Builders of signed commitments and txlists for the preconfirmation client's tests.
import { deflateSync } from "node:zlib";
import { type Address, bytesToHex, type Hash, type Hex, keccak256 } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import type { Preconfirmation, SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import {
  commitmentHash,
  DEFAULT_SIGNING_DOMAIN,
  preconfirmationHash,
  signCommitment,
} from "../../../runner/p2p/wire/signing.ts";
import type { AcceptedCommitment } from "../../../runner/preconf/types.ts";

export const SIGNER_KEY: Hex = `0x${"03".repeat(32)}`;
export const SIGNER: Address = privateKeyToAddress(SIGNER_KEY);
export const OTHER_KEY: Hex = `0x${"04".repeat(32)}`;
export const OTHER: Address = privateKeyToAddress(OTHER_KEY);
export const SLASHER: Address = "0x0000000000000000000000000000000000005145";
export const ZERO_HASH: Hash = `0x${"00".repeat(32)}`;
export const COINBASE: Address = "0x00000000000000000000000000000000000c0ffe";

/** A txlist: zlib of an RLP list whose items are the given raw transactions (as byte strings). */
export function txListOf(rlpList: Hex): RawTxListGossip {
  const txlist = new Uint8Array(deflateSync(Buffer.from(rlpList.slice(2), "hex")));
  return { rawTxListHash: keccak256(txlist), txlist };
}

/**
 * The empty txlist `zlib([0xc0])`; variants 0..3 use zlib levels whose bytes differ (6, 1, 9, 0), so
 * each variant has its own hash.
 */
export function emptyTxList(variant = 0): RawTxListGossip {
  const level = [6, 1, 9, 0][variant];
  if (level === undefined) throw new RangeError(`emptyTxList has variants 0..3, got ${variant}`);
  const txlist = new Uint8Array(deflateSync(Buffer.from([0xc0]), { level }));
  return { rawTxListHash: keccak256(txlist), txlist };
}

/** Random bytes with their hash (not a decodable txlist). */
export function junkTxList(size = 16, fill = 0xab): RawTxListGossip {
  const txlist = new Uint8Array(size).fill(fill);
  return { rawTxListHash: keccak256(txlist), txlist };
}

export interface CommitmentFields extends Partial<Preconfirmation> {
  readonly blockNumber: bigint;
  readonly key?: Hex;
  readonly slasher?: Address;
  readonly domain?: Hex;
}

/** A signed commitment with sensible defaults (timestamp = 1000 + block, window end 2000). */
export function commitment(fields: CommitmentFields): SignedCommitment {
  const preconf: Preconfirmation = {
    eop: fields.eop ?? false,
    blockNumber: fields.blockNumber,
    timestamp: fields.timestamp ?? 1000n + fields.blockNumber,
    gasLimit: fields.gasLimit ?? 31_000_000n,
    coinbase: fields.coinbase ?? COINBASE,
    anchorBlockNumber: fields.anchorBlockNumber ?? 10n,
    rawTxListHash: fields.rawTxListHash ?? `0x${"11".repeat(32)}`,
    parentPreconfirmationHash: fields.parentPreconfirmationHash ?? ZERO_HASH,
    submissionWindowEnd: fields.submissionWindowEnd ?? 2000n,
    proverAuth: fields.proverAuth ?? "0x0000000000000000000000000000000000000000",
    proposalId: fields.proposalId ?? 1n,
  };
  return signCommitment(
    { preconf, slasherAddress: fields.slasher ?? SLASHER },
    fields.key ?? SIGNER_KEY,
    fields.domain ?? DEFAULT_SIGNING_DOMAIN,
  );
}

/** Commitments `start..start+count-1`, each linked to the previous by preconfirmation hash. */
export function chain(
  start: bigint,
  count: number,
  fields: (n: bigint) => Partial<CommitmentFields> = () => ({}),
  parent: Hash = ZERO_HASH,
): SignedCommitment[] {
  const out: SignedCommitment[] = [];
  let link = parent;
  for (let i = 0; i < count; i++) {
    const n = start + BigInt(i);
    const signed = commitment({ blockNumber: n, parentPreconfirmationHash: link, ...fields(n) });
    out.push(signed);
    link = preconfirmationHash(signed.commitment.preconf);
  }
  return out;
}

/** The store record of an accepted commitment. */
export function accepted(signed: SignedCommitment, signer: Address = SIGNER): AcceptedCommitment {
  const preconf = signed.commitment.preconf;
  return {
    signed,
    commitmentHash: commitmentHash(signed),
    preconfHash: preconfirmationHash(preconf),
    signer,
    eopOnly: preconf.eop && preconf.rawTxListHash === ZERO_HASH,
    source: "gossip",
  };
}

export { bytesToHex, preconfirmationHash };

const TX_KEY: Hex = `0x${"07".repeat(32)}`;

/** A txlist holding one signed transfer with this nonce: distinct and decodable per nonce. */
export async function transferTxList(nonce: number): Promise<RawTxListGossip> {
  const { privateKeyToAccount } = await import("viem/accounts");
  const tx = await privateKeyToAccount(TX_KEY).signTransaction({
    type: "eip1559",
    chainId: 167001,
    nonce,
    gas: 21_000n,
    maxFeePerGas: 1_000_000_000n,
    maxPriorityFeePerGas: 1n,
    to: COINBASE,
    value: 1n,
  });
  const { toRlp } = await import("viem");
  return txListOf(toRlp([tx]));
}

/** Polls `condition` every few milliseconds, up to `attempts` times; throws when it never holds. */
export async function waitFor(condition: () => boolean, what: string, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Gave up waiting for ${what}`);
}
