import assert from "node:assert/strict";
import { DriverError } from "../../../driver/mod.ts";
import { encodeSignedCommitment, type SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { commitmentHash, preconfirmationHash } from "../../../runner/p2p/wire/signing.ts";
import { PreconfError } from "../../../runner/preconf/errors.ts";
import type { LookaheadAnswer } from "../../../runner/preconf/lookahead/resolver.ts";
import {
  chain,
  commitment,
  emptyTxList,
  junkTxList,
  OTHER,
  OTHER_KEY,
  SIGNER,
  waitFor,
  ZERO_HASH,
} from "./_fixtures.ts";
import { ScriptedLookahead } from "./_lookahead_double.ts";
import { recoverSignerInline } from "../../../runner/p2p/gossip_validation.ts";
import { SignaturePool } from "../../../runner/preconf/signature_pool.ts";
import { setupClient } from "./_client_setup.ts";
import { NetworkDouble } from "./_network_double.ts";

const LIST = emptyTxList();

function blocks(count: number, start = 1n): SignedCommitment[] {
  return chain(start, count, () => ({ rawTxListHash: LIST.rawTxListHash }));
}

Deno.test("`PreconfClient` submits commitments 3 and 2, received before 1, in order once 1 arrives", async () => {
  const { client, driver } = setupClient();
  const [one, two, three] = blocks(3);
  assert.equal(await client.validateRawTxList(LIST, "peer-a"), "accept");
  assert.equal(await client.validateCommitment(three!, "peer-a"), "ignore");
  assert.equal(await client.validateCommitment(two!, "peer-b"), "ignore");
  assert.equal(client.store.stats.pending, 2);
  assert.equal(driver.submissions.length, 0);
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n]);
  assert.equal(client.head, 3n);
  assert.equal(client.store.stats.pending, 0);
});

Deno.test("`PreconfClient.validateCommitment()` judges by the signer the network recovered", async () => {
  const { client } = setupClient();
  const [one] = blocks(1);
  // The network recovered OTHER_KEY's address: the elected SIGNER check refuses it although the
  // signature itself recovers SIGNER, so the client used the handed-on signer.
  assert.equal(await client.validateCommitment(one!, "peer-a", OTHER), "reject");
  assert.equal(await client.validateCommitment(one!, "peer-a", SIGNER), "accept");
});

Deno.test("`PreconfClient` recovers signers on the SignaturePool it is given, not on the event loop", async () => {
  const pool = new SignaturePool({ workers: 1 });
  pool.start();
  try {
    const { client, driver } = setupClient({
      recoverSigner: (signed, domain) => pool.recoverSigner(signed, domain),
    });
    const [one, two] = blocks(2);
    assert.equal(await client.validateRawTxList(LIST, "peer-a"), "accept");
    assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
    assert.equal(
      await client.validateCommitment(commitment({ blockNumber: 2n, key: OTHER_KEY }), "peer-b"),
      "reject",
    );
    assert.equal(await client.validateCommitment(two!, "peer-a"), "accept");
    await client.tick();
    assert.deepEqual(driver.blockNumbers, [1n, 2n]);
    assert.equal(pool.inlineRecoveries, 0);
  } finally {
    pool.stop();
  }
  assert.equal(pool.running, false);
});

Deno.test("`PreconfClient` recovers each buffered commitment's signer once, not again when its parent arrives", async () => {
  let recoveries = 0;
  const { client, driver } = setupClient({
    recoverSigner: (signed, domain) => {
      recoveries++;
      return recoverSignerInline(signed, domain);
    },
  });
  const [one, two, three] = blocks(3);
  assert.equal(await client.validateRawTxList(LIST, "peer-a"), "accept");
  assert.equal(await client.validateCommitment(three!, "peer-a"), "ignore");
  assert.equal(await client.validateCommitment(two!, "peer-b"), "ignore");
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n, 2n, 3n]);
  assert.equal(recoveries, 3);
});

Deno.test("`PreconfClient` recovers a commitment published over JSON-RPC on the event loop and gossiped ones with the given recovery", async () => {
  let recoveries = 0;
  const { client, driver } = setupClient({
    recoverSigner: (signed, domain) => {
      recoveries++;
      return recoverSignerInline(signed, domain);
    },
  });
  const [one, two] = blocks(2);
  const published = await client.publishBlock({
    commitment: encodeSignedCommitment(one!),
    commitmentHash: commitmentHash(one!),
    txList: LIST,
  });
  assert.equal(published.local.kind, "Inserted");
  assert.equal(recoveries, 0);
  assert.equal(await client.validateCommitment(two!, "peer-a"), "accept");
  assert.equal(recoveries, 1);
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n, 2n]);
});

