import assert from "node:assert/strict";
import { bytesToHex, keccak256, zeroHash } from "viem";
import { DriverError } from "../../../driver/mod.ts";
import { MAX_TXLIST_BYTES } from "../../../runner/p2p/wire/constants.ts";
import { PreconfError, type ValidationReason } from "../../../runner/preconf/errors.ts";
import {
  type BackendCall,
  publishBlockParam,
  testCommitmentBytes,
  testTxList,
} from "../../helpers/preconf_rpc_backend_double.ts";
import { call, post, withRpcServer } from "./_server.ts";

function validBlockParam(blockNumber = 11n): ReturnType<typeof publishBlockParam> {
  const txList = testTxList(32, Number(blockNumber));
  return publishBlockParam(testCommitmentBytes({ blockNumber, rawTxListHash: txList.rawTxListHash }), txList);
}

Deno.test("a body that is not JSON gets -32700 with a null id", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const answer = await post(url, '{"jsonrpc":"2.0","id":1,"method":"preconf_tip"');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.id, null);
    assert.equal(answer.json.error.code, -32700);
    assert.match(answer.json.error.message, /^Cannot parse the request body: not JSON/);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("a body that is not UTF-8 gets -32700", async () => {
  await withRpcServer(async ({ url }) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    const answer = await response.json();
    assert.equal(answer.error.code, -32700);
  });
});

Deno.test("invalid UTF-8 inside a JSON string still gets -32700, while a real U+FFFD is read as text", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const encoder = new TextEncoder();
    const send = async (bytes: Uint8Array<ArrayBuffer>) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bytes,
      });
      return await response.json();
    };
    const head = encoder.encode('{"jsonrpc":"2.0","id":1,"method":"preconf_tip');
    const tail = encoder.encode('"}');
    const invalid = await send(new Uint8Array([...head, 0xff, ...tail]));
    assert.equal(invalid.error.code, -32700);
    assert.match(invalid.error.message, /not UTF-8/);
    // EF BF BD is U+FFFD itself, valid UTF-8: the call parses and names an unknown method.
    const replacement = await send(new Uint8Array([...head, 0xef, 0xbf, 0xbd, ...tail]));
    assert.equal(replacement.error.code, -32601);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("a request that is not a JSON-RPC 2.0 object gets -32600, with its id when the id is readable", async () => {
  await withRpcServer(async ({ url }) => {
    const cases: [unknown, unknown][] = [
      [42, null],
      ["preconf_tip", null],
      [null, null],
      [{ id: 3, method: "preconf_tip" }, 3],
      [{ jsonrpc: "1.0", id: "a", method: "preconf_tip" }, "a"],
      [{ jsonrpc: "2.0", id: 4 }, 4],
      [{ jsonrpc: "2.0", id: 5, method: 7 }, 5],
      [{ jsonrpc: "2.0", id: 6, method: "preconf_tip", params: "0x1" }, 6],
      [{ jsonrpc: "2.0", id: { nested: true }, method: "preconf_tip" }, null],
    ];
    for (const [request, id] of cases) {
      const answer = await post(url, JSON.stringify(request));
      assert.equal(answer.json.error?.code, -32600, JSON.stringify(request));
      assert.equal(answer.json.id, id, JSON.stringify(request));
    }
  });
});

