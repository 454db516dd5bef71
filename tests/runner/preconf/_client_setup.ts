// Builds a preconfirmation client over in-memory doubles, with a settable clock and fast catch-up pacing.
import { Registry } from "prom-client";
import type { SignerRecovery } from "../../../runner/p2p/network_ports.ts";
import { createPreconfMetrics } from "../../../runner/preconf/metrics.ts";
import { PreconfClient } from "../../../runner/preconf/preconf_client.ts";
import { ChainDouble } from "./_chain_double.ts";
import { DriverDouble } from "./_driver_double.ts";
import { SIGNER, SLASHER } from "./_fixtures.ts";
import { ScriptedLookahead } from "./_lookahead_double.ts";

export function setupClient(
  options: { head?: bigint; lookahead?: ScriptedLookahead; recoverSigner?: SignerRecovery } = {},
) {
  const clock = { ms: 1_030_000 };
  const l2 = new ChainDouble(options.head ?? 0n);
  const driver = new DriverDouble(l2);
  const registry = new Registry();
  const lookahead = options.lookahead ?? ScriptedLookahead.fixed(SIGNER, 2000n);
  const client = new PreconfClient(
    {
      driver,
      chain: l2,
      lookahead,
      metrics: createPreconfMetrics(registry),
      ...(options.recoverSigner === undefined ? {} : { recoverSigner: options.recoverSigner }),
    },
    {
      expectedSlasher: SLASHER,
      chainRules: { shastaForkTimestamp: 0n, timestampMaxOffset: 1536n, maxAnchorOffset: 128n },
      now: () => clock.ms,
      tickIntervalMs: 20,
      catchUp: { requestsPerWindow: 7, rateWindowMs: 150, retryBaseMs: 10, retryMaxMs: 40 },
    },
  );
  if (options.head !== undefined) client.updateProposalState({ preconfTip: options.head });
  return { clock, l2, driver, registry, lookahead, client };
}
