/**
 * The engine API's JWT: a 32-byte HS256 secret read from a hex file, and a fresh token per request
 * with an `iat` claim (engine API authentication spec; alethia-reth and taiko-geth accept ±60 s).
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
