/**
 * A `PreconfRpcBackend` double for the JSON-RPC server's tests: it decodes commitments with the real
 * SSZ codec, answers publishes idempotently (a repeat is `AlreadyMaterialized`), records every call,
 * and lets a test inject failures, hold publishes at a gate, and set what reads return.
 *
 * @module
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type Address, bytesToHex, type Hash, type Hex, keccak256, zeroAddress, zeroHash } from "viem";
import { decodeSignedCommitment, encodeSignedCommitment } from "../../runner/p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../../runner/p2p/wire/raw_txlist.ts";
import { signCommitment } from "../../runner/p2p/wire/signing.ts";
import { PreconfError } from "../../runner/preconf/errors.ts";
import type {
  PreconfNodeStatus,
  PreconfRpcBackend,
  PreconfSlotInfo,
  PublishBlockPropagation,
  PublishBlockRequest,
  PublishBlockResult,
  PublishCommitmentRequest,
  PublishCommitmentResult,
} from "../../runner/rpc/backend.ts";

/** A public test key (anvil's account #1). */
export const TEST_PRECONFER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** The fields of a test commitment; all but `blockNumber` have defaults. */
export interface TestCommitmentFields {
  readonly blockNumber: bigint;
  readonly eop?: boolean;
  readonly rawTxListHash?: Hash;
  readonly timestamp?: bigint;
  readonly slasher?: Address;
}

/**
 * Builds the 382 SSZ bytes of a commitment signed with {@linkcode TEST_PRECONFER_KEY}.
 *
 * @param fields The block number and optional overrides.
 * @returns The bytes.
 */
export function testCommitmentBytes(fields: TestCommitmentFields): Uint8Array {
  const signed = signCommitment({
    preconf: {
      eop: fields.eop ?? false,
      blockNumber: fields.blockNumber,
      timestamp: fields.timestamp ?? 1_000n + fields.blockNumber,
      gasLimit: 30_000_000n,
      coinbase: "0x00000000000000000000000000000000000c0ffe",
      anchorBlockNumber: 10n,
      rawTxListHash: fields.rawTxListHash ?? zeroHash,
      parentPreconfirmationHash: zeroHash,
      submissionWindowEnd: 2_000n,
      proverAuth: zeroAddress,
      proposalId: 7n,
    },
    slasherAddress: fields.slasher ?? "0x0000000000000000000000000000000000005145",
  }, TEST_PRECONFER_KEY);
  return encodeSignedCommitment(signed);
}

/**
 * A txlist of `size` bytes of a repeating pattern, with its hash (the server never decodes it).
 *
 * @param size Its length in bytes.
 * @param seed Varies the content.
 * @returns The txlist.
 */
export function testTxList(size: number, seed = 1): RawTxListGossip {
  const txlist = new Uint8Array(size);
  for (let i = 0; i < size; i++) txlist[i] = (i * 31 + seed) & 0xff;
  return { rawTxListHash: `0x${keccak_256(txlist).toHex()}`, txlist };
}

/** A publishBlock request's JSON param for a commitment and a txlist (`null`: EOP-only). */
export function publishBlockParam(
  commitment: Uint8Array,
  txList: RawTxListGossip | null,
): { commitment: Hex; txListHash: Hash; txList: Hex } {
  return {
    commitment: bytesToHex(commitment),
    txListHash: txList?.rawTxListHash ?? zeroHash,
    txList: txList === null ? "0x" : `0x${txList.txlist.toHex()}`,
  };
}

/** One recorded backend call. */
export type BackendCall =
  | { readonly method: "publishBlock"; readonly request: PublishBlockRequest }
  | { readonly method: "publishCommitment"; readonly request: PublishCommitmentRequest }
  | { readonly method: "publishTxList"; readonly txList: RawTxListGossip }
  | { readonly method: "status" | "tip" | "canonicalProposalId" }
  | { readonly method: "slotInfo"; readonly timestamp: bigint };

