import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { P2pError } from "../../../../runner/p2p/errors.ts";
import { commitmentsExchange, rawTxListExchange } from "../../../../runner/p2p/reqresp/requester.ts";
import { encodeSignedCommitment } from "../../../../runner/p2p/wire/commitment.ts";
import {
  encodeGetCommitmentsByNumberResponse,
  encodeGetRawTxListResponse,
} from "../../../../runner/p2p/wire/reqresp_messages.ts";
import {
  commitmentHash,
  DEFAULT_SIGNING_DOMAIN,
  encodedSignedCommitment,
  preconfirmationHash,
} from "../../../../runner/p2p/wire/signing.ts";
import { makeCommitment, OTHER_KEY, SIGNER_KEY, SLASHER } from "../_helpers.ts";

const DEPS = { signingDomain: DEFAULT_SIGNING_DOMAIN, expectedSlasher: SLASHER };

Deno.test("`commitmentsExchange()` returns each entry with its signer and hashes covering the response bytes", async () => {
  const page = [1n, 2n, 3n].map((n) => makeCommitment(n, n === 2n ? OTHER_KEY : SIGNER_KEY));
  const body = encodeGetCommitmentsByNumberResponse({ commitments: page });
  const { validate } = commitmentsExchange(1n, 3, DEPS);
  const { value, reward } = await validate(body);
  assert.equal(reward, true);
  assert.deepEqual(
    value.map((r) => r.signer),
    [SIGNER_KEY, OTHER_KEY, SIGNER_KEY].map((key) => privateKeyToAddress(key)),
  );
  body.fill(0);
  value.forEach(({ signed }, i) => {
    const wire = encodeSignedCommitment(page[i]!);
    assert.deepEqual(encodedSignedCommitment(signed), wire);
    assert.equal(commitmentHash(signed), keccak256(wire));
    assert.equal(preconfirmationHash(signed.commitment.preconf), keccak256(wire.subarray(0, 297)));
  });
});

Deno.test("`commitmentsExchange()` refuses a response with one unrecoverable entry", async () => {
  const body = encodeGetCommitmentsByNumberResponse({
    commitments: [makeCommitment(1n), makeCommitment(2n)],
  });
  body[4 + 382 + 381] = 28;
  await assert.rejects(
    commitmentsExchange(1n, 2, DEPS).validate(body),
    (e) => e instanceof P2pError && e.kind === "InvalidResponse",
  );
});

Deno.test("`rawTxListExchange()` accepts bytes hashing to the asked hash and refuses others", () => {
  const txlist = new Uint8Array(64 * 1024).fill(3);
  const hash = keccak256(txlist);
  assert.deepEqual(
    rawTxListExchange(hash).validate(encodeGetRawTxListResponse({ rawTxListHash: hash, txlist })),
    {
      value: { rawTxListHash: hash, txlist },
      reward: true,
    },
  );
  const altered = txlist.slice();
  altered[0] = 4;
  assert.throws(
    () =>
      rawTxListExchange(hash).validate(encodeGetRawTxListResponse({ rawTxListHash: hash, txlist: altered })),
    (e) => e instanceof P2pError && e.kind === "InvalidResponse",
  );
});
