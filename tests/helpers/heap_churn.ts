/**
 * A child process for the memory trim tests. `probe` prints whether `openMallocTrim()` opened the
 * C library under this process's permissions. `churn` (run with `--v8-flags=--expose-gc`) fills the
 * C heap with 64 KiB buffers, all live at once, keeps every 16th so the free ones sit between live ones (glibc cannot
 * give them back by shrinking the heap's top), collects the rest and trims once; it prints the
 * anonymous resident memory before and after the trim, in KiB.
 *
 * @module
 */
import { openMallocTrim } from "../../runner/memory_trim.ts";

const BUFFERS = 3_000;
const BUFFER_BYTES = 64 * 1024;
const KEEP_EVERY = 16;

function rssAnonKib(): number {
  const match = /^RssAnon:\s+(\d+) kB$/m.exec(Deno.readTextFileSync("/proc/self/status"));
  if (match === null) throw new Error("no RssAnon line in /proc/self/status");
  return Number(match[1]);
}

const malloc = openMallocTrim();
if (Deno.args[0] === "probe") {
  console.log(JSON.stringify({ opened: malloc !== null }));
  malloc?.close();
} else {
  if (malloc === null) throw new Error("malloc_trim is not available to the churn child");
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run the churn child with --v8-flags=--expose-gc");
  // All live at once, so each takes fresh heap instead of the memory of one collected before it.
  const all = Array.from({ length: BUFFERS }, () => new Uint8Array(BUFFER_BYTES).fill(1));
  const kept = all.filter((_, i) => i % KEEP_EVERY === 0);
  all.length = 0;
  gc();
  gc();
  const beforeKib = rssAnonKib();
  const released = await malloc.trim();
  const afterKib = rssAnonKib();
  malloc.close();
  console.log(JSON.stringify({ beforeKib, afterKib, released, kept: kept.length }));
}
