import assert from "node:assert/strict";
import { formatAbiItem } from "viem/utils";
import { type Abi, toEventSelector } from "viem";
import { startAnvil } from "../../devnet/anvil.ts";
import { inboxAbi } from "../../driver/shasta/abi.ts";
import { lookaheadStoreAbi, preconfWhitelistAbi } from "../../runner/preconf/lookahead/abi.ts";
import { compileStandIns, type StandInName } from "../../devnet/compile_contracts.ts";
import { deployStandIns, DEVNET_BASEFEE_SHARING_PCTG } from "../../devnet/contracts.ts";
import {
  inboxStandInAbi,
  lookaheadStoreStandInAbi,
  preconfWhitelistStandInAbi,
} from "../../devnet/stand_in_abis.ts";

const PROPOSED_TOPIC0 = "0x7c4c4523e17533e451df15762a093e0693a2cd8b279fe54c6cd3777ed5771213";

function signatures(abi: Abi): string[] {
  return abi
    .filter((item) => item.type !== "error")
    .map((item) => {
      if (item.type === "constructor") {
        return "constructor " +
          formatAbiItem({
            type: "function",
            name: "",
            inputs: item.inputs,
            outputs: [],
            stateMutability: "nonpayable",
          });
      }
      const outputs = "outputs" in item ? JSON.stringify(item.outputs.map((o) => o.type)) : "";
      const indexed = item.type === "event" ? JSON.stringify(item.inputs.map((i) => i.indexed ?? false)) : "";
      return formatAbiItem(item) + outputs + indexed;
    })
    .sort();
}

Deno.test("the typed stand-in ABIs match what solc compiles from devnet/contracts", () => {
  const compiled = compileStandIns();
  const typed: Record<StandInName, Abi> = {
    ShastaInboxStandIn: inboxStandInAbi,
    LookaheadStoreStandIn: lookaheadStoreStandInAbi,
    PreconfWhitelistStandIn: preconfWhitelistStandInAbi,
  };
  for (const name of Object.keys(typed) as StandInName[]) {
    assert.deepEqual(signatures(typed[name]), signatures(compiled[name].abi), name);
  }
});

Deno.test("the Inbox stand-in's Proposed event has the protocol's topic0", () => {
  const proposed = compileStandIns().ShastaInboxStandIn.abi.find(
    (item) => item.type === "event" && item.name === "Proposed",
  );
  assert.ok(proposed !== undefined && proposed.type === "event");
  assert.equal(toEventSelector(proposed), PROPOSED_TOPIC0);
});

Deno.test("`deployStandIns()` wires Inbox config, core state, activation and the lookahead store", async () => {
  await using anvil = await startAnvil({ warmUpKzg: false });
  const operator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
  const contracts = await deployStandIns(anvil.url, {
    operators: [{ proposer: operator, sequencer: operator }],
  });
  const client = anvil.client;
  const config = await client.readContract({
    address: contracts.inbox,
    abi: inboxStandInAbi,
    functionName: "getConfig",
  });
  assert.equal(config.proposerChecker, contracts.lookaheadStore);
  assert.equal(config.basefeeSharingPctg, DEVNET_BASEFEE_SHARING_PCTG);
  const core = await client.readContract({
    address: contracts.inbox,
    abi: inboxStandInAbi,
    functionName: "getCoreState",
  });
  assert.equal(core.nextProposalId, 1);
  assert.equal(core.lastFinalizedProposalId, 0);
  const deployBlock = await client.getBlock({ blockNumber: contracts.deployBlockNumber });
  const activation = await client.readContract({
    address: contracts.inbox,
    abi: inboxStandInAbi,
    functionName: "activationTimestamp",
  });
  assert.equal(BigInt(activation), deployBlock.timestamp);
  const whitelist = await client.readContract({
    address: contracts.lookaheadStore,
    abi: lookaheadStoreStandInAbi,
    functionName: "preconfWhitelist",
  });
  assert.equal(whitelist, contracts.preconfWhitelist);
  const current = await client.readContract({
    address: contracts.preconfWhitelist,
    abi: preconfWhitelistStandInAbi,
    functionName: "getOperatorForCurrentEpoch",
  });
  assert.equal(current, operator);
});

Deno.test("the stand-ins implement every call and event the driver and the lookahead resolver use", () => {
  const compiled = compileStandIns();
  const pairs: [Abi, StandInName][] = [
    [inboxAbi as Abi, "ShastaInboxStandIn"],
    [lookaheadStoreAbi as Abi, "LookaheadStoreStandIn"],
    [preconfWhitelistAbi as Abi, "PreconfWhitelistStandIn"],
  ];
  for (const [used, name] of pairs) {
    const provided = new Set(signatures(compiled[name].abi));
    for (const signature of signatures(used)) {
      assert.ok(provided.has(signature), `${name} lacks ${signature}`);
    }
  }
});