Deno.test("an unknown method gets -32601 with the request id and never reaches the backend", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const answer = await call(url, "preconf_publishPreconfirmation", [{}]);
    assert.equal(answer.id, 1);
    assert.equal(answer.error.code, -32601);
    assert.match(answer.error.message, /no such method, the server offers preconf_publishBlock/);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("publish params that are not an array of exactly one object get -32602", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const param = validBlockParam();
    const cases: [unknown, RegExp][] = [
      [param, /params must be a positional array/],
      [[param, param], /found 2 params/],
      [[], /found 0 params/],
      [undefined, /found none/],
      [["0x12"], /the param must be \{commitment, txListHash, txList\}, found a string/],
      [[{ commitment: param.commitment, txList: param.txList }], /field "txListHash" is missing/],
      [[{ ...param, txlist: param.txList }], /unknown field "txlist"/],
    ];
    for (const [params, message] of cases) {
      const answer = await call(url, "preconf_publishBlock", params);
      assert.equal(answer.error?.code, -32602, String(message));
      assert.match(answer.error.message, message);
    }
    const commitmentOnly = await call(url, "preconf_publishCommitment", { commitment: param.commitment });
    assert.equal(commitmentOnly.error.code, -32602);
    const twoTxLists = await call(url, "preconf_publishTxList", [{}, {}]);
    assert.equal(twoTxLists.error.code, -32602);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("malformed hex in a publish gets -32602 naming the field", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const param = validBlockParam();
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { ...param, commitment: param.commitment.slice(2) },
        /"commitment" must be 0x followed by an even number/,
      ],
      [
        { ...param, commitment: `${param.commitment}0` },
        /"commitment" must be 0x followed by an even number/,
      ],
      [{ ...param, txList: `0x${"zz".repeat(4)}` }, /"txList" must be 0x followed/],
      [{ ...param, txList: 12 }, /"txList" must be a 0x hex string, found the number 12/],
      [
        { ...param, txListHash: "0x1234" },
        /"txListHash" must be 32 bytes \(0x and 64 hex digits\), found 2 bytes/,
      ],
      [{ ...param, txListHash: null }, /"txListHash" must be a 0x hex string, found null/],
    ];
    for (const [value, message] of cases) {
      const answer = await call(url, "preconf_publishBlock", [value]);
      assert.equal(answer.error?.code, -32602, String(message));
      assert.match(answer.error.message, message);
    }
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("a commitment that is not 382 bytes gets -32001 before the backend runs", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const param = validBlockParam();
    for (const commitment of [param.commitment.slice(0, -2), `${param.commitment}00`, "0x"]) {
      const answer = await call(url, "preconf_publishBlock", [{ ...param, commitment }]);
      assert.equal(answer.error.code, -32001);
      assert.match(answer.error.message, /must be the 382-byte SSZ SignedCommitment, found \d+ bytes/);
      const compat = await call(url, "preconf_publishCommitment", [{ commitment }]);
      assert.equal(compat.error.code, -32001);
    }
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("a txlist that does not hash to txListHash gets -32002 on both publish methods", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const param = validBlockParam();
    const wrongHash = keccak256("0xdeadbeef");
    const block = await call(url, "preconf_publishBlock", [{ ...param, txListHash: wrongHash }]);
    assert.equal(block.error.code, -32002);
    assert.match(block.error.message, /"txList" hashes to 0x[0-9a-f]{64}, not to "txListHash" 0xd4fd4e18/);
    const compat = await call(url, "preconf_publishTxList", [{
      txListHash: wrongHash,
      txList: param.txList,
    }]);
    assert.equal(compat.error.code, -32002);
    // An empty txlist is EOP-only only with the zero hash.
    const eop = await call(url, "preconf_publishBlock", [{ ...param, txList: "0x", txListHash: wrongHash }]);
    assert.equal(eop.error.code, -32002);
    assert.match(eop.error.message, /for an EOP-only commitment send the zero hash/);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("a txlist of MAX_TXLIST_BYTES + 1 gets -32002 without being hashed or reaching the backend", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const oversized = testTxList(MAX_TXLIST_BYTES + 1);
    const param = publishBlockParam(
      testCommitmentBytes({ blockNumber: 3n, rawTxListHash: oversized.rawTxListHash }),
      oversized,
    );
    const answer = await call(url, "preconf_publishBlock", [param]);
    assert.equal(answer.error.code, -32002);
    assert.match(answer.error.message, /"txList" is 2097153 bytes, more than the 2097152-byte cap/);
    const compat = await call(url, "preconf_publishTxList", [{
      txListHash: param.txListHash,
      txList: param.txList,
    }]);
    assert.equal(compat.error.code, -32002);
    assert.deepEqual(backend.calls, []);
  });
});

