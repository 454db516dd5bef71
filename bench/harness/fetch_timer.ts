/**
 * Times this process's outbound HTTP calls by destination: `globalThis.fetch` is wrapped so each
 * call's interval runs from the call until its response body is read. The driver's engine and L2
 * clients and its beacon client all call `fetch`, so the time spent waiting for the engine (its own
 * work and the loopback hop) can be taken out of a figure.
 *
 * @module
 */

/** One timed call. */
export interface TimedCall {
  readonly category: string;
  readonly start: number;
  readonly end: number;
}

/** The installed wrapper. */
export interface FetchTimer {
  /** Calls since the last `take()`. */
  take(): TimedCall[];
  /** Restores the original `fetch`. */
  uninstall(): void;
}

/**
 * Wraps `fetch`.
 *
 * @param categorize Names a URL's destination, or `null` to leave the call untimed.
 * @returns The timer.
 */
export function installFetchTimer(categorize: (url: string) => string | null): FetchTimer {
  const original = globalThis.fetch;
  let calls: TimedCall[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const category = categorize(url);
    if (category === null) return await original(input, init);
    const start = performance.now();
    const response = await original(input, init);
    const body = await response.arrayBuffer();
    calls.push({ category, start, end: performance.now() });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return {
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
    uninstall() {
      globalThis.fetch = original;
    },
  };
}

/**
 * The time covered by calls of one category inside `[from, to]` (overlaps counted once).
 *
 * @param calls Timed calls.
 * @param category The category.
 * @param from Window start (`performance.now()` ms).
 * @param to Window end.
 * @returns Milliseconds.
 */
export function coveredMs(calls: readonly TimedCall[], category: string, from: number, to: number): number {
  const spans = calls
    .filter((c) => c.category === category && c.end > from && c.start < to)
    .map((c) => [Math.max(c.start, from), Math.min(c.end, to)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of spans) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}
