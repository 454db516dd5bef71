/**
 * Logging categories of the runner (P2P, preconfirmation client, JSON-RPC server, orchestration).
 *
 * @module
 */
import { getLogger, type Logger } from "@logtape/logtape";

/** A logger for one area of the runner, e.g. `runnerLogger("p2p")`. */
export function runnerLogger(area: string): Logger {
  return getLogger(["taiko-preconf", "runner", area]);
}
