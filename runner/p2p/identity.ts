/**
 * The node's persistent libp2p identity (lesson P2P-9; p2p.md 20.4): an Ed25519 key stored as hex
 * of its libp2p protobuf encoding, created on first start with mode 0600 and reused afterwards, so
 * the peer id (and every `/p2p/<id>` multiaddr naming this node) survives restarts. The key is never
 * logged.
 *
 * @module
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { bytesToHex, hexToBytes, isHex } from "viem";
import { runnerLogger } from "../log.ts";
import { P2pError } from "./errors.ts";

const log = runnerLogger("p2p");

/** Permission bits that must be clear on an existing key file (group and other access). */
const FORBIDDEN_MODE_BITS = 0o077;

/**
 * Loads the node key from `path`, creating it (mode 0600, never overwriting) when the file does not
 * exist. Without a path a fresh key is generated (a new peer id every start) and a warning is
 * logged.
 *
 * @param path The key file, or `undefined` for an ephemeral identity.
 * @returns The private key.
 * @throws {P2pError} kind `Identity` when the file cannot be read or created, is readable by group
 *   or others, or does not hold a libp2p private key.
 * @example
 * ```ts ignore
 * const key = await loadOrCreateNodeKey("/var/lib/preconf/node.key");
 * ```
 */
export async function loadOrCreateNodeKey(path: string | undefined): Promise<PrivateKey> {
  if (path === undefined) {
    log.warn(
      "No node key file configured: using a new identity, peers naming this node by id will not find it again",
    );
    return await generateKeyPair("Ed25519");
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    if (!(cause instanceof Deno.errors.NotFound)) {
      throw new P2pError("Identity", `Cannot read node key "${path}": ${(cause as Error).message}`, {
        cause,
      });
    }
    return await createKeyFile(path);
  }
  await checkMode(path);
  const value = text.trim();
  if (!isHex(value, { strict: true }) || value.length < 4) {
    throw new P2pError("Identity", `Cannot read node key "${path}": expected hex of a libp2p private key`);
  }
  try {
    return privateKeyFromProtobuf(hexToBytes(value));
  } catch (cause) {
    throw new P2pError("Identity", `Cannot read node key "${path}": not a libp2p private key`, { cause });
  }
}

async function createKeyFile(path: string): Promise<PrivateKey> {
  const key = await generateKeyPair("Ed25519");
  const text = `${bytesToHex(privateKeyToProtobuf(key))}\n`;
  try {
    // createNew refuses to overwrite a file another process created meanwhile.
    await Deno.writeTextFile(path, text, { mode: 0o600, createNew: true });
    await Deno.chmod(path, 0o600);
  } catch (cause) {
    throw new P2pError(
      "Identity",
      `Cannot create node key "${path}": ${
        (cause as Error).message
      }, check that the directory exists and is writable`,
      { cause },
    );
  }
  log.info("Created node key file {path}", { path });
  return key;
}

async function checkMode(path: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const { mode } = await Deno.stat(path);
  if (mode !== null && (mode & FORBIDDEN_MODE_BITS) !== 0) {
    throw new P2pError(
      "Identity",
      `Cannot use node key "${path}": mode ${(mode & 0o777).toString(8)} lets others read it, run chmod 600`,
    );
  }
}
