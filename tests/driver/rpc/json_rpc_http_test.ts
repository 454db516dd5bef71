import assert from "node:assert/strict";
import { HttpRequestError, ResponseBodyTooLargeError, RpcRequestError, TimeoutError } from "viem";
import { createJsonRpcHttp } from "../../../driver/rpc/json_rpc_http.ts";

type AnyMethods = [{ Method: string; Parameters: readonly unknown[]; ReturnType: unknown }];

interface Seen {
  readonly body: { jsonrpc: string; id: number; method: string; params: unknown[] };
  readonly authorization: string | null;
  readonly url: string;
}

async function withServer(
  answer: (seen: Seen) => Response | Promise<Response>,
  test: (url: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const entry = {
      body: await request.json(),
      authorization: request.headers.get("authorization"),
      url: request.url,
    };
    seen.push(entry);
    return await answer(entry);
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/`, seen);
  } finally {
    await server.shutdown();
  }
}

function client(url: string, extra: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  return createJsonRpcHttp<AnyMethods>({ url, timeoutMs: 5_000, maxResponseBytes: 1 << 20, ...extra });
}

Deno.test("`createJsonRpcHttp()` posts JSON-RPC 2.0 with increasing ids and returns the result", async () => {
  await withServer(
    ({ body }) => Response.json({ jsonrpc: "2.0", id: body.id, result: { echo: body.params } }),
    async (url, seen) => {
      const rpc = client(url);
      assert.deepEqual(await rpc.request("m_one", ["0x01", { a: true }]), { echo: ["0x01", { a: true }] });
      assert.deepEqual(await rpc.request("m_two", []), { echo: [] });
      assert.equal(seen[0]?.body.jsonrpc, "2.0");
      assert.equal(seen[0]?.body.method, "m_one");
      assert.ok((seen[1]?.body.id ?? 0) > (seen[0]?.body.id ?? 0));
      assert.equal(seen[0]?.authorization, null);
    },
  );
});

Deno.test("`createJsonRpcHttp()` returns a null result as null", async () => {
  await withServer(
    ({ body }) => Response.json({ jsonrpc: "2.0", id: body.id, result: null }),
    async (url) => assert.equal(await client(url).request("m", []), null),
  );
});

Deno.test("`createJsonRpcHttp()` sends the authorization of each call, and URL credentials as Basic", async () => {
  await withServer(
    ({ body }) => Response.json({ jsonrpc: "2.0", id: body.id, result: 1 }),
    async (url, seen) => {
      let n = 0;
      const bearer = createJsonRpcHttp<AnyMethods>({
        url,
        timeoutMs: 5_000,
        maxResponseBytes: 1_000,
        authorization: () => Promise.resolve(`Bearer t${++n}`),
      });
      await bearer.request("m", []);
      await bearer.request("m", []);
      const port = new URL(url).port;
      await client(`http://alice:s3cret@127.0.0.1:${port}/`).request("m", []);
      assert.deepEqual(seen.map((s) => s.authorization), [
        "Bearer t1",
        "Bearer t2",
        `Basic ${btoa("alice:s3cret")}`,
      ]);
      assert.doesNotMatch(seen[2]?.url ?? "", /alice|s3cret/);
    },
  );
});

Deno.test("`createJsonRpcHttp()` throws a JSON-RPC error as viem's RpcRequestError with code and message", async () => {
  await withServer(
    ({ body }) =>
      Response.json({ jsonrpc: "2.0", id: body.id, error: { code: -32000, message: "not found" } }),
    async (url) => {
      await assert.rejects(client(url).request("m", []), (error: unknown) => {
        assert.ok(error instanceof RpcRequestError);
        assert.equal(error.code, -32000);
        assert.equal(error.details, "not found");
        return true;
      });
    },
  );
});

Deno.test("`createJsonRpcHttp()` throws HttpRequestError with the status for a non-2xx answer, and reports 401", async () => {
  let status = 503;
  await withServer(
    () => new Response("unavailable", { status }),
    async (url) => {
      let refused = 0;
      const rpc = createJsonRpcHttp<AnyMethods>({
        url,
        timeoutMs: 5_000,
        maxResponseBytes: 1_000,
        onUnauthorized: () => refused++,
      });
      await assert.rejects(
        rpc.request("m", []),
        (error: unknown) => error instanceof HttpRequestError && error.status === 503,
      );
      assert.equal(refused, 0);
      status = 401;
      await assert.rejects(
        rpc.request("m", []),
        (error: unknown) => error instanceof HttpRequestError && error.status === 401,
      );
      assert.equal(refused, 1);
    },
  );
});

