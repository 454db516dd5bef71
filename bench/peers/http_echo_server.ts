/**
 * The HTTP floor's server, in its own process: `Deno.serve` on 127.0.0.1 that parses each
 * JSON-RPC request body and answers a small result, the least any JSON-RPC server does.
 *
 * Messages: `ready` (`port`). Commands: `{cmd: "stop"}`.
 *
 * @module
 */
import { commands, emit } from "../harness/child_io.ts";

const closing = new AbortController();
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, signal: closing.signal, onListen: () => {} },
  async (request) => {
    const call = JSON.parse(await request.text()) as { id?: unknown };
    return new Response(JSON.stringify({ jsonrpc: "2.0", id: call.id ?? null, result: "0x1" }), {
      headers: { "content-type": "application/json" },
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