Deno.test("`PreconfClient` executes a block whose txlist arrived before its commitment", async () => {
  const { client, driver } = setupClient();
  const [one] = blocks(1);
  assert.equal(await client.validateRawTxList(LIST, "peer-a"), "accept");
  assert.equal(client.storage.getTxList(LIST.rawTxListHash), undefined);
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n]);
  assert.equal(client.storage.getTxList(LIST.rawTxListHash), LIST);
});

Deno.test("`PreconfClient` keeps the first of two commitments for one block and counts the equivocation", async () => {
  const { client, driver, registry } = setupClient();
  const first = commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash, gasLimit: 31_000_000n });
  const second = commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash, gasLimit: 31_000_100n });
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(first, "peer-a"), "accept");
  assert.equal(await client.validateCommitment(second, "peer-b"), "ignore");
  await client.tick();
  assert.equal(client.store.commitmentAt(1n)?.commitmentHash, commitmentHash(first));
  assert.equal(driver.submissions[0]?.attrs.blockMetadata.gasLimit, 31_000_000n);
  assert.match(await registry.metrics(), /preconf_client_equivocations_total 1/);
});

Deno.test("`PreconfClient` refuses a wrong signer, a wrong slasher, a broken parent link and a stale block, none reaching the driver", async () => {
  const { client, driver, registry } = setupClient();
  await client.validateRawTxList(LIST, "peer-a");
  const wrongSigner = commitment({ blockNumber: 1n, rawTxListHash: LIST.rawTxListHash, key: OTHER_KEY });
  const wrongSlasher = commitment({
    blockNumber: 1n,
    rawTxListHash: LIST.rawTxListHash,
    slasher: "0x0000000000000000000000000000000000000bad",
  });
  assert.equal(await client.validateCommitment(wrongSigner, "peer-x"), "reject");
  assert.equal(await client.validateCommitment(wrongSlasher, "peer-x"), "reject");
  const [one] = blocks(1);
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  const broken = commitment({
    blockNumber: 2n,
    rawTxListHash: LIST.rawTxListHash,
    parentPreconfirmationHash: `0x${"77".repeat(32)}`,
  });
  assert.equal(await client.validateCommitment(broken, "peer-x"), "reject");
  driver.confirmedTip = 5n;
  const stale = commitment({ blockNumber: 5n, rawTxListHash: LIST.rawTxListHash });
  assert.equal(await client.validateCommitment(stale, "peer-x"), "ignore");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n]);
  const text = await registry.metrics();
  for (const reason of ["SignerMismatch", "SlasherMismatch", "ParentHashMismatch", "Stale"]) {
    assert.match(text, new RegExp(`preconf_client_validation_failures_total\\{reason="${reason}"\\} 1`));
  }
});

Deno.test("`PreconfClient` drops a block whose committed txlist does not decode and keeps running", async () => {
  const { client, driver, registry } = setupClient();
  const junk = junkTxList();
  const bad = commitment({ blockNumber: 1n, rawTxListHash: junk.rawTxListHash });
  assert.equal(await client.validateRawTxList(junk, "peer-a"), "accept");
  assert.equal(await client.validateCommitment(bad, "peer-a"), "accept");
  await client.tick();
  assert.equal(driver.submissions.length, 0);
  assert.match(await registry.metrics(), /preconf_client_dropped_total\{reason="txlist_undecodable"\} 1/);
  assert.equal(await client.validateCommitment(bad, "peer-b"), "ignore");
  const [good] = blocks(1);
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(good!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n]);
});

Deno.test("`PreconfClient` buffers a commitment until the lookahead knows its slot, then executes it", async () => {
  let known = false;
  const lookahead = new ScriptedLookahead((): LookaheadAnswer =>
    known
      ? { kind: "Known", source: "Slot", signer: SIGNER, submissionWindowEnd: 2000n }
      : { kind: "NotYetKnown", reason: "not indexed" }
  );
  const { client, driver } = setupClient({ lookahead });
  const [one] = blocks(1);
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(one!, "peer-a"), "ignore");
  await client.tick();
  assert.equal(driver.submissions.length, 0);
  known = true;
  await client.tick();
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n]);
});

