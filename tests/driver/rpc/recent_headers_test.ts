import assert from "node:assert/strict";
import type { Hash } from "viem";
import {
  RECENT_HEADERS_MAX_AGE_MS,
  RECENT_HEADERS_MAX_ENTRIES,
  RecentHeaders,
} from "../../../driver/rpc/recent_headers.ts";
import type { L2BlockHeader } from "../../../driver/shasta/types.ts";

function hashOf(number: bigint, fork = 0): Hash {
  return `0x${fork.toString(16).padStart(2, "0")}${number.toString(16).padStart(62, "0")}`;
}

function header(number: bigint, fork = 0, parentFork = fork): L2BlockHeader {
  return {
    number,
    hash: hashOf(number, fork),
    parentHash: hashOf(number - 1n, parentFork),
    timestamp: 1_000n + number,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    baseFeePerGas: 25_000_000n,
    difficulty: 0n,
    mixHash: hashOf(0n),
    extraData: "0x",
    miner: "0x0000000000000000000000000000000000000000",
  };
}

function chain(cache: RecentHeaders, from: bigint, to: bigint): void {
  for (let n = from; n <= to; n++) {
    cache.moveHead(hashOf(n - 1n));
    cache.recordHead(header(n));
  }
}

Deno.test("`RecentHeaders` answers the blocks it recorded by number and hash, and the last as head", () => {
  const cache = new RecentHeaders();
  assert.equal(cache.head(), null);
  chain(cache, 1n, 3n);
  assert.equal(cache.byNumber(2n)?.hash, hashOf(2n));
  assert.equal(cache.byHash(hashOf(1n))?.number, 1n);
  assert.equal(cache.byHash(hashOf(1n).toUpperCase().replace("0X", "0x") as Hash)?.number, 1n);
  assert.equal(cache.head()?.number, 3n);
  assert.equal(cache.byNumber(0n), null);
  assert.equal(cache.byNumber(4n), null);
  assert.equal(cache.byHash(hashOf(9n)), null);
});

Deno.test("`RecentHeaders.moveHead()` drops the blocks above the new head and forgets the head until recorded", () => {
  const cache = new RecentHeaders();
  chain(cache, 1n, 5n);
  cache.moveHead(hashOf(3n));
  assert.equal(cache.head(), null);
  assert.equal(cache.byNumber(4n), null);
  assert.equal(cache.byHash(hashOf(5n)), null);
  assert.equal(cache.byNumber(3n)?.hash, hashOf(3n));
  // A sibling at height 4 on block 3 extends what is left.
  cache.recordHead(header(4n, 1, 0));
  assert.equal(cache.byNumber(4n)?.hash, hashOf(4n, 1));
  assert.equal(cache.byNumber(2n)?.hash, hashOf(2n));
  assert.equal(cache.head()?.hash, hashOf(4n, 1));
});

Deno.test("`RecentHeaders.moveHead()` to a block it does not hold forgets everything", () => {
  const cache = new RecentHeaders();
  chain(cache, 1n, 3n);
  cache.moveHead(hashOf(7n, 2));
  assert.equal(cache.size, 0);
  assert.equal(cache.byNumber(1n), null);
});

Deno.test("`RecentHeaders.recordHead()` starts over when the block does not extend the held chain", () => {
  const cache = new RecentHeaders();
  chain(cache, 1n, 3n);
  cache.recordHead(header(4n, 1, 1)); // its parent is not the held block 3
  assert.equal(cache.size, 1);
  assert.equal(cache.byNumber(3n), null);
  assert.equal(cache.head()?.hash, hashOf(4n, 1));
});

Deno.test("`RecentHeaders` keeps at most RECENT_HEADERS_MAX_ENTRIES, dropping the oldest", () => {
  const cache = new RecentHeaders();
  const last = BigInt(RECENT_HEADERS_MAX_ENTRIES + 4);
  chain(cache, 1n, last);
  assert.equal(cache.size, RECENT_HEADERS_MAX_ENTRIES);
  assert.equal(cache.byNumber(4n), null);
  assert.equal(cache.byNumber(5n)?.number, 5n);
  assert.equal(cache.byNumber(last)?.number, last);
});

Deno.test("`RecentHeaders` serves nothing once RECENT_HEADERS_MAX_AGE_MS passed since the last recorded head", () => {
  let now = 0;
  const cache = new RecentHeaders({ now: () => now });
  chain(cache, 1n, 2n);
  now = RECENT_HEADERS_MAX_AGE_MS;
  assert.equal(cache.byNumber(2n)?.number, 2n);
  now += 1;
  assert.equal(cache.byNumber(2n), null);
  assert.equal(cache.head(), null);
  assert.equal(cache.size, 0);
});

Deno.test("`RecentHeaders.clear()` forgets every header and the head", () => {
  const cache = new RecentHeaders();
  chain(cache, 1n, 2n);
  cache.clear();
  assert.equal(cache.head(), null);
  assert.equal(cache.byHash(hashOf(1n)), null);
});
