import assert from "node:assert/strict";
import { validatePreconfRpcServerConfig } from "../../../runner/config.ts";
import type { RunnerRpcServer } from "../../../runner/parts.ts";
import { MAX_TXLIST_BYTES } from "../../../runner/p2p/wire/constants.ts";
import { MAX_RPC_BODY_BYTES, MAX_RPC_CONNECTIONS, PreconfRpcServer } from "../../../runner/rpc/server.ts";
import {
  PreconfRpcBackendDouble,
  publishBlockParam,
  testCommitmentBytes,
  testTxList,
} from "../../helpers/preconf_rpc_backend_double.ts";
import { call, post, withRpcServer } from "./_server.ts";

const encoder = new TextEncoder();

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(2);
}

/** Reads from a raw connection until the end of the HTTP response head; returns the head. */
async function readResponseHead(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(4096);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return text;
}

function blockRequest(blockNumber: bigint, txListBytes = 64): string {
  const txList = testTxList(txListBytes, Number(blockNumber));
  const param = publishBlockParam(
    testCommitmentBytes({ blockNumber, rawTxListHash: txList.rawTxListHash }),
    txList,
  );
  return JSON.stringify({
    jsonrpc: "2.0",
    id: Number(blockNumber),
    method: "preconf_publishBlock",
    params: [param],
  });
}

Deno.test("`PreconfRpcServer` binds 127.0.0.1 by default, and start and stop are idempotent", async () => {
  const server = new PreconfRpcServer({ backend: new PreconfRpcBackendDouble(), metrics: null }, { port: 0 });
  const before = { address: server.address, url: server.url };
  assert.deepEqual(before, { address: null, url: null });
  await server.start();
  try {
    const address = server.address;
    assert.equal(address?.hostname, "127.0.0.1");
    await server.start();
    assert.deepEqual(server.address, address);
    assert.equal(server.url, `http://127.0.0.1:${address?.port}`);
    assert.equal((await call(server.url ?? "", "preconf_tip")).result, "0x64");
  } finally {
    await Promise.all([server.stop(), server.stop()]);
  }
  await server.stop();
  assert.equal(server.address, null);
});

Deno.test("`PreconfRpcServer` refuses connections after stop and serves again after a restart", async () => {
  const server = new PreconfRpcServer({ backend: new PreconfRpcBackendDouble(), metrics: null }, { port: 0 });
  await server.start();
  const firstUrl = server.url ?? "";
  await server.stop();
  await assert.rejects(fetch(firstUrl, { method: "POST" }));
  await server.start();
  try {
    assert.equal((await call(server.url ?? "", "preconf_tip")).result, "0x64");
  } finally {
    await server.stop();
  }
});

Deno.test("`PreconfRpcServer` takes a validated PreconfRpcServerConfig and serves as the runner's RPC part", async () => {
  const config = validatePreconfRpcServerConfig({ address: "127.0.0.1:0", maxConnections: 3 });
  const server = new PreconfRpcServer({ backend: new PreconfRpcBackendDouble(), metrics: null }, config);
  const part: RunnerRpcServer = server;
  await part.start();
  try {
    assert.equal((await call(server.url ?? "", "preconf_canonicalProposalId")).result, 42);
  } finally {
    await part.stop();
  }
});

Deno.test("`PreconfRpcServer.start()` throws AddrInUse when the port is taken", async () => {
  await withRpcServer(async ({ port }) => {
    const second = new PreconfRpcServer({ backend: new PreconfRpcBackendDouble(), metrics: null }, {
      hostname: "127.0.0.1",
      port,
    });
    await assert.rejects(second.start(), Deno.errors.AddrInUse);
    await second.stop();
  });
});

Deno.test("`new PreconfRpcServer()` refuses caps that are not positive whole numbers", () => {
  const deps = { backend: new PreconfRpcBackendDouble(), metrics: null };
  assert.throws(() => new PreconfRpcServer(deps, { maxConnections: 0 }), RangeError);
  assert.throws(() => new PreconfRpcServer(deps, { maxBodyBytes: 1.5 }), RangeError);
  assert.throws(() => new PreconfRpcServer(deps, { port: 70_000 }), RangeError);
});

