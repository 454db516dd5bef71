/**
 * One driver node (the runner with its production parts) on the devnet: blocks published through
 * `preconf_publishBlock` are inserted, confirmed by their L1 proposal without an engine rebuild, and
 * replaced by a differing one; refused commitments never reach the engine; an EOP hands the window
 * over; a missing L2 latest head stops the runner.
 */
import assert from "node:assert/strict";
import { type Address, getAddress, keccak256, toHex, zeroHash } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { ConfirmingProposer } from "../devnet/confirming_proposer.ts";
import { postLookahead } from "../devnet/lookahead_admin.ts";
import { type Devnet, startDevnet } from "../devnet/network.ts";
import { DemoPreconfer, DEVNET_SLASHER, type PreconfMessage } from "../devnet/preconfer.ts";
import { proposeManifest } from "../devnet/proposer.ts";
import { ANCHOR_GAS_LIMIT } from "../driver/shasta/constants.ts";
import { RunnerError } from "../runner/errors.ts";
import { encodeSignedCommitment } from "../runner/p2p/wire/commitment.ts";
import { signCommitment } from "../runner/p2p/wire/signing.ts";
import { RPC_ERROR_CODES } from "../runner/rpc/error_codes.ts";
import {
  type E2eNode,
  E2ePublisher,
  publishBlockParams,
  type PublishedBlock,
  type RpcAnswer,
  startE2eNode,
  waitFor,
} from "./helpers/e2e_driver.ts";

const ENGINE_WRITES = ["engine_forkchoiceUpdatedV2", "engine_newPayloadV2"] as const;
const REPLACEMENT_COINBASE: Address = getAddress("0x00000000000000000000000000000000c0ffee00");

function engineWrites(node: E2eNode): number[] {
  return ENGINE_WRITES.map((method) => node.engine.callCount(method));
}

function assertRefused(answer: RpcAnswer, code: number, reason: string): void {
  assert.equal(answer.ok, false, `expected a refusal with ${reason}, got ${JSON.stringify(answer)}`);
  if (answer.ok) return;
  assert.equal(answer.error.code, code, answer.error.message);
  assert.deepEqual(answer.error.data, { kind: "Validation", reason });
}

async function status(node: E2eNode): Promise<{ eventSyncTip: string | null; preconfTip: string }> {
  const answer = await node.call("preconf_getStatus");
  assert.ok(answer.ok);
  return answer.result as { eventSyncTip: string | null; preconfTip: string };
}

/** Publishes a message and expects the node to refuse it without touching the engine. */
async function expectRefusal(node: E2eNode, message: PreconfMessage, code: number, reason: string) {
  const head = node.engine.head().hash;
  const writes = engineWrites(node);
  assertRefused(await node.call("preconf_publishBlock", publishBlockParams(message)), code, reason);
  assert.deepEqual(engineWrites(node), writes);
  assert.equal(node.engine.head().hash, head);
}

