/**
 * A drift monitor for the event loop: a timer that should fire every `intervalMs` records how late
 * each tick is. A task that holds the loop for B ms makes the next tick about B ms late, so the
 * worst lateness is the longest block. Lateness is attributed to the benchmark running at the time.
 *
 * On a shared machine a tick is also late when the OS gives the thread no CPU, which is not a
 * task blocking the loop. So each late tick is also measured by the CPU time the event-loop thread
 * used during the gap (Linux `/proc/thread-self/schedstat`; elsewhere `process.cpuUsage()`, which
 * counts every thread): a task that blocks the loop burns CPU for the whole block, while a
 * descheduled thread does not. The smaller of the two is the block our own work caused.
 *
 * @module
 */
import { cpuUsage } from "node:process";

/** How often the monitor's timer is due, in milliseconds. */
export const MONITOR_INTERVAL_MS = 10;

/** The worst late tick of one section. */
export interface LoopBlock {
  /** Wall-clock lateness, in milliseconds. */
  readonly wallMs: number;
  /** Lateness the event-loop thread's own CPU time accounts for, in milliseconds. */
  readonly ownMs: number;
}

/** Watches the event loop of this process for blocks, per named section. */
export class EventLoopMonitor {
  readonly #intervalMs: number;
  readonly #worst = new Map<string, { wallMs: number; ownMs: number }>();
  #section = "idle";
  #timer: ReturnType<typeof setInterval> | undefined;
  #last = 0;
  #lastCpuUs = 0;

  /** @param intervalMs How often the timer is due. */
  constructor(intervalMs: number = MONITOR_INTERVAL_MS) {
    this.#intervalMs = intervalMs;
  }

  /** Starts ticking (idempotent). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#last = performance.now();
    this.#lastCpuUs = cpuMicros();
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
  }

  /** Stops ticking (idempotent). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Attributes later ticks to `name` until the next call.
   *
   * @param name The benchmark now running.
   */
  enter(name: string): void {
    this.#tick();
    this.#section = name;
    if (!this.#worst.has(name)) this.#worst.set(name, { wallMs: 0, ownMs: 0 });
  }

  /**
   * Records a block another process measured with its own monitor (a node under test).
   *
   * @param name The section, e.g. `T2 gossip to engine (node process)`.
   * @param block Its worst block.
   */
  note(name: string, block: LoopBlock): void {
    const worst = this.#worst.get(name) ?? { wallMs: 0, ownMs: 0 };
    worst.wallMs = Math.max(worst.wallMs, block.wallMs);
    worst.ownMs = Math.max(worst.ownMs, block.ownMs);
    this.#worst.set(name, worst);
  }

  /**
   * The worst block seen in one section.
   *
   * @param name The section.
   * @returns Wall and own lateness (zero when it never blocked or never ran).
   */
  worst(name: string): LoopBlock {
    return this.#worst.get(name) ?? { wallMs: 0, ownMs: 0 };
  }

  /** @returns Every section with its worst block, in the order they first ran. */
  sections(): [string, LoopBlock][] {
    return [...this.#worst.entries()].map(([name, block]) => [name, { ...block }]);
  }

  #tick(): void {
    const now = performance.now();
    const cpu = cpuMicros();
    const wall = Math.max(0, now - this.#last - this.#intervalMs);
    const own = Math.min(wall, Math.max(0, (cpu - this.#lastCpuUs) / 1000 - this.#intervalMs));
    this.#last = now;
    this.#lastCpuUs = cpu;
    const worst = this.#worst.get(this.#section) ?? { wallMs: 0, ownMs: 0 };
    worst.wallMs = Math.max(worst.wallMs, wall);
    worst.ownMs = Math.max(worst.ownMs, own);
    this.#worst.set(this.#section, worst);
  }
}

let schedstat = true;

/** CPU time of the calling (event-loop) thread, in microseconds. */
function cpuMicros(): number {
  if (schedstat) {
    try {
      return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1000;
    } catch {
      schedstat = false;
    }
  }
  const usage = cpuUsage();
  return usage.user + usage.system;
}