Deno.test("`createJsonRpcHttp()` refuses a 2xx body that is not JSON or has no result", async () => {
  let body = "not json";
  await withServer(
    () => new Response(body, { status: 200 }),
    async (url) => {
      await assert.rejects(client(url).request("m", []), HttpRequestError);
      body = JSON.stringify({ jsonrpc: "2.0", id: 1 });
      await assert.rejects(client(url).request("m", []), HttpRequestError);
    },
  );
});

Deno.test("`createJsonRpcHttp()` refuses a body over the cap, declared or streamed", async () => {
  const big = JSON.stringify({ jsonrpc: "2.0", id: 1, result: "x".repeat(5_000) });
  let streamed = false;
  await withServer(
    () =>
      streamed
        ? new Response(
          new ReadableStream({
            start(controller) {
              for (let i = 0; i < 10; i++) {
                controller.enqueue(new TextEncoder().encode(big.slice(i * 600, i * 600 + 600)));
              }
              controller.close();
            },
          }),
        )
        : new Response(big),
    async (url) => {
      await assert.rejects(
        client(url, { maxResponseBytes: 1_000 }).request("m", []),
        ResponseBodyTooLargeError,
      );
      streamed = true;
      await assert.rejects(
        client(url, { maxResponseBytes: 1_000 }).request("m", []),
        ResponseBodyTooLargeError,
      );
      assert.equal(((await client(url).request("m", [])) as string).length, 5_000);
    },
  );
});

Deno.test("`createJsonRpcHttp()` turns a stalled endpoint into viem's TimeoutError", async () => {
  const { promise: release, resolve } = Promise.withResolvers<void>();
  await withServer(
    async ({ body }) => {
      await release;
      return Response.json({ jsonrpc: "2.0", id: body.id, result: 1 });
    },
    async (url) => {
      try {
        await assert.rejects(client(url, { timeoutMs: 50 }).request("m", []), TimeoutError);
      } finally {
        resolve();
      }
    },
  );
});

Deno.test("`createJsonRpcHttp()` refuses a non-positive deadline or cap and an unparseable URL", () => {
  assert.throws(() => client("http://127.0.0.1:1/", { timeoutMs: 0 }), RangeError);
  assert.throws(() => client("http://127.0.0.1:1/", { maxResponseBytes: 0 }), RangeError);
  assert.throws(() => client("not a url"), TypeError);
});

Deno.test("`JsonRpcHttp.batch()` sends one request and returns each call's result or error, matched by id", async () => {
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    requests++;
    const calls = await request.json() as { id: number; params: [number] }[];
    // Answered in reverse order: the client matches by id.
    return Response.json(
      calls.map((call) =>
        call.params[0] === 2
          ? { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "not found" } }
          : { jsonrpc: "2.0", id: call.id, result: call.params[0] * 10 }
      ).reverse(),
    );
  });
  try {
    const rpc = client(`http://127.0.0.1:${server.addr.port}/`);
    const [one, two, three] = await rpc.batch("m", [[1], [2], [3]]);
    assert.equal(requests, 1);
    assert.deepEqual(one, { ok: true, result: 10 });
    assert.ok(two !== undefined && !two.ok && two.error instanceof RpcRequestError);
    assert.equal(two.error.details, "not found");
    assert.deepEqual(three, { ok: true, result: 30 });
    assert.deepEqual(await rpc.batch("m", []), []);
    assert.equal(requests, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("`JsonRpcHttp.batch()` fails when the endpoint refuses the batch or leaves a call unanswered", async () => {
  let mode: "refuse" | "short" = "refuse";
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const calls = await request.json() as { id: number }[];
    if (mode === "refuse") {
      return Response.json({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "no batches" } });
    }
    return Response.json([{ jsonrpc: "2.0", id: calls[0]!.id, result: 1 }]);
  });
  try {
    const rpc = client(`http://127.0.0.1:${server.addr.port}/`);
    await assert.rejects(rpc.batch("m", [[1], [2]]), RpcRequestError);
    mode = "short";
    await assert.rejects(rpc.batch("m", [[1], [2]]), HttpRequestError);
  } finally {
    await server.shutdown();
  }
});
