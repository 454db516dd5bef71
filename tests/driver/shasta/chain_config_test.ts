import assert from "node:assert/strict";
import vectors from "../../vectors/shasta.json" with { type: "json" };
import { SyncError } from "../../../driver/errors.ts";
import {
  anchorAddress,
  shastaChainConfig,
  shastaForkTimestamp,
} from "../../../driver/shasta/chain_config.ts";
import {
  MAX_ANCHOR_OFFSET,
  MIN_BASE_FEE,
  TAIKO_DEVNET_CHAIN_ID,
  TAIKO_HOODI_CHAIN_ID,
  TAIKO_MAINNET_CHAIN_ID,
  TIMESTAMP_MAX_OFFSET,
} from "../../../driver/shasta/constants.ts";

function isUnsupportedChain(chainId: bigint) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof SyncError);
    assert.equal(e.kind, "UnsupportedChain");
    assert.equal(e.context.chainId, chainId);
    assert.match(e.message, /override/);
    return true;
  };
}

Deno.test("`anchorAddress()` of the devnet is 0x167001…10001", () => {
  assert.equal(anchorAddress(BigInt(vectors.anchorAddress.chainId)), vectors.anchorAddress.expected);
});

Deno.test("`anchorAddress()` pads the decimal chain id to 40 hex digits before 10001", () => {
  assert.equal(anchorAddress(167000n), "0x1670000000000000000000000000000000010001");
  assert.equal(anchorAddress(1n), "0x1000000000000000000000000000000000010001");
  assert.equal(anchorAddress(10n ** 34n), `0x1${"0".repeat(34)}10001`);
  assert.throws(() => anchorAddress(10n ** 35n), RangeError);
  assert.throws(() => anchorAddress(0n), RangeError);
});

Deno.test("`shastaForkTimestamp()` of the devnet is 0", () => {
  assert.equal(shastaForkTimestamp(TAIKO_DEVNET_CHAIN_ID), 0n);
});

Deno.test("`shastaForkTimestamp()` refuses Hoodi and mainnet (not scheduled) without an override", () => {
  assert.throws(() => shastaForkTimestamp(TAIKO_HOODI_CHAIN_ID), isUnsupportedChain(TAIKO_HOODI_CHAIN_ID));
  assert.throws(
    () => shastaForkTimestamp(TAIKO_MAINNET_CHAIN_ID),
    isUnsupportedChain(TAIKO_MAINNET_CHAIN_ID),
  );
  assert.equal(
    shastaForkTimestamp(TAIKO_MAINNET_CHAIN_ID, { shastaForkTimestamp: 1_800_000_000n }),
    1_800_000_000n,
  );
});

Deno.test("`shastaForkTimestamp()` refuses an unknown chain without an override and takes it with one", () => {
  assert.throws(() => shastaForkTimestamp(31337n), isUnsupportedChain(31337n));
  assert.equal(shastaForkTimestamp(31337n, { shastaForkTimestamp: 42n }), 42n);
});

Deno.test("`shastaChainConfig()` fills the table's defaults and applies every override", () => {
  assert.deepEqual(shastaChainConfig(TAIKO_DEVNET_CHAIN_ID), {
    chainId: TAIKO_DEVNET_CHAIN_ID,
    shastaForkTimestamp: 0n,
    anchorAddress: "0x1670010000000000000000000000000000010001",
    maxAnchorOffset: MAX_ANCHOR_OFFSET,
    timestampMaxOffset: TIMESTAMP_MAX_OFFSET,
    minBaseFee: MIN_BASE_FEE,
  });
  const custom = shastaChainConfig(31337n, {
    shastaForkTimestamp: 5n,
    maxAnchorOffset: 64n,
    timestampMaxOffset: 768n,
    minBaseFee: 1n,
  });
  assert.deepEqual(
    [custom.shastaForkTimestamp, custom.maxAnchorOffset, custom.timestampMaxOffset, custom.minBaseFee],
    [5n, 64n, 768n, 1n],
  );
  assert.equal(custom.anchorAddress, "0x3133700000000000000000000000000000010001");
});

Deno.test("`shastaChainConfig()` refuses a negative override", () => {
  assert.throws(() => shastaChainConfig(TAIKO_DEVNET_CHAIN_ID, { shastaForkTimestamp: -1n }), RangeError);
});
