/** Test helpers for real P2P networks on 127.0.0.1: storage and validator doubles, fast settings. */
import { type Address, getAddress, type Hash, type Hex, keccak256, numberToHex } from "viem";
import type { GossipValidator, GossipVerdict, PreconfStorage } from "../../../runner/p2p/network_ports.ts";
import { P2pNetwork, type P2pNetworkOptions } from "../../../runner/p2p/p2p_network.ts";
import type { SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import { signCommitment } from "../../../runner/p2p/wire/signing.ts";

export const CHAIN_ID = 167001n;
export const SIGNER_KEY: Hex = `0x${"2a".repeat(32)}`;
export const OTHER_KEY: Hex = `0x${"07".repeat(32)}`;
export const SLASHER: Address = "0x0909090909090909090909090909090909090909";

/** An in-memory store the responder serves from. */
export class MemoryStorage implements PreconfStorage {
  readonly commitments = new Map<bigint, SignedCommitment>();
  readonly txlists = new Map<Hash, RawTxListGossip>();

  addCommitment(sc: SignedCommitment): void {
    this.commitments.set(sc.commitment.preconf.blockNumber, sc);
  }

  addTxList(g: RawTxListGossip): void {
    this.txlists.set(g.rawTxListHash, g);
  }

  commitmentsFrom(start: bigint, max: number): SignedCommitment[] {
    return [...this.commitments.keys()].filter((n) => n >= start).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, max).map((n) => this.commitments.get(n) as SignedCommitment);
  }

  getTxList(hash: Hash): RawTxListGossip | undefined {
    return this.txlists.get(hash);
  }
}

/** A validator that records what it saw and answers with `verdict(signerOrHash)`. */
export class RecordingValidator implements GossipValidator {
  readonly commitments: SignedCommitment[] = [];
  /** The signer the network handed on with each commitment. */
  readonly signers: (Address | undefined)[] = [];
  readonly txlists: RawTxListGossip[] = [];
  verdict: (sc: SignedCommitment) => GossipVerdict = () => "accept";

  validateCommitment(sc: SignedCommitment, _from: string, signer?: Address): Promise<GossipVerdict> {
    this.commitments.push(sc);
    this.signers.push(signer);
    return Promise.resolve(this.verdict(sc));
  }

  validateRawTxList(g: RawTxListGossip): Promise<GossipVerdict> {
    this.txlists.push(g);
    return Promise.resolve("accept");
  }
}

/** Settings that keep tests fast without changing behaviour: short windows and backoffs. */
export const FAST: Partial<P2pNetworkOptions> = {
  listenAddresses: ["/ip4/127.0.0.1/tcp/0"],
  staticPeerBackoff: { initialBackoffMs: 100, maxBackoffMs: 400 },
  reputationTickMs: 100,
  stopTimeoutMs: 3_000,
};

export interface TestNode {
  readonly net: P2pNetwork;
  readonly storage: MemoryStorage;
  readonly validator: RecordingValidator;
}

/** Starts a network on 127.0.0.1 with a random port. */
export async function startNode(options: Partial<P2pNetworkOptions> = {}): Promise<TestNode> {
  const storage = new MemoryStorage();
  const validator = new RecordingValidator();
  const net = new P2pNetwork({ storage, validator, metrics: null }, {
    chainId: CHAIN_ID,
    ...FAST,
    ...options,
  });
  await net.start();
  return { net, storage, validator };
}

/** Stops every node, ignoring failures (used in `finally`). */
export async function stopAll(nodes: readonly (TestNode | undefined)[]): Promise<void> {
  await Promise.allSettled(nodes.map((n) => n?.net.stop()));
}

/** Polls until `predicate` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Dials `b` from `a` and waits until both see each other on both topics. */
export async function connect(a: TestNode, b: TestNode): Promise<void> {
  await a.net.dial(b.net.listenAddresses()[0] as string);
  await waitFor(
    "topic subscriptions",
    () =>
      a.net.topicPeers("commitment").includes(b.net.peerId) &&
      b.net.topicPeers("commitment").includes(a.net.peerId) &&
      a.net.topicPeers("raw_txlists").includes(b.net.peerId) &&
      b.net.topicPeers("raw_txlists").includes(a.net.peerId),
  );
}

/** A commitment for `blockNumber` signed by `key`. */
export function makeCommitment(blockNumber: bigint, key: Hex = SIGNER_KEY, eop = false): SignedCommitment {
  return signCommitment({
    preconf: {
      eop,
      blockNumber,
      timestamp: 1_000n + blockNumber,
      gasLimit: 30_000_000n,
      coinbase: getAddress("0x00000000000000000000000000000000000000c0"),
      anchorBlockNumber: 7n,
      rawTxListHash: keccak256(numberToHex(blockNumber, { size: 8 })),
      parentPreconfirmationHash: `0x${"00".repeat(32)}`,
      submissionWindowEnd: 2_000n,
      proverAuth: getAddress("0x00000000000000000000000000000000000000a0"),
      proposalId: 1n,
    },
    slasherAddress: SLASHER,
  }, key);
}
