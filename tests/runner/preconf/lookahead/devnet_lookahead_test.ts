import assert from "node:assert/strict";
import { type Address, getAddress, type Hash } from "viem";
import { startAnvil } from "../../../../devnet/anvil.ts";
import { BeaconStub } from "../../../../devnet/beacon_stub.ts";
import { deployStandIns } from "../../../../devnet/contracts.ts";
import {
  addWhitelistOperator,
  type LookaheadAdminDeps,
  postLookahead,
  setOperatorBlacklisted,
} from "../../../../devnet/lookahead_admin.ts";
import { preconfWhitelistAbi } from "../../../../runner/preconf/lookahead/abi.ts";
import { createLookahead } from "../../../../runner/preconf/lookahead/create_lookahead.ts";
import { createLookaheadL1 } from "../../../../runner/preconf/lookahead/l1_reader.ts";

const FALLBACK: Address = getAddress("0x00000000000000000000000000000000000000f1");
const SECOND: Address = getAddress("0x00000000000000000000000000000000000000f2");
const A: Address = getAddress("0x000000000000000000000000000000000000000a");
const B: Address = getAddress("0x000000000000000000000000000000000000000b");
const ROOT_A: Hash = `0x${"a1".repeat(32)}`;
const ROOT_B: Hash = `0x${"b2".repeat(32)}`;
// Beacon genesis ten epochs before the epoch the test runs in; L1 starts 50 s into that epoch, so the
// few seconds the test takes stay inside it.
const GENESIS = 1_700_000_000n - 3840n;
const EPOCH = GENESIS + 3840n;

Deno.test("the lookahead resolver follows the devnet LookaheadStore and PreconfWhitelist stand-ins", async () => {
  const anvil = await startAnvil({ genesisTimestamp: EPOCH + 50n, warmUpKzg: false });
  const beacon = BeaconStub.start({ genesisTimestamp: GENESIS });
  try {
    const startedAt = Date.now();
    const now = () => EPOCH + 50n + BigInt(Math.floor((Date.now() - startedAt) / 1000));
    const contracts = await deployStandIns(anvil.url, {
      beaconGenesisTimestamp: GENESIS,
      operators: [{ proposer: FALLBACK, sequencer: FALLBACK }],
    });
    const admin: LookaheadAdminDeps = {
      l1Url: anvil.url,
      lookaheadStore: contracts.lookaheadStore,
      preconfWhitelist: contracts.preconfWhitelist,
    };
    const lookahead = await createLookahead(
      { l1: createLookaheadL1(anvil.client), metrics: null },
      { inbox: contracts.inbox, beaconUrl: beacon.url, resolver: { now }, scanner: { now } },
    );
    assert.equal(lookahead.timeline.genesisTime, GENESIS);
    assert.equal(lookahead.lookaheadStore, contracts.lookaheadStore);
    assert.equal(lookahead.whitelist, contracts.preconfWhitelist);

    // No schedule posted for this epoch: the whitelist operator signs it all.
    await lookahead.scanner.scanOnce();
    assert.deepEqual(await lookahead.resolver.resolve(EPOCH + 60n), {
      kind: "Known",
      source: "Fallback",
      signer: FALLBACK,
      submissionWindowEnd: EPOCH + 384n - 12n,
    });

    await postLookahead(admin, EPOCH, [
      { committer: A, timestamp: EPOCH + 120n, registrationRoot: ROOT_A, validatorLeafIndex: 0n },
      { committer: B, timestamp: EPOCH + 240n, registrationRoot: ROOT_B, validatorLeafIndex: 1n },
    ]);
    await lookahead.scanner.scanOnce();
    assert.deepEqual(await lookahead.resolver.resolve(EPOCH + 100n), {
      kind: "Known",
      source: "Slot",
      signer: A,
      submissionWindowEnd: EPOCH + 120n,
    });
    assert.deepEqual(await lookahead.resolver.resolve(EPOCH + 200n), {
      kind: "Known",
      source: "Slot",
      signer: B,
      submissionWindowEnd: EPOCH + 240n,
    });

    await setOperatorBlacklisted(admin, ROOT_B, true);
    await lookahead.scanner.scanOnce();
    assert.deepEqual(await lookahead.resolver.resolve(EPOCH + 200n), {
      kind: "Known",
      source: "Blacklisted",
      signer: FALLBACK,
      submissionWindowEnd: EPOCH + 240n,
    });

    await addWhitelistOperator(admin, { proposer: SECOND, sequencer: SECOND });
    await lookahead.scanner.scanOnce();
    const next = await anvil.client.readContract({
      address: contracts.preconfWhitelist,
      abi: preconfWhitelistAbi,
      functionName: "getOperatorForNextEpoch",
    });
    assert.equal(lookahead.timeline.fallbackAt(EPOCH + 384n), next);
    assert.deepEqual(await lookahead.resolver.resolve(EPOCH + 384n), {
      kind: "OutOfRange",
      reason: "TooNew",
    });
  } finally {
    await beacon.stop();
    await anvil.stop();
  }
});
