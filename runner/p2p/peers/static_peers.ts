/**
 * Keeps configured peers connected: each static peer is dialled until it connects, with
 * exponential backoff and jitter, and redialled after it disconnects. Bootnodes are dialled the
 * same way until their first connection, and then left to themselves.
 *
 * @module
 */
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import { runnerLogger } from "../../log.ts";

const log = runnerLogger("p2p");

/** First wait after a failed dial. */
export const STATIC_PEER_INITIAL_BACKOFF_MS = 1_000;

/** Longest wait between two dials of one peer. */
export const STATIC_PEER_MAX_BACKOFF_MS = 60_000;

/** What the dialer needs from the node. */
export interface StaticPeerDialerDeps {
  /**
   * Opens a connection (the node applies its dial timeout).
   *
   * @param address The multiaddr, ending in `/p2p/<id>`.
   * @param signal Abandons the dial.
   */
  dial(address: Multiaddr, signal: AbortSignal): Promise<void>;
  /**
   * Whether a peer is connected.
   *
   * @param peer The base58 peer id.
   */
  isConnected(peer: string): boolean;
  /**
   * Whether a peer is banned (not dialled until the ban ends).
   *
   * @param peer The base58 peer id.
   */
  isBanned(peer: string): boolean;
}

/** Backoff tuning; tests shorten it, production keeps the defaults. */
export interface StaticPeerDialerOptions {
  /** @default {STATIC_PEER_INITIAL_BACKOFF_MS} */
  readonly initialBackoffMs?: number;
  /** @default {STATIC_PEER_MAX_BACKOFF_MS} */
  readonly maxBackoffMs?: number;
}

interface Target {
  readonly address: Multiaddr;
  readonly peer: string;
  readonly keep: boolean;
  wake: (() => void) | null;
}

/** Dials static peers and bootnodes with retries, for as long as it runs. */
export class StaticPeerDialer {
  readonly #deps: StaticPeerDialerDeps;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #targets: Target[];
  #controller: AbortController | null = null;
  #loops: Promise<void>[] = [];

  /**
   * @param deps How to dial and what to ask about peers.
   * @param targets Static peers (kept connected) and bootnodes (dialled until first connected).
   * @param options Backoff tuning.
   * @throws {TypeError} An address does not parse or does not end in `/p2p/<id>`.
   */
  constructor(
    deps: StaticPeerDialerDeps,
    targets: { staticPeers: readonly string[]; bootnodes: readonly string[] },
    options: StaticPeerDialerOptions = {},
  ) {
    this.#deps = deps;
    this.#initialBackoffMs = options.initialBackoffMs ?? STATIC_PEER_INITIAL_BACKOFF_MS;
    this.#maxBackoffMs = options.maxBackoffMs ?? STATIC_PEER_MAX_BACKOFF_MS;
    if (!(this.#initialBackoffMs > 0) || !(this.#maxBackoffMs >= this.#initialBackoffMs)) {
      throw new RangeError("Cannot create static peer dialer: need 0 < initialBackoffMs <= maxBackoffMs");
    }
    this.#targets = [
      ...targets.staticPeers.map((a) => target(a, true)),
      ...targets.bootnodes.map((a) => target(a, false)),
    ];
  }

  /** Starts one dial loop per target; idempotent. */
  start(): void {
    if (this.#controller !== null) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loops = this.#targets.map((t) => this.#run(t, controller.signal));
  }

  /**
   * Tells the dialer a peer disconnected, so its loop redials now.
   *
   * @param peer The base58 peer id.
   */
  peerDisconnected(peer: string): void {
    for (const t of this.#targets) if (t.peer === peer) t.wake?.();
  }

  /**
   * Stops every loop and waits for them to end; idempotent.
   *
   * @returns When every loop has ended.
   */
  async stop(): Promise<void> {
    this.#controller?.abort();
    this.#controller = null;
    for (const t of this.#targets) t.wake?.();
    await Promise.allSettled(this.#loops);
    this.#loops = [];
  }

  async #run(t: Target, signal: AbortSignal): Promise<void> {
    let backoff = this.#initialBackoffMs;
    while (!signal.aborted) {
      if (this.#deps.isConnected(t.peer)) {
        if (!t.keep) return;
        backoff = this.#initialBackoffMs;
        await this.#waitForWake(t, signal, null);
        continue;
      }
      if (!this.#deps.isBanned(t.peer)) {
        try {
          await this.#deps.dial(t.address, signal);
          log.info("Connected to {kind} {peer}", { kind: t.keep ? "static peer" : "bootnode", peer: t.peer });
          backoff = this.#initialBackoffMs;
          continue;
        } catch (cause) {
          if (signal.aborted) return;
          log.debug("Cannot dial {peer}: {error}, retrying in {delayMs} ms", {
            peer: t.peer,
            error: (cause as Error).message,
            delayMs: backoff,
          });
        }
      }
      // Full jitter over the upper half keeps restarted nodes from dialling in lockstep.
      await this.#waitForWake(t, signal, backoff / 2 + Math.random() * (backoff / 2));
      backoff = Math.min(backoff * 2, this.#maxBackoffMs);
    }
  }

  /** Waits for a disconnect notification, the stop signal, or (when given) a delay. */
  #waitForWake(t: Target, signal: AbortSignal, delayMs: number | null): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        t.wake = null;
        resolve();
      };
      t.wake = done;
      signal.addEventListener("abort", done, { once: true });
      if (delayMs !== null) timer = setTimeout(done, delayMs);
    });
  }
}

function target(text: string, keep: boolean): Target {
  let address: Multiaddr;
  try {
    address = multiaddr(text);
  } catch (cause) {
    throw new TypeError(`Cannot use peer address "${text}": not a valid multiaddr`, { cause });
  }
  const peer = address.getComponents().findLast((c) => c.name === "p2p")?.value;
  if (peer === undefined) {
    throw new TypeError(`Cannot use peer address "${text}": it must end with /p2p/<peer id>`);
  }
  return { address, peer, keep, wake: null };
}
