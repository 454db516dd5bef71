import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { CommitmentStore } from "../../../runner/preconf/commitment_store.ts";
import type { PendingCommitment } from "../../../runner/preconf/types.ts";
import {
  accepted,
  chain,
  commitment,
  emptyTxList,
  junkTxList,
  OTHER,
  OTHER_KEY,
  ZERO_HASH,
} from "./_fixtures.ts";

function pending(blockNumber: bigint): PendingCommitment {
  const signed = commitment({ blockNumber });
  return { ...accepted(signed), reason: "AwaitingParent", from: "peer", bufferedAtMs: 0 };
}

Deno.test("`CommitmentStore.accept()` indexes by number and preconfirmation hash and reports duplicates", () => {
  const store = new CommitmentStore();
  const [one] = chain(1n, 1);
  const record = accepted(one!);
  assert.deepEqual(store.accept(record), { kind: "Inserted", evicted: [] });
  assert.equal(store.commitmentAt(1n), record);
  assert.equal(store.commitmentByPreconfHash(record.preconfHash), record);
  assert.deepEqual(store.accept(accepted(one!)), { kind: "Duplicate" });
  assert.equal(store.highestBlockNumber(), 1n);
});

Deno.test("`CommitmentStore.accept()` keeps the first of two different commitments for one block", () => {
  const store = new CommitmentStore();
  const first = accepted(commitment({ blockNumber: 7n, gasLimit: 30_000_000n }));
  const second = accepted(commitment({ blockNumber: 7n, gasLimit: 30_000_001n }));
  store.accept(first);
  const result = store.accept(second);
  assert.equal(result.kind, "Equivocation");
  assert.equal(result.kind === "Equivocation" ? result.existing : null, first);
  assert.equal(store.commitmentAt(7n)?.commitmentHash, first.commitmentHash);
  const fromOther = accepted(commitment({ blockNumber: 7n, key: OTHER_KEY }), OTHER);
  assert.equal(store.accept(fromOther).kind, "Equivocation");
});

Deno.test("`CommitmentStore.accept()` keeps an EOP-only marker beside the block of the same number", () => {
  const store = new CommitmentStore();
  const marker = accepted(commitment({ blockNumber: 5n, eop: true, rawTxListHash: ZERO_HASH }));
  assert.equal(marker.eopOnly, true);
  store.accept(marker);
  assert.equal(store.commitmentAt(5n), undefined);
  assert.deepEqual(store.commitmentsFrom(5n, 10), [marker.signed]);
  const block = accepted(commitment({ blockNumber: 5n }));
  assert.equal(store.accept(block).kind, "Inserted");
  assert.equal(store.eopMarkerAt(5n), marker);
  assert.deepEqual(store.commitmentsFrom(5n, 10), [block.signed]);
});

Deno.test("`CommitmentStore` drops the lowest block and its txlist at the commitment bound", () => {
  const store = new CommitmentStore({ maxCommitments: 3 });
  const lists = [0, 1, 2, 3].map((variant) => emptyTxList(variant));
  const commitments = chain(1n, 4, (n) => ({ rawTxListHash: lists[Number(n) - 1]!.rawTxListHash }));
  for (const [i, signed] of commitments.slice(0, 3).entries()) {
    store.accept(accepted(signed));
    store.putTxList(lists[i]!);
  }
  assert.equal(store.stats.commitments, 3);
  assert.deepEqual(store.accept(accepted(commitments[3]!)), { kind: "Inserted", evicted: [1n] });
  assert.equal(store.commitmentAt(1n), undefined);
  assert.equal(store.txList(lists[0]!.rawTxListHash), undefined);
  assert.ok(store.txList(lists[1]!.rawTxListHash));
  assert.equal(store.stats.commitments, 3);
});

Deno.test("`CommitmentStore.commitmentsFrom()` serves accepted commitments ascending, clamped to 256", () => {
  const store = new CommitmentStore();
  for (const signed of chain(1n, 300)) store.accept(accepted(signed));
  const served = store.commitmentsFrom(10n, 1000);
  assert.equal(served.length, 256);
  assert.equal(served[0]?.commitment.preconf.blockNumber, 10n);
  assert.equal(served[255]?.commitment.preconf.blockNumber, 265n);
  assert.deepEqual(store.commitmentsFrom(299n, 5).map((c) => c.commitment.preconf.blockNumber), [299n, 300n]);
  assert.deepEqual(store.commitmentsFrom(1n, 0), []);
});

Deno.test("`CommitmentStore.getTxList()` serves a txlist only once an accepted commitment names it", () => {
  const store = new CommitmentStore();
  const list = emptyTxList();
  assert.equal(store.putTxList(list).kind, "Stored");
  assert.equal(store.stats.orphanTxLists, 1);
  assert.ok(store.txList(list.rawTxListHash));
  assert.equal(store.getTxList(list.rawTxListHash), undefined);
  store.accept(accepted(commitment({ blockNumber: 1n, rawTxListHash: list.rawTxListHash })));
  assert.equal(store.getTxList(list.rawTxListHash), list);
  assert.equal(store.stats.orphanTxLists, 0);
  assert.deepEqual(store.putTxList(list), { kind: "Duplicate" });
});

