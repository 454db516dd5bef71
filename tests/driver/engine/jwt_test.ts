import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { checkEngineJwt } from "../../../devnet/engine/jwt_auth.ts";
import { ENGINE_TOKEN_REUSE_SECONDS, engineToken, EngineTokens } from "../../../driver/engine/jwt.ts";
import { TEST_JWT_SECRET } from "../../helpers/l2_payloads.ts";

function iatOf(token: string): unknown {
  return decodeJwt(token).iat;
}

Deno.test("`EngineTokens.token()` reuses one token inside the reuse window and signs a new one after it", async () => {
  let now = 1_000_000;
  const tokens = new EngineTokens(TEST_JWT_SECRET, { nowSeconds: () => now });
  const first = await tokens.token();
  assert.equal(first, await engineToken(TEST_JWT_SECRET, 1_000_000));
  now += ENGINE_TOKEN_REUSE_SECONDS - 1;
  assert.equal(await tokens.token(), first);
  now += 1;
  const second = await tokens.token();
  assert.notEqual(second, first);
  assert.equal(iatOf(second), 1_000_000 + ENGINE_TOKEN_REUSE_SECONDS);
});

Deno.test("`EngineTokens.token()` signs a new token when the clock moves back", async () => {
  let now = 2_000_000;
  const tokens = new EngineTokens(TEST_JWT_SECRET, { nowSeconds: () => now });
  await tokens.token();
  now -= 1;
  assert.equal(iatOf(await tokens.token()), 1_999_999);
});

Deno.test("`EngineTokens.invalidate()` makes the next request sign a fresh token", async () => {
  let now = 3_000_000;
  const tokens = new EngineTokens(TEST_JWT_SECRET, { nowSeconds: () => now });
  await tokens.token();
  now += 1;
  assert.equal(iatOf(await tokens.token()), 3_000_000);
  tokens.invalidate();
  assert.equal(iatOf(await tokens.token()), 3_000_001);
});

Deno.test("a reused engine token still passes the engine's iat check at the end of the reuse window", async () => {
  let now = 4_000_000;
  const tokens = new EngineTokens(TEST_JWT_SECRET, { nowSeconds: () => now });
  const token = await tokens.token();
  now += ENGINE_TOKEN_REUSE_SECONDS - 1;
  assert.equal(await tokens.token(), token);
  assert.equal(await checkEngineJwt(`Bearer ${token}`, TEST_JWT_SECRET, { nowSeconds: now }), null);
  // The window leaves room for clock skew: the reused token passes even with the engine 55 s ahead.
  assert.equal(await checkEngineJwt(`Bearer ${token}`, TEST_JWT_SECRET, { nowSeconds: now + 55 }), null);
});

Deno.test("`EngineTokens` refuses a secret that is not 32 bytes", () => {
  assert.throws(() => new EngineTokens(new Uint8Array(31)), RangeError);
});
