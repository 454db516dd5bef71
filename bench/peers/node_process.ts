/**
 * The node under test, in its own process, composed as the runner composes it (PreconfNode's
 * order): the memory trimmer (the runner's default interval), driver client and EventSyncer with
 * preconfirmation ingress, the signature pool (one worker per CPU, as PreconfNode), the
 * preconfirmation client, the P2P network, and the JSON-RPC server. Two benchmark substitutions, both outside the measured
 * code paths: the lookahead resolver reads a posted benchmark schedule instead of scanning L1, and
 * the clock may run faster than the wall clock (50 blocks/s need 50 one-second timestamps per second).
 *
 * Arg: the path of a JSON `NodeProcessOptions` file. Messages: `ready` (`peerId`, `addrs`, `rpcUrl`),
 * `banned` (`peer`), `stats`. Commands: `{cmd: "clock", wallStart, t0}`, `{cmd: "section", name}`,
 * `{cmd: "stats"}`, `{cmd: "dial", addr}`, `{cmd: "stop"}`.
 *
 * @module
 */
import { createPublicClient, http } from "viem";
import {
  createDriverClient,
  EventSyncer,
  shastaChainConfig,
  validateDriverConfig,
} from "../../driver/mod.ts";
import { P2pNetwork } from "../../runner/p2p/p2p_network.ts";
import {
  INBOUND_RATE_LIMITS,
  OUTBOUND_RATE_LIMITS,
  REQRESP_KINDS,
  type ReqRespKind,
  type SlidingWindowLimit,
  type TokenBucketLimit,
} from "../../runner/p2p/reqresp/protocols.ts";
import { createPreconfChain } from "../../runner/preconf/chain_reader.ts";
import { PreconfClient } from "../../runner/preconf/preconf_client.ts";
import { SignaturePool } from "../../runner/preconf/signature_pool.ts";
import { PreconfRpcServer } from "../../runner/rpc/server.ts";
import { startMemoryTrimmer } from "../../runner/memory_trim.ts";
import { commands, emit, wallMs } from "../harness/child_io.ts";
import { EventLoopMonitor } from "../harness/event_loop_monitor.ts";
import { benchResolver, benchTimeline } from "../fixtures/commitment_chain.ts";
import type { NodeProcessOptions } from "./node_options.ts";

const options = JSON.parse(await Deno.readTextFile(Deno.args[0] as string)) as NodeProcessOptions;
const monitor = new EventLoopMonitor();
monitor.start();
monitor.enter("start");

const clock = { wallStart: 0, t0Ms: 0, set: false };
function nowMs(): number {
  if (!clock.set || options.clockSpeed === 1) return Date.now();
  return clock.t0Ms + (wallMs() - clock.wallStart) * options.clockSpeed;
}

const stop = new AbortController();
const trimmer = startMemoryTrimmer();
const driver = await createDriverClient(validateDriverConfig(options.driver));
const syncer = new EventSyncer({ client: driver, metrics: null }, { preconfirmationEnabled: true });
const syncing = syncer.run(stop.signal);
syncing.catch((error) => emit({ type: "error", message: `event syncer: ${(error as Error).message}` }));
await syncer.waitPreconfIngressReady({ signal: stop.signal });

