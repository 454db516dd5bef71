// Starts a real PreconfRpcServer on 127.0.0.1:0 over the backend double, and posts JSON-RPC to it.
import { Registry } from "prom-client";
import { createRpcMetrics, type RpcMetrics } from "../../../runner/rpc/metrics.ts";
import { PreconfRpcServer, type PreconfRpcServerOptions } from "../../../runner/rpc/server.ts";
import { PreconfRpcBackendDouble } from "../../helpers/preconf_rpc_backend_double.ts";

export interface TestRpcServer {
  readonly server: PreconfRpcServer;
  readonly url: string;
  readonly port: number;
  readonly backend: PreconfRpcBackendDouble;
  readonly registry: Registry;
  readonly metrics: RpcMetrics;
}

/** Runs `body` against a fresh server; the server is stopped afterwards whatever happens. */
export async function withRpcServer(
  body: (t: TestRpcServer) => Promise<void>,
  options: PreconfRpcServerOptions = {},
): Promise<void> {
  const backend = new PreconfRpcBackendDouble();
  const registry = new Registry();
  const metrics = createRpcMetrics(registry);
  const server = new PreconfRpcServer({ backend, metrics }, { hostname: "127.0.0.1", port: 0, ...options });
  await server.start();
  try {
    const port = server.address?.port ?? 0;
    await body({ server, url: `http://127.0.0.1:${port}`, port, backend, registry, metrics });
  } finally {
    await server.stop();
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly json: any;
}

/** POSTs a raw body (application/json unless overridden) and parses the JSON answer, if any. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? null : JSON.parse(text) };
}

/** Calls one method with id 1 and returns the parsed response object. */
// deno-lint-ignore no-explicit-any
export async function call(url: string, method: string, params?: unknown): Promise<any> {
  const request = params === undefined
    ? { jsonrpc: "2.0", id: 1, method }
    : { jsonrpc: "2.0", id: 1, method, params };
  const answer = await post(url, JSON.stringify(request));
  if (answer.status !== 200) throw new Error(`Expected HTTP 200, got ${answer.status}`);
  return answer.json;
}
