import assert from "node:assert/strict";
import {
  decodeFunctionData,
  type Hash,
  parseTransaction,
  recoverTransactionAddress,
  zeroAddress,
} from "viem";
import { DriverError } from "../../../driver/errors.ts";
import { anchorAbi } from "../../../driver/shasta/abi.ts";
import { shastaChainConfig } from "../../../driver/shasta/chain_config.ts";
import { GOLDEN_TOUCH_ADDRESS } from "../../../driver/shasta/constants.ts";
import {
  advanceParentState,
  blockParameters,
  deriveBlock,
  type ParentHeader,
  parentState,
  prepareSegment,
  type ProposalMetadata,
  proposalMetadata,
} from "../../../driver/shasta/derivation.ts";
import { DEFAULT_MANIFEST } from "../../../driver/shasta/manifest_codec.ts";
import { computeMixHash } from "../../../driver/shasta/mix_hash.ts";
import { taikoPayloadId } from "../../../driver/shasta/payload_id.ts";
import { decodeTxList } from "../../../driver/shasta/tx_list.ts";
import type { Proposal } from "../../../driver/shasta/types.ts";
import { signedEip1559Tx, signedLegacyTx, testBlock } from "../../helpers/shasta_encoding.ts";

const CHAIN = shastaChainConfig(167001n);
const PROPOSER = "0x00000000000000000000000000000000000000Aa";

function header(fields: Partial<ParentHeader> = {}): ParentHeader {
  return {
    number: 10n,
    hash: `0x${"10".repeat(32)}`,
    timestamp: 1_000n,
    gasLimit: 31_000_000n,
    gasUsed: 15_500_000n, // exactly the target at a 2 s block time: the base fee stays
    baseFeePerGas: 900_000_000n,
    difficulty: 0n,
    ...fields,
  };
}

const STATE = parentState(header(), 998n, 50n);

const META: ProposalMetadata = {
  proposalId: 7n,
  proposer: PROPOSER,
  basefeeSharingPctg: 25,
  proposalTimestamp: 2_000n,
  l1BlockNumber: 101n,
  l1BlockHash: `0x${"b1".repeat(32)}`,
  originBlockNumber: 100n,
};

const ANCHOR_BLOCK = { hash: `0x${"a1".repeat(32)}` as Hash, stateRoot: `0x${"a2".repeat(32)}` as Hash };

Deno.test("`proposalMetadata()` takes the origin block as the proposal's L1 block − 1", () => {
  const proposal: Proposal = {
    id: 7n,
    proposer: PROPOSER,
    parentProposalHash: `0x${"00".repeat(32)}`,
    endOfSubmissionWindowTimestamp: 0n,
    basefeeSharingPctg: 25,
    sources: [],
    l1BlockNumber: 101n,
    l1BlockHash: META.l1BlockHash,
    l1TransactionHash: `0x${"cc".repeat(32)}`,
    logIndex: 3,
  };
  assert.deepEqual(proposalMetadata(proposal, 2_000n), META);
  assert.throws(() => proposalMetadata({ ...proposal, l1BlockNumber: 0n }, 2_000n), RangeError);
});

Deno.test("`parentState()` takes the block time from the grandparent, and 0 after genesis", () => {
  assert.equal(STATE.parentBlockTime, 2n);
  assert.equal(parentState(header({ number: 0n, timestamp: 0n }), null, 0n).parentBlockTime, 0n);
  assert.throws(() => parentState(header(), null, 50n), RangeError);
});

Deno.test("`advanceParentState()` moves to the next block and measures its block time", () => {
  const next = advanceParentState(STATE, header({ number: 11n, timestamp: 1_012n }), 60n);
  assert.equal(next.header.number, 11n);
  assert.equal(next.anchorBlockNumber, 60n);
  assert.equal(next.parentBlockTime, 12n);
});

Deno.test("`advanceParentState()` refuses a header that is not the next block", () => {
  assert.throws(() => advanceParentState(STATE, header({ number: 12n }), 60n), (e: unknown) => {
    assert.ok(e instanceof DriverError);
    assert.equal(e.kind, "Derivation");
    assert.equal(e.context.blockNumber, 12n);
    return true;
  });
});

