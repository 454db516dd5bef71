import assert from "node:assert/strict";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  bytesToHex,
  concatBytes,
  fromRlp,
  type Hex,
  hexToBytes,
  keccak256,
  numberToBytes,
  toRlp,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PreconfError } from "../../../runner/preconf/errors.ts";
import { buildPreconfPayload } from "../../../runner/preconf/payload_builder.ts";
import { ChainDouble, header } from "./_chain_double.ts";
import { COINBASE, commitment } from "./_fixtures.ts";

const account = privateKeyToAccount(`0x${"06".repeat(32)}`);

function preconf(fields: Parameters<typeof commitment>[0]) {
  return commitment(fields).commitment.preconf;
}

/** The payload id of p2p.md 13.2, computed here independently of the driver. */
function payloadId(
  parentHash: Hex,
  ts: bigint,
  randao: Hex,
  recipient: Hex,
  txList: Hex,
  extraData: Hex,
): Hex {
  const digest = sha256(concatBytes([
    hexToBytes(parentHash),
    numberToBytes(ts, { size: 8 }),
    hexToBytes(randao),
    hexToBytes(recipient),
    Uint8Array.of(0xc0),
    hexToBytes(keccak256(txList)),
    hexToBytes(extraData),
  ]));
  digest[0] = 2;
  return bytesToHex(digest.subarray(0, 8));
}

Deno.test("`buildPreconfPayload()` matches the worked values of p2p.md 21.4", async () => {
  const chain = new ChainDouble();
  chain.blocks.set(3n, header(3n, { timestamp: 6n }));
  chain.blocks.set(
    4n,
    header(4n, {
      timestamp: 8n,
      gasLimit: 30_000_000n,
      gasUsed: 15_000_000n,
      baseFeePerGas: 900_000_000n,
      difficulty: 42n,
    }),
  );
  chain.pctg = 5;
  const legacy = await account.signTransaction({
    type: "legacy",
    chainId: 167001,
    nonce: 0,
    gas: 21000n,
    gasPrice: 1n,
    to: COINBASE,
  });
  const typed = await account.signTransaction({
    type: "eip1559",
    chainId: 167001,
    nonce: 1,
    gas: 21000n,
    maxFeePerGas: 2n,
    maxPriorityFeePerGas: 1n,
    to: COINBASE,
  });
  const p = preconf({ blockNumber: 5n, timestamp: 10n, gasLimit: 30_000_000n, proposalId: 7n });

  const { attributes, parent } = await buildPreconfPayload(chain, {
    preconf: p,
    transactions: [legacy, typed],
  });

  assert.equal(parent.number, 4n);
  assert.equal(attributes.baseFeePerGas, 900_000_000n);
  assert.equal(attributes.blockMetadata.extraData, "0x05000000000007");
  assert.equal(attributes.prevRandao, "0xd3e7a847b0e4be9f2ff1f88564b0a771bb9789c2c82f98679296a6042483791d");
  assert.equal(attributes.blockMetadata.mixHash, attributes.prevRandao);
  const txList = toRlp([fromRlp(legacy, "hex") as Hex[], typed]);
  assert.equal(attributes.blockMetadata.txList, txList);
  assert.equal(attributes.timestamp, 10n);
  assert.equal(attributes.blockMetadata.gasLimit, 30_000_000n);
  assert.equal(attributes.suggestedFeeRecipient, COINBASE);
  assert.equal(attributes.blockMetadata.beneficiary, COINBASE);
  assert.deepEqual(attributes.withdrawals, []);
  assert.equal(attributes.l1Origin.blockId, 5n);
  assert.equal(attributes.l1Origin.l1BlockHeight, null);
  assert.equal(attributes.l1Origin.l1BlockHash, null);
  assert.equal(attributes.l1Origin.isForcedInclusion, false);
  assert.equal(
    attributes.l1Origin.buildPayloadArgsId,
    payloadId(parent.hash, 10n, attributes.prevRandao, COINBASE, txList, "0x05000000000007"),
  );
});

Deno.test("`buildPreconfPayload()` uses the initial base fee on a genesis parent and reads no grandparent", async () => {
  const chain = new ChainDouble(0n);
  const { attributes } = await buildPreconfPayload(chain, {
    preconf: preconf({ blockNumber: 1n }),
    transactions: [],
  });
  assert.equal(attributes.baseFeePerGas, 25_000_000n);
  assert.equal(attributes.prevRandao, "0xa6eef7e35abe7026729641147f7915573c7e97b47efa546f5f6e3230263bcb49");
  assert.equal(attributes.blockMetadata.txList, "0xc0");
  assert.equal(chain.pctgReads, 1);
});

Deno.test("`buildPreconfPayload()` fails with PayloadBuild when the parent, grandparent or a value is unusable", async () => {
  const isBuildError = (e: unknown) => e instanceof PreconfError && e.kind === "PayloadBuild";
  const chain = new ChainDouble(2n);
  await assert.rejects(
    buildPreconfPayload(chain, { preconf: preconf({ blockNumber: 5n }), transactions: [] }),
    isBuildError,
  );
  chain.blocks.delete(1n);
  await assert.rejects(
    buildPreconfPayload(chain, { preconf: preconf({ blockNumber: 3n }), transactions: [] }),
    isBuildError,
  );
  const full = new ChainDouble(2n);
  await assert.rejects(
    buildPreconfPayload(full, {
      preconf: preconf({ blockNumber: 3n, timestamp: 1n << 64n }),
      transactions: [],
    }),
    isBuildError,
  );
  await assert.rejects(
    buildPreconfPayload(full, { preconf: preconf({ blockNumber: 3n }), transactions: ["0x05"] }),
    isBuildError,
  );
});

Deno.test("`buildPreconfPayload()` builds from known parent and grandparent headers without reading them, the same attributes as when read", async () => {
  const chain = new ChainDouble(4n);
  const p = preconf({ blockNumber: 5n, timestamp: 1010n });
  const read = await buildPreconfPayload(chain, { preconf: p, transactions: [] });
  const known = [chain.blocks.get(3n)!, chain.blocks.get(4n)!];
  const reads: bigint[] = [];
  const counted = Object.assign(Object.create(chain) as ChainDouble, {
    l2Block: (n: bigint) => {
      reads.push(n);
      return chain.l2Block(n);
    },
  });
  const built = await buildPreconfPayload(counted, { preconf: p, transactions: [] }, { knownHeaders: known });
  assert.deepEqual(reads, []);
  assert.deepEqual(built, read);

  // A known grandparent that the parent does not link to is read instead.
  const unlinked = [header(3n, { hash: `0x${"33".repeat(32)}` }), chain.blocks.get(4n)!];
  await buildPreconfPayload(counted, { preconf: p, transactions: [] }, { knownHeaders: unlinked });
  assert.deepEqual(reads, [3n]);
  // Headers of other numbers are ignored: both are read.
  await buildPreconfPayload(counted, { preconf: p, transactions: [] }, { knownHeaders: [header(7n)] });
  assert.deepEqual(reads, [3n, 4n, 3n]);
});
