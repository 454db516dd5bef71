/**
 * The HTTP floor's server, in its own process: `Deno.serve` on 127.0.0.1 that parses each
 * JSON-RPC request body and answers a small result, the least any JSON-RPC server does; method
 * `bench_echo` answers with its first param instead (a large answer, as `engine_getPayloadV2` gives).
 * Header `x-busy-ms` carries the handler's own time, marked as the benchmarks' engine process marks
 * the simulator's (from the handler's start, body read included, to its answer being ready).
 *
 * Messages: `ready` (`port`). Commands: `{cmd: "stop"}`.
 *
 * @module
 */
import { commands, emit, wallMs } from "../harness/child_io.ts";

const closing = new AbortController();
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, signal: closing.signal, onListen: () => {} },
  async (request) => {
    const receivedAt = wallMs();
    const call = JSON.parse(await request.text()) as { id?: unknown; method?: unknown; params?: unknown[] };
    const result = call.method === "bench_echo" ? call.params?.[0] ?? null : "0x1";
    const body = JSON.stringify({ jsonrpc: "2.0", id: call.id ?? null, result });
    return new Response(body, {
      headers: { "content-type": "application/json", "x-busy-ms": String(wallMs() - receivedAt) },
    });
  },
);
emit({ type: "ready", port: server.addr.port });
for await (const command of commands()) {
  if (command.cmd === "stop") break;
}
closing.abort();
await server.finished;
Deno.exit(0);