Deno.test("`PreconfClient` hands an EOP-only commitment over without stalling the next block", async () => {
  const { client, driver } = setupClient();
  const [one] = blocks(1);
  const eop = commitment({
    blockNumber: 2n,
    eop: true,
    rawTxListHash: ZERO_HASH,
    parentPreconfirmationHash: preconfirmationHash(one!.commitment.preconf),
  });
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  assert.equal(await client.validateCommitment(eop, "peer-a"), "accept");
  const next = commitment({
    blockNumber: 2n,
    rawTxListHash: LIST.rawTxListHash,
    parentPreconfirmationHash: preconfirmationHash(one!.commitment.preconf),
  });
  assert.equal(await client.validateCommitment(next, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n, 2n]);
});

Deno.test("`PreconfClient.publishBlock()` inserts locally with zero peers, serves the block and answers retries idempotently", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  client.attachNetwork(network);
  const [one, two] = blocks(2);
  const request = {
    commitment: encodeSignedCommitment(one!),
    commitmentHash: commitmentHash(one!),
    txList: LIST,
  };
  const result = await client.publishBlock(request);
  assert.equal(result.local.kind, "Inserted");
  assert.deepEqual(result.propagation, { kind: "NotPropagated", reason: "no peers" });
  assert.deepEqual(driver.blockNumbers, [1n]);
  assert.deepEqual(client.storage.commitmentsFrom(1n, 10), [one]);
  assert.equal(client.storage.getTxList(LIST.rawTxListHash), LIST);
  assert.deepEqual(network.heads.at(-1), { blockNumber: 1n, submissionWindowEnd: 2000n });

  const retry = await client.publishBlock(request);
  assert.equal(retry.local.kind, "AlreadyMaterialized");
  assert.equal(
    retry.local.kind === "AlreadyMaterialized" && retry.local.blockHash,
    result.local.kind === "Inserted" && result.local.blockHash,
  );
  assert.deepEqual(driver.blockNumbers, [1n]);

  const [, , three] = blocks(3);
  await assert.rejects(
    client.publishBlock({
      commitment: encodeSignedCommitment(three!),
      commitmentHash: commitmentHash(three!),
      txList: LIST,
    }),
    (e: unknown) => e instanceof PreconfError && e.context.reason === "AwaitingParent",
  );
  network.addPeer("peer-a");
  const second = await client.publishBlock({
    commitment: encodeSignedCommitment(two!),
    commitmentHash: commitmentHash(two!),
    txList: LIST,
  });
  assert.deepEqual(second.propagation, { kind: "Propagated" });
  // The retry gossips again (a first attempt may not have propagated); gossipsub drops duplicates.
  assert.equal(network.publishedTxLists.length, 3);
});

Deno.test("`PreconfClient.publishBlock()` gossips nothing when the driver refuses the block", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  network.addPeer("peer-a");
  client.attachNetwork(network);
  const [one] = blocks(1);
  driver.script.push(new DriverError("PreconfInjectionFailed", "Cannot insert: engine said INVALID"));
  await assert.rejects(
    client.publishBlock({
      commitment: encodeSignedCommitment(one!),
      commitmentHash: commitmentHash(one!),
      txList: LIST,
    }),
    (e: unknown) => e instanceof PreconfError && e.kind === "Driver",
  );
  assert.equal(network.publishedCommitments.length, 0);
  assert.equal(network.publishedTxLists.length, 0);
});

Deno.test("`PreconfClient.publishBlock()` accepts an EOP-only commitment without a txlist and produces no block", async () => {
  const { client, driver } = setupClient();
  const network = new NetworkDouble();
  network.addPeer("peer-a");
  client.attachNetwork(network);
  const eop = commitment({ blockNumber: 1n, eop: true, rawTxListHash: ZERO_HASH });
  const result = await client.publishBlock({
    commitment: encodeSignedCommitment(eop),
    commitmentHash: commitmentHash(eop),
    txList: null,
  });
  assert.equal(result.local.kind, "EopOnly");
  assert.equal(network.publishedCommitments.length, 1);
  assert.equal(network.publishedTxLists.length, 0);
  assert.equal(driver.submissions.length, 0);
});

Deno.test("`PreconfClient.publishBlock()` refuses a stale block and bad input with their reasons", async () => {
  const { client, driver } = setupClient();
  const [one] = blocks(1);
  driver.confirmedTip = 1n;
  await assert.rejects(
    client.publishBlock({
      commitment: encodeSignedCommitment(one!),
      commitmentHash: commitmentHash(one!),
      txList: LIST,
    }),
    (e: unknown) => e instanceof PreconfError && e.context.reason === "Stale",
  );
  await assert.rejects(
    client.publishBlock({ commitment: new Uint8Array(10), commitmentHash: ZERO_HASH, txList: LIST }),
    (e: unknown) => e instanceof PreconfError && e.context.reason === "InvalidSsz",
  );
  driver.confirmedTip = 0n;
  const junk = junkTxList();
  const bad = commitment({ blockNumber: 1n, rawTxListHash: junk.rawTxListHash });
  await assert.rejects(
    client.publishBlock({
      commitment: encodeSignedCommitment(bad),
      commitmentHash: commitmentHash(bad),
      txList: junk,
    }),
    (e: unknown) => e instanceof PreconfError && e.kind === "TxListCodec",
  );
  assert.equal(driver.submissions.length, 0);
});

