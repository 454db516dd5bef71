import assert from "node:assert/strict";
import {
  applyInheritedMetadata,
  effectiveParentGasLimit,
  gasLimitBounds,
  type ManifestRejectionKind,
  type ManifestValidationContext,
  timestampLowerBound,
  validateSourceManifest,
} from "../../../driver/shasta/manifest_validation.ts";
import { DEFAULT_MANIFEST } from "../../../driver/shasta/manifest_codec.ts";
import type { BlockManifest } from "../../../driver/shasta/types.ts";
import { testBlock } from "../../helpers/shasta_encoding.ts";

const CONTEXT: ManifestValidationContext = {
  parentTimestamp: 1_000n,
  parentGasLimit: 31_000_000n, // non-genesis: 30M after the anchor budget
  parentNumber: 10n,
  parentAnchorBlockNumber: 50n,
  proposalTimestamp: 2_000n,
  originBlockNumber: 100n,
  isForcedInclusion: false,
  shastaForkTimestamp: 0n,
};

function block(fields: Partial<BlockManifest>): BlockManifest {
  return testBlock({ timestamp: 1_500n, anchorBlockNumber: 60n, gasLimit: 30_000_000n, ...fields });
}

const CASES: ReadonlyArray<{
  name: string;
  blocks: BlockManifest[];
  context?: Partial<ManifestValidationContext>;
  expected: ManifestRejectionKind | "valid";
}> = [
  { name: "a well-formed block", blocks: [block({})], expected: "valid" },
  { name: "no blocks", blocks: [], expected: "EmptyManifest" },
  // Timestamps.
  {
    name: "a timestamp equal to the parent's",
    blocks: [block({ timestamp: 1_000n })],
    expected: "InvalidTimestamp",
  },
  { name: "the parent's timestamp + 1", blocks: [block({ timestamp: 1_001n })], expected: "valid" },
  { name: "the proposal timestamp", blocks: [block({ timestamp: 2_000n })], expected: "valid" },
  {
    name: "a timestamp after the proposal",
    blocks: [block({ timestamp: 2_001n })],
    expected: "InvalidTimestamp",
  },
  {
    name: "a timestamp older than proposal − 1536",
    blocks: [block({ timestamp: 3_463n })],
    context: { proposalTimestamp: 5_000n },
    expected: "InvalidTimestamp",
  },
  {
    name: "exactly proposal − 1536",
    blocks: [block({ timestamp: 3_464n })],
    context: { proposalTimestamp: 5_000n },
    expected: "valid",
  },
  {
    name: "a timestamp before the fork",
    blocks: [block({ timestamp: 1_799n })],
    context: { shastaForkTimestamp: 1_800n },
    expected: "InvalidTimestamp",
  },
  {
    name: "the fork timestamp",
    blocks: [block({ timestamp: 1_800n })],
    context: { shastaForkTimestamp: 1_800n },
    expected: "valid",
  },
  {
    name: "a parent as new as the proposal (no room for a block)",
    blocks: [block({ timestamp: 2_000n })],
    context: { parentTimestamp: 2_000n },
    expected: "InvalidTimestamp",
  },
  {
    name: "two blocks with the same timestamp",
    blocks: [block({ timestamp: 1_500n }), block({ timestamp: 1_500n })],
    expected: "InvalidTimestamp",
  },
  {
    name: "a shorter timestamp lag bound",
    blocks: [block({ timestamp: 1_500n })],
    context: { timestampMaxOffset: 100n },
    expected: "InvalidTimestamp",
  },
  // Anchors.
  {
    name: "an anchor below the parent's",
    blocks: [block({ anchorBlockNumber: 49n })],
    expected: "InvalidAnchorBlockNumber",
  },
  { name: "an anchor at the origin block", blocks: [block({ anchorBlockNumber: 100n })], expected: "valid" },
  {
    name: "an anchor past the origin block",
    blocks: [block({ anchorBlockNumber: 101n })],
    expected: "InvalidAnchorBlockNumber",
  },
  {
    name: "an anchor older than origin − 128",
    blocks: [block({ anchorBlockNumber: 171n })],
    context: { originBlockNumber: 300n },
    expected: "InvalidAnchorBlockNumber",
  },
  {
    name: "an anchor at origin − 128",
    blocks: [block({ anchorBlockNumber: 172n })],
    context: { originBlockNumber: 300n },
    expected: "valid",
  },
  {
    name: "a shorter anchor lag bound",
    blocks: [block({ anchorBlockNumber: 60n })],
    context: { maxAnchorOffset: 10n },
    expected: "InvalidAnchorBlockNumber",
  },
  {
    name: "decreasing anchors",
    blocks: [
      block({ timestamp: 1_500n, anchorBlockNumber: 60n }),
      block({ timestamp: 1_501n, anchorBlockNumber: 59n }),
    ],
    expected: "InvalidAnchorBlockNumber",
  },
  {
    name: "a normal proposal that does not advance the anchor",
    blocks: [block({ anchorBlockNumber: 50n })],
    expected: "AnchorNotAdvanced",
  },
  {
    name: "a forced inclusion that does not advance the anchor",
    blocks: [block({ anchorBlockNumber: 50n })],
    context: { isForcedInclusion: true },
    expected: "valid",
  },
  {
    name: "a proposal advancing the anchor only in its last block",
    blocks: [
      block({ timestamp: 1_500n, anchorBlockNumber: 50n }),
      block({ timestamp: 1_501n, anchorBlockNumber: 51n }),
    ],
    expected: "valid",
  },
  // Gas limits: from an effective 30M, ±200 ppm is [29 994 000, 30 006 000].
  { name: "the lowest gas limit", blocks: [block({ gasLimit: 29_994_000n })], expected: "valid" },
  {
    name: "a gas limit below the band",
    blocks: [block({ gasLimit: 29_993_999n })],
    expected: "InvalidGasLimit",
  },
  { name: "the highest gas limit", blocks: [block({ gasLimit: 30_006_000n })], expected: "valid" },
  {
    name: "a gas limit above the band",
    blocks: [block({ gasLimit: 30_006_001n })],
    expected: "InvalidGasLimit",
  },
  {
    name: "gas limits each within the band of the previous block",
    blocks: [
      block({ timestamp: 1_500n, gasLimit: 30_006_000n }),
      block({ timestamp: 1_501n, gasLimit: 30_012_001n }),
    ],
    expected: "valid",
  },
  {
    name: "a second gas limit outside the band of the first",
    blocks: [
      block({ timestamp: 1_500n, gasLimit: 30_006_000n }),
      block({ timestamp: 1_501n, gasLimit: 30_012_002n }),
    ],
    expected: "InvalidGasLimit",
  },
  {
    name: "a genesis parent's gas limit taken whole",
    blocks: [block({ gasLimit: 31_000_000n })],
    context: { parentNumber: 0n },
    expected: "valid",
  },
  { name: "a zero gas limit", blocks: [block({ gasLimit: 0n })], expected: "InvalidGasLimit" },
  // Coinbase is not validated.
  {
    name: "a zero coinbase",
    blocks: [block({ coinbase: "0x0000000000000000000000000000000000000000" })],
    expected: "valid",
  },
];