Deno.test("`prepareSegment()` keeps a valid normal manifest as it is", () => {
  const manifest = { blocks: [testBlock({ timestamp: 1_500n, anchorBlockNumber: 60n })] };
  const segment = prepareSegment(manifest, STATE, META, { isForcedInclusion: false, chain: CHAIN });
  assert.equal(segment.manifest, manifest);
  assert.equal(segment.rejection, null);
});

Deno.test("`prepareSegment()` replaces an invalid normal manifest with the inherited default block", async () => {
  const manifest = {
    blocks: [
      testBlock({ timestamp: 1_500n, anchorBlockNumber: 50n, transactions: [await signedEip1559Tx()] }),
    ],
  };
  const segment = prepareSegment(manifest, STATE, META, { isForcedInclusion: false, chain: CHAIN });
  assert.equal(segment.rejection?.kind, "AnchorNotAdvanced");
  assert.deepEqual(segment.manifest.blocks, [
    {
      timestamp: 1_001n,
      coinbase: PROPOSER,
      anchorBlockNumber: 50n,
      gasLimit: 30_000_000n,
      transactions: [],
    },
  ]);
});

Deno.test("`prepareSegment()` gives an empty manifest one inherited block", () => {
  const segment = prepareSegment({ blocks: [] }, STATE, META, { isForcedInclusion: false, chain: CHAIN });
  assert.equal(segment.rejection?.kind, "EmptyManifest");
  assert.equal(segment.manifest.blocks.length, 1);
  assert.equal(segment.manifest.blocks[0]!.coinbase, PROPOSER);
});

Deno.test("`prepareSegment()` gives the default manifest of a normal source inherited metadata", () => {
  const segment = prepareSegment(DEFAULT_MANIFEST, STATE, META, { isForcedInclusion: false, chain: CHAIN });
  assert.deepEqual(segment.manifest.blocks, [
    {
      timestamp: 1_001n,
      coinbase: PROPOSER,
      anchorBlockNumber: 50n,
      gasLimit: 30_000_000n,
      transactions: [],
    },
  ]);
});

Deno.test("`prepareSegment()` gives a one-block forced inclusion inherited metadata and keeps its transactions", async () => {
  const txs = [await signedLegacyTx(), await signedEip1559Tx(1)];
  const manifest = {
    blocks: [testBlock({
      timestamp: 1_999n,
      coinbase: "0x00000000000000000000000000000000000000bb",
      anchorBlockNumber: 99n,
      gasLimit: 40_000_000n,
      transactions: txs,
    })],
  };
  const segment = prepareSegment(manifest, STATE, META, { isForcedInclusion: true, chain: CHAIN });
  assert.equal(segment.rejection, null);
  assert.equal(segment.isForcedInclusion, true);
  assert.deepEqual(segment.manifest.blocks, [
    {
      timestamp: 1_001n,
      coinbase: PROPOSER,
      anchorBlockNumber: 50n,
      gasLimit: 30_000_000n,
      transactions: txs,
    },
  ]);
});

Deno.test("`prepareSegment()` requires exactly one block in a forced inclusion", async () => {
  const tx = await signedEip1559Tx();
  for (const count of [0, 2, 3]) {
    const manifest = {
      blocks: Array.from(
        { length: count },
        (_, i) => testBlock({ timestamp: 1_500n + BigInt(i), transactions: [tx] }),
      ),
    };
    const segment = prepareSegment(manifest, STATE, META, { isForcedInclusion: true, chain: CHAIN });
    assert.equal(segment.rejection?.kind, "ForcedInclusionBlockCount");
    assert.deepEqual(segment.manifest.blocks, [
      {
        timestamp: 1_001n,
        coinbase: PROPOSER,
        anchorBlockNumber: 50n,
        gasLimit: 30_000_000n,
        transactions: [],
      },
    ]);
  }
});

