import assert from "node:assert/strict";
import { recoverSignerInline } from "../../../runner/p2p/gossip_validation.ts";
import { DEFAULT_SIGNING_DOMAIN, recoverSigner } from "../../../runner/p2p/wire/signing.ts";
import { makeCommitment } from "./_helpers.ts";

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
