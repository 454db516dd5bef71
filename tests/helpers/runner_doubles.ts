/**
 * In-memory doubles of the parts `PreconfirmationDriverRunner` orchestrates. Each records what
 * happened to it in a shared journal, so tests can assert the order parts start and stop in.
 *
 * @module
 */
import type {
  PreconfDriver,
  PreconfNodeDeps,
  PreconfSubmissionOutcome,
  ProposalState,
  ProposalStateReader,
  RunnerEventSyncer,
  RunnerPartDeps,
  RunnerParts,
  RunnerRpcServer,
} from "../../runner/mod.ts";
import type { DriverConfig, TaikoPayloadAttributes } from "../../driver/mod.ts";
import type { PreconfRpcServerConfig, RunnerConfig } from "../../runner/mod.ts";
import { Watch } from "../../internal/watch.ts";

/** What happened, in order: `"<part>:<event>"`. */
export type Journal = string[];

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** An L2 whose `latest` answer the test sets: a block number, `null`, or an error. */
export class FakeL2 {
  /** What the next `blockByNumber("latest")` answers. */
  latest: bigint | null | Error = 1n;
  /** How many times it was asked. */
  calls = 0;

  blockByNumber(_tag: "latest"): Promise<{ number: bigint } | null> {
    this.calls++;
    const latest = this.latest;
    if (latest instanceof Error) return Promise.reject(latest);
    return Promise.resolve(latest === null ? null : { number: latest });
  }
}

/** A driver client double: an L2 and a close flag. */
export class FakeDriverClient {
  readonly l2 = new FakeL2();
  closed = false;
  constructor(private readonly journal: Journal) {}

  close(): Promise<void> {
    this.closed = true;
    this.journal.push("client:close");
    return Promise.resolve();
  }
}

/** An event syncer double whose run loop, readiness and proposal id the test drives. */
export class FakeEventSyncer implements RunnerEventSyncer {
  lastCanonicalProposalId = 0n;
  confirmedTip = 0n;
  /** The outcome every submission gets. */
  submitOutcome: PreconfSubmissionOutcome = { kind: "NotReady" };
  readonly submissions: TaikoPayloadAttributes[] = [];
  /** The signal `run()` got; `aborted` tells whether the runner stopped the syncer. */
  runSignal: AbortSignal | undefined;
  readonly #ready = Promise.withResolvers<true | null>();
  readonly #exit = Promise.withResolvers<void>();
  readonly #ids = new Watch<bigint>(0n);

  constructor(private readonly journal: Journal) {
    this.#exit.promise.catch(() => {});
  }

