import assert from "node:assert/strict";
import {
  recoverAddressRaw,
  recoverAddressWasm,
  recoveryFixtures,
} from "../../../bench/limits/crypto_limits.ts";

Deno.test("`recoverAddressWasm()` recovers the same 20 bytes as L1's `recoverAddressRaw()` on every fixture", () => {
  const fixtures = recoveryFixtures(64);
  for (const f of fixtures) {
    const address = recoverAddressWasm(f);
    assert.equal(address.length, 20);
    assert.deepEqual(address, recoverAddressRaw(f));
  }
  // Distinct keys: a benchmark over the fixtures cannot be served by a cache.
  assert.equal(new Set(fixtures.map((f) => recoverAddressWasm(f).join(","))).size, 64);
});