Deno.test("`CommitmentStore.putTxList()` evicts the oldest orphan at the orphan bound", () => {
  const store = new CommitmentStore({ maxOrphanTxLists: 2 });
  const [a, b, c] = [1, 2, 3].map((fill) => junkTxList(8, fill));
  store.putTxList(a!);
  store.putTxList(b!);
  assert.equal(store.stats.orphanTxLists, 2);
  assert.deepEqual(store.putTxList(c!), { kind: "Stored", evicted: 1 });
  assert.equal(store.txList(a!.rawTxListHash), undefined);
  assert.ok(store.txList(b!.rawTxListHash));
  assert.ok(store.txList(c!.rawTxListHash));
});

Deno.test("`CommitmentStore.putTxList()` holds exactly the byte bound and evicts past it", () => {
  const store = new CommitmentStore({ maxTxListBytes: 100, maxOrphanTxListBytes: 100 });
  const a = junkTxList(60, 1);
  const b = junkTxList(40, 2);
  store.putTxList(a);
  assert.deepEqual(store.putTxList(b), { kind: "Stored", evicted: 0 });
  assert.equal(store.stats.txListBytes, 100);
  const c = junkTxList(1, 3);
  assert.deepEqual(store.putTxList(c), { kind: "Stored", evicted: 1 });
  assert.equal(store.txList(a.rawTxListHash), undefined);
  assert.equal(store.stats.txListBytes, 41);
  assert.deepEqual(store.putTxList(junkTxList(101, 4)), { kind: "TooLarge" });
});

Deno.test("`CommitmentStore.putTxList()` keeps a referenced txlist over orphans when bytes run out", () => {
  const store = new CommitmentStore({ maxTxListBytes: 100 });
  const orphan = junkTxList(50, 1);
  const named = junkTxList(60, 2);
  store.putTxList(orphan);
  store.accept(accepted(commitment({ blockNumber: 3n, rawTxListHash: named.rawTxListHash })));
  store.putTxList(named);
  assert.equal(store.txList(orphan.rawTxListHash), undefined);
  assert.equal(store.getTxList(named.rawTxListHash), named);
});

Deno.test("`CommitmentStore.addPending()` drops the highest block number at the pending bound", () => {
  const store = new CommitmentStore({ maxPending: 2 });
  assert.equal(store.addPending(pending(5n)).kind, "Buffered");
  assert.equal(store.addPending(pending(7n)).kind, "Buffered");
  assert.deepEqual(store.addPending(pending(7n)), { kind: "Duplicate" });
  const result = store.addPending(pending(6n));
  assert.equal(result.kind === "Buffered" ? result.evicted?.signed.commitment.preconf.blockNumber : null, 7n);
  assert.deepEqual(store.addPending(pending(9n)), { kind: "Full" });
  assert.deepEqual(store.pendingEntries().map((e) => e.signed.commitment.preconf.blockNumber), [5n, 6n]);
  const taken = store.takePending((e) => e.signed.commitment.preconf.blockNumber === 6n);
  assert.equal(taken.length, 1);
  assert.equal(store.stats.pending, 1);
});

Deno.test("`CommitmentStore.pruneThrough()` drops commitments, their txlists and pending entries at or below the tip", () => {
  const store = new CommitmentStore();
  const list = emptyTxList();
  const [one, two] = chain(
    1n,
    2,
    (n) => ({ rawTxListHash: n === 1n ? list.rawTxListHash : keccak256("0x02") }),
  );
  store.accept(accepted(one!));
  store.accept(accepted(two!));
  store.putTxList(list);
  store.addPending(pending(1n));
  store.addPending(pending(4n));
  store.accept(accepted(commitment({ blockNumber: 1n, eop: true, rawTxListHash: ZERO_HASH })));
  assert.equal(store.pruneThrough(1n), 3);
  assert.equal(store.commitmentAt(1n), undefined);
  assert.equal(store.eopMarkerAt(1n), undefined);
  assert.equal(store.txList(list.rawTxListHash), undefined);
  assert.ok(store.commitmentAt(2n));
  assert.equal(store.stats.pending, 1);
});

Deno.test("`CommitmentStore` with its defaults holds 5 s of 200 blocks/s gossip txlists (10 KiB) before their commitments, then serves each once named", () => {
  const store = new CommitmentStore();
  const lists = Array.from({ length: 1000 }, (_, i) => {
    const txlist = new Uint8Array(10 * 1024);
    new DataView(txlist.buffer).setUint32(0, i);
    return { rawTxListHash: keccak256(txlist), txlist };
  });
  for (const list of lists) assert.deepEqual(store.putTxList(list), { kind: "Stored", evicted: 0 });
  assert.equal(store.stats.orphanTxLists, 1000);
  for (const [i, list] of lists.entries()) {
    store.accept(accepted(commitment({ blockNumber: BigInt(i + 1), rawTxListHash: list.rawTxListHash })));
  }
  assert.equal(store.stats.orphanTxLists, 0);
  assert.ok(lists.every((list) => store.txList(list.rawTxListHash)?.txlist === list.txlist));
});
