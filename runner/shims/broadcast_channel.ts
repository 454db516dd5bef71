/**
 * Side-effect module for the CLI only: makes the global `BroadcastChannel` the one from
 * `node:worker_threads`, which has `unref()`. libp2p's peer store takes locks from mortice, which
 * opens a process-wide channel and calls `unref?.()` on it; Deno's web channel has no `unref`, so
 * without this the process never exits after libp2p stops (spec/deno-notes.md section 2).
 *
 * Import it before anything creates a libp2p node. Tests must not import it.
 *
 * @module
 */
import { BroadcastChannel as NodeBroadcastChannel } from "node:worker_threads";

const prototype = globalThis.BroadcastChannel?.prototype as { unref?: unknown } | undefined;
if (typeof prototype?.unref !== "function") {
  globalThis.BroadcastChannel = NodeBroadcastChannel as unknown as typeof globalThis.BroadcastChannel;
}
