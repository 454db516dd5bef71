// An in-memory chain for the preconfirmation client: L2 headers by number, a fee-sharing value and an L1 head.
import { type Hash, keccak256, numberToHex } from "viem";
import type { L2BlockHeader } from "../../../driver/mod.ts";
import type { PreconfChain } from "../../../runner/preconf/types.ts";

export function header(number: bigint, fields: Partial<L2BlockHeader> = {}): L2BlockHeader {
  return {
    number,
    hash: keccak256(numberToHex(number, { size: 32 })),
    parentHash: number === 0n ? `0x${"00".repeat(32)}` : keccak256(numberToHex(number - 1n, { size: 32 })),
    timestamp: 1000n + number,
    // Genesis carries no anchor budget, so its gas limit is what block 1 is measured against.
    gasLimit: number === 0n ? 30_000_000n : 31_000_000n,
    gasUsed: 0n,
    baseFeePerGas: number === 0n ? null : 25_000_000n,
    difficulty: 0n,
    mixHash: `0x${"00".repeat(32)}`,
    extraData: "0x",
    miner: "0x0000000000000000000000000000000000000000",
    ...fields,
  };
}

export class ChainDouble implements PreconfChain {
  readonly blocks = new Map<bigint, L2BlockHeader>();
  pctg = 50;
  l1 = 20n;
  pctgReads = 0;

  constructor(head = 0n) {
    for (let n = 0n; n <= head; n++) this.blocks.set(n, header(n));
  }

  get head(): bigint {
    let head = 0n;
    for (const n of this.blocks.keys()) if (n > head) head = n;
    return head;
  }

  /** Adds the block an engine would insert on top of the current head. */
  insert(number: bigint, hash: Hash, timestamp: bigint, gasLimit: bigint): L2BlockHeader {
    const block = header(number, {
      hash,
      timestamp,
      gasLimit,
      parentHash: this.blocks.get(number - 1n)?.hash ?? `0x${"00".repeat(32)}`,
    });
    this.blocks.set(number, block);
    for (const n of [...this.blocks.keys()]) if (n > number) this.blocks.delete(n);
    return block;
  }

  l2Block(number: bigint): Promise<L2BlockHeader | null> {
    return Promise.resolve(this.blocks.get(number) ?? null);
  }

  l2Head(): Promise<bigint> {
    return Promise.resolve(this.head);
  }

  basefeeSharingPctg(): Promise<number> {
    this.pctgReads++;
    return Promise.resolve(this.pctg);
  }

  l1Head(): Promise<bigint> {
    return Promise.resolve(this.l1);
  }

  nextProposalId = 0n;

  inboxNextProposalId(): Promise<bigint> {
    return Promise.resolve(this.nextProposalId);
  }
}