  async run(signal?: AbortSignal): Promise<void> {
    this.runSignal = signal;
    this.journal.push("syncer:run");
    try {
      await Promise.race([this.#exit.promise, aborted(signal ?? new AbortController().signal)]);
    } finally {
      this.journal.push("syncer:run-end");
    }
  }

  /** Makes `run()` return as if the loop ended by itself. */
  exit(): void {
    this.#exit.resolve();
  }

  /** Makes `run()` reject with `error`. */
  fail(error: unknown): void {
    this.#exit.reject(error);
  }

  /** Answers `waitPreconfIngressReady()`. */
  ready(value: true | null = true): void {
    this.#ready.resolve(value);
  }

  waitPreconfIngressReady(options: { signal?: AbortSignal } = {}): Promise<true | null> {
    const signal = options.signal;
    if (signal === undefined) return this.#ready.promise;
    return Promise.race([
      this.#ready.promise,
      aborted(signal).then(() => Promise.reject(signal.reason)),
    ]);
  }

  /** Publishes a new canonical proposal id. */
  setCanonicalProposalId(id: bigint): void {
    this.lastCanonicalProposalId = id;
    this.#ids.set(id);
  }

  async *canonicalProposalIdChanges(options: { signal?: AbortSignal } = {}): AsyncGenerator<bigint> {
    yield* this.#ids.values(options);
  }

  submitPreconfirmationPayload(attrs: TaikoPayloadAttributes): Promise<PreconfSubmissionOutcome> {
    this.submissions.push(attrs);
    return Promise.resolve(this.submitOutcome);
  }
}

/** A preconfirmation node double that keeps what the runner handed it. */
export class FakeNode {
  driver: PreconfDriver | undefined;
  proposalState: ProposalStateReader | undefined;
  /** Resolves once `run()` was called: the runner has started every part. */
  readonly running = Promise.withResolvers<void>();
  /** Set to make `start()` reject. */
  startError: unknown;
  /** Set to make `stop()` never resolve (a stuck third-party stop). */
  stopHangs = false;
  stopped = false;
  readonly #exit = Promise.withResolvers<void>();

  constructor(private readonly journal: Journal) {
    this.#exit.promise.catch(() => {});
  }

  start(): Promise<void> {
    this.journal.push("node:start");
    return this.startError === undefined ? Promise.resolve() : Promise.reject(this.startError);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.journal.push("node:run");
    this.running.resolve();
    try {
      await Promise.race([this.#exit.promise, aborted(signal)]);
    } finally {
      this.journal.push("node:run-end");
    }
  }

  /** Makes the node loop reject with `error`. */
  fail(error: unknown): void {
    this.#exit.reject(error);
  }

  /** Makes the node loop return as if it ended by itself. */
  exit(): void {
    this.#exit.resolve();
  }

  stop(): Promise<void> {
    this.journal.push("node:stop");
    this.stopped = true;
    return this.stopHangs ? new Promise(() => {}) : Promise.resolve();
  }

  /** Waits until the published proposal state satisfies `predicate`. */
  async waitForState(predicate: (state: ProposalState) => boolean): Promise<ProposalState> {
    const reader = this.proposalState;
    if (reader === undefined) throw new Error("the node was never created");
    for await (const state of reader.values()) {
      if (predicate(state)) return state;
    }
    throw new Error("the proposal state ended");
  }
}

/** A JSON-RPC server double. */
export class FakeRpcServer implements RunnerRpcServer {
  startError: unknown;
  started = false;
  stopped = false;
  constructor(private readonly journal: Journal) {}

  start(): Promise<void> {
    this.journal.push("rpc:start");
    this.started = true;
    return this.startError === undefined ? Promise.resolve() : Promise.reject(this.startError);
  }

  stop(): Promise<void> {
    this.journal.push("rpc:stop");
    this.stopped = true;
    return Promise.resolve();
  }
}

/** Every double of one run, wired into `parts`. */
export interface RunnerDoubles {
  readonly journal: Journal;
  readonly client: FakeDriverClient;
  readonly syncer: FakeEventSyncer;
  readonly node: FakeNode;
  readonly rpc: FakeRpcServer;
  /** What each factory received. */
  readonly received: {
    driverConfig?: DriverConfig;
    deps?: RunnerPartDeps;
    nodeDeps?: PreconfNodeDeps<FakeDriverClient>;
    nodeConfig?: RunnerConfig;
    rpcConfig?: PreconfRpcServerConfig;
  };
  /** Set to make a factory throw. */
  readonly failures: { client?: unknown; syncer?: unknown; node?: unknown; rpc?: unknown };
  readonly parts: RunnerParts<FakeDriverClient, FakeNode>;
}

/** Builds a fresh set of doubles and the factories that hand them out. */
export function createRunnerDoubles(): RunnerDoubles {
  const journal: Journal = [];
  const client = new FakeDriverClient(journal);
  const syncer = new FakeEventSyncer(journal);
  const node = new FakeNode(journal);
  const rpc = new FakeRpcServer(journal);
  const received: RunnerDoubles["received"] = {};
  const failures: RunnerDoubles["failures"] = {};
  const parts: RunnerParts<FakeDriverClient, FakeNode> = {
    createDriverClient(config, deps) {
      journal.push("client:create");
      received.driverConfig = config;
      received.deps = deps;
      return failures.client === undefined ? Promise.resolve(client) : Promise.reject(failures.client);
    },
    createEventSyncer() {
      journal.push("syncer:create");
      if (failures.syncer !== undefined) throw failures.syncer;
      return syncer;
    },
    createPreconfNode(deps, config) {
      journal.push("node:create");
      received.nodeDeps = deps;
      received.nodeConfig = config;
      if (failures.node !== undefined) return Promise.reject(failures.node);
      node.driver = deps.driver;
      node.proposalState = deps.proposalState;
      return Promise.resolve(node);
    },
    createRpcServer(_node, config) {
      journal.push("rpc:create");
      received.rpcConfig = config;
      if (failures.rpc !== undefined) throw failures.rpc;
      return rpc;
    },
  };
  return { journal, client, syncer, node, rpc, received, failures, parts };
}

/** A runner configuration that passes validation; the doubles never connect anywhere. */
export function testRunnerConfig(overrides: Partial<RunnerConfig> = {}): RunnerConfig {
  return {
    driver: {
      l1Ws: "ws://127.0.0.1:1",
      l2Http: "http://127.0.0.1:1",
      l2Auth: "http://127.0.0.1:1",
      jwtSecretPath: "/nonexistent/jwt.hex",
      inboxAddress: "0x0000000000000000000000000000000000000001",
      l1Beacon: "http://127.0.0.1:1",
    },
    p2p: {
      listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
      bootnodes: [],
      staticPeers: [],
      discoveryEnabled: false,
      slasherAddress: "0x00000000000000000000000000000000000000aa",
      signingDomain: `0x${"00".repeat(32)}`,
      requestTimeoutMs: 1_000,
    },
    stopTimeoutMs: 1_000,
    ...overrides,
  };
}
