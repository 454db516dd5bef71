/**
 * viem clients for the devnet's L1 (anvil): one public client and one wallet client for a private key,
 * on a chain object built from the node's own chain id.
 *
 * @module
 */
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Deadline of each L1 request (a busy machine can make anvil slow). */
export const L1_REQUEST_TIMEOUT_MS = 30_000;

/** A public and a wallet client on one L1 endpoint. */
export interface L1Wallet {
  readonly publicClient: PublicClient;
  readonly wallet: WalletClient<Transport, Chain, Account>;
}

/**
 * Connects to an L1 endpoint with a signing key; asks the node for its chain id.
 *
 * @param l1Url HTTP JSON-RPC endpoint.
 * @param privateKey The signer.
 * @returns The two clients (no caching, 100 ms polling).
 * @throws Error when `eth_chainId` fails.
 */
export async function connectL1Wallet(l1Url: string, privateKey: Hex): Promise<L1Wallet> {
  const transport = http(l1Url, { retryCount: 0, timeout: L1_REQUEST_TIMEOUT_MS });
  const publicClient = createPublicClient({ transport, cacheTime: 0, pollingInterval: 100 });
  const chain: Chain = {
    id: await publicClient.getChainId(),
    name: "devnet-l1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [l1Url] } },
  };
  const wallet = createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport });
  return { publicClient, wallet };
}
