/**
 * The devnet L2 engine simulator in its own process (so its block building never shares the event
 * loop of the node under test), with the time it spends on each request recorded from the moment
 * its handler receives the request until its response is ready: the engine's own time, which the
 * targets exclude.
 *
 * Args: `--jwt <hex>` `--genesis-timestamp <s>` `--gas-limit <gas>`. Messages: `ready`
 * (`publicUrl`, `authUrl`), `calls` (the calls recorded since the last `take`). Commands:
 * `{cmd: "take"}`, `{cmd: "stop"}`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { hexToBytes } from "viem";
import { startEngineSimulator } from "../../devnet/engine/engine_simulator.ts";
import { commands, emit, wallMs } from "../harness/child_io.ts";

/** One engine request as the engine saw it. */
export interface EngineCall {
  readonly method: string;
  /** The L2 block number of a newPayload (or of forkchoiceUpdated's attributes), when present. */
  readonly blockNumber: number | null;
  /** Wall-clock ms when the handler received it. */
  readonly receivedAt: number;
  /** Wall-clock ms when the response was ready. */
  readonly answeredAt: number;
}

/** Calls kept until taken; beyond it the oldest are dropped (a run takes them often). */
const MAX_RECORDED_CALLS = 200_000;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    jwt: { type: "string" },
    "genesis-timestamp": { type: "string", default: "0" },
    "gas-limit": { type: "string", default: "31000000" },
  },
});

let calls: EngineCall[] = [];

function blockNumberOf(method: string, params: unknown): number | null {
  const list = Array.isArray(params) ? params : [];
  if (method === "engine_newPayloadV2") {
    const hex = (list[0] as { blockNumber?: string } | undefined)?.blockNumber;
    return hex === undefined ? null : Number(hex);
  }
  return null;
}

const serve = Deno.serve.bind(Deno);
// Wrap the simulator's handler: the simulator has no timing hook, and its own code stays as it is.
(Deno as { serve: unknown }).serve = (
  options: Deno.ServeTcpOptions,
  handler: (request: Request) => Promise<Response>,
) =>
  serve(options, async (request: Request) => {
    const receivedAt = wallMs();
    // Read once and handed on as a new request: clone() would tee the body, and it touches the
    // request's signal, which makes Deno print its legacy-abort warning.
    const text = await request.text();
    const bodyAllowed = request.method !== "GET" && request.method !== "HEAD";
    const response = await handler(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: bodyAllowed ? text : null,
      }),
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the simulator answered it as such; nothing to record.
      return response;
    }
    // Taken after this wrapper's own parse: the recording is this process's work, and the response
    // leaves only after it, so it must not count as the caller's time.
    const answeredAt = wallMs();
    for (const call of Array.isArray(body) ? body : [body]) {
      const method = String(call?.method ?? "");
      calls.push({ method, blockNumber: blockNumberOf(method, call?.params), receivedAt, answeredAt });
    }
    if (calls.length > MAX_RECORDED_CALLS) calls = calls.slice(-MAX_RECORDED_CALLS);
    return response;
  });

const engine = await startEngineSimulator({
  jwtSecret: hexToBytes(`0x${values.jwt ?? ""}`),
  genesis: {
    timestamp: BigInt(values["genesis-timestamp"] as string),
    gasLimit: BigInt(values["gas-limit"] as string),
  },
});
emit({ type: "ready", publicUrl: engine.publicUrl, authUrl: engine.authUrl });
for await (const command of commands()) {
  if (command.cmd === "take") {
    emit({ type: "calls", calls });
    calls = [];
  } else if (command.cmd === "stop") {
    break;
  }
}
await engine.stop();
Deno.exit(0);
