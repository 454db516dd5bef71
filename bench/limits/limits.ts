/**
 * Every machine limit of the run, measured first so the targets can be compared with them, and the
 * report rows that show them.
 *
 * @module
 */
import { BENCH_CHAIN_ID } from "../peers/plain_node.ts";
import type { BenchContext } from "../harness/context.ts";
import { section } from "../harness/section.ts";
import type { ReportRow } from "../harness/report.ts";
import { fmt, fmtMs, type Summary } from "../harness/stats.ts";
import { type CompressedTxList, compressedTxListOfSize } from "../fixtures/transactions.ts";
import { type CryptoLimits, measureCryptoLimits } from "./crypto_limits.ts";
import { type HttpLimits, measureHttpLimits } from "./http_limits.ts";
import { type InflateLimit, measureInflateLimit } from "./inflate_limit.ts";
import { type Libp2pLimits, measureLibp2pLimits } from "./libp2p_limits.ts";

/** The machine's limits, from this run. */
export interface Limits {
  readonly crypto: CryptoLimits;
  readonly inflate: InflateLimit;
  readonly libp2p: Libp2pLimits;
  readonly http: HttpLimits;
  /** The 100 KiB txlist the inflate limit and the JSON-RPC target use. */
  readonly txList100k: CompressedTxList;
}

/**
 * Measures every limit.
 *
 * @param ctx The run.
 * @returns The limits.
 */
export async function measureLimits(ctx: BenchContext): Promise<Limits> {
  const txList100k = await compressedTxListOfSize(100 * 1024, { chainId: BENCH_CHAIN_ID });
  const crypto = await section(ctx, "limit: secp256k1 and keccak", (m) => m(() => measureCryptoLimits(ctx)));
  const inflate = await section(
    ctx,
    "limit: zlib inflate",
    (m) => m(() => measureInflateLimit(ctx, txList100k.compressed)),
  );
  const libp2p = await section(ctx, "limit: libp2p loopback", (m) => m(() => measureLibp2pLimits(ctx)));
  const http = await section(ctx, "limit: HTTP loopback", (m) => m(() => measureHttpLimits(ctx)));
  return { crypto, inflate, libp2p, http, txList100k };
}

function latency(s: Summary): string {
  return `p50 ${fmtMs(s.p50)}, p99 ${fmtMs(s.p99)}`;
}

/**
 * The report rows of the limits.
 *
 * @param limits The limits.
 * @returns One row per limit.
 */
export function buildLimitRows(limits: Limits): ReportRow[] {
  const { crypto, inflate, libp2p, http } = limits;
  const row = (id: string, subject: string, figure: string, note?: string): ReportRow => ({
    id,
    subject,
    figure,
    limit: "—",
    ratio: "—",
    target: "—",
    result: "limit",
    ...(note === undefined ? {} : { note }),
  });
  return [
    row(
      "L1",
      "secp256k1 recovery to an address, @noble/curves 2.x, 1 core",
      `${fmt(crypto.recoverPerSec)} /s`,
      "The issue's recovery limit, kept as defined. The product recovers with libsecp256k1 in " +
        "WebAssembly since e8f6136; info row T1w gives that library's raw rate, measured in the T1 rounds.",
    ),
    row(
      "L2",
      "keccak256, @noble/hashes: 349-byte preimage; 100 KiB",
      `${fmt(crypto.keccakSmallPerSec)} /s; ${fmt(crypto.keccakMiBPerSec)} MiB/s`,
    ),
    row(
      "L3",
      `node:zlib inflate of a ${fmt(inflate.compressedBytes / 1024)} KiB txlist (${
        fmt(inflate.inflatedBytes / 1024)
      } KiB inflated)`,
      latency(inflate.ms),
    ),
    row(
      "L4",
      "libp2p request/response round trip, 127.0.0.1, two processes (new stream per request, 382 B)",
      latency(libp2p.roundTripMs),
    ),
    row(
      "L5",
      "libp2p gossip one way, 127.0.0.1, two processes, 50 msg/s (gossip floor)",
      latency(libp2p.gossipOneWayMs),
      libp2p.gossipLost > 0
        ? `${libp2p.gossipLost} of ${libp2p.gossipOneWayMs.n + libp2p.gossipLost} lost`
        : undefined,
    ),
    row(
      "L6",
      "HTTP JSON-RPC round trip (Deno.serve + fetch, two processes), small call",
      latency(http.smallMs),
    ),
    row("L7", "HTTP JSON-RPC round trip carrying a 100 KiB txlist as hex", latency(http.largeMs)),
    row("L8", "HTTP JSON-RPC small calls from 8 concurrent callers", `${fmt(http.reqPerSec8)} req/s`),
    row(
      "L9",
      "HTTP transfers of one preconf_publishBlock in a row, server time out of the engine calls as in T5a: " +
        "the call (100 KiB txlist as hex), then the 191 KiB inflated list as hex in forkchoiceUpdated, " +
        "getPayload's answer and newPayload (T5a's floor)",
      latency(http.publishFloorMs),
    ),
  ];
}
