/**
 * The engine simulator's JWT check, as the engine API authentication spec asks of a real engine: an
 * `Authorization: Bearer <token>` header on every request, HS256 with the shared 32-byte secret, and an
 * `iat` claim within a window of the engine's clock.
 *
 * @module
 */
import { errors, jwtVerify } from "jose";

/** How far `iat` may be from the engine's clock, in seconds (the engine API spec's ±60 s). */
export const JWT_MAX_IAT_SKEW_SECONDS = 60;

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
export async function checkEngineJwt(
  header: string | null,
  secret: Uint8Array,
  options: JwtClockOptions = {},
): Promise<string | null> {
  const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const maxSkewSeconds = options.maxSkewSeconds ?? JWT_MAX_IAT_SKEW_SECONDS;
  if (header === null) return "missing Authorization header";
  const match = /^Bearer (\S+)$/.exec(header);
  if (match === null) return "Authorization header is not a Bearer token";
  let iat: unknown;
  try {
    const { payload } = await jwtVerify(match[1] as string, secret, {
      algorithms: ["HS256"],
      currentDate: new Date(nowSeconds * 1000),
    });
    iat = payload.iat;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return "JWT signature does not verify";
    return `JWT rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof iat !== "number") return "JWT has no iat claim";
  if (Math.abs(nowSeconds - iat) > maxSkewSeconds) {
    return `JWT iat ${iat} is more than ${maxSkewSeconds} s from now (${nowSeconds})`;
  }
  return null;
}