Deno.test("read methods refuse params they do not take, and a malformed timestamp, with -32602", async () => {
  await withRpcServer(async ({ url, backend }) => {
    for (const method of ["preconf_getStatus", "preconf_tip", "preconf_canonicalProposalId"]) {
      assert.equal((await call(url, method, [1])).error.code, -32602, method);
      assert.equal((await call(url, method, { a: 1 })).error.code, -32602, method);
    }
    for (const timestamp of ["abc", "0x", "1000", -1, 1.5, null, `0x1${"0".repeat(64)}`]) {
      const answer = await call(url, "preconf_getPreconfSlotInfo", [timestamp]);
      assert.equal(answer.error.code, -32602, String(timestamp));
      assert.match(answer.error.message, /"timestamp" must be/);
    }
    assert.equal((await call(url, "preconf_getPreconfSlotInfo", [1, 2])).error.code, -32602);
    assert.equal((await call(url, "preconf_getPreconfSlotInfo")).error.code, -32602);
    assert.deepEqual(backend.calls, []);
  });
});

function refusal(reason: ValidationReason): PreconfError {
  return new PreconfError("Validation", `Cannot accept the commitment: ${reason}`, {
    context: { reason, action: "reject" },
  });
}

Deno.test("backend refusals map to the lesson R-2 codes, with kind and reason as data", async () => {
  const cases: [BackendCall["method"], unknown, number][] = [
    ["publishBlock", refusal("Stale"), -32003],
    ["publishBlock", refusal("AwaitingParent"), -32003],
    ["publishBlock", refusal("InvalidSsz"), -32001],
    ["publishBlock", refusal("InvalidSignature"), -32001],
    ["publishBlock", refusal("SlasherMismatch"), -32001],
    ["publishBlock", refusal("InvalidEop"), -32001],
    ["publishBlock", refusal("ParentHashMismatch"), -32001],
    ["publishBlock", refusal("BlockNumberMismatch"), -32001],
    ["publishBlock", refusal("TimestampOutOfBounds"), -32001],
    ["publishBlock", refusal("GasLimitOutOfBounds"), -32001],
    ["publishBlock", refusal("AnchorOutOfBounds"), -32001],
    ["publishBlock", refusal("ProposalIdOutOfBounds"), -32001],
    ["publishBlock", refusal("Equivocation"), -32001],
    ["publishBlock", refusal("SubmissionWindowMismatch"), -32004],
    ["publishBlock", refusal("SignerMismatch"), -32005],
    ["publishBlock", refusal("LookaheadNotYetKnown"), -32006],
    ["publishBlock", refusal("LookaheadOutOfRange"), -32602],
    ["publishBlock", refusal("InvalidTxList"), -32002],
    ["publishBlock", new PreconfError("TxListCodec", "Cannot decode the txlist: not zlib"), -32002],
    ["publishBlock", new PreconfError("PayloadBuild", "Cannot build the payload: parent missing"), -32000],
    ["publishBlock", new PreconfError("Driver", "Cannot insert the block: engine down"), -32000],
    [
      "publishBlock",
      new PreconfError("Driver", "Cannot insert the block: ingress closed", {
        cause: new DriverError("PreconfIngressNotReady", "Cannot submit: ingress is not ready"),
      }),
      -32003,
    ],
    [
      "publishBlock",
      new DriverError("PreconfIngressNotReady", "Cannot submit: ingress is not ready"),
      -32003,
    ],
    ["publishBlock", new DriverError("Engine", "Cannot insert: INVALID"), -32000],
    ["publishCommitment", new PreconfError("Network", "Cannot publish: libp2p stopped"), -32000],
    ["publishTxList", new PreconfError("Config", "Cannot publish: no network"), -32000],
    ["slotInfo", new PreconfError("LookaheadOutOfRange", "Cannot resolve 5: before genesis"), -32602],
    ["slotInfo", new PreconfError("LookaheadNotYetKnown", "Cannot resolve: epoch not indexed"), -32006],
    ["slotInfo", new PreconfError("LookaheadRpc", "Cannot resolve: L1 unreachable"), -32006],
    ["status", new Error("socket hang up"), -32000],
    ["tip", new DriverError("Rpc", "Cannot read latest: timeout"), -32000],
  ];
  await withRpcServer(async ({ url, backend }) => {
    const txList = testTxList(16);
    const blockParam = publishBlockParam(
      testCommitmentBytes({ blockNumber: 12n, rawTxListHash: txList.rawTxListHash }),
      txList,
    );
    const requests: Record<BackendCall["method"], [string, unknown]> = {
      publishBlock: ["preconf_publishBlock", [blockParam]],
      publishCommitment: ["preconf_publishCommitment", [{ commitment: blockParam.commitment }]],
      publishTxList: ["preconf_publishTxList", [{
        txListHash: txList.rawTxListHash,
        txList: bytesToHex(txList.txlist),
      }]],
      status: ["preconf_getStatus", []],
      tip: ["preconf_tip", []],
      canonicalProposalId: ["preconf_canonicalProposalId", []],
      slotInfo: ["preconf_getPreconfSlotInfo", ["0x5"]],
    };
    for (const [method, error, code] of cases) {
      backend.failNext.set(method, error);
      const [rpcMethod, params] = requests[method];
      const answer = await call(url, rpcMethod, params);
      const label = `${method}: ${(error as Error).message}`;
      assert.equal(answer.error?.code, code, label);
      if (error instanceof PreconfError) {
        assert.equal(answer.error.message, error.message, label);
        const expected = error.context.reason === undefined
          ? { kind: error.kind }
          : { kind: error.kind, reason: error.context.reason };
        assert.deepEqual(answer.error.data, expected, label);
      } else if (error instanceof DriverError) {
        assert.deepEqual(answer.error.data, { kind: error.kind }, label);
      } else {
        assert.equal(answer.error.message, "Internal error: socket hang up");
      }
    }
  });
});

