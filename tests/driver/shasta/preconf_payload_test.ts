import assert from "node:assert/strict";
import { shastaChainConfig } from "../../../driver/shasta/chain_config.ts";
import {
  deriveBlock,
  type ParentHeader,
  parentState,
  prepareSegment,
} from "../../../driver/shasta/derivation.ts";
import { computeMixHash } from "../../../driver/shasta/mix_hash.ts";
import { taikoPayloadId } from "../../../driver/shasta/payload_id.ts";
import {
  buildPreconfPayloadAttributes,
  type PreconfPayloadInput,
} from "../../../driver/shasta/preconf_payload.ts";
import { decodeTxList } from "../../../driver/shasta/tx_list.ts";
import { signedEip1559Tx, signedLegacyTx, testBlock } from "../../helpers/shasta_encoding.ts";

// p2p.md §21.4: parent #4 at ts 8 (gas limit 30M, 15M used, base fee 900M), grandparent ts 6.
const PARENT: ParentHeader = {
  number: 4n,
  hash: `0x${"44".repeat(32)}`,
  timestamp: 8n,
  gasLimit: 30_000_000n,
  gasUsed: 15_000_000n,
  baseFeePerGas: 900_000_000n,
  difficulty: 0n,
};

async function input(fields: Partial<PreconfPayloadInput> = {}): Promise<PreconfPayloadInput> {
  return {
    parent: PARENT,
    grandparentTimestamp: 6n,
    blockNumber: 5n,
    timestamp: 10n,
    gasLimit: 31_000_000n,
    coinbase: "0x00000000000000000000000000000000000000Cc",
    proposalId: 7n,
    basefeeSharingPctg: 5,
    transactions: [await signedEip1559Tx()],
    ...fields,
  };
}

Deno.test("`buildPreconfPayloadAttributes()` matches the Rust payload-builder vector", async () => {
  const attrs = buildPreconfPayloadAttributes(await input());
  assert.equal(attrs.baseFeePerGas, 900_000_000n);
  assert.equal(attrs.blockMetadata.extraData, "0x05000000000007");
  assert.equal(attrs.blockMetadata.gasLimit, 31_000_000n);
  assert.equal(attrs.timestamp, 10n);
  assert.equal(attrs.prevRandao, computeMixHash(0n, 5n));
});

Deno.test("`buildPreconfPayloadAttributes()` fills mixHash, txList and an L1 origin without an L1 block", async () => {
  const txs = [await signedLegacyTx(), await signedEip1559Tx(1)];
  const attrs = buildPreconfPayloadAttributes(await input({ transactions: txs }));
  assert.equal(attrs.prevRandao, attrs.blockMetadata.mixHash);
  assert.equal(attrs.blockMetadata.beneficiary, attrs.suggestedFeeRecipient);
  assert.deepEqual(decodeTxList(attrs.blockMetadata.txList!), txs);
  assert.deepEqual(attrs.withdrawals, []);
  assert.equal(attrs.l1Origin.blockId, 5n);
  assert.equal(attrs.l1Origin.l1BlockHeight, null);
  assert.equal(attrs.l1Origin.l1BlockHash, null);
  assert.equal(attrs.l1Origin.isForcedInclusion, false);
  assert.equal(attrs.l1Origin.signature, `0x${"00".repeat(65)}`);
  assert.equal(attrs.l1Origin.buildPayloadArgsId, taikoPayloadId(PARENT.hash, attrs));
});

Deno.test("`buildPreconfPayloadAttributes()` uses the initial base fee after genesis, without a grandparent", async () => {
  const genesis = { ...PARENT, number: 0n, timestamp: 0n, baseFeePerGas: null };
  const attrs = buildPreconfPayloadAttributes(
    await input({ parent: genesis, grandparentTimestamp: null, blockNumber: 1n }),
  );
  assert.equal(attrs.baseFeePerGas, 25_000_000n);
  assert.equal(attrs.prevRandao, "0xa6eef7e35abe7026729641147f7915573c7e97b47efa546f5f6e3230263bcb49");
});

Deno.test("`buildPreconfPayloadAttributes()` applies the chain's minimum base fee", async () => {
  const cheap = { ...PARENT, baseFeePerGas: 5_000_000n, gasUsed: 0n };
  assert.equal(buildPreconfPayloadAttributes(await input({ parent: cheap })).baseFeePerGas, 5_000_000n);
  assert.equal(
    buildPreconfPayloadAttributes(await input({ parent: cheap, minBaseFee: 7_000_000n })).baseFeePerGas,
    7_000_000n,
  );
});

Deno.test("`buildPreconfPayloadAttributes()` refuses inputs outside the protocol's ranges", async () => {
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ blockNumber: 6n })),
    RangeError,
  );
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ proposalId: 1n << 48n })),
    RangeError,
  );
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ timestamp: 1n << 64n })),
    RangeError,
  );
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ grandparentTimestamp: null })),
    RangeError,
  );
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ parent: { ...PARENT, baseFeePerGas: null } })),
    RangeError,
  );
  await assert.rejects(
    async () => buildPreconfPayloadAttributes(await input({ transactions: ["0x05c0"] })),
    RangeError,
  );
});

Deno.test("`buildPreconfPayloadAttributes()` gives the same block as L1 derivation of the same inputs (lesson S-7)", async () => {
  const chain = shastaChainConfig(167001n);
  const parent = { ...PARENT, gasLimit: 31_000_000n, gasUsed: 15_500_000n };
  const state = parentState(parent, 6n, 50n);
  const meta = {
    proposalId: 7n,
    proposer: "0x00000000000000000000000000000000000000Cc",
    basefeeSharingPctg: 5,
    proposalTimestamp: 100n,
    l1BlockNumber: 61n,
    l1BlockHash: `0x${"b1".repeat(32)}`,
    originBlockNumber: 60n,
  } as const;
  const txs = [await signedEip1559Tx()];
  const segment = prepareSegment(
    {
      blocks: [
        testBlock({
          timestamp: 10n,
          coinbase: meta.proposer,
          anchorBlockNumber: 55n,
          gasLimit: 30_000_000n,
          transactions: txs,
        }),
      ],
    },
    state,
    meta,
    { isForcedInclusion: false, chain },
  );
  assert.equal(segment.rejection, null);
  const derived = deriveBlock({
    block: segment.manifest.blocks[0]!,
    parent: state,
    meta,
    isForcedInclusion: false,
    anchorBlock: { hash: `0x${"a1".repeat(32)}`, stateRoot: `0x${"a2".repeat(32)}` },
    anchorNonce: 4n,
    chain,
  });
  // The preconfer commits to the header gas limit and sends the same anchor transaction first.
  const preconf = buildPreconfPayloadAttributes({
    parent,
    grandparentTimestamp: 6n,
    blockNumber: 5n,
    timestamp: 10n,
    gasLimit: 31_000_000n,
    coinbase: meta.proposer,
    proposalId: 7n,
    basefeeSharingPctg: 5,
    transactions: [derived.anchorTransaction, ...txs],
  });
  const { l1Origin: derivedOrigin, ...derivedRest } = derived.attributes;
  const { l1Origin: preconfOrigin, ...preconfRest } = preconf;
  assert.deepEqual(preconfRest, derivedRest);
  assert.equal(preconfOrigin.buildPayloadArgsId, derivedOrigin.buildPayloadArgsId);
  assert.equal(preconfOrigin.blockId, derivedOrigin.blockId);
});
