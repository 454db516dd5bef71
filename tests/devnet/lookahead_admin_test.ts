import assert from "node:assert/strict";
import { type Address, type Hash, parseEventLogs } from "viem";
import { startAnvil } from "../../devnet/anvil.ts";
import { deployStandIns } from "../../devnet/contracts.ts";
import {
  addWhitelistOperator,
  postLookahead,
  removeWhitelistOperator,
  setOperatorBlacklisted,
} from "../../devnet/lookahead_admin.ts";
import { lookaheadStoreStandInAbi, preconfWhitelistStandInAbi } from "../../devnet/stand_in_abis.ts";

const ALICE: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const ROOT: Hash = `0x${"ab".repeat(32)}`;
const EPOCH_SECONDS = 384n;

Deno.test("the lookahead and whitelist stand-ins answer the resolver's calls and emit its events", async (t) => {
  await using anvil = await startAnvil({ warmUpKzg: false });
  const client = anvil.client;
  const contracts = await deployStandIns(anvil.url, { operators: [{ proposer: ALICE, sequencer: ALICE }] });
  const deps = { l1Url: anvil.url, ...contracts };
  const logsOf = async (blockNumber: bigint) =>
    await client.getLogs({ fromBlock: blockNumber, toBlock: blockNumber });
  const epochStart = (ts: bigint) =>
    anvil.genesisTimestamp + ((ts - anvil.genesisTimestamp) / EPOCH_SECONDS) * EPOCH_SECONDS;

  await t.step("getLookaheadStoreConfig reports the buffer size", async () => {
    const config = await client.readContract({
      address: contracts.lookaheadStore,
      abi: lookaheadStoreStandInAbi,
      functionName: "getLookaheadStoreConfig",
    });
    assert.equal(config.lookaheadBufferSize, 503);
  });

  await t.step("postLookahead emits LookaheadPosted with the slots", async () => {
    const slots = [
      {
        committer: ALICE,
        timestamp: anvil.genesisTimestamp + 12n,
        registrationRoot: ROOT,
        validatorLeafIndex: 3n,
      },
      {
        committer: BOB,
        timestamp: anvil.genesisTimestamp + 24n,
        registrationRoot: ROOT,
        validatorLeafIndex: 4n,
      },
    ];
    const receipt = await postLookahead(deps, anvil.genesisTimestamp, slots);
    const [event] = parseEventLogs({
      abi: lookaheadStoreStandInAbi,
      eventName: "LookaheadPosted",
      logs: await logsOf(receipt.blockNumber),
    });
    assert.ok(event !== undefined);
    assert.equal(event.address, contracts.lookaheadStore.toLowerCase());
    assert.equal(event.args.epochTimestamp, anvil.genesisTimestamp);
    assert.deepEqual(event.args.lookaheadSlots, slots);
  });

  await t.step(
    "blacklisting and clearing emit Blacklisted and Unblacklisted with the block time",
    async () => {
      for (const listed of [true, false]) {
        const receipt = await setOperatorBlacklisted(deps, ROOT, listed);
        const block = await client.getBlock({ blockNumber: receipt.blockNumber });
        const [event] = parseEventLogs({
          abi: lookaheadStoreStandInAbi,
          logs: await logsOf(receipt.blockNumber),
        });
        assert.ok(event !== undefined);
        assert.equal(event.eventName, listed ? "Blacklisted" : "Unblacklisted");
        assert.deepEqual(event.args, { operatorRegistrationRoot: ROOT, timestamp: Number(block.timestamp) });
        const flag = await client.readContract({
          address: contracts.lookaheadStore,
          abi: lookaheadStoreStandInAbi,
          functionName: "isOperatorBlacklisted",
          args: [ROOT],
        });
        assert.equal(flag, listed);
      }
    },
  );

  await t.step(
    "a whitelist operator added now is active from the next epoch, round-robin by epoch",
    async () => {
      const receipt = await addWhitelistOperator(deps, { proposer: BOB, sequencer: BOB });
      const block = await client.getBlock({ blockNumber: receipt.blockNumber });
      const next = epochStart(block.timestamp) + EPOCH_SECONDS;
      const [event] = parseEventLogs({
        abi: preconfWhitelistStandInAbi,
        logs: await logsOf(receipt.blockNumber),
      });
      assert.ok(event?.eventName === "OperatorAdded");
      assert.deepEqual(event.args, { proposer: BOB, sequencer: BOB, activeSince: next });
      const read = (functionName: "getOperatorForCurrentEpoch" | "getOperatorForNextEpoch") =>
        client.readContract({
          address: contracts.preconfWhitelist,
          abi: preconfWhitelistStandInAbi,
          functionName,
        });
      assert.equal(await read("getOperatorForCurrentEpoch"), ALICE);
      const nextIndex = ((next - anvil.genesisTimestamp) / EPOCH_SECONDS) % 2n;
      assert.equal(await read("getOperatorForNextEpoch"), nextIndex === 0n ? ALICE : BOB);
      await client.request({ method: "evm_increaseTime" as never, params: [Number(EPOCH_SECONDS)] as never });
      await client.request({ method: "evm_mine" as never });
      assert.equal(await read("getOperatorForCurrentEpoch"), nextIndex === 0n ? ALICE : BOB);
    },
  );

  await t.step("removing an operator emits OperatorRemoved and an unknown one reverts", async () => {
    const receipt = await removeWhitelistOperator(deps, BOB);
    const [event] = parseEventLogs({
      abi: preconfWhitelistStandInAbi,
      logs: await logsOf(receipt.blockNumber),
    });
    assert.ok(event?.eventName === "OperatorRemoved");
    assert.equal(event.args.proposer, BOB);
    await assert.rejects(removeWhitelistOperator(deps, "0x0000000000000000000000000000000000000123"));
  });

  await t.step("a key that is not the owner cannot post", async () => {
    const stranger = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const;
    await assert.rejects(postLookahead({ ...deps, ownerKey: stranger }, anvil.genesisTimestamp, []));
  });
});