Deno.test("`PreconfClient.publishBlock()` and `publishTxList()` take the server's verified txlist hash instead of hashing the bytes again", async () => {
  const { client, driver } = setupClient();
  const [one] = blocks(1);
  const request = {
    commitment: encodeSignedCommitment(one!),
    commitmentHash: commitmentHash(one!),
    txList: LIST,
  };
  // A verified hash that differs from the declared one is a mismatch, whatever the bytes hash to.
  const wrong = emptyTxList(1).rawTxListHash;
  await assert.rejects(
    client.publishBlock({ ...request, verifiedTxListHash: wrong }),
    (e: unknown) => e instanceof PreconfError && e.context.reason === "InvalidTxList",
  );
  await assert.rejects(
    client.publishTxList(LIST, wrong),
    (e: unknown) => e instanceof PreconfError && e.context.reason === "InvalidTxList",
  );
  assert.equal(client.storage.getTxList(LIST.rawTxListHash), undefined);
  assert.deepEqual(driver.blockNumbers, []);

  const result = await client.publishBlock({ ...request, verifiedTxListHash: LIST.rawTxListHash });
  assert.equal(result.local.kind, "Inserted");
  assert.deepEqual(driver.blockNumbers, [1n]);
  assert.equal(client.storage.getTxList(LIST.rawTxListHash), LIST);
});

Deno.test("`PreconfClient.status()` and `slotInfo()` report the node's view", async () => {
  const { client, l2, lookahead } = setupClient({ head: 2n });
  l2.nextProposalId = 3n;
  client.updateProposalState({ canonicalProposalId: 2n });
  const status = await client.status();
  assert.deepEqual(status, {
    isSyncedWithInbox: true,
    eventSyncTip: 0n,
    preconfTip: 2n,
    canonicalProposalId: 2n,
    peerCount: 0,
    peerId: "",
  });
  assert.deepEqual(await client.slotInfo(1005n), { signer: SIGNER, submissionWindowEnd: 2000n });
  lookahead.answer = () => ({ kind: "OutOfRange", reason: "TooOld" });
  await assert.rejects(
    client.slotInfo(1n),
    (e: unknown) => e instanceof PreconfError && e.kind === "LookaheadOutOfRange",
  );
});

Deno.test("`PreconfClient.status()` shares the engine read in flight, reports an unreported reorg on the next call (L-4) and reads the Inbox at most once a second", async () => {
  const { client, l2, clock } = setupClient({ head: 6n });
  let headReads = 0;
  let inboxReads = 0;
  const l2Head = l2.l2Head.bind(l2);
  const inbox = l2.inboxNextProposalId.bind(l2);
  l2.l2Head = () => {
    headReads++;
    return l2Head();
  };
  l2.inboxNextProposalId = () => {
    inboxReads++;
    return inbox();
  };
  const [a, b] = await Promise.all([client.status(), client.status()]);
  assert.equal(a.preconfTip, 6n);
  assert.equal(b.preconfTip, 6n);
  assert.equal(headReads, 1);
  // A 3-block engine reorg nobody reported: the very next call sees it, both ways.
  for (const n of [4n, 5n, 6n]) l2.blocks.delete(n);
  assert.equal((await client.status()).preconfTip, 3n);
  l2.insert(4n, `0x${"e4".repeat(32)}`, 1004n, 31_000_000n);
  assert.equal((await client.status()).preconfTip, 4n);
  assert.equal(headReads, 3);
  assert.equal(inboxReads, 1);
  clock.ms += 1_001;
  await client.status();
  assert.equal(inboxReads, 2);
});

