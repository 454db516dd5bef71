import assert from "node:assert/strict";
import { HttpRequestError, RpcRequestError, SocketClosedError, TimeoutError } from "viem";
import { DriverError, SyncError } from "../../../driver/errors.ts";
import { isTransientError } from "../../../driver/sync/retriable.ts";

function rpcError(code: number): RpcRequestError {
  return new RpcRequestError({
    body: { method: "x" },
    error: { code, message: "m" },
    url: "http://127.0.0.1:1",
  });
}

Deno.test("`isTransientError()` retries weather and refuses verdicts", () => {
  const cases: Array<[string, unknown, boolean]> = [
    ["a timeout", new TimeoutError({ body: {}, url: "http://127.0.0.1:1" }), true],
    ["a closed socket", new SocketClosedError({}), true],
    ["an HTTP 503", new HttpRequestError({ url: "http://127.0.0.1:1", status: 503 }), true],
    ["an HTTP 401 (rejected JWT)", new HttpRequestError({ url: "http://127.0.0.1:1", status: 401 }), false],
    ["JSON-RPC internal error", rpcError(-32603), true],
    ["JSON-RPC generic server error", rpcError(-32000), true],
    ["JSON-RPC invalid params", rpcError(-32602), false],
    ["engine invalid payload attributes", rpcError(-38003), false],
    ["a refused connection", new TypeError("error sending request: Connection refused"), true],
    ["driver Rpc error", new DriverError("Rpc", "x"), true],
    [
      "driver Rpc error with a verdict code",
      new DriverError("Rpc", "x", { context: { rpcCode: -32602 } }),
      false,
    ],
    ["driver Rpc error with HTTP 401", new DriverError("Rpc", "x", { context: { httpStatus: 401 } }), false],
    ["blob unavailable", new DriverError("BlobUnavailable", "x"), true],
    ["engine SYNCING", new DriverError("Engine", "x", { context: { engineStatus: "SYNCING" } }), true],
    ["a derivation failure", new DriverError("Derivation", "x"), false],
    [
      "a derivation failure caused by a timeout",
      new DriverError("Derivation", "x", {
        cause: new TimeoutError({ body: {}, url: "http://127.0.0.1:1" }),
      }),
      true,
    ],
    ["a sync error", new SyncError("InvalidProposalLog", "x"), false],
    ["a bug", new RangeError("bug"), false],
  ];
  for (const [what, error, expected] of cases) assert.equal(isTransientError(error), expected, what);
});
