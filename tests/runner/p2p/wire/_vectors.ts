/** Typed access to tests/vectors/p2p_wire.json (p2p.md section 21). */
import type { Address, Hash, Hex } from "viem";
import type { PreconfCommitment, Preconfirmation } from "../../../../runner/p2p/wire/commitment.ts";
import raw from "../../../vectors/p2p_wire.json" with { type: "json" };

interface RawPreconf {
  eop: boolean;
  blockNumber: string;
  timestamp: string;
  gasLimit: string;
  coinbase: string;
  anchorBlockNumber: string;
  rawTxListHash: string;
  parentPreconfirmationHash: string;
  submissionWindowEnd: string;
  proverAuth: string;
  proposalId: string;
}

function preconf(p: RawPreconf): Preconfirmation {
  return {
    eop: p.eop,
    blockNumber: BigInt(p.blockNumber),
    timestamp: BigInt(p.timestamp),
    gasLimit: BigInt(p.gasLimit),
    coinbase: p.coinbase as Address,
    anchorBlockNumber: BigInt(p.anchorBlockNumber),
    rawTxListHash: p.rawTxListHash as Hash,
    parentPreconfirmationHash: p.parentPreconfirmationHash as Hash,
    submissionWindowEnd: BigInt(p.submissionWindowEnd),
    proverAuth: p.proverAuth as Address,
    proposalId: BigInt(p.proposalId),
  };
}

export const vectors = raw;

export const commitmentA: PreconfCommitment = {
  preconf: preconf(raw.fixtureA.preconf),
  slasherAddress: raw.fixtureA.slasherAddress as Address,
};

export const commitmentC: PreconfCommitment = {
  preconf: preconf(raw.fixtureC.preconf),
  slasherAddress: raw.fixtureC.slasherAddress as Address,
};

export function hex(value: string): Hex {
  return value as Hex;
}
