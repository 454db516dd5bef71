/**
 * The engine simulator's JWT check, as the engine API authentication spec asks of a real engine: an
 * `Authorization: Bearer <token>` header on every request, HS256 with the shared 32-byte secret, and an
 * `iat` claim within a window of the engine's clock.
 *
 * @module
 */
import { errors, type JWTPayload, jwtVerify } from "jose";

/** How far `iat` may be from the engine's clock, in seconds (the engine API spec's ±60 s). */
export const JWT_MAX_IAT_SKEW_SECONDS = 60;

/**
 * Tokens an {@linkcode EngineJwtChecker} remembers as signed by the secret. The driver reuses one
 * token for seconds, so a handful covers it; beyond this the oldest is forgotten.
 */
export const JWT_VERIFIED_TOKENS_MAX = 64;

/** The clock a token is judged by. */
export interface JwtClockOptions {
  /**
   * The engine's clock, in unix seconds.
   * @default the wall clock
   */
  readonly nowSeconds?: number;
  /**
   * How far `iat` may be from `nowSeconds`, in seconds.
   * @default JWT_MAX_IAT_SKEW_SECONDS
   */
  readonly maxSkewSeconds?: number;
}

/**
 * Checks the `Authorization` header of one request.
 *
 * @param header The header's value, or `null` when absent.
 * @param secret The shared secret.
 * @param options The clock and the allowed skew.
 * @returns `null` when the token is acceptable, otherwise why it is not.
 */
export function checkEngineJwt(
  header: string | null,
  secret: Uint8Array,
  options: JwtClockOptions = {},
): Promise<string | null> {
  return new EngineJwtChecker(secret, options).check(header, options.nowSeconds);
}

/**
 * The JWT check of one engine: {@linkcode checkEngineJwt} with the secret and skew fixed, verifying
 * each token's signature once. A token seen before is judged again only by its `iat` against the
 * clock; a token with `exp` or `nbf` claims, whose verdict depends on the clock beyond that, is
 * verified every time.
 */
export class EngineJwtChecker {
  readonly #secret: Uint8Array;
  readonly #maxSkewSeconds: number;
  /** Token → its `iat`, for tokens whose signature verified. */
  readonly #verified = new Map<string, unknown>();

  /**
   * @param secret The shared secret (copied).
   * @param options The allowed skew of `iat`.
   */
  constructor(secret: Uint8Array, options: { readonly maxSkewSeconds?: number } = {}) {
    this.#secret = secret.slice();
    this.#maxSkewSeconds = options.maxSkewSeconds ?? JWT_MAX_IAT_SKEW_SECONDS;
  }

  /**
   * Checks the `Authorization` header of one request.
   *
   * @param header The header's value, or `null` when absent.
   * @param nowSeconds The engine's clock, in unix seconds. @default the wall clock
   * @returns `null` when the token is acceptable, otherwise why it is not.
   */
  async check(
    header: string | null,
    nowSeconds: number = Math.floor(Date.now() / 1000),
  ): Promise<string | null> {
    if (header === null) return "missing Authorization header";
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (token === undefined) return "Authorization header is not a Bearer token";
    if (this.#verified.has(token)) {
      return iatRefusal(this.#verified.get(token), nowSeconds, this.#maxSkewSeconds);
    }
    const payload = await verifyToken(token, this.#secret, nowSeconds);
    if (typeof payload === "string") return payload;
    if (payload.exp === undefined && payload.nbf === undefined) {
      this.#verified.set(token, payload.iat);
      if (this.#verified.size > JWT_VERIFIED_TOKENS_MAX) {
        this.#verified.delete(this.#verified.keys().next().value as string);
      }
    }
    return iatRefusal(payload.iat, nowSeconds, this.#maxSkewSeconds);
  }
}

/** The token's claims once its HS256 signature verifies, otherwise why it does not. */
async function verifyToken(
  token: string,
  secret: Uint8Array,
  nowSeconds: number,
): Promise<string | JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      currentDate: new Date(nowSeconds * 1000),
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return "JWT signature does not verify";
    return `JWT rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function iatRefusal(iat: unknown, nowSeconds: number, maxSkewSeconds: number): string | null {
  if (typeof iat !== "number") return "JWT has no iat claim";
  if (Math.abs(nowSeconds - iat) > maxSkewSeconds) {
    return `JWT iat ${iat} is more than ${maxSkewSeconds} s from now (${nowSeconds})`;
  }
  return null;
}
