import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { keccak256 } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import {
  checkCommitmentGossip,
  checkRawTxListGossip,
  recoverSignerInline,
  verifyCommitmentGossip,
} from "../../../runner/p2p/gossip_validation.ts";
import { encodeSignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { encodeRawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import {
  commitmentHash,
  DEFAULT_SIGNING_DOMAIN,
  preconfirmationHash,
  recoverSigner,
  signingHash,
} from "../../../runner/p2p/wire/signing.ts";
import { makeCommitment, SIGNER_KEY, SLASHER } from "./_helpers.ts";

Deno.test("`recoverSignerInline()` recovers a 256-commitment batch with the event loop running timers in between", async () => {
  const page = Array.from({ length: 256 }, (_, i) => makeCommitment(BigInt(i + 1)));
  let done = 0;
  let doneWhenTimerRan = -1;
  setTimeout(() => (doneWhenTimerRan = done), 0);
  const signers = await Promise.all(page.map(async (signed) => {
    const signer = await recoverSignerInline(signed, DEFAULT_SIGNING_DOMAIN);
    done++;
    return signer;
  }));
  assert.deepEqual(signers, page.map((signed) => recoverSigner(signed, DEFAULT_SIGNING_DOMAIN)));
  // 256 recoveries take far longer than one 20 ms slice: the timer ran before the batch ended.
  assert.ok(
    doneWhenTimerRan >= 0 && doneWhenTimerRan < 256,
    `the timer ran after ${doneWhenTimerRan} recoveries`,
  );
});

Deno.test("`checkCommitmentGossip()` recovers the signer from a Buffer payload and leaves its bytes for hashing", () => {
  const signed = makeCommitment(5n);
  const wire = encodeSignedCommitment(signed);
  const payload = Buffer.from(wire);
  const check = checkCommitmentGossip(payload, {
    signingDomain: DEFAULT_SIGNING_DOMAIN,
    expectedSlasher: SLASHER,
  });
  assert.ok(check.ok && check.kind === "commitment");
  assert.equal(check.signer, privateKeyToAddress(SIGNER_KEY));
  // The network may reuse its buffer: the hashes still cover the payload as it arrived.
  payload.fill(0);
  assert.equal(commitmentHash(check.commitment), keccak256(wire));
  assert.equal(preconfirmationHash(check.commitment.commitment.preconf), keccak256(wire.subarray(0, 297)));
  assert.equal(signingHash(check.commitment.commitment), signingHash(signed.commitment));
});

Deno.test("`checkCommitmentGossip()` and `verifyCommitmentGossip()` reject a signature with v = 27 as `signature`", async () => {
  const wire = encodeSignedCommitment(makeCommitment(6n));
  wire[381] = 27;
  const options = { signingDomain: DEFAULT_SIGNING_DOMAIN };
  const check = checkCommitmentGossip(wire, options);
  assert.ok(!check.ok);
  assert.equal(check.reason, "signature");
  const verified = await verifyCommitmentGossip(wire, options, recoverSignerInline);
  assert.ok(!verified.ok);
  assert.equal(verified.reason, "signature");
});

Deno.test("`checkRawTxListGossip()` accepts bytes that hash to the declared hash and rejects others", () => {
  const txlist = new Uint8Array(100 * 1024).fill(7);
  const good = checkRawTxListGossip(encodeRawTxListGossip({ rawTxListHash: keccak256(txlist), txlist }));
  assert.ok(good.ok);
  const bad = checkRawTxListGossip(encodeRawTxListGossip({ rawTxListHash: keccak256("0x01"), txlist }));
  assert.ok(!bad.ok);
  assert.equal(bad.reason, "hash_mismatch");
});
