import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { bytesToHex, concatBytes, fromRlp, hexToBytes, keccak256, recoverAddress, zeroHash } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { createPreconfRpcClient } from "../../devnet/preconf_rpc_client.ts";
import { DemoPreconfer, DEVNET_PRECONFER_KEY, encodeRawTxList } from "../../devnet/preconfer.ts";
import { decodeSignedCommitment } from "../../runner/p2p/wire/commitment.ts";
import { DEFAULT_SIGNING_DOMAIN, preconfirmationHash, recoverSigner } from "../../runner/p2p/wire/signing.ts";
import { signedTransfer } from "./_manifests.ts";

const LEGACY_TX =
  "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83" as const;

function block(blockNumber: bigint, transactions: readonly `0x${string}`[] = []) {
  return {
    blockNumber,
    timestamp: 1_800_000_000n + blockNumber,
    gasLimit: 30_000_000n,
    anchorBlockNumber: 5n,
    submissionWindowEnd: 1_800_000_384n,
    proposalId: 3n,
    transactions,
  };
}

Deno.test("`DemoPreconfer.sign()` produces a 382-byte commitment whose signature recovers to its address", async () => {
  const preconfer = new DemoPreconfer({ slasherAddress: "0x0000000000000000000000000000000000000099" });
  assert.equal(preconfer.address, privateKeyToAddress(DEVNET_PRECONFER_KEY));
  const message = preconfer.sign(block(7n, [await signedTransfer(0, 10)]));
  assert.equal(message.commitment.length, 382);
  const decoded = decodeSignedCommitment(message.commitment);
  assert.equal(recoverSigner(decoded), preconfer.address);
  // Independently of the wire module: keccak(domain ‖ first 317 SSZ bytes), signature r ‖ s ‖ v.
  const digest = keccak256(
    concatBytes([hexToBytes(DEFAULT_SIGNING_DOMAIN), message.commitment.subarray(0, 317)]),
  );
  const signature = bytesToHex(message.commitment.subarray(317));
  assert.equal(await recoverAddress({ hash: digest, signature }), preconfer.address);
  assert.equal(decoded.commitment.slasherAddress, "0x0000000000000000000000000000000000000099");
  assert.equal(decoded.commitment.preconf.coinbase, preconfer.address);
  assert.equal(decoded.commitment.preconf.rawTxListHash, keccak256(message.txList));
  assert.equal(decoded.commitment.preconf.blockNumber, 7n);
  assert.equal(message.preconfirmationHash, preconfirmationHash(decoded.commitment.preconf));
});

Deno.test("`DemoPreconfer.sign()` under another domain does not recover to its address under the default one", () => {
  const domain = `0x${"42".repeat(32)}` as const;
  const message = new DemoPreconfer({ signingDomain: domain }).sign(block(1n));
  const decoded = decodeSignedCommitment(message.commitment);
  assert.equal(recoverSigner(decoded, domain), privateKeyToAddress(DEVNET_PRECONFER_KEY));
  assert.notEqual(recoverSigner(decoded, DEFAULT_SIGNING_DOMAIN), privateKeyToAddress(DEVNET_PRECONFER_KEY));
});

Deno.test("`DemoPreconfer.sign()` links consecutive blocks by preconfirmation hash and restarts at a gap", () => {
  const preconfer = new DemoPreconfer();
  const first = preconfer.sign(block(10n));
  const second = preconfer.sign(block(11n));
  const afterGap = preconfer.sign(block(13n));
  assert.equal(first.signed.commitment.preconf.parentPreconfirmationHash, zeroHash);
  assert.equal(second.signed.commitment.preconf.parentPreconfirmationHash, first.preconfirmationHash);
  assert.equal(afterGap.signed.commitment.preconf.parentPreconfirmationHash, zeroHash);
  preconfer.resetParent({ blockNumber: 20n, hash: `0x${"07".repeat(32)}` });
  assert.equal(
    preconfer.sign(block(21n)).signed.commitment.preconf.parentPreconfirmationHash,
    `0x${"07".repeat(32)}`,
  );
});

Deno.test("`encodeRawTxList()` is zlib of an RLP list of byte strings, legacy transactions included", async () => {
  const typed = await signedTransfer(3, 4);
  const txList = encodeRawTxList([LEGACY_TX, typed]);
  assert.deepEqual(fromRlp(new Uint8Array(inflateSync(txList)), "hex"), [LEGACY_TX, typed]);
  assert.deepEqual(new Uint8Array(inflateSync(encodeRawTxList([]))), Uint8Array.of(0xc0));
});

Deno.test("`createPreconfRpcClient()` sends one positional object per publish call", async () => {
  const seen: { method: string; params: unknown }[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const body = await request.json() as { id: number; method: string; params: unknown };
    seen.push({ method: body.method, params: body.params });
    const result = body.method === "preconf_tip"
      ? "0x2a"
      : { commitmentHash: zeroHash, txListHash: zeroHash };
    return Response.json({ jsonrpc: "2.0", id: body.id, result });
  });
  const client = createPreconfRpcClient(`http://127.0.0.1:${server.addr.port}`);
  const message = new DemoPreconfer().sign(block(1n));
  await client.publishBlock(message);
  await client.publishTxList(message);
  await client.publishCommitment(message);
  assert.equal(await client.tip(), 42n);
  assert.deepEqual(seen.map((s) => s.method), [
    "preconf_publishBlock",
    "preconf_publishTxList",
    "preconf_publishCommitment",
    "preconf_tip",
  ]);
  const [publish] = seen[0]!.params as [{ commitment: string; txListHash: string; txList: string }];
  assert.equal(publish.commitment.length, 2 + 382 * 2);
  assert.equal(publish.txListHash, message.txListHash);
  assert.equal(keccak256(publish.txList as `0x${string}`), message.txListHash);
});
