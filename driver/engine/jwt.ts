/**
 * The engine API's JWT: a 32-byte HS256 secret read from a hex file, and tokens with an `iat` claim
 * (engine API authentication spec; alethia-reth and taiko-geth accept `iat` within ±60 s of their
 * clock). A client reuses one token for a few seconds ({@linkcode EngineTokens}): signing one per
 * request cost about 0.1 ms of CPU per engine call, some 40 ms for a 64-block proposal.
 *
 * @module
 */
import { SignJWT } from "jose";
import { DriverError } from "../errors.ts";

/** Length of the engine JWT secret in bytes. */
export const JWT_SECRET_BYTES = 32;

/**
 * Parses the text of a JWT secret file: trimmed, optional `0x`, exactly 32 bytes of hex.
 *
 * @param text The file's content.
 * @param path The file's path, for the error message.
 * @returns The raw secret.
 * @throws {DriverError} kind `Config` when the text is not 32 bytes of hex.
 */
export function parseJwtSecret(text: string, path: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    throw new DriverError(
      "Config",
      `Cannot read JWT secret "${path}": expected 32 bytes of hex, found non-hex text`,
    );
  }
  if (hex.length !== JWT_SECRET_BYTES * 2) {
    throw new DriverError(
      "Config",
      `Cannot read JWT secret "${path}": expected 32 bytes of hex, found ${hex.length / 2}`,
    );
  }
  const secret = new Uint8Array(JWT_SECRET_BYTES);
  for (let i = 0; i < JWT_SECRET_BYTES; i++) secret[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return secret;
}

/**
 * Reads and parses a JWT secret file.
 *
 * @param path Path of a file holding 32 bytes of hex.
 * @returns The raw secret.
 * @throws {DriverError} kind `Config` when the file is missing, unreadable or malformed.
 */
export async function readJwtSecret(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new DriverError(
      "Config",
      `Cannot read JWT secret "${path}": the file cannot be read, check the path`,
      {
        cause,
      },
    );
  }
  return parseJwtSecret(text, path);
}

/**
 * Signs a fresh engine API token (`{"alg":"HS256","typ":"JWT"}`, claim `iat` = now).
 *
 * @param secret The 32-byte secret.
 * @param nowSeconds The issue time; defaults to the wall clock.
 * @returns The compact JWT.
 */
export async function engineToken(secret: Uint8Array, nowSeconds?: number): Promise<string> {
  const iat = nowSeconds ?? Math.floor(Date.now() / 1000);
  return await new SignJWT({ iat }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(
    await hmacKey(secret),
  );
}

/**
 * How long one engine token is reused, in seconds: well inside the engines' ±60 s `iat` window, so a
 * reused token is at most this much older than a fresh one and a clock skew of up to 55 s still passes.
 */
export const ENGINE_TOKEN_REUSE_SECONDS = 5;

/** Options of {@linkcode EngineTokens}. */
export interface EngineTokensOptions {
  /**
   * The clock tokens are issued by, in unix seconds.
   * @default the wall clock
   */
  readonly nowSeconds?: () => number;
}

/**
 * The tokens of one engine client: a token is signed with `iat` = now and reused while the clock
 * stays within {@linkcode ENGINE_TOKEN_REUSE_SECONDS} after its `iat`; a clock that moved back, an
 * expired window or {@linkcode EngineTokens.invalidate} signs a new one. A failed signing is not kept.
 *
 * @example
 * ```ts ignore
 * const tokens = new EngineTokens(secret);
 * headers.set("authorization", `Bearer ${await tokens.token()}`);
 * ```
 */
export class EngineTokens {
  readonly #secret: Uint8Array;
  readonly #now: () => number;
  #current: { readonly iat: number; readonly token: Promise<string> } | null = null;

  /**
   * @param secret The 32-byte secret (copied).
   * @param options The clock.
   * @throws {RangeError} When the secret is not 32 bytes.
   */
  constructor(secret: Uint8Array, options: EngineTokensOptions = {}) {
    if (secret.length !== JWT_SECRET_BYTES) {
      throw new RangeError(
        `Cannot create engine tokens: expected a ${JWT_SECRET_BYTES}-byte JWT secret, found ${secret.length} bytes`,
      );
    }
    this.#secret = secret.slice();
    this.#now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  /**
   * The token for a request made now.
   *
   * @returns The compact JWT.
   */
  token(): Promise<string> {
    const now = this.#now();
    const current = this.#current;
    if (current !== null && now >= current.iat && now - current.iat < ENGINE_TOKEN_REUSE_SECONDS) {
      return current.token;
    }
    const token = engineToken(this.#secret, now);
    const entry = { iat: now, token };
    this.#current = entry;
    token.catch(() => {
      if (this.#current === entry) this.#current = null;
    });
    return token;
  }

  /** Drops the current token (the engine refused it): the next request signs a fresh one. */
  invalidate(): void {
    this.#current = null;
  }
}

/** Imported keys by secret: every engine call signs a token, and importing the key each time dominated it. */
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    importedKeys.set(secret, key);
  }
  return key;
}