/** The double. Fields are public so tests set answers and read what happened. */
export class PreconfRpcBackendDouble implements PreconfRpcBackend {
  /** Every call, in order. */
  readonly calls: BackendCall[] = [];
  /** What `status()` answers. */
  status_: PreconfNodeStatus = {
    isSyncedWithInbox: true,
    eventSyncTip: 90n,
    preconfTip: 100n,
    canonicalProposalId: 42n,
    peerCount: 5,
    peerId: "12D3KooWTestPeer",
  };
  /** What `tip()` answers. */
  tip_ = 100n;
  /** What `canonicalProposalId()` answers. */
  canonicalProposalId_ = 42n;
  /** How publishes end on gossip. */
  propagation: PublishBlockPropagation = { kind: "Propagated" };
  /** When set, the next call of that method throws it (once). */
  readonly failNext = new Map<BackendCall["method"], unknown>();
  /** When set, publishes wait for it. */
  gate: Promise<void> | null = null;
  /** How many publishes are waiting at the gate now. */
  waiting = 0;
  /** Blocks inserted so far: commitment hash → block hash. */
  readonly inserted = new Map<Hash, Hash>();

  async publishBlock(request: PublishBlockRequest): Promise<PublishBlockResult> {
    this.calls.push({ method: "publishBlock", request });
    await this.#passGate();
    this.#maybeFail("publishBlock");
    const preconf = this.#decode(request.commitment).commitment.preconf;
    const eopOnly = preconf.eop && preconf.rawTxListHash === zeroHash;
    if (!eopOnly && preconf.rawTxListHash !== request.txList?.rawTxListHash) {
      throw new PreconfError(
        "Validation",
        "Cannot accept the block: the txlist is not the one the commitment names",
        {
          context: { reason: "InvalidTxList", action: "reject", blockNumber: preconf.blockNumber },
        },
      );
    }
    if (eopOnly) {
      return { blockNumber: preconf.blockNumber, local: { kind: "EopOnly" }, propagation: this.propagation };
    }
    const existing = this.inserted.get(request.commitmentHash);
    if (existing !== undefined) {
      return {
        blockNumber: preconf.blockNumber,
        local: { kind: "AlreadyMaterialized", blockHash: existing },
        propagation: this.propagation,
      };
    }
    const blockHash = keccak256(request.commitmentHash);
    this.inserted.set(request.commitmentHash, blockHash);
    return {
      blockNumber: preconf.blockNumber,
      local: { kind: "Inserted", blockHash },
      propagation: this.propagation,
    };
  }

  async publishCommitment(request: PublishCommitmentRequest): Promise<PublishCommitmentResult> {
    this.calls.push({ method: "publishCommitment", request });
    await this.#passGate();
    this.#maybeFail("publishCommitment");
    return { txListHash: this.#decode(request.commitment).commitment.preconf.rawTxListHash };
  }

  async publishTxList(txList: RawTxListGossip): Promise<void> {
    this.calls.push({ method: "publishTxList", txList });
    await this.#passGate();
    this.#maybeFail("publishTxList");
  }

  status(): Promise<PreconfNodeStatus> {
    this.calls.push({ method: "status" });
    this.#maybeFail("status");
    return Promise.resolve(this.status_);
  }

  tip(): Promise<bigint> {
    this.calls.push({ method: "tip" });
    this.#maybeFail("tip");
    return Promise.resolve(this.tip_);
  }

  canonicalProposalId(): Promise<bigint> {
    this.calls.push({ method: "canonicalProposalId" });
    this.#maybeFail("canonicalProposalId");
    return Promise.resolve(this.canonicalProposalId_);
  }

  slotInfo(timestamp: bigint): Promise<PreconfSlotInfo> {
    this.calls.push({ method: "slotInfo", timestamp });
    this.#maybeFail("slotInfo");
    // A deterministic answer the test can recompute: window end at the next multiple of 384 s.
    const submissionWindowEnd = (timestamp / 384n + 1n) * 384n;
    return Promise.resolve({ signer: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", submissionWindowEnd });
  }

  /** The methods called so far, in order. */
  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  async #passGate(): Promise<void> {
    if (this.gate === null) return;
    this.waiting += 1;
    try {
      await this.gate;
    } finally {
      this.waiting -= 1;
    }
  }

  #maybeFail(method: BackendCall["method"]): void {
    if (!this.failNext.has(method)) return;
    const error = this.failNext.get(method);
    this.failNext.delete(method);
    throw error;
  }

  #decode(bytes: Uint8Array): ReturnType<typeof decodeSignedCommitment> {
    try {
      return decodeSignedCommitment(bytes);
    } catch (cause) {
      throw new PreconfError("Validation", "Cannot decode the commitment: not a valid SSZ SignedCommitment", {
        cause,
        context: { reason: "InvalidSsz", action: "reject" },
      });
    }
  }
}
