/**
 * Hands the C heap's free pages back to the operating system on a timer (glibc's `malloc_trim`).
 *
 * Every byte a peer sends crosses the network stack in buffers outside the V8 heap: TCP reads,
 * Noise plaintexts, the joined frames of up to 10 MiB that gossipsub decodes. Once collected they
 * return to glibc's malloc, which keeps most of the pages: a node fed a flood of 2 MiB gossip frames
 * stayed about 80 MB above its starting resident size with a few MB of them still live (bench T6).
 * `malloc_trim(0)` releases every whole free page of every arena, so resident memory follows what is
 * live. The call runs on a thread of Deno's blocking pool (a nonblocking FFI symbol): it takes
 * about 0.6 ms on average, up to 17 ms while a flood is being freed, none of it on the event loop.
 *
 * It needs glibc and the `ffi` permission; without either the trimmer stays off (the node works the
 * same, only its resident memory stays at its high-water mark).
 *
 * @module
 */
import { runnerLogger } from "./log.ts";

const log = runnerLogger("memory");

/** How often free heap pages are handed back by default, in milliseconds. */
export const MEMORY_TRIM_INTERVAL_MS = 250;

/** Releases free heap pages; resolves `true` when any memory went back to the system. */
export type TrimHeap = () => Promise<boolean>;

/** The C library's `malloc_trim`, opened for this process. */
export interface MallocTrim {
  /** Calls `malloc_trim(0)` off the event loop. */
  readonly trim: TrimHeap;
  /** Closes the library; call it only once no trim is in flight. */
  close(): void;
}

/**
 * Opens glibc's `malloc_trim` through FFI, never prompting for the permission.
 *
 * @example
 * ```ts
 * import { openMallocTrim } from "./memory_trim.ts";
 * const malloc = openMallocTrim();
 * if (malloc !== null) {
 *   await malloc.trim();
 *   malloc.close();
 * }
 * ```
 *
 * @returns The call, or `null` when this is not Linux, the `ffi` permission is not granted, or the
 *   C library has no `malloc_trim` (musl).
 */
export function openMallocTrim(): MallocTrim | null {
  if (Deno.build.os !== "linux") return null;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
  try {
    const library = Deno.dlopen(
      "libc.so.6",
      {
        malloc_trim: { parameters: ["usize"], result: "i32", nonblocking: true },
      } as const,
    );
    return {
      trim: async () => (await library.symbols.malloc_trim(0n)) === 1,
      close: () => library.close(),
    };
  } catch (error) {
    log.debug("No malloc_trim in this process's C library: {error}", { error: String(error) });
    return null;
  }
}

/** Tuning of a {@linkcode MemoryTrimmer}. */
export interface MemoryTrimmerOptions {
  /**
   * Time between the end of one trim and the start of the next, in milliseconds.
   * @default {MEMORY_TRIM_INTERVAL_MS}
   */
  readonly intervalMs?: number;
}

/**
 * Trims the heap every `intervalMs` until stopped: one trim at a time, on an unreferenced timer
 * (it never keeps the process alive).
 *
 * @example
 * ```ts
 * import { MemoryTrimmer } from "./memory_trim.ts";
 * const trimmer = new MemoryTrimmer({ trim: () => Promise.resolve(false) }, { intervalMs: 10 });
 * trimmer.start();
 * await trimmer.stop();
 * ```
 */
export class MemoryTrimmer {
  readonly #trim: TrimHeap;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #running = false;
  #trims = 0;
  #releases = 0;

  /**
   * @param deps The trim call (from {@linkcode openMallocTrim}).
   * @param options The interval.
   * @throws {RangeError} `intervalMs` is not a positive whole number.
   */
  constructor(deps: { readonly trim: TrimHeap }, options: MemoryTrimmerOptions = {}) {
    const intervalMs = options.intervalMs ?? MEMORY_TRIM_INTERVAL_MS;
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`Cannot trim memory every ${intervalMs} ms: expected a positive whole number`);
    }
    this.#trim = deps.trim;
    this.#intervalMs = intervalMs;
  }

  /** Trims done so far, and how many of them released memory. */
  get stats(): { readonly trims: number; readonly releases: number } {
    return { trims: this.#trims, releases: this.#releases };
  }

  /** Schedules the first trim; idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /**
   * Cancels the next trim and waits for one in flight; idempotent.
   *
   * @returns When no trim runs any more.
   */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  #schedule(): void {
    const timer = setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#run();
    }, this.#intervalMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  async #run(): Promise<void> {
    try {
      if (await this.#trim()) this.#releases++;
      this.#trims++;
    } catch (error) {
      // A trim that fails is only memory not handed back; the next one tries again.
      log.debug("malloc_trim failed: {error}", { error: String(error) });
    } finally {
      this.#inFlight = undefined;
      if (this.#running) this.#schedule();
    }
  }
}

/** A running {@linkcode MemoryTrimmer} over glibc's `malloc_trim`. */
export interface RunningMemoryTrimmer {
  /**
   * Stops trimming and closes the C library; idempotent.
   *
   * @returns When no trim runs any more.
   */
  stop(): Promise<void>;
}

/**
 * Starts trimming this process's heap when glibc and the `ffi` permission allow it.
 *
 * @example
 * ```ts
 * import { startMemoryTrimmer } from "./memory_trim.ts";
 * const trimmer = startMemoryTrimmer({ intervalMs: 1_000 });
 * await trimmer?.stop();
 * ```
 *
 * @param options The interval.
 * @returns The running trimmer, or `null` when `malloc_trim` cannot be had (see {@linkcode openMallocTrim}).
 * @throws {RangeError} `intervalMs` is not a positive whole number.
 */
export function startMemoryTrimmer(options: MemoryTrimmerOptions = {}): RunningMemoryTrimmer | null {
  const malloc = openMallocTrim();
  if (malloc === null) return null;
  let trimmer: MemoryTrimmer;
  try {
    trimmer = new MemoryTrimmer({ trim: malloc.trim }, options);
  } catch (error) {
    malloc.close();
    throw error;
  }
  trimmer.start();
  let stopped: Promise<void> | undefined;
  return {
    stop(): Promise<void> {
      stopped ??= trimmer.stop().then(() => malloc.close());
      return stopped;
    },
  };
}
