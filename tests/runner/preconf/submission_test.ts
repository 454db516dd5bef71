import assert from "node:assert/strict";
import { privateKeyToAccount } from "viem/accounts";
import { DriverError, encodeTxList } from "../../../driver/mod.ts";
import type { SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { CommitmentStore } from "../../../runner/preconf/commitment_store.ts";
import { BlockSubmitter, EXECUTED_RECORDS_MAX } from "../../../runner/preconf/submission.ts";
import { ChainDouble } from "./_chain_double.ts";
import { DriverDouble } from "./_driver_double.ts";
import { accepted, chain, commitment, emptyTxList, junkTxList, ZERO_HASH } from "./_fixtures.ts";

const LIST = emptyTxList();

function setup(head = 0n, l2Head = head) {
  const l2 = new ChainDouble(l2Head);
  const driver = new DriverDouble(l2);
  const store = new CommitmentStore();
  const dropped: bigint[] = [];
  const submitter = new BlockSubmitter({ driver, chain: l2, store, metrics: null }, head, {
    onDropped: (record) => dropped.push(record.signed.commitment.preconf.blockNumber),
  });
  return { l2, driver, store, submitter, dropped };
}

function acceptAll(store: CommitmentStore, commitments: SignedCommitment[]): void {
  for (const signed of commitments) store.accept(accepted(signed));
}

Deno.test("`BlockSubmitter.advance()` executes contiguous blocks in order, each bound to its parent's hash", async () => {
  const { l2, driver, store, submitter } = setup();
  acceptAll(store, chain(1n, 3, () => ({ rawTxListHash: LIST.rawTxListHash })));
  store.putTxList(LIST);
  const outcomes = await submitter.advance();
  assert.deepEqual(outcomes.map((o) => [o.kind, o.blockNumber]), [
    ["Executed", 1n],
    ["Executed", 2n],
    ["Executed", 3n],
    ["Waiting", 4n],
  ]);
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n]);
  assert.deepEqual(
    driver.submissions.map((s) => s.parentHash),
    [0n, 1n, 2n].map((n) => [...l2.blocks.values()][Number(n)]!.hash),
  );
  assert.equal(submitter.head, 3n);
  assert.equal(l2.head, 3n);
});

Deno.test("`BlockSubmitter.advance()` waits for a missing txlist, then executes when it arrives", async () => {
  const { driver, store, submitter } = setup();
  acceptAll(store, chain(1n, 1, () => ({ rawTxListHash: LIST.rawTxListHash })));
  const waiting = await submitter.advance();
  assert.deepEqual(waiting.at(-1), { kind: "Waiting", blockNumber: 1n, reason: "AwaitingTxList" });
  assert.equal(driver.submissions.length, 0);
  store.putTxList(LIST);
  assert.equal((await submitter.advance())[0]?.kind, "Executed");
});

Deno.test("`BlockSubmitter.advance()` drops a block whose txlist does not decode and keeps running", async () => {
  const { driver, store, submitter, dropped } = setup();
  const junk = junkTxList();
  acceptAll(store, chain(1n, 1, () => ({ rawTxListHash: junk.rawTxListHash })));
  store.putTxList(junk);
  const outcomes = await submitter.advance();
  assert.equal(outcomes[0]?.kind === "Dropped" && outcomes[0].reason, "txlist_undecodable");
  assert.deepEqual(dropped, [1n]);
  assert.equal(store.commitmentAt(1n), undefined);
  assert.equal(store.txList(junk.rawTxListHash), undefined);
  assert.equal(driver.submissions.length, 0);

  const replacement = commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash });
  store.accept(accepted(replacement));
  store.putTxList(LIST);
  assert.equal((await submitter.advance())[0]?.kind, "Executed");
});

Deno.test("`BlockSubmitter.advance()` drops a block the driver refuses, and retries one it defers", async () => {
  const { driver, store, submitter } = setup();
  acceptAll(store, chain(1n, 2, () => ({ rawTxListHash: LIST.rawTxListHash })));
  store.putTxList(LIST);
  driver.script.push(new DriverError("PreconfIngressNotReady", "Cannot submit: ingress closed"));
  assert.deepEqual((await submitter.advance())[0], {
    kind: "Waiting",
    blockNumber: 1n,
    reason: "DriverNotReady",
  });
  assert.ok(store.commitmentAt(1n));
  driver.script.push(new DriverError("PreconfInjectionFailed", "Cannot insert: engine said INVALID"));
  const outcomes = await submitter.advance();
  assert.equal(outcomes[0]?.kind === "Dropped" && outcomes[0].reason, "driver_error");
  assert.equal(store.commitmentAt(1n), undefined);
  assert.equal(submitter.head, 0n);
});