Deno.test("a batch answers each call in order, skips notifications, and keeps going past errors", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const param = validBlockParam(21n);
    const answer = await post(
      url,
      JSON.stringify([
        { jsonrpc: "2.0", id: "tip", method: "preconf_tip" },
        { jsonrpc: "2.0", id: 2, method: "preconf_nope" },
        42,
        { jsonrpc: "2.0", method: "preconf_tip" },
        { jsonrpc: "2.0", id: 4, method: "preconf_publishBlock", params: [param] },
        { jsonrpc: "2.0", id: 5, method: "preconf_getStatus", params: { verbose: true } },
        {
          jsonrpc: "2.0",
          id: 6,
          method: "preconf_publishBlock",
          params: [{ ...param, txListHash: zeroHash }],
        },
      ]),
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json.map((r: { id: unknown }) => r.id), ["tip", 2, null, 4, 5, 6]);
    assert.equal(answer.json[0].result, "0x64");
    assert.equal(answer.json[1].error.code, -32601);
    assert.equal(answer.json[2].error.code, -32600);
    assert.equal(answer.json[3].result.local, "inserted");
    assert.equal(answer.json[3].result.blockNumber, "0x15");
    assert.equal(answer.json[4].error.code, -32602);
    assert.equal(answer.json[5].error.code, -32002);
    // The notification ran although it was not answered.
    assert.deepEqual(backend.methods(), ["tip", "tip", "publishBlock"]);
  });
});

Deno.test("an empty batch and a batch over the cap are refused whole with -32600", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const empty = await post(url, "[]");
    assert.equal(empty.json.error.code, -32600);
    assert.equal(empty.json.id, null);
    const tip = { jsonrpc: "2.0", id: 1, method: "preconf_tip" };
    const over = await post(url, JSON.stringify([tip, tip, tip]));
    assert.equal(over.json.error.code, -32600);
    assert.match(over.json.error.message, /3 calls, more than the cap of 2/);
    assert.deepEqual(backend.calls, []);
    const atCap = await post(url, JSON.stringify([tip, tip]));
    assert.equal(atCap.json.length, 2);
  }, { maxBatchCalls: 2 });
});

Deno.test("notifications alone get 204 and no body", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const single = await post(url, JSON.stringify({ jsonrpc: "2.0", method: "preconf_tip" }));
    assert.equal(single.status, 204);
    assert.equal(single.json, null);
    const batch = await post(
      url,
      JSON.stringify([{ jsonrpc: "2.0", method: "preconf_tip" }, { jsonrpc: "2.0", method: "x" }]),
    );
    assert.equal(batch.status, 204);
    assert.deepEqual(backend.methods(), ["tip", "tip"]);
  });
});