Deno.test("`PreconfRpcServer` answers 405 to a GET and 415 to a body that is not application/json", async () => {
  await withRpcServer(async ({ url, backend, registry }) => {
    const get = await fetch(url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    assert.equal((await get.json()).error.code, -32600);
    const text = await post(url, '{"jsonrpc":"2.0","id":1,"method":"preconf_tip"}', {
      "content-type": "text/plain",
    });
    assert.equal(text.status, 415);
    assert.equal(text.json.error.code, -32600);
    const charset = await post(url, '{"jsonrpc":"2.0","id":1,"method":"preconf_tip"}', {
      "content-type": "application/json; charset=utf-8",
    });
    assert.equal(charset.json.result, "0x64");
    assert.deepEqual(backend.methods(), ["tip"]);
    const metrics = await registry.metrics();
    assert.match(metrics, /^preconf_rpc_refused_total\{reason="method_not_allowed"\} 1$/m);
    assert.match(metrics, /^preconf_rpc_refused_total\{reason="unsupported_media_type"\} 1$/m);
  });
});

Deno.test("a maximal 2 MiB txlist in hex fits the body cap and is published", async () => {
  await withRpcServer(async ({ url, backend }) => {
    const txList = testTxList(MAX_TXLIST_BYTES);
    const param = publishBlockParam(
      testCommitmentBytes({ blockNumber: 30n, rawTxListHash: txList.rawTxListHash }),
      txList,
    );
    const body = JSON.stringify({ jsonrpc: "2.0", id: 30, method: "preconf_publishBlock", params: [param] });
    // Lesson R-3: the request is over 4 MiB once hex-encoded, yet within the cap.
    assert.ok(body.length > 4 * 1024 * 1024);
    assert.ok(body.length <= MAX_RPC_BODY_BYTES);
    const answer = await post(url, body);
    assert.equal(answer.status, 200);
    assert.equal(answer.json.result.local, "inserted");
    assert.equal(answer.json.result.txListHash, txList.rawTxListHash);
    const [recorded] = backend.calls;
    assert.ok(recorded?.method === "publishBlock" && recorded.request.txList !== null);
    assert.equal(recorded.request.txList.rawTxListHash, txList.rawTxListHash);
    assert.equal(recorded.request.txList.txlist.toHex(), txList.txlist.toHex());
  });
});

Deno.test("a body declared over the cap is refused with 413 before it is sent", async () => {
  await withRpcServer(async ({ port, backend, registry }) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          `Content-Length: ${MAX_RPC_BODY_BYTES + 1}\r\n\r\n`,
      ));
      await conn.write(encoder.encode(" ".repeat(1024)));
      // Only 1 KiB of the declared body was sent: an answer proves the server did not wait for the rest.
      const head = await readResponseHead(conn);
      assert.match(head, /^HTTP\/1\.1 413 /);
    } finally {
      conn.close();
    }
    assert.deepEqual(backend.calls, []);
    assert.match(await registry.metrics(), /^preconf_rpc_refused_total\{reason="body_too_large"\} 1$/m);
  });
});

Deno.test("a chunked body that grows over the cap is refused with 413 without reading to its end", async () => {
  const maxBodyBytes = 64 * 1024;
  await withRpcServer(async ({ port, backend }) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      ));
      const chunk = " ".repeat(16 * 1024);
      for (let sent = 0; sent <= maxBodyBytes; sent += chunk.length) {
        await conn.write(encoder.encode(`${chunk.length.toString(16)}\r\n${chunk}\r\n`));
      }
      // The terminating chunk is never sent, so the body has no end the server could have waited for.
      const head = await readResponseHead(conn);
      assert.match(head, /^HTTP\/1\.1 413 /);
    } finally {
      conn.close();
    }
    assert.deepEqual(backend.calls, []);
  }, { maxBodyBytes });
});

Deno.test("a chunked body within the cap is read to its end and answered like one with a declared length", async () => {
  await withRpcServer(async ({ port, url, backend }) => {
    const body = blockRequest(12n, 4096);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
          "Connection: close\r\n\r\n",
      ));
      for (let at = 0; at < body.length; at += 1000) {
        const chunk = body.slice(at, at + 1000);
        await conn.write(encoder.encode(`${chunk.length.toString(16)}\r\n${chunk}\r\n`));
      }
      await conn.write(encoder.encode("0\r\n\r\n"));
      const chunks: Uint8Array[] = [];
      const buffer = new Uint8Array(4096);
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        chunks.push(buffer.slice(0, n));
      }
      const answer = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
      assert.match(answer, /^HTTP\/1\.1 200 /);
      assert.match(answer, /"local":"inserted"/);
    } finally {
      conn.close();
    }
    const [chunked] = backend.calls;
    assert.ok(chunked?.method === "publishBlock");
    const declared = await post(url, blockRequest(13n, 4096));
    assert.equal(declared.status, 200);
    const second = backend.calls[1];
    assert.ok(
      second?.method === "publishBlock" && second.request.txList !== null && chunked.request.txList !== null,
    );
    assert.equal(chunked.request.txList.txlist.length, second.request.txList.txlist.length);
  });
});

Deno.test("the connection cap refuses requests beyond it with 503 and frees slots as requests end", async () => {
  await withRpcServer(async ({ url, backend, registry }) => {
    let release = (): void => {};
    backend.gate = new Promise((resolve) => release = resolve);
    const held = [post(url, blockRequest(40n)), post(url, blockRequest(41n))];
    try {
      await waitFor(() => backend.waiting === 2);
      const refused = await post(url, blockRequest(42n));
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.code, -32000);
      assert.match(refused.json.error.message, /all 2 connections are busy/);
      assert.match(await registry.metrics(), /^preconf_rpc_active_connections 2$/m);
    } finally {
      release();
    }
    const answers = await Promise.all(held);
    assert.deepEqual(answers.map((a) => a.json.result.local), ["inserted", "inserted"]);
    backend.gate = null;
    assert.equal((await post(url, blockRequest(42n))).json.result.local, "inserted");
    const metrics = await registry.metrics();
    assert.match(metrics, /^preconf_rpc_refused_total\{reason="too_many_connections"\} 1$/m);
    assert.match(metrics, /^preconf_rpc_active_connections 0$/m);
  }, { maxConnections: 2 });
  assert.equal(MAX_RPC_CONNECTIONS, 64);
});

Deno.test("`stop()` lets a publish in flight finish and answer before the server closes", async () => {
  await withRpcServer(async ({ server, url, backend }) => {
    let release = (): void => {};
    backend.gate = new Promise((resolve) => release = resolve);
    const inFlight = post(url, blockRequest(50n));
    await waitFor(() => backend.waiting === 1);
    let stopped = false;
    const stopping = server.stop().then(() => stopped = true);
    await delay(20);
    assert.equal(stopped, false);
    release();
    assert.equal((await inFlight).json.result.local, "inserted");
    await stopping;
    assert.equal(server.address, null);
  });
});