Deno.test("`BlockSubmitter.advance()` jumps to the confirmed tip when the driver answers Stale", async () => {
  // L1 derivation already put block 4 in the engine; this node has not seen it yet.
  const { driver, store, submitter } = setup(3n, 4n);
  acceptAll(store, chain(4n, 2, () => ({ rawTxListHash: LIST.rawTxListHash })));
  store.putTxList(LIST);
  driver.script.push({ kind: "Stale", confirmedTip: 4n });
  const outcomes = await submitter.advance();
  assert.deepEqual(outcomes.map((o) => [o.kind, o.blockNumber]), [["Stale", 4n], ["Executed", 5n], [
    "Waiting",
    6n,
  ]]);
  assert.equal(store.commitmentAt(4n), undefined);
});

Deno.test("`BlockSubmitter.advance()` re-reads the head when the engine's parent moved", async () => {
  const { l2, driver, store, submitter } = setup(2n);
  acceptAll(store, chain(3n, 1, () => ({ rawTxListHash: LIST.rawTxListHash })));
  store.putTxList(LIST);
  l2.blocks.delete(2n);
  const outcomes = await submitter.advance();
  assert.deepEqual(outcomes[0], { kind: "Waiting", blockNumber: 3n, reason: "ParentMoved" });
  assert.equal(submitter.head, 1n);
  assert.equal(driver.submissions.length, 0);
});

Deno.test("`BlockSubmitter.advance()` drops a block that does not fit the engine's parent", async () => {
  const { store, submitter } = setup(1n);
  acceptAll(store, [commitment({ blockNumber: 2n, rawTxListHash: LIST.rawTxListHash, timestamp: 1001n })]);
  store.putTxList(LIST);
  const outcomes = await submitter.advance();
  assert.equal(outcomes[0]?.kind === "Dropped" && outcomes[0].reason, "parent_check_failed");
});

Deno.test("`BlockSubmitter.advance()` is not stalled by an EOP-only marker at the next number", async () => {
  const { driver, store, submitter } = setup(1n);
  store.accept(accepted(commitment({ blockNumber: 2n, eop: true, rawTxListHash: ZERO_HASH })));
  assert.deepEqual((await submitter.advance())[0], {
    kind: "Waiting",
    blockNumber: 2n,
    reason: "NoCommitment",
  });
  store.accept(
    accepted(commitment({ blockNumber: 2n, rawTxListHash: LIST.rawTxListHash, submissionWindowEnd: 2100n })),
  );
  store.putTxList(LIST);
  assert.equal((await submitter.advance())[0]?.kind, "Executed");
  assert.deepEqual(driver.blockNumbers, [2n]);
});

Deno.test("`BlockSubmitter` shares one run between concurrent calls and remembers executed commitments", async () => {
  const { driver, store, submitter } = setup();
  const [one] = chain(1n, 1, () => ({ rawTxListHash: LIST.rawTxListHash }));
  const record = accepted(one!);
  store.accept(record);
  store.putTxList(LIST);
  const [a, b] = await Promise.all([submitter.advance(), submitter.advance()]);
  assert.equal(a, b);
  assert.equal(driver.submissions.length, 1);
  const hash = submitter.executedHash(1n, record.commitmentHash);
  assert.ok(hash !== undefined);
  assert.equal(submitter.executedHash(1n, `0x${"00".repeat(32)}`), undefined);
});

Deno.test("`BlockSubmitter` remembers the last EXECUTED_RECORDS_MAX executed blocks and forgets the oldest", async () => {
  const { store, submitter } = setup();
  const records = chain(1n, EXECUTED_RECORDS_MAX + 2, () => ({ rawTxListHash: LIST.rawTxListHash })).map(
    (signed) => accepted(signed),
  );
  for (const record of records) store.accept(record);
  store.putTxList(LIST);
  await submitter.advance();
  const remembered = records.map((record) =>
    submitter.executedHash(record.signed.commitment.preconf.blockNumber, record.commitmentHash) !== undefined
  );
  assert.deepEqual(remembered.slice(0, 3), [false, false, true]);
  assert.equal(remembered.filter(Boolean).length, EXECUTED_RECORDS_MAX);
});