for (const c of CASES) {
  Deno.test(`\`validateSourceManifest()\` ${c.expected === "valid" ? "accepts" : `rejects (${c.expected})`} ${c.name}`, () => {
    const result = validateSourceManifest({ blocks: c.blocks }, { ...CONTEXT, ...c.context });
    assert.equal(result.valid ? "valid" : result.kind, c.expected, result.valid ? "" : result.message);
  });
}

Deno.test("`gasLimitBounds()` keeps within [10M, 45M] and never puts the lower bound above the upper", () => {
  assert.deepEqual(gasLimitBounds(30_000_000n), [29_994_000n, 30_006_000n]);
  assert.deepEqual(gasLimitBounds(10_000_000n), [10_000_000n, 10_002_000n]);
  assert.deepEqual(gasLimitBounds(45_000_000n), [44_991_000n, 45_000_000n]);
  assert.deepEqual(gasLimitBounds(50_000_000n), [45_000_000n, 45_000_000n]);
  assert.deepEqual(gasLimitBounds(1_000_000n), [1_000_200n, 1_000_200n]);
});

Deno.test("`effectiveParentGasLimit()` removes the anchor budget except after genesis", () => {
  assert.equal(effectiveParentGasLimit(0n, 30_000_000n), 30_000_000n);
  assert.equal(effectiveParentGasLimit(1n, 31_000_000n), 30_000_000n);
  assert.equal(effectiveParentGasLimit(1n, 500_000n), 0n);
});

