/**
 * The parts a runner uses when the caller passes none: the driver's client and `EventSyncer`, the
 * preconfirmation node (lookahead, client, libp2p network) and the JSON-RPC server.
 *
 * @module
 */
import {
  createDriverClient,
  createDriverMetrics,
  type DriverClient,
  type DriverMetrics,
  EventSyncer,
} from "../driver/mod.ts";
import type { RunnerConfig } from "./config.ts";
import { createRunnerMetrics, type RunnerMetrics } from "./metrics.ts";
import type { MetricsRegistry, RunnerParts } from "./parts.ts";
import { createPreconfChain } from "./preconf/chain_reader.ts";
import { createLookaheadL1 } from "./preconf/lookahead/l1_reader.ts";
import { PreconfNode } from "./preconf/preconf_node.ts";
import { PreconfRpcServer } from "./rpc/server.ts";

/**
 * Every metrics tree registered on one registry, created once: prom-client refuses a second metric of
 * the same name, and the four factories each need their branch.
 */
function metricsFor(): (registry: MetricsRegistry | null) => {
  driver: DriverMetrics;
  runner: RunnerMetrics;
} | null {
  const created = new WeakMap<MetricsRegistry, { driver: DriverMetrics; runner: RunnerMetrics }>();
  return (registry) => {
    if (registry === null) return null;
    let trees = created.get(registry);
    if (trees === undefined) {
      trees = { driver: createDriverMetrics(registry), runner: createRunnerMetrics(registry) };
      created.set(registry, trees);
    }
    return trees;
  };
}

/**
 * The production parts.
 *
 * @returns The factories.
 */
export function defaultRunnerParts(): RunnerParts<DriverClient, PreconfNode> {
  const metrics = metricsFor();
  return {
    createDriverClient: (config, deps) => createDriverClient(config, { signal: deps.signal }),
    createEventSyncer: (client, deps) =>
      new EventSyncer(
        { client, metrics: metrics(deps.registry)?.driver ?? null },
        {
          preconfirmationEnabled: true,
          ...(client.chainOverrides === undefined ? {} : { chainOverrides: client.chainOverrides }),
        },
      ),
    createPreconfNode: (deps, config: RunnerConfig) => {
      const { client } = deps;
      const trees = metrics(deps.registry);
      const p2p = config.p2p;
      return PreconfNode.create(
        {
          driver: deps.driver,
          proposalState: deps.proposalState,
          chain: createPreconfChain({
            l1: client.l1.public,
            l2: client.l2,
            inboxAddress: client.inboxAddress,
          }),
          l1: createLookaheadL1(client.l1.public),
          metrics: trees === null ? null : { preconf: trees.runner.preconf, p2p: trees.runner.p2p },
        },
        {
          // Lesson K-1: topics and protocol ids follow the L2 the engine actually serves.
          chainId: client.chainId,
          slasherAddress: p2p.slasherAddress,
          signingDomain: p2p.signingDomain,
          lookahead: { inbox: client.inboxAddress, beaconUrl: config.driver.l1Beacon },
          p2p: {
            listenAddresses: p2p.listenAddresses,
            staticPeers: p2p.staticPeers,
            bootnodes: p2p.bootnodes,
            requestTimeoutMs: p2p.requestTimeoutMs,
            ...(p2p.nodeKeyPath === undefined ? {} : { nodeKeyPath: p2p.nodeKeyPath }),
          },
          ...(client.chainOverrides === undefined ? {} : { chainOverrides: client.chainOverrides }),
        },
      );
    },
    createRpcServer: (node, config, deps) =>
      new PreconfRpcServer(
        { backend: node.client, metrics: metrics(deps.registry)?.runner.rpc ?? null },
        config,
      ),
  };
}
