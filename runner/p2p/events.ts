/**
 * Typed network events (a name union plus a payload map) and the hub that fans them out to
 * subscribers. Each subscriber has a bounded queue; when it is full the newest event is dropped,
 * counted per event name in a metric, and an `EventsDropped` event takes its place as soon as the
 * subscriber catches up, so a consumer always learns what it missed (lesson P2P-8).
 *
 * @module
 */
import type { Address } from "viem";
import type { P2pMetrics } from "./metrics.ts";
import type { ReqRespKind } from "./reqresp/protocols.ts";
import type { SignedCommitment } from "./wire/commitment.ts";
import type { RawTxListGossip } from "./wire/raw_txlist.ts";

/** Payload of each network event. Peers are base58 peer ids. */
export interface P2pEventData {
  /** A connection to a new peer opened. */
  PeerConnected: { readonly peer: string };
  /** The last connection to a peer closed. */
  PeerDisconnected: { readonly peer: string };
  /** A peer's reputation stayed too low for too long; it was disconnected and is refused. */
  PeerBanned: { readonly peer: string; readonly score: number };
  /** A commitment passed the network checks and the `GossipValidator`, and was forwarded. */
  GossipCommitment: {
    readonly from: string;
    readonly commitment: SignedCommitment;
    readonly signer: Address;
  };
  /** A txlist passed the size and hash checks and the `GossipValidator`, and was forwarded. */
  GossipRawTxList: { readonly from: string; readonly txlist: RawTxListGossip };
  /** A peer's request was answered. */
  InboundRequest: { readonly peer: string; readonly kind: ReqRespKind };
  /** This subscriber's queue overflowed: these events (by name) were not delivered to it. */
  EventsDropped: {
    readonly dropped: number;
    readonly byEvent: Readonly<Partial<Record<P2pEventName, number>>>;
  };
}

/** The network event names. */
export type P2pEventName = keyof P2pEventData;

/** One network event: its name and payload. */
export type P2pEvent = {
  [K in P2pEventName]: { readonly type: K; readonly data: P2pEventData[K] };
}[P2pEventName];

/** Events a subscriber may hold before it starts missing them. */
export const DEFAULT_EVENT_QUEUE_CAPACITY = 4096;

class Subscriber {
  readonly #capacity: number;
  readonly #items: P2pEvent[] = [];
  #dropped: Partial<Record<P2pEventName, number>> | null = null;
  #wake: (() => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Queues an event; returns false when it was dropped. */
  push(event: P2pEvent): boolean {
    if (this.#dropped !== null && this.#items.length < this.#capacity) this.#flushDropped();
    if (this.#items.length >= this.#capacity) {
      this.#dropped ??= {};
      this.#dropped[event.type] = (this.#dropped[event.type] ?? 0) + 1;
      return false;
    }
    this.#items.push(event);
    this.#notify();
    return true;
  }

  take(): P2pEvent | undefined {
    const item = this.#items.shift();
    if (item !== undefined) return item;
    if (this.#dropped !== null) {
      this.#flushDropped();
      return this.#items.shift();
    }
    return undefined;
  }

  waitForItem(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        this.#wake = null;
        resolve();
      };
      this.#wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }

  close(): void {
    this.#notify();
  }

  #flushDropped(): void {
    const byEvent = this.#dropped ?? {};
    this.#dropped = null;
    const dropped = Object.values(byEvent).reduce((a, b) => a + (b ?? 0), 0);
    this.#items.push({ type: "EventsDropped", data: { dropped, byEvent } });
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** Fans events out to every subscriber's bounded queue. */
export class P2pEventHub {
  readonly #subscribers = new Set<Subscriber>();
  readonly #metrics: P2pMetrics | null;
  readonly #closed = new AbortController();

  /** @param metrics Counts dropped events per name. */
  constructor(metrics: P2pMetrics | null) {
    this.#metrics = metrics;
  }

  /**
   * Delivers an event to every subscriber.
   *
   * @param type The event name.
   * @param data Its payload.
   */
  emit<K extends P2pEventName>(type: K, data: P2pEventData[K]): void {
    const event = { type, data } as P2pEvent;
    for (const subscriber of this.#subscribers) {
      if (!subscriber.push(event)) this.#metrics?.eventDropped.inc({ event: type });
    }
  }

  /**
   * Subscribes at once (events emitted after this call are queued even before iteration starts)
   * and yields them until the signal aborts or the hub closes.
   *
   * @param options `signal` ends the subscription; `capacity` bounds this subscriber's queue.
   * @returns The events, in emission order (with `EventsDropped` where the queue overflowed).
   * @throws {RangeError} The capacity is not a positive integer.
   */
  subscribe(options: { signal?: AbortSignal; capacity?: number } = {}): AsyncIterable<P2pEvent> {
    const capacity = options.capacity ?? DEFAULT_EVENT_QUEUE_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot subscribe to network events: capacity must be a positive integer, got ${capacity}`,
      );
    }
    const subscriber = new Subscriber(capacity);
    const stop = options.signal === undefined
      ? this.#closed.signal
      : AbortSignal.any([options.signal, this.#closed.signal]);
    if (stop.aborted) return this.#iterate(subscriber, stop);
    this.#subscribers.add(subscriber);
    stop.addEventListener("abort", () => this.#subscribers.delete(subscriber), { once: true });
    return this.#iterate(subscriber, stop);
  }

  async *#iterate(subscriber: Subscriber, stop: AbortSignal): AsyncGenerator<P2pEvent> {
    try {
      while (!stop.aborted) {
        const event = subscriber.take();
        if (event !== undefined) {
          yield event;
          continue;
        }
        await subscriber.waitForItem(stop);
      }
    } finally {
      this.#subscribers.delete(subscriber);
    }
  }

  /** Ends every subscription. */
  close(): void {
    this.#closed.abort();
    for (const subscriber of this.#subscribers) subscriber.close();
  }
}
