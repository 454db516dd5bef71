/**
 * Interval arithmetic for taking another process's busy time out of a latency: the engine
 * simulator records when it starts and finishes each request (wall clock, `wallMs()`), and a
 * figure "excluding the engine's time" subtracts the part of its window those intervals cover.
 *
 * @module
 */

/**
 * Merges intervals into disjoint ones, ascending.
 *
 * @param intervals `[start, end]` pairs, in any order, possibly overlapping.
 * @returns Disjoint intervals sorted by start.
 */
export function mergeIntervals(intervals: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * How much of `[from, to]` disjoint intervals cover.
 *
 * @param intervals Disjoint intervals sorted by start ({@linkcode mergeIntervals}).
 * @param from Window start.
 * @param to Window end.
 * @returns The covered length, in the intervals' unit.
 */
export function overlapMs(intervals: readonly [number, number][], from: number, to: number): number {
  let total = 0;
  for (const [start, end] of intervals) {
    if (end <= from) continue;
    if (start >= to) break;
    total += Math.min(end, to) - Math.max(start, from);
  }
  return total;
}
