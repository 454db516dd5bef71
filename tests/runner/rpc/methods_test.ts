import assert from "node:assert/strict";
import { bytesToHex, keccak256, zeroHash } from "viem";
import {
  publishBlockParam,
  testCommitmentBytes,
  testTxList,
} from "../../helpers/preconf_rpc_backend_double.ts";
import type { PreconfRpcBackend } from "../../../runner/rpc/backend.ts";
import { call, withRpcServer } from "./_server.ts";

Deno.test("`preconf_publishBlock` hands the exact bytes to the backend and reports the inserted block", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const txList = testTxList(300);
    const commitment = testCommitmentBytes({ blockNumber: 101n, rawTxListHash: txList.rawTxListHash });
    const answer = await call(url, "preconf_publishBlock", [publishBlockParam(commitment, txList)]);
    const commitmentHash = keccak256(commitment);
    assert.deepEqual(answer, {
      jsonrpc: "2.0",
      id: 1,
      result: {
        commitmentHash,
        txListHash: txList.rawTxListHash,
        blockNumber: "0x65",
        blockHash: keccak256(commitmentHash),
        local: "inserted",
        propagated: true,
        propagationError: null,
      },
    });
    const [recorded] = backend.calls;
    assert.equal(recorded?.method, "publishBlock");
    if (recorded?.method !== "publishBlock") return;
    assert.deepEqual(recorded.request.commitment, commitment);
    assert.equal(recorded.request.commitmentHash, commitmentHash);
    assert.deepEqual(recorded.request.txList, txList);
  });
});

Deno.test("`preconf_publishBlock` answers a retry of the same block with alreadyMaterialized and the same hash", async () => {
  await withRpcServer(async ({ url }) => {
    const txList = testTxList(64);
    const param = publishBlockParam(
      testCommitmentBytes({ blockNumber: 5n, rawTxListHash: txList.rawTxListHash }),
      txList,
    );
    const first = await call(url, "preconf_publishBlock", [param]);
    const retry = await call(url, "preconf_publishBlock", [param]);
    assert.equal(first.result.local, "inserted");
    assert.equal(retry.result.local, "alreadyMaterialized");
    assert.equal(retry.result.blockHash, first.result.blockHash);
    assert.equal(retry.result.commitmentHash, first.result.commitmentHash);
  });
});

Deno.test("`preconf_publishBlock` reports a block applied locally but not gossiped as propagated false, not as an error", async () => {
  await withRpcServer(async ({ url, backend }) => {
    backend.propagation = { kind: "NotPropagated", reason: "no peers subscribed to the commitment topic" };
    const txList = testTxList(64);
    const param = publishBlockParam(
      testCommitmentBytes({ blockNumber: 6n, rawTxListHash: txList.rawTxListHash }),
      txList,
    );
    const answer = await call(url, "preconf_publishBlock", [param]);
    assert.equal(answer.error, undefined);
    assert.equal(answer.result.local, "inserted");
    assert.equal(answer.result.propagated, false);
    assert.equal(answer.result.propagationError, "no peers subscribed to the commitment topic");
  });
});

Deno.test("`preconf_publishBlock` takes an EOP-only commitment with an empty txList and the zero hash", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const commitment = testCommitmentBytes({ blockNumber: 7n, eop: true, rawTxListHash: zeroHash });
    const answer = await call(url, "preconf_publishBlock", [publishBlockParam(commitment, null)]);
    assert.deepEqual(answer.result, {
      commitmentHash: keccak256(commitment),
      txListHash: zeroHash,
      blockNumber: "0x7",
      blockHash: null,
      local: "eopOnly",
      propagated: true,
      propagationError: null,
    });
    const [recorded] = backend.calls;
    assert.ok(recorded?.method === "publishBlock" && recorded.request.txList === null);
  });
});

Deno.test("`preconf_getStatus` encodes tips as hex quantities and ids and counts as JSON numbers", async () => {
  await withRpcServer(async ({ url, backend }) => {
    assert.deepEqual((await call(url, "preconf_getStatus")).result, {
      isSyncedWithInbox: true,
      eventSyncTip: "0x5a",
      preconfTip: "0x64",
      canonicalProposalId: 42,
      peerCount: 5,
      peerId: "12D3KooWTestPeer",
    });
    backend.status_ = {
      isSyncedWithInbox: false,
      eventSyncTip: null,
      preconfTip: 0n,
      canonicalProposalId: 0n,
      peerCount: 0,
      peerId: "12D3KooWOther",
    };
    assert.deepEqual((await call(url, "preconf_getStatus", [])).result, {
      isSyncedWithInbox: false,
      eventSyncTip: null,
      preconfTip: "0x0",
      canonicalProposalId: 0,
      peerCount: 0,
      peerId: "12D3KooWOther",
    });
  });
});