const rules = shastaChainConfig(driver.chainId, driver.chainOverrides ?? {});
const workers = options.signatureWorkers ?? navigator.hardwareConcurrency;
const pool = workers === 0 ? null : new SignaturePool({ workers });
pool?.start();
const recovery = pool === null ? {} : { recoverSigner: pool.recoverSigner.bind(pool) };
const timeline = benchTimeline(
  options.lookahead.signer,
  BigInt(options.lookahead.from),
  BigInt(options.lookahead.to),
);
const client = new PreconfClient(
  {
    driver: syncer,
    chain: createPreconfChain({
      l1: createPublicClient({ transport: http(options.l1Http) }),
      l2: driver.l2,
      inboxAddress: driver.inboxAddress,
    }),
    lookahead: benchResolver(timeline, () => BigInt(Math.floor(nowMs() / 1000))),
    metrics: null,
    ...recovery,
  },
  {
    expectedSlasher: options.slasher,
    chainRules: {
      shastaForkTimestamp: rules.shastaForkTimestamp,
      timestampMaxOffset: rules.timestampMaxOffset,
      maxAnchorOffset: rules.maxAnchorOffset,
      minBaseFee: rules.minBaseFee,
    },
    now: nowMs,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.catchUp === undefined ? {} : {
      catchUp: Object.fromEntries(
        Object.entries(options.catchUp).map(([k, v]) => [k, typeof v === "string" ? BigInt(v) : v]),
      ),
    }),
  },
);
const factor = options.rateLimitFactor ?? 1;
const network = new P2pNetwork({ storage: client.storage, validator: client, metrics: null, ...recovery }, {
  chainId: driver.chainId,
  listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
  expectedSlasher: options.slasher,
  staticPeers: options.staticPeers ?? [],
  ...(options.reputation === undefined ? {} : { reputation: options.reputation }),
  ...(options.reputationTickMs === undefined ? {} : { reputationTickMs: options.reputationTickMs }),
  ...(factor === 1 ? {} : {
    inboundRateLimits: scaleTable<TokenBucketLimit>(INBOUND_RATE_LIMITS, (l) => ({
      burst: l.burst * factor,
      refillPerSecond: l.refillPerSecond * factor,
    })),
    outboundRateLimits: scaleTable<SlidingWindowLimit>(OUTBOUND_RATE_LIMITS, (l) => ({
      maxRequests: l.maxRequests * factor,
      windowMs: l.windowMs,
    })),
  }),
});
client.attachNetwork(network);
await network.start();
await client.start();
const following = (async () => {
  try {
    for await (const id of syncer.canonicalProposalIdChanges({ signal: stop.signal })) {
      client.updateProposalState({ canonicalProposalId: id });
    }
  } catch {
    // Stopped.
  }
})();
const rpc = options.rpc ? new PreconfRpcServer({ backend: client, metrics: null }, { port: 0 }) : null;
await rpc?.start();
const events = (async () => {
  for await (const event of network.events({ signal: stop.signal })) {
    if (event.type === "PeerBanned") emit({ type: "banned", peer: event.data.peer });
  }
})();

function scaleTable<T>(table: Record<ReqRespKind, T>, scale: (limit: T) => T): Record<ReqRespKind, T> {
  return Object.fromEntries(REQRESP_KINDS.map((kind) => [kind, scale(table[kind])])) as Record<
    ReqRespKind,
    T
  >;
}

monitor.enter("idle");
emit({ type: "ready", peerId: network.peerId, addrs: network.listenAddresses(), rpcUrl: rpc?.url ?? null });

for await (const command of commands()) {
  try {
    if (command.cmd === "clock") {
      clock.wallStart = Number(command.wallStart);
      clock.t0Ms = Number(command.t0) * 1000;
      clock.set = true;
      emit({ type: "clock" });
    } else if (command.cmd === "section") {
      monitor.enter(String(command.name));
      emit({ type: "section" });
    } else if (command.cmd === "stats") {
      const memory = Deno.memoryUsage();
      emit({
        type: "stats",
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        head: Number(client.head),
        store: client.store.stats,
        peerCount: network.peerCount,
        eventLoop: monitor.sections(),
      });
    } else if (command.cmd === "dial") {
      await network.dial(String(command.addr));
      emit({ type: "dialed" });
    } else if (command.cmd === "stop") {
      break;
    }
  } catch (error) {
    emit({ type: "error", message: (error as Error).message });
  }
}
monitor.stop();
stop.abort();
await rpc?.stop();
await client.stop();
await network.stop();
pool?.stop();
await Promise.allSettled([syncing, following, events]);
await driver.close();
await trimmer?.stop();
Deno.exit(0);