Deno.test("a driver node inserts published blocks, confirms or replaces them from L1, refuses bad commitments, follows an EOP handoff and stops without an L2 head", async (t) => {
  const devnet: Devnet = await startDevnet({ engines: 1 });
  let node: E2eNode | null = null;
  try {
    node = await startE2eNode(devnet, { engineIndex: 0 });
    const a = node;
    const engine = a.engine;
    const publisher = new E2ePublisher(devnet, engine);
    const published: { message: PreconfMessage; result: PublishedBlock }[] = [];

    await t.step(
      "blocks published through preconf_publishBlock are inserted on top of each other",
      async () => {
        for (let i = 0; i < 3; i++) published.push(await publisher.publishNext(a.rpcUrl));
        for (const [i, { message, result }] of published.entries()) {
          const n = BigInt(i + 1);
          const preconf = message.signed.commitment.preconf;
          const block = engine.canonicalBlock(n);
          assert.ok(block !== undefined);
          assert.equal(result.blockNumber, toHex(n));
          assert.equal(result.blockHash, block.hash);
          assert.equal(block.header.parentHash, engine.canonicalBlock(n - 1n)?.hash);
          assert.equal(block.header.timestamp, preconf.timestamp);
          assert.equal(block.header.gasLimit, preconf.gasLimit);
          assert.equal(getAddress(block.header.miner), preconf.coinbase);
        }
        assert.equal(engine.head().header.number, 3n);
        assert.deepEqual(await a.call("preconf_tip"), { ok: true, result: "0x3" });
      },
    );

    await t.step(
      "wrong-signer, wrong-slasher and broken-parent-link commitments never reach the engine",
      async () => {
        const linked = { blockNumber: 3n, hash: published.at(-1)!.message.preconfirmationHash };
        const next = await publisher.plan();

        const stranger = new DemoPreconfer({
          privateKey: generatePrivateKey(),
          slasherAddress: DEVNET_SLASHER,
        });
        stranger.resetParent(linked);
        await expectRefusal(a, stranger.sign(next), RPC_ERROR_CODES.InvalidSigner, "SignerMismatch");

        const otherSlasher = new DemoPreconfer({ slasherAddress: getAddress(`0x${"5b".repeat(20)}`) });
        otherSlasher.resetParent(linked);
        await expectRefusal(a, otherSlasher.sign(next), RPC_ERROR_CODES.InvalidCommitment, "SlasherMismatch");

        // Lesson V-1: the link is checked against the stored parent commitment (block 3, not yet confirmed).
        const broken = new DemoPreconfer({ slasherAddress: DEVNET_SLASHER });
        broken.resetParent({ blockNumber: 3n, hash: keccak256(toHex("not the parent")) });
        await expectRefusal(a, broken.sign(next), RPC_ERROR_CODES.InvalidCommitment, "ParentHashMismatch");
      },
    );

    await t.step("the same blocks proposed on L1 are confirmed without an engine rebuild", async () => {
      const hashes = [1n, 2n, 3n].map((n) => engine.canonicalBlock(n)?.hash);
      const writes = engineWrites(a);
      const proposer = new ConfirmingProposer({ proposer: devnet.proposerDeps, l2Url: engine.publicUrl });
      const posted = await proposer.proposeOnce();
      assert.ok(posted !== null);
      await waitFor(async () => (await status(a)).eventSyncTip === "0x3", "event sync tip 3");
      assert.deepEqual(engineWrites(a), writes);
      assert.deepEqual([1n, 2n, 3n].map((n) => engine.canonicalBlock(n)?.hash), hashes);
      assert.equal(engine.headL1OriginId(), 3n);
      assert.equal(engine.l1Origin(3n)?.l1BlockHash, posted.block.hash);
    });

    await t.step("a stale commitment (at or below the confirmed tip) never reaches the engine", async () => {
      const stale = new DemoPreconfer({ slasherAddress: DEVNET_SLASHER });
      const next = await publisher.plan();
      await expectRefusal(a, stale.sign({ ...next, blockNumber: 2n }), RPC_ERROR_CODES.NotSynced, "Stale");
    });

    await t.step(
      "a differing L1 proposal replaces the preconfirmed blocks and the preconf tip follows",
      async () => {
        const replaced = [];
        for (let i = 0; i < 3; i++) replaced.push(await publisher.publishNext(a.rpcUrl));
        assert.equal(engine.head().header.number, 6n);
        const oldHashes = [4n, 5n, 6n].map((n) => engine.canonicalBlock(n)?.hash);
        const timestamps = replaced.map(({ message }) => message.signed.commitment.preconf.timestamp);
        // Heights 4 to 6 with another coinbase, and a block 7 that no preconfirmation produced.
        timestamps.push(timestamps.at(-1)! + 1n);
        const l1Head = await devnet.anvil.client.getBlockNumber();
        const gasLimit = engine.canonicalBlock(3n)!.header.gasLimit - ANCHOR_GAS_LIMIT;
        await proposeManifest(devnet.proposerDeps, {
          blocks: timestamps.map((timestamp) => ({
            timestamp,
            coinbase: REPLACEMENT_COINBASE,
            anchorBlockNumber: l1Head,
            gasLimit,
            transactions: [],
          })),
        });
        await waitFor(async () => (await status(a)).eventSyncTip === "0x7", "event sync tip 7");
        assert.equal(engine.head().header.number, 7n);
        for (const n of [4n, 5n, 6n, 7n]) {
          const block = engine.canonicalBlock(n);
          assert.equal(block?.header.miner, REPLACEMENT_COINBASE);
          assert.equal(block?.header.parentHash, engine.canonicalBlock(n - 1n)?.hash);
          assert.ok(!oldHashes.includes(block?.hash));
        }
        assert.deepEqual(await a.call("preconf_tip"), { ok: true, result: "0x7" });
        assert.equal((await status(a)).preconfTip, "0x7");

        const { result } = await publisher.publishNext(a.rpcUrl);
        assert.equal(result.blockNumber, "0x8");
        assert.equal(engine.head().hash, result.blockHash);
        assert.equal(engine.head().header.parentHash, engine.canonicalBlock(7n)?.hash);
      },
    );

    await t.step("an EOP hands the rest of the window to the next slot's preconfer (V-6)", async () => {
      const nextKey = generatePrivateKey();
      const nextSigner = new DemoPreconfer({ privateKey: nextKey, slasherAddress: DEVNET_SLASHER });
      const now = BigInt(Math.floor(Date.now() / 1000));
      const endA = now + 60n;
      const endB = now + 120n;
      await postLookahead(
        {
          l1Url: devnet.endpoints.l1Http,
          lookaheadStore: devnet.endpoints.lookaheadStore,
          preconfWhitelist: devnet.endpoints.preconfWhitelist,
        },
        devnet.anvil.genesisTimestamp,
        [
          {
            committer: devnet.preconfer.address,
            timestamp: endA,
            registrationRoot: zeroHash,
            validatorLeafIndex: 0n,
          },
          {
            committer: nextSigner.address,
            timestamp: endB,
            registrationRoot: `0x${"b0".repeat(32)}`,
            validatorLeafIndex: 1n,
          },
        ],
      );
      await waitFor(async () => {
        const answer = await a.call("preconf_getPreconfSlotInfo", [Number(now)]);
        return answer.ok &&
          BigInt((answer.result as { submissionWindowEnd: string }).submissionWindowEnd) === endA;
      }, "the posted lookahead");

      const head = engine.head().header.number;
      const eopBlock = await publisher.plan({ submissionWindowEnd: endA, eop: true });
      nextSigner.resetParent({ blockNumber: head, hash: publisher.last!.preconfirmationHash });
      const early = nextSigner.sign({ ...eopBlock, eop: false, submissionWindowEnd: endB });
      await expectRefusal(a, early, RPC_ERROR_CODES.InvalidSigner, "SignerMismatch");

      const eop = publisher.sign(eopBlock);
      const eopAnswer = await a.call("preconf_publishBlock", publishBlockParams(eop));
      assert.ok(eopAnswer.ok, JSON.stringify(eopAnswer));
      assert.equal((eopAnswer.result as PublishedBlock).local, "inserted");
      assert.equal(engine.head().header.number, head + 1n);

      const afterEop = await publisher.plan({ submissionWindowEnd: endA });
      await expectRefusal(a, publisher.sign(afterEop), RPC_ERROR_CODES.InvalidCommitment, "InvalidEop");

      nextSigner.resetParent({ blockNumber: head + 1n, hash: eop.preconfirmationHash });
      const handedOver = nextSigner.sign({ ...afterEop, submissionWindowEnd: endB });
      const handoverAnswer = await a.call("preconf_publishBlock", publishBlockParams(handedOver));
      assert.ok(handoverAnswer.ok, JSON.stringify(handoverAnswer));
      assert.equal(engine.head().header.number, head + 2n);
      assert.equal(engine.head().header.miner, nextSigner.address);

      // An EOP-only commitment (zero txlist hash, empty txlist) is accepted and produces no block.
      const preconf = {
        ...handedOver.signed.commitment.preconf,
        eop: true,
        blockNumber: head + 3n,
        timestamp: endA + 1n,
        rawTxListHash: zeroHash,
        parentPreconfirmationHash: handedOver.preconfirmationHash,
      };
      const signed = signCommitment({ preconf, slasherAddress: DEVNET_SLASHER }, nextKey);
      const writes = engineWrites(a);
      const eopOnly = await a.call("preconf_publishBlock", [{
        commitment: toHex(encodeSignedCommitment(signed)),
        txListHash: zeroHash,
        txList: "0x",
      }]);
      assert.ok(eopOnly.ok, JSON.stringify(eopOnly));
      assert.equal((eopOnly.result as PublishedBlock).local, "eopOnly");
      assert.equal((eopOnly.result as PublishedBlock).blockHash, null);
      assert.deepEqual(engineWrites(a), writes);
      assert.equal(engine.head().header.number, head + 2n);
    });

    await t.step("an L2 engine without a latest head stops the runner with MissingL2LatestHead", async () => {
      engine.injectFault({
        methods: ["eth_getBlockByNumber"],
        params: ["latest"],
        effect: { kind: "result", result: null },
      });
      const parent = engine.head();
      await proposeManifest(devnet.proposerDeps, {
        blocks: [{
          timestamp: parent.header.timestamp + 1n,
          coinbase: REPLACEMENT_COINBASE,
          anchorBlockNumber: await devnet.anvil.client.getBlockNumber(),
          gasLimit: parent.header.gasLimit - ANCHOR_GAS_LIMIT,
          transactions: [],
        }],
      });
      await assert.rejects(
        a.done,
        (error) => error instanceof RunnerError && error.kind === "MissingL2LatestHead",
      );
    });
  } finally {
    await node?.stop();
    await devnet.stop();
  }
});
