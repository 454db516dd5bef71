import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import {
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  type Hash,
  type Hex,
  toEventSelector,
  toFunctionSelector,
} from "viem";
import { SyncError } from "../../../driver/errors.ts";
import { anchorAbi, decodeProposedLog, inboxAbi, type ProposedLogInput } from "../../../driver/shasta/abi.ts";

const PROPOSED = inboxAbi[0];
const PROPOSER = getAddress("0x00000000000000000000000000000000000000aa");

const SOURCES = [
  {
    isForcedInclusion: true,
    blobSlice: { blobHashes: [`0x01${"aa".repeat(31)}` as Hash], offset: 0, timestamp: 1_700_000_000 },
  },
  {
    isForcedInclusion: false,
    blobSlice: {
      blobHashes: [`0x01${"bb".repeat(31)}` as Hash, `0x01${"cc".repeat(31)}` as Hash],
      offset: 131_008,
      timestamp: 1_700_000_012,
    },
  },
];

function proposedLog(overrides: Partial<ProposedLogInput> = {}): ProposedLogInput {
  const topics = encodeEventTopics({
    abi: inboxAbi,
    eventName: "Proposed",
    args: { id: 42, proposer: PROPOSER },
  }) as Hex[];
  const data = encodeAbiParameters(PROPOSED.inputs.filter((input) => !input.indexed), [
    `0x${"77".repeat(32)}`,
    1_700_000_100,
    75,
    SOURCES,
  ]);
  return {
    topics,
    data,
    blockNumber: 123n,
    blockHash: `0x${"12".repeat(32)}`,
    transactionHash: `0x${"34".repeat(32)}`,
    logIndex: 2,
    ...overrides,
  };
}

Deno.test("the ABIs have the selectors of driver.md §2.2", () => {
  const { Proposed, ...functions } = vectors.selectors;
  assert.equal(toEventSelector(PROPOSED), Proposed);
  const selectors = Object.fromEntries(
    [...inboxAbi, ...anchorAbi].filter((item) => item.type === "function").map((
      f,
    ) => [f.name, toFunctionSelector(f)]),
  );
  assert.deepEqual(selectors, functions);
});

Deno.test("`decodeProposedLog()` decodes every field with bigint quantities", () => {
  assert.deepEqual(decodeProposedLog(proposedLog()), {
    id: 42n,
    proposer: PROPOSER,
    parentProposalHash: `0x${"77".repeat(32)}`,
    endOfSubmissionWindowTimestamp: 1_700_000_100n,
    basefeeSharingPctg: 75,
    sources: SOURCES.map((s) => ({
      isForcedInclusion: s.isForcedInclusion,
      blobSlice: { ...s.blobSlice, timestamp: BigInt(s.blobSlice.timestamp) },
    })),
    l1BlockNumber: 123n,
    l1BlockHash: `0x${"12".repeat(32)}`,
    l1TransactionHash: `0x${"34".repeat(32)}`,
    logIndex: 2,
  });
});

Deno.test("`decodeProposedLog()` refuses a pending log", () => {
  for (
    const pending of [{ blockHash: null }, { blockNumber: null }, { transactionHash: null }, {
      logIndex: null,
    }]
  ) {
    assert.throws(() => decodeProposedLog(proposedLog(pending)), (e: unknown) => {
      assert.ok(e instanceof SyncError);
      assert.equal(e.kind, "InvalidProposalLog");
      return true;
    });
  }
});

Deno.test("`decodeProposedLog()` refuses another event, no topics, or truncated data", () => {
  const log = proposedLog();
  const cases: Partial<ProposedLogInput>[] = [
    { topics: [`0x${"ee".repeat(32)}`, ...log.topics.slice(1)] },
    { topics: [] },
    { data: log.data.slice(0, 130) as Hex },
  ];
  for (const c of cases) {
    assert.throws(() => decodeProposedLog(proposedLog(c)), (e: unknown) => {
      assert.ok(e instanceof SyncError);
      assert.equal(e.kind, "InvalidProposalLog");
      assert.equal(e.context.blockNumber, 123n);
      assert.ok(e.cause !== undefined);
      return true;
    });
  }
});
