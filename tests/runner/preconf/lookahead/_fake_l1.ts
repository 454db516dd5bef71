// A scripted L1 for lookahead tests: blocks, logs and whitelist answers held in memory.
import { type Address, type Hash, keccak256, numberToHex } from "viem";
import type {
  LookaheadL1,
  LookaheadL1Block,
  LookaheadLog,
  WhitelistEpoch,
} from "../../../../runner/preconf/lookahead/l1_reader.ts";

export class FakeLookaheadL1 implements LookaheadL1 {
  blocks: LookaheadL1Block[] = [];
  events: LookaheadLog[] = [];
  operatorCalls: Array<{ epoch: WhitelistEpoch; blockNumber: bigint }> = [];
  failNext = 0;
  operator: (epoch: WhitelistEpoch, blockNumber: bigint) => Address = () =>
    "0x00000000000000000000000000000000000000f1";

  /** Appends blocks with the given timestamps; hashes depend on `salt` so a "reorg" can change them. */
  mine(timestamps: readonly bigint[], salt = 0): void {
    for (const timestamp of timestamps) {
      const number = BigInt(this.blocks.length);
      this.blocks.push({ number, timestamp, hash: hashOf(number, salt) });
    }
  }

  /** Replaces blocks from `from` on with new hashes (a reorg). */
  reorg(from: bigint, salt: number): void {
    for (const block of this.blocks) {
      if (block.number >= from) (block as { hash: Hash }).hash = hashOf(block.number, salt);
    }
  }

  #maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("scripted L1 failure");
    }
  }

  headNumber(): Promise<bigint> {
    this.#maybeFail();
    return Promise.resolve(BigInt(this.blocks.length - 1));
  }

  block(number: bigint): Promise<LookaheadL1Block | null> {
    return Promise.resolve(this.blocks[Number(number)] ?? null);
  }

  whitelistOperator(_whitelist: Address, epoch: WhitelistEpoch, blockNumber: bigint): Promise<Address> {
    this.operatorCalls.push({ epoch, blockNumber });
    return Promise.resolve(this.operator(epoch, blockNumber));
  }

  logs(_addresses: unknown, fromBlock: bigint, toBlock: bigint): Promise<LookaheadLog[]> {
    return Promise.resolve(this.events.filter((e) => e.blockNumber >= fromBlock && e.blockNumber <= toBlock));
  }

  lookaheadStoreInfo(): Promise<{ whitelist: Address; lookaheadBufferSize: number }> {
    return Promise.resolve({
      whitelist: "0x00000000000000000000000000000000000000aa",
      lookaheadBufferSize: 503,
    });
  }

  inboxProposerChecker(): Promise<Address> {
    return Promise.resolve("0x00000000000000000000000000000000000000a1");
  }
}

function hashOf(number: bigint, salt: number): Hash {
  return keccak256(numberToHex(number * 1000n + BigInt(salt), { size: 32 }));
}
