/**
 * Summaries of latency samples and throughput, and the number formats the report uses.
 *
 * @module
 */

/** Percentiles of a set of samples, in the samples' unit. */
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * Summarizes samples (nearest-rank percentiles).
 *
 * @param samples The samples, any order.
 * @returns The summary; all zero for no samples.
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}

/**
 * Formats a number with a fixed count of significant digits and thousands separators.
 *
 * @param value The number.
 * @param digits Significant digits for values below 1,000.
 * @returns The text.
 */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(digits)).toString();
}

/**
 * Formats milliseconds, switching to microseconds below 0.1 ms.
 *
 * @param ms The duration.
 * @returns The text with its unit.
 */
export function fmtMs(ms: number): string {
  return Math.abs(ms) < 0.1 ? `${fmt(ms * 1000)} µs` : `${fmt(ms)} ms`;
}

/**
 * Formats bytes in MiB.
 *
 * @param bytes The size.
 * @returns The text with its unit.
 */
export function fmtMiB(bytes: number): string {
  return `${fmt(bytes / (1024 * 1024))} MiB`;
}