Deno.test("`preconf_tip` answers the backend's value read at call time, as a U256 quantity", async () => {
  await withRpcServer(async ({ url, backend }) => {
    assert.equal((await call(url, "preconf_tip")).result, "0x64");
    backend.tip_ = 97n;
    assert.equal((await call(url, "preconf_tip", [])).result, "0x61");
    backend.tip_ = 0n;
    assert.equal((await call(url, "preconf_tip")).result, "0x0");
  });
});

Deno.test("`preconf_getPreconfSlotInfo` takes the timestamp as a hex quantity or a number and returns a checksummed signer", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const expected = { signer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", submissionWindowEnd: "0x480" };
    assert.deepEqual((await call(url, "preconf_getPreconfSlotInfo", ["0x3e8"])).result, expected);
    assert.deepEqual((await call(url, "preconf_getPreconfSlotInfo", [1000])).result, expected);
    assert.deepEqual(backend.calls, [
      { method: "slotInfo", timestamp: 1000n },
      { method: "slotInfo", timestamp: 1000n },
    ]);
  });
});

Deno.test("`preconf_publishCommitment` answers the keccak of the 382 bytes and the commitment's txlist hash", async () => {
  await withRpcServer(async ({ url }) => {
    const rawTxListHash = keccak256("0x1234");
    const commitment = testCommitmentBytes({ blockNumber: 9n, rawTxListHash });
    const answer = await call(url, "preconf_publishCommitment", [{ commitment: bytesToHex(commitment) }]);
    assert.deepEqual(answer.result, { commitmentHash: keccak256(commitment), txListHash: rawTxListHash });
  });
});

Deno.test("`preconf_publishTxList` passes the checked bytes to the backend and echoes the hash", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const txList = testTxList(4, 9);
    const answer = await call(url, "preconf_publishTxList", [{
      txListHash: txList.rawTxListHash.toUpperCase().replace("0X", "0x"),
      txList: bytesToHex(txList.txlist),
    }]);
    assert.deepEqual(answer.result, { txListHash: txList.rawTxListHash });
    assert.deepEqual(backend.calls, [{ method: "publishTxList", txList }]);
  });
});

Deno.test("`preconf_canonicalProposalId` answers a JSON number", async () => {
  await withRpcServer(async ({ url, backend }) => {
    assert.deepEqual(await call(url, "preconf_canonicalProposalId"), { jsonrpc: "2.0", id: 1, result: 42 });
    backend.canonicalProposalId_ = 281_474_976_710_655n;
    assert.equal((await call(url, "preconf_canonicalProposalId", [])).result, 281_474_976_710_655);
  });
});

Deno.test("`preconf_publishBlock` and `preconf_publishTxList` hand the backend the txlist hash the server computed from the bytes", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const txList = testTxList(2048, 3);
    const commitment = testCommitmentBytes({ blockNumber: 7n, rawTxListHash: txList.rawTxListHash });
    await call(url, "preconf_publishBlock", [publishBlockParam(commitment, txList)]);
    const [recorded] = backend.calls;
    assert.ok(recorded?.method === "publishBlock");
    assert.equal(recorded.request.verifiedTxListHash, keccak256(txList.txlist));

    const eop = testCommitmentBytes({ blockNumber: 8n, rawTxListHash: zeroHash, eop: true });
    await call(url, "preconf_publishBlock", [publishBlockParam(eop, null)]);
    const eopCall = backend.calls[1];
    assert.ok(eopCall?.method === "publishBlock");
    assert.equal(eopCall.request.txList, null);
    assert.equal("verifiedTxListHash" in eopCall.request, false);

    const verified: unknown[] = [];
    const publishTxList = backend.publishTxList.bind(backend);
    const seen: PreconfRpcBackend = backend;
    seen.publishTxList = (list, hash) => {
      verified.push(hash);
      return publishTxList(list);
    };
    await call(url, "preconf_publishTxList", [{
      txListHash: txList.rawTxListHash,
      txList: bytesToHex(txList.txlist),
    }]);
    assert.deepEqual(verified, [keccak256(txList.txlist)]);
  });
});