function countReads(l2: ChainDouble): bigint[] {
  const reads: bigint[] = [];
  const read = l2.l2Block.bind(l2);
  l2.l2Block = (n) => {
    reads.push(n);
    return read(n);
  };
  return reads;
}

Deno.test("`BlockSubmitter.advance()` builds each next block on the headers it just inserted instead of reading them back", async () => {
  const { l2, driver, store, submitter } = setup();
  const reads = countReads(l2);
  const blocks = chain(1n, 5, () => ({ rawTxListHash: LIST.rawTxListHash }));
  acceptAll(store, blocks.slice(0, 4));
  store.putTxList(LIST);
  await submitter.advance();
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n, 4n]);
  // Block 1 reads its parent (genesis), block 2 genesis as grandparent; then nothing.
  assert.deepEqual(reads, [0n, 0n]);
  assert.deepEqual(
    driver.submissions.map((s) => s.parentHash),
    [0n, 1n, 2n, 3n].map((n) => l2.blocks.get(n)!.hash),
  );

  // The runner reporting the head the submitter just inserted keeps the remembered headers.
  submitter.observeHead(4n);
  acceptAll(store, blocks.slice(4));
  await submitter.advance();
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(reads, [0n, 0n]);

  // A head that moved elsewhere (the engine reorged to 4) drops them: block 5 is built from reads.
  l2.blocks.delete(5n);
  submitter.observeHead(4n);
  await submitter.advance();
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n, 4n, 5n, 5n]);
  assert.deepEqual(reads, [0n, 0n, 4n, 3n]);
});

Deno.test("`BlockSubmitter.advance()` rebuilds a block on the engine's parent when a reorg nobody reported replaced the header it remembered", async () => {
  const { l2, driver, store, submitter } = setup();
  const blocks = chain(1n, 4, () => ({ rawTxListHash: LIST.rawTxListHash }));
  acceptAll(store, blocks.slice(0, 3));
  store.putTxList(LIST);
  await submitter.advance();
  // The engine's block 3 changes under the submitter (another path reorged it).
  const replaced = l2.insert(3n, `0x${"3e".repeat(32)}`, 1003n, 31_000_000n);
  acceptAll(store, blocks.slice(3));
  assert.deepEqual((await submitter.advance())[0], {
    kind: "Waiting",
    blockNumber: 4n,
    reason: "ParentMoved",
  });
  const executed = await submitter.advance();
  assert.equal(executed[0]?.kind, "Executed");
  assert.equal(driver.submissions.at(-1)?.parentHash, replaced.hash);
});

Deno.test("`BlockSubmitter.rememberDecoded()` hands over the next block's transactions so its txlist is not decoded again", async () => {
  const account = privateKeyToAccount(`0x${"07".repeat(32)}`);
  const tx = await account.signTransaction({
    type: "eip1559",
    chainId: 167001,
    nonce: 0,
    gas: 21000n,
    maxFeePerGas: 2n,
    maxPriorityFeePerGas: 1n,
    to: account.address,
  });
  const { driver, store, submitter } = setup();
  acceptAll(store, chain(1n, 2, () => ({ rawTxListHash: LIST.rawTxListHash })));
  store.putTxList(LIST);
  // LIST decodes to no transactions: the block carries the handed-over ones instead.
  submitter.rememberDecoded(LIST.rawTxListHash, [tx]);
  await submitter.advance();
  assert.deepEqual(driver.submissions.map((s) => s.attrs.blockMetadata.txList), [encodeTxList([tx]), "0xc0"]);

  // Transactions remembered for another txlist are not used.
  const { driver: other, store: otherStore, submitter: otherSubmitter } = setup();
  acceptAll(otherStore, chain(1n, 1, () => ({ rawTxListHash: LIST.rawTxListHash })));
  otherStore.putTxList(LIST);
  otherSubmitter.rememberDecoded(`0x${"11".repeat(32)}`, [tx]);
  await otherSubmitter.advance();
  assert.deepEqual(other.submissions.map((s) => s.attrs.blockMetadata.txList), ["0xc0"]);
});
