// A P2P network double: scripted peers that serve commitments, txlists and heads, enforce a request
// rate limit like a Rust responder, and record what the client publishes.
import type { Hash } from "viem";
import type { P2pEvent } from "../../../runner/p2p/events.ts";
import type { PublishOutcome } from "../../../runner/p2p/gossip.ts";
import type { RecoveredCommitment } from "../../../runner/p2p/network_ports.ts";
import type { SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../../../runner/p2p/wire/raw_txlist.ts";
import type { PreconfHead } from "../../../runner/p2p/wire/reqresp_messages.ts";
import { recoverSigner } from "../../../runner/p2p/wire/signing.ts";
import type { PreconfNetwork } from "../../../runner/preconf/types.ts";

export class PeerDouble {
  commitments: SignedCommitment[] = [];
  txLists = new Map<Hash, RawTxListGossip>();
  /** The head it claims; defaults to its highest commitment. */
  claimedHead: bigint | null = null;
  failHead = false;
  failCommitments = false;
  failTxLists = false;
  /** At most `max` requests per protocol in any `windowMs` (a Rust responder's limit). */
  limit: { max: number; windowMs: number } | null = null;
  violations = 0;
  readonly requests: Array<{ protocol: string; at: number }> = [];

  serve(commitments: SignedCommitment[], txLists: RawTxListGossip[] = []): this {
    this.commitments.push(...commitments);
    for (const t of txLists) this.txLists.set(t.rawTxListHash, t);
    return this;
  }

  record(protocol: string): void {
    const at = performance.now();
    this.requests.push({ protocol, at });
    if (this.limit !== null) {
      const recent = this.requests.filter((r) => r.protocol === protocol && at - r.at < this.limit!.windowMs);
      if (recent.length > this.limit.max) this.violations++;
    }
  }

  head(): bigint {
    if (this.claimedHead !== null) return this.claimedHead;
    return this.commitments.reduce(
      (a, c) => (c.commitment.preconf.blockNumber > a ? c.commitment.preconf.blockNumber : a),
      0n,
    );
  }
}

export class NetworkDouble implements PreconfNetwork {
  readonly peerMap = new Map<string, PeerDouble>();
  readonly publishedCommitments: SignedCommitment[] = [];
  readonly publishedTxLists: RawTxListGossip[] = [];
  readonly heads: PreconfHead[] = [];
  readonly peerId = "12D3KooWSelf";
  publishFails = false;
  #queue: P2pEvent[] = [];
  #wake: (() => void) | null = null;

  addPeer(id: string, peer = new PeerDouble()): PeerDouble {
    this.peerMap.set(id, peer);
    this.emit({ type: "PeerConnected", data: { peer: id } });
    return peer;
  }

  emit(event: P2pEvent): void {
    this.#queue.push(event);
    this.#wake?.();
  }

  get peerCount(): number {
    return this.peerMap.size;
  }

  peers(): string[] {
    return [...this.peerMap.keys()];
  }

  #peer(id: string | undefined): PeerDouble {
    const peer = id === undefined ? this.peerMap.values().next().value : this.peerMap.get(id);
    if (peer === undefined) throw new Error(`no peer ${id}`);
    return peer;
  }

  publishCommitment(signed: SignedCommitment): Promise<PublishOutcome> {
    if (this.publishFails) return Promise.reject(new Error("publish failed"));
    this.publishedCommitments.push(signed);
    return Promise.resolve({ peers: this.peerMap.size, duplicate: false });
  }

  publishRawTxList(message: RawTxListGossip): Promise<PublishOutcome> {
    if (this.publishFails) return Promise.reject(new Error("publish failed"));
    this.publishedTxLists.push(message);
    return Promise.resolve({ peers: this.peerMap.size, duplicate: false });
  }

  requestHead(id?: string): Promise<PreconfHead> {
    const peer = this.#peer(id);
    peer.record("head");
    if (peer.failHead) return Promise.reject(new Error("head request failed"));
    return Promise.resolve({ blockNumber: peer.head(), submissionWindowEnd: 0n });
  }

  requestCommitments(start: bigint, maxCount: number, id?: string): Promise<RecoveredCommitment[]> {
    const peer = this.#peer(id);
    peer.record("commitments");
    if (peer.failCommitments) return Promise.reject(new Error("commitments request failed"));
    return Promise.resolve(
      peer.commitments.filter((c) => c.commitment.preconf.blockNumber >= start)
        .sort((a, b) => (a.commitment.preconf.blockNumber < b.commitment.preconf.blockNumber ? -1 : 1))
        .slice(0, maxCount)
        // Like the network, which recovers every entry's signer under the default domain.
        .map((signed) => ({ signed, signer: recoverSigner(signed) })),
    );
  }

  requestRawTxList(hash: Hash, id?: string): Promise<RawTxListGossip | null> {
    const peer = this.#peer(id);
    peer.record("raw_txlists");
    if (peer.failTxLists) return Promise.reject(new Error("txlist request failed"));
    return Promise.resolve(peer.txLists.get(hash) ?? null);
  }

  updateHead(head: PreconfHead): void {
    this.heads.push(head);
  }

  async *events(options: { signal?: AbortSignal } = {}): AsyncIterable<P2pEvent> {
    const signal = options.signal;
    while (!signal?.aborted) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      this.#wake = null;
    }
  }
}
