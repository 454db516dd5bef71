import assert from "node:assert/strict";
import { SignJWT } from "jose";
import {
  EngineJwtChecker,
  JWT_MAX_IAT_SKEW_SECONDS,
  JWT_VERIFIED_TOKENS_MAX,
} from "../../../devnet/engine/jwt_auth.ts";
import { engineToken } from "../../../driver/engine/jwt.ts";
import { TEST_JWT_SECRET } from "../../helpers/l2_payloads.ts";

const NOW = 5_000_000;

Deno.test("`EngineJwtChecker` judges a token it verified before by its iat against the clock of each request", async () => {
  const checker = new EngineJwtChecker(TEST_JWT_SECRET);
  const header = `Bearer ${await engineToken(TEST_JWT_SECRET, NOW)}`;
  assert.equal(await checker.check(header, NOW), null);
  assert.equal(await checker.check(header, NOW + JWT_MAX_IAT_SKEW_SECONDS), null);
  assert.equal(
    await checker.check(header, NOW + JWT_MAX_IAT_SKEW_SECONDS + 1),
    `JWT iat ${NOW} is more than ${JWT_MAX_IAT_SKEW_SECONDS} s from now (${
      NOW + JWT_MAX_IAT_SKEW_SECONDS + 1
    })`,
  );
  assert.equal(await checker.check(header, NOW - JWT_MAX_IAT_SKEW_SECONDS - 1) !== null, true);
});

Deno.test("`EngineJwtChecker` refuses a token signed with another secret every time it comes", async () => {
  const checker = new EngineJwtChecker(TEST_JWT_SECRET);
  const forged = `Bearer ${await engineToken(new Uint8Array(32).fill(7), NOW)}`;
  for (let i = 0; i < 3; i++) assert.equal(await checker.check(forged, NOW), "JWT signature does not verify");
  assert.equal(await checker.check(null, NOW), "missing Authorization header");
  assert.equal(await checker.check("Basic abc", NOW), "Authorization header is not a Bearer token");
});

Deno.test("`EngineJwtChecker` verifies a token with an exp claim again on each request, so it expires", async () => {
  const checker = new EngineJwtChecker(TEST_JWT_SECRET);
  const token = await new SignJWT({ iat: NOW, exp: NOW + 10 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(TEST_JWT_SECRET);
  assert.equal(await checker.check(`Bearer ${token}`, NOW), null);
  const late = await checker.check(`Bearer ${token}`, NOW + 11);
  assert.match(late ?? "", /^JWT rejected: .*exp/);
});

Deno.test("`EngineJwtChecker` keeps at most JWT_VERIFIED_TOKENS_MAX tokens and still accepts the oldest after", async () => {
  const checker = new EngineJwtChecker(TEST_JWT_SECRET, { maxSkewSeconds: 1_000 });
  const headers: string[] = [];
  for (let i = 0; i <= JWT_VERIFIED_TOKENS_MAX; i++) {
    headers.push(`Bearer ${await engineToken(TEST_JWT_SECRET, NOW + i)}`);
    assert.equal(await checker.check(headers[i] as string, NOW + i), null);
  }
  assert.equal(await checker.check(headers[0] as string, NOW + JWT_VERIFIED_TOKENS_MAX), null);
});