Deno.test("`timestampLowerBound()` is the max of previous + 1, proposal − offset and the fork timestamp", () => {
  assert.equal(timestampLowerBound(10n, { proposalTimestamp: 1_000n, shastaForkTimestamp: 0n }), 11n);
  assert.equal(timestampLowerBound(10n, { proposalTimestamp: 5_000n, shastaForkTimestamp: 0n }), 3_464n);
  assert.equal(timestampLowerBound(10n, { proposalTimestamp: 5_000n, shastaForkTimestamp: 4_000n }), 4_000n);
  assert.equal(timestampLowerBound(10n, { proposalTimestamp: 1_536n, shastaForkTimestamp: 0n }), 11n);
  assert.equal(
    timestampLowerBound(10n, { proposalTimestamp: 5_000n, shastaForkTimestamp: 0n, timestampMaxOffset: 10n }),
    4_990n,
  );
});

Deno.test("`applyInheritedMetadata()` takes timestamp, coinbase, anchor and gas limit from the parent, keeping transactions", () => {
  const proposer = "0x00000000000000000000000000000000000000aa";
  const manifest = {
    blocks: [
      testBlock({ timestamp: 9n, transactions: ["0x01"] }),
      testBlock({ timestamp: 9n, transactions: ["0x02", "0x03"] }),
    ],
  };
  const inherited = applyInheritedMetadata(manifest, {
    parentTimestamp: 1_000n,
    parentNumber: 10n,
    parentGasLimit: 31_000_000n,
    parentAnchorBlockNumber: 50n,
    proposer,
    proposalTimestamp: 2_000n,
    shastaForkTimestamp: 0n,
  });
  assert.deepEqual(inherited.blocks, [
    {
      timestamp: 1_001n,
      coinbase: proposer,
      anchorBlockNumber: 50n,
      gasLimit: 30_000_000n,
      transactions: ["0x01"],
    },
    {
      timestamp: 1_002n,
      coinbase: proposer,
      anchorBlockNumber: 50n,
      gasLimit: 30_000_000n,
      transactions: ["0x02", "0x03"],
    },
  ]);
  assert.equal(manifest.blocks[0]!.timestamp, 9n, "the input is not changed");
});

Deno.test("`applyInheritedMetadata()` of the default manifest after a genesis parent keeps the genesis gas limit", () => {
  const inherited = applyInheritedMetadata(DEFAULT_MANIFEST, {
    parentTimestamp: 0n,
    parentNumber: 0n,
    parentGasLimit: 30_000_000n,
    parentAnchorBlockNumber: 0n,
    proposer: "0x00000000000000000000000000000000000000aa",
    proposalTimestamp: 10_000n,
    shastaForkTimestamp: 0n,
  });
  assert.equal(inherited.blocks[0]!.timestamp, 10_000n - 1_536n);
  assert.equal(inherited.blocks[0]!.gasLimit, 30_000_000n);
});
