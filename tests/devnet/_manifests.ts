/**
 * Manifests for devnet tests: real signed transactions whose random calldata does not compress, so a
 * manifest can be made to span several blobs.
 *
 * @module
 */
import { bytesToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { SourceManifest } from "../../driver/shasta/types.ts";

const SENDER = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(out.subarray(at, at + 65_536));
  return out;
}

export async function signedTransfer(nonce: number, calldataBytes: number): Promise<Hex> {
  return await SENDER.signTransaction({
    chainId: 167001,
    type: "eip1559",
    nonce,
    to: "0x1111111111111111111111111111111111111111",
    value: 1n,
    data: bytesToHex(randomBytes(calldataBytes)),
    gas: 21_000n + 16n * BigInt(calldataBytes),
    maxFeePerGas: 1_000_000_000n,
    maxPriorityFeePerGas: 1n,
  });
}

/** Two blocks whose transactions carry `calldataBytes` of random calldata each. */
export async function manifestWithCalldata(
  calldataBytes: number,
  anchorBlockNumber = 1n,
): Promise<SourceManifest> {
  return {
    blocks: [
      {
        timestamp: 1_800_000_000n,
        coinbase: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
        anchorBlockNumber,
        gasLimit: 30_000_000n,
        transactions: [await signedTransfer(0, calldataBytes), await signedTransfer(1, calldataBytes)],
      },
      {
        timestamp: 1_800_000_001n,
        coinbase: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
        anchorBlockNumber,
        gasLimit: 30_000_000n,
        transactions: [],
      },
    ],
  };
}
