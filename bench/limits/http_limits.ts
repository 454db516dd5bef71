/**
 * The machine's loopback HTTP JSON-RPC floors: `fetch` from this process to a `Deno.serve` server
 * in another process that only parses the request and answers. One caller's round trip (a small
 * call and a call carrying a 100 KiB hex txlist, the size of a `preconf_publishBlock`), the
 * request rate 8 concurrent callers sustain, and the transfers one `preconf_publishBlock` makes.
 *
 * @module
 */
import { bytesToHex } from "viem";
import { BenchChild } from "../harness/child.ts";
import type { BenchContext } from "../harness/context.ts";
import { summarize, type Summary } from "../harness/stats.ts";
import { Prng } from "../fixtures/prng.ts";

/** Concurrent callers of the throughput figures. */
export const HTTP_CALLERS = 8;

/** HTTP JSON-RPC floors on loopback. */
export interface HttpLimits {
  /** Small request round trip, one caller, milliseconds. */
  readonly smallMs: Summary;
  /** Round trip of a request carrying a 100 KiB txlist as hex, milliseconds. */
  readonly largeMs: Summary;
  /** Small requests per second from 8 callers. */
  readonly reqPerSec8: number;
  /**
   * The floor of T5a, milliseconds: the four HTTP transfers one `preconf_publishBlock` makes, in a
   * row, with the server's own time taken out of the three engine calls as T5a takes out the
   * engine's: the call itself (100 KiB compressed txlist as hex), forkchoiceUpdated carrying the
   * inflated list, getPayload answering it, newPayload carrying it.
   */
  readonly publishFloorMs: Summary;
}

/** Inflated size of the 100 KiB txlist the engine calls of T5a carry (its 190 transactions). */
export const INFLATED_TXLIST_BYTES = 191 * 1024;

/** One JSON-RPC POST read to its end: its wall time and the server's own time if it reports one. */
async function post(url: string, body: string): Promise<{ ok: boolean; ms: number; busyMs: number }> {
  const start = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
  });
  await response.arrayBuffer();
  const ms = performance.now() - start;
  return { ok: response.ok, ms, busyMs: Number(response.headers.get("x-busy-ms") ?? 0) };
}

/**
 * Sends JSON-RPC calls in a loop from `callers` concurrent callers for `durationMs`.
 *
 * @param url The server.
 * @param body The request body.
 * @param callers How many loops.
 * @param durationMs How long.
 * @returns Requests per second.
 */
export async function sustainedRate(
  url: string,
  body: string,
  callers: number,
  durationMs: number,
): Promise<number> {
  let done = 0;
  const end = performance.now() + durationMs;
  const start = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (performance.now() < end) {
      if ((await post(url, body)).ok) done++;
    }
  }));
  return (done * 1000) / (performance.now() - start);
}

/**
 * Times sequential calls.
 *
 * @param url The server.
 * @param body The request body.
 * @param rounds Measured calls (after 20 warm-up calls).
 * @returns Milliseconds per call.
 */
export async function roundTrips(url: string, body: string, rounds: number): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < rounds + 20; i++) {
    const { ms } = await post(url, body);
    if (i >= 20) samples.push(ms);
  }
  return summarize(samples);
}

/**
 * Times the four transfers of one `preconf_publishBlock` in a row (see
 * {@linkcode HttpLimits.publishFloorMs}).
 *
 * @param url The server.
 * @param rounds Measured sequences (after 10 warm-up ones).
 * @returns Milliseconds per sequence, the server's time in the three engine calls taken out.
 */
export async function publishTransfers(url: string, rounds: number): Promise<Summary> {
  const prng = new Prng(11);
  const call = (method: string, params: unknown[]) =>
    JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  const inflated = bytesToHex(prng.bytes(INFLATED_TXLIST_BYTES));
  const publish = call("preconf_publishBlock", [{ txList: bytesToHex(prng.bytes(100 * 1024)) }]);
  const engineCalls = [
    call("engine_forkchoiceUpdatedV2", [{}, { txList: inflated }]),
    call("bench_echo", [inflated]),
    call("engine_newPayloadV2", [{ transactions: [inflated] }]),
  ];
  const samples: number[] = [];
  for (let i = 0; i < rounds + 10; i++) {
    let ms = (await post(url, publish)).ms;
    for (const body of engineCalls) {
      const answer = await post(url, body);
      ms += answer.ms - answer.busyMs;
    }
    if (i >= 10) samples.push(ms);
  }
  return summarize(samples);
}

/**
 * Measures the HTTP floors.
 *
 * @param ctx The run.
 * @returns Round trips and the 8-caller rate.
 */
export async function measureHttpLimits(ctx: BenchContext): Promise<HttpLimits> {
  const server = BenchChild.spawn("peers/http_echo_server.ts");
  try {
    const ready = await server.next("ready");
    const url = `http://127.0.0.1:${ready.port}/`;
    const small = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "preconf_getStatus", params: [] });
    const large = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "preconf_publishBlock",
      params: [{ txList: bytesToHex(new Prng(9).bytes(100 * 1024)) }],
    });
    const rounds = ctx.short ? 50 : 2_000;
    const smallMs = await roundTrips(url, small, rounds);
    const largeMs = await roundTrips(url, large, ctx.short ? 20 : 500);
    const reqPerSec8 = await sustainedRate(url, small, HTTP_CALLERS, ctx.short ? 300 : 3_000);
    const publishFloorMs = await publishTransfers(url, ctx.short ? 10 : 300);
    return { smallMs, largeMs, reqPerSec8, publishFloorMs };
  } finally {
    await server.stop();
  }
}