Deno.test("`PreconfClient.tip()` shares the engine read with `status()` and sees an unreported 3-block reorg at once (L-4)", async () => {
  const { client, l2 } = setupClient({ head: 6n });
  let headReads = 0;
  const l2Head = l2.l2Head.bind(l2);
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  l2.l2Head = async () => {
    headReads++;
    await gate;
    return await l2Head();
  };
  gate = new Promise((resolve) => release = resolve);
  const calls = Promise.all([client.tip(), client.status(), client.tip(), client.status()]);
  release();
  const [tipA, statusA, tipB, statusB] = await calls;
  assert.deepEqual([tipA, statusA.preconfTip, tipB, statusB.preconfTip], [6n, 6n, 6n, 6n]);
  assert.equal(headReads, 1, "four concurrent calls make one engine read");
  for (const n of [4n, 5n, 6n]) l2.blocks.delete(n);
  assert.equal(await client.tip(), 3n);
  assert.equal((await client.status()).preconfTip, 3n);
  l2.insert(4n, `0x${"e4".repeat(32)}`, 1004n, 31_000_000n);
  assert.equal(await client.tip(), 4n);
  assert.equal(headReads, 4);
});

Deno.test("`PreconfClient.followProposalState()` applies the runner's head and proposal id, dropping stale data", async () => {
  const { client, driver } = setupClient();
  const { Watch } = await import("../../../internal/watch.ts");
  const state = new Watch({ canonicalProposalId: 0n, preconfTip: 0n });
  const controller = new AbortController();
  const following = client.followProposalState(state, controller.signal);
  const [one, two] = chain(1n, 2, (n) => ({ rawTxListHash: LIST.rawTxListHash, proposalId: n }));
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  await client.tick();
  assert.equal(client.head, 1n);
  driver.confirmedTip = 1n;
  state.set({ canonicalProposalId: 1n, preconfTip: 1n });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(await client.canonicalProposalId(), 1n);
  assert.equal(client.store.commitmentAt(1n), undefined);
  assert.equal(client.store.txList(LIST.rawTxListHash), undefined, "a stale block's txlist goes with it");
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(two!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n, 2n]);
  controller.abort();
  await following;
});

Deno.test("`PreconfClient` stores and submits only what is above the confirmed tip (lesson V-8)", async () => {
  const { client, driver, clock } = setupClient({ head: 100n });
  clock.ms = 1_100_000;
  driver.confirmedTip = 100n;
  const lists = [1, 2, 3].map((variant) => emptyTxList(variant));
  const [b99, b100, b101] = chain(99n, 3, (n) => ({ rawTxListHash: lists[Number(n - 99n)]!.rawTxListHash }));
  for (const list of lists) await client.validateRawTxList(list, "peer-a");
  assert.equal(await client.validateCommitment(b99!, "peer-a"), "ignore");
  assert.equal(await client.validateCommitment(b100!, "peer-a"), "ignore");
  assert.equal(
    client.store.txList(lists[0]!.rawTxListHash),
    undefined,
    "a stale commitment's txlist is dropped",
  );
  assert.equal(await client.validateCommitment(b101!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(client.store.acceptedNumbers(0n, 200n), [101n]);
  assert.deepEqual(driver.blockNumbers, [101n]);
});

Deno.test("`PreconfClient` resumes buffered blocks once the confirmed tip passes the gap (lesson C-5)", async () => {
  const { client, driver, l2 } = setupClient();
  const all = blocks(5);
  await client.validateRawTxList(LIST, "peer-a");
  for (const signed of all.slice(2)) {
    assert.equal(await client.validateCommitment(signed, "peer-a"), "ignore");
  }
  await client.tick();
  assert.equal(driver.submissions.length, 0);
  // L1 derivation inserts blocks 1 and 2 and confirms them.
  l2.insert(1n, `0x${"d1".repeat(32)}`, 1001n, 31_000_000n);
  l2.insert(2n, `0x${"d2".repeat(32)}`, 1002n, 31_000_000n);
  driver.confirmedTip = 2n;
  client.updateProposalState({ preconfTip: 2n });
  // The state update re-checks the buffer in the background (recoveries may yield to the event
  // loop); a tick after it has drained.
  await waitFor(() => client.store.acceptedNumbers(3n, 5n).length === 3, "the buffer to drain");
  await client.tick();
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [3n, 4n, 5n]);
  assert.equal(driver.submissions[0]?.parentHash, `0x${"d2".repeat(32)}`);
});

Deno.test("`PreconfClient` re-reads the L1 head before ignoring an anchor ahead of its cached view", async () => {
  const { client, driver, l2, clock } = setupClient();
  await client.tick();
  l2.l1 = 60n;
  clock.ms += 2_000;
  const [one] = chain(1n, 1, () => ({ rawTxListHash: LIST.rawTxListHash, anchorBlockNumber: 58n }));
  await client.validateRawTxList(LIST, "peer-a");
  assert.equal(await client.validateCommitment(one!, "peer-a"), "accept");
  await client.tick();
  assert.deepEqual(driver.blockNumbers, [1n]);
});
