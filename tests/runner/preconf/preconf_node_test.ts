import assert from "node:assert/strict";
import { Watch } from "../../../internal/watch.ts";
import { PreconfError } from "../../../runner/preconf/errors.ts";
import { PreconfNode } from "../../../runner/preconf/preconf_node.ts";
import { ChainDouble } from "./_chain_double.ts";
import { DriverDouble } from "./_driver_double.ts";
import { SLASHER, waitFor } from "./_fixtures.ts";
import { FakeLookaheadL1 } from "./lookahead/_fake_l1.ts";

Deno.test("`PreconfNode` starts the lookahead, network and client, follows the proposal state and stops cleanly", async () => {
  const chain = new ChainDouble(3n);
  const driver = new DriverDouble(chain);
  const l1 = new FakeLookaheadL1();
  l1.mine([1000n, 1012n]);
  const proposalState = new Watch({ canonicalProposalId: 0n, preconfTip: 3n });
  const node = await PreconfNode.create({ driver, proposalState, chain, l1, metrics: null }, {
    chainId: 167001n,
    slasherAddress: SLASHER,
    lookahead: {
      inbox: "0x00000000000000000000000000000000000000b0",
      genesisTime: 0n,
      scanner: { pollIntervalMs: 20 },
    },
    p2p: { listenAddresses: ["/ip4/127.0.0.1/tcp/0"], stopTimeoutMs: 3_000 },
  });
  assert.equal(node.lookahead.lookaheadStore, "0x00000000000000000000000000000000000000a1");
  const controller = new AbortController();
  try {
    await node.start();
    assert.equal(node.signaturePool?.running, true);
    assert.ok(node.network.listenAddresses()[0]?.includes("/ip4/127.0.0.1/tcp/"));
    assert.equal(node.client.head, 3n);
    const running = node.run(controller.signal);
    proposalState.set({ canonicalProposalId: 2n, preconfTip: 5n });
    await waitFor(() => node.client.head === 5n, "the new head");
    assert.equal(await node.client.canonicalProposalId(), 2n);
    await waitFor(() => node.lookahead.timeline.progress !== null, "a lookahead scan");
    await assert.rejects(node.client.slotInfo(1n), (e: unknown) => e instanceof PreconfError);
    controller.abort();
    await running;
  } finally {
    controller.abort();
    await node.stop();
    await node.stop();
  }
  assert.equal(node.lookahead.scanner.running, false);
  // The pool's workers are terminated: a live worker would keep the test process from exiting.
  assert.equal(node.signaturePool?.running, false);
});