Deno.test("`prepareSegment()` drops a forced inclusion's transactions when the parent's anchor is too old", async () => {
  // Origin 300: anchors must be ≥ 172, but the parent's (inherited) anchor is 50.
  const manifest = { blocks: [testBlock({ transactions: [await signedEip1559Tx()] })] };
  const meta = { ...META, originBlockNumber: 300n, l1BlockNumber: 301n };
  const segment = prepareSegment(manifest, STATE, meta, { isForcedInclusion: true, chain: CHAIN });
  assert.equal(segment.rejection?.kind, "InvalidAnchorBlockNumber");
  assert.deepEqual(segment.manifest.blocks[0]!.transactions, []);
});

Deno.test("`blockParameters()` uses the initial base fee and mixHash(0, 1) after genesis", () => {
  const genesis = parentState(
    header({ number: 0n, timestamp: 0n, gasLimit: 30_000_000n, baseFeePerGas: null }),
    null,
    0n,
  );
  assert.deepEqual(blockParameters(genesis, CHAIN), {
    number: 1n,
    baseFeePerGas: 25_000_000n,
    mixHash: "0xa6eef7e35abe7026729641147f7915573c7e97b47efa546f5f6e3230263bcb49",
  });
});

Deno.test("`blockParameters()` uses EIP-4396 with the parent's block time", () => {
  const busy = parentState(header({ gasLimit: 30_000_000n, gasUsed: 20_000_000n }), 998n, 50n);
  assert.equal(blockParameters(busy, CHAIN).baseFeePerGas, 937_500_000n);
});

Deno.test("`blockParameters()` refuses a parent before the Shasta fork", () => {
  const chain = shastaChainConfig(167001n, { shastaForkTimestamp: 1_001n });
  assert.throws(
    () => blockParameters(STATE, chain),
    (e: unknown) => e instanceof DriverError && e.kind === "Derivation",
  );
  assert.equal(
    blockParameters(STATE, shastaChainConfig(167001n, { shastaForkTimestamp: 1_000n })).number,
    11n,
  );
});

Deno.test("`deriveBlock()` builds the payload attributes of a manifest block with its anchor first", async () => {
  const txs = [await signedLegacyTx(), await signedEip1559Tx(1)];
  const block = testBlock({
    timestamp: 1_500n,
    coinbase: "0x00000000000000000000000000000000000000cc",
    anchorBlockNumber: 60n,
    gasLimit: 30_000_000n,
    transactions: txs,
  });
  const derived = deriveBlock({
    block,
    parent: STATE,
    meta: META,
    isForcedInclusion: false,
    anchorBlock: ANCHOR_BLOCK,
    anchorNonce: 10n,
    chain: CHAIN,
  });
  const { attributes } = derived;
  const mixHash = computeMixHash(0n, 11n);
  assert.equal(derived.blockNumber, 11n);
  assert.equal(derived.parentHash, STATE.header.hash);
  assert.equal(derived.anchorBlockNumber, 60n);
  assert.equal(attributes.timestamp, 1_500n);
  assert.equal(attributes.prevRandao, mixHash);
  assert.equal(attributes.suggestedFeeRecipient, block.coinbase);
  assert.deepEqual(attributes.withdrawals, []);
  assert.equal(attributes.baseFeePerGas, 900_000_000n);
  assert.deepEqual(attributes.blockMetadata, {
    beneficiary: block.coinbase,
    gasLimit: 31_000_000n,
    timestamp: 1_500n,
    mixHash,
    txList: attributes.blockMetadata.txList,
    extraData: "0x19000000000007",
  });
  assert.deepEqual(decodeTxList(attributes.blockMetadata.txList!), [derived.anchorTransaction, ...txs]);
  const {
    blockId,
    l2BlockHash,
    l1BlockHeight,
    l1BlockHash,
    isForcedInclusion,
    signature,
    buildPayloadArgsId,
  } = attributes.l1Origin;
  assert.deepEqual(
    { blockId, l2BlockHash, l1BlockHeight, l1BlockHash, isForcedInclusion, signature },
    {
      blockId: 11n,
      l2BlockHash: `0x${"00".repeat(32)}`,
      l1BlockHeight: 101n,
      l1BlockHash: META.l1BlockHash,
      isForcedInclusion: false,
      signature: `0x${"00".repeat(65)}`,
    },
  );
  assert.equal(buildPayloadArgsId, taikoPayloadId(STATE.header.hash, attributes));

  const anchor = parseTransaction(derived.anchorTransaction);
  assert.equal(
    await recoverTransactionAddress({ serializedTransaction: derived.anchorTransaction as never }),
    GOLDEN_TOUCH_ADDRESS,
  );
  assert.equal(anchor.nonce, 10);
  assert.equal(anchor.maxFeePerGas, 900_000_000n);
  assert.equal(anchor.to, CHAIN.anchorAddress);
  assert.equal(anchor.chainId, 167001);
  assert.deepEqual(decodeFunctionData({ abi: anchorAbi, data: anchor.data! }).args, [
    { blockNumber: 60, blockHash: ANCHOR_BLOCK.hash, stateRoot: ANCHOR_BLOCK.stateRoot },
  ]);
});

