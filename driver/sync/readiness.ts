/**
 * Confirmed-sync readiness (lesson E-3, upstream invariant WLP-INV-005): ingress may open only when
 * the newest proposal on L1 is in the engine and the head L1 origin reached its last block. With no
 * proposal on L1 the chain is trivially synced and the confirmed tip is 0 (the genesis rule).
 *
 * @module
 */
import type { EngineClient } from "../engine/engine_client.ts";
import type { Address } from "../hex.ts";
import { readCoreState } from "../rpc/inbox_reader.ts";
import type { L1Client } from "../rpc/l1_client.ts";
import type { L2Client } from "../rpc/l2_client.ts";

/** What the probe reads. */
export interface ReadinessDeps {
  readonly l1: L1Client;
  readonly l2: L2Client;
  readonly engine: EngineClient;
  readonly inbox: Address;
}

/**
 * Probes readiness: `target = nextProposalId - 1` at the L1 head; ready when `target` is 0, or when
 * the engine maps `target` to a last block and `head_l1_origin` is at or above it.
 *
 * @example
 * ```ts ignore
 * const tip = await probeConfirmedSync(deps);
 * if (tip !== null) ingress.open();
 * ```
 *
 * @param deps L1, L2 and engine clients and the Inbox address.
 * @returns The confirmed tip (the head L1 origin, or 0 with no proposal) when ready, else `null`.
 * @throws When a read fails (the caller treats that as not ready).
 */
export async function probeConfirmedSync(deps: ReadinessDeps): Promise<bigint | null> {
  const state = await readCoreState(deps.l1, deps.inbox, "latest");
  const target = state === null || state.nextProposalId === 0n ? 0n : state.nextProposalId - 1n;
  if (target === 0n) return 0n;
  const head = await deps.l2.headL1Origin();
  const lastBlock = await deps.engine.lastBlockIdByBatchId(target);
  if (lastBlock === null || head === null || head.blockId < lastBlock) return null;
  return head.blockId;
}