Deno.test("`deriveBlock()` marks a forced-inclusion block in its L1 origin", () => {
  const segment = prepareSegment({ blocks: [testBlock()] }, STATE, META, {
    isForcedInclusion: true,
    chain: CHAIN,
  });
  const derived = deriveBlock({
    block: segment.manifest.blocks[0]!,
    parent: STATE,
    meta: META,
    isForcedInclusion: true,
    anchorBlock: ANCHOR_BLOCK,
    anchorNonce: 0n,
    chain: CHAIN,
  });
  assert.equal(derived.attributes.l1Origin.isForcedInclusion, true);
  assert.equal(derived.attributes.suggestedFeeRecipient, PROPOSER);
  assert.equal(derived.attributes.timestamp, 1_001n);
});

Deno.test("`deriveBlock()` chained with advanceParentState() derives consecutive blocks", () => {
  const blocks = [
    testBlock({ timestamp: 1_002n, anchorBlockNumber: 60n, gasLimit: 30_000_000n, coinbase: zeroAddress }),
    testBlock({ timestamp: 1_010n, anchorBlockNumber: 61n, gasLimit: 30_006_000n, coinbase: zeroAddress }),
  ];
  const segment = prepareSegment({ blocks }, STATE, META, { isForcedInclusion: false, chain: CHAIN });
  assert.equal(segment.rejection, null);
  let state = STATE;
  const derived = [];
  for (const [i, block] of segment.manifest.blocks.entries()) {
    const d = deriveBlock({
      block,
      parent: state,
      meta: META,
      isForcedInclusion: false,
      anchorBlock: ANCHOR_BLOCK,
      anchorNonce: 10n + BigInt(i),
      chain: CHAIN,
    });
    derived.push(d);
    // The engine's block: full of gas, so the next base fee rises.
    state = advanceParentState(state, {
      number: d.blockNumber,
      hash: `0x${(20 + i).toString(16).padStart(2, "0").repeat(32)}`,
      timestamp: d.attributes.timestamp,
      gasLimit: d.attributes.blockMetadata.gasLimit,
      gasUsed: d.attributes.blockMetadata.gasLimit,
      baseFeePerGas: d.attributes.baseFeePerGas,
      difficulty: 0n,
    }, d.anchorBlockNumber);
  }
  assert.deepEqual(derived.map((d) => d.blockNumber), [11n, 12n]);
  assert.equal(derived[1]!.parentHash, `0x${"14".repeat(32)}`);
  assert.ok(derived[1]!.attributes.baseFeePerGas > derived[0]!.attributes.baseFeePerGas);
  assert.equal(derived[1]!.attributes.blockMetadata.gasLimit, 31_006_000n);
  assert.equal(state.anchorBlockNumber, 61n);
  assert.equal(state.parentBlockTime, 8n);
});
