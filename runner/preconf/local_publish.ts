/**
 * The local publish paths behind the JSON-RPC server (lessons, P2P-4, V-6): a block
 * is validated like any commitment (stale first), inserted through the driver, then gossiped; a
 * failure before insertion gossips nothing, a gossip failure after it is reported as "not
 * propagated" (the block stays served to peers from the store, so zero peers is fine). A retry of
 * an inserted block answers `AlreadyMaterialized`.
 *
 * @module
 */
import type { Hash, Hex } from "viem";
import { DriverError } from "../../driver/mod.ts";
import { runnerLogger } from "../log.ts";
import { decodeSignedCommitment, type SignedCommitment } from "../p2p/wire/commitment.ts";
import type { RawTxListGossip } from "../p2p/wire/raw_txlist.ts";
import type {
  PublishBlockPropagation,
  PublishBlockRequest,
  PublishBlockResult,
  PublishCommitmentRequest,
  PublishCommitmentResult,
} from "../rpc/backend.ts";
import type { CommitmentStore } from "./commitment_store.ts";
import { PreconfError, type ValidationAction, type ValidationReason } from "./errors.ts";
import type { PreconfSource } from "./metrics.ts";
import type { BlockOutcome } from "./submission.ts";
import { decodeCompressedTxList } from "./txlist_codec.ts";
import type { IngestOutcome, PreconfNetwork } from "./types.ts";
import { type InvalidCommitment, isEopOnly, validateTxList } from "./validation.ts";

/** What the local publish paths use from the client. */
export interface LocalPublishContext {
  /** The client's store. */
  readonly store: CommitmentStore;
  /** The network, or `null` while none is attached. */
  readonly network: PreconfNetwork | null;
  /** The highest block in the engine. */
  readonly head: bigint;
  /** The L1-confirmed tip. */
  readonly confirmedTip: bigint;
  /** The client's validation and storage path. */
  ingestCommitment(
    signed: SignedCommitment,
    source: PreconfSource,
    from: string,
  ): Promise<{ outcome: IngestOutcome; failure: InvalidCommitment | null }>;
  /** Stores a txlist; `verifiedTxListHash` is keccak256 of its bytes when already computed. */
  ingestTxList(
    txlist: RawTxListGossip,
    source: PreconfSource,
    from: string,
    verifiedTxListHash?: Hash,
  ): Promise<unknown>;
  /** Hands the submitter a txlist's decoded transactions, so it does not decode them again. */
  rememberDecoded(hash: Hash, transactions: Hex[]): void;
  /** Runs the submitter and returns what happened to each block tried. */
  advance(): Promise<BlockOutcome[]>;
  /** The block hash produced from exactly this commitment, if any. */
  executedHash(blockNumber: bigint, commitmentHash: Hash): Hash | undefined;
}

const log = runnerLogger("preconf");
const LOCAL = "local";

/**
 * `preconf_publishBlock`: validate, insert locally, then gossip.
 *
 * @param ctx The client.
 * @param request The checked request.
 * @returns What happened locally and on gossip.
 * @throws {PreconfError} `Validation` (by reason), `TxListCodec`, or `Driver` when the block is refused.
 */
export async function publishBlockLocally(
  ctx: LocalPublishContext,
  request: PublishBlockRequest,
): Promise<PublishBlockResult> {
  const signed = decodeCommitment(request.commitment);
  const preconf = signed.commitment.preconf;
  const n = preconf.blockNumber;
  const eopOnly = isEopOnly(preconf);
  // [IGNORE] lesson V-8: stale first, before anything else is looked at.
  if (n <= ctx.confirmedTip) {
    throw validation(
      "Stale",
      "ignore",
      `Cannot publish block ${n}: it is at or below the confirmed tip ${ctx.confirmedTip}`,
      n,
    );
  }
  const txList = request.txList !== null && request.txList.txlist.length > 0 ? request.txList : null;
  const verified = request.verifiedTxListHash;
  if (!eopOnly) {
    if (txList === null) {
      throw validation(
        "InvalidTxList",
        "reject",
        `Cannot publish block ${n}: the commitment needs its txlist`,
        n,
      );
    }
    if (txList.rawTxListHash !== preconf.rawTxListHash || validateTxList(txList, verified) !== null) {
      throw validation(
        "InvalidTxList",
        "reject",
        `Cannot publish block ${n}: the txlist hashes to ${txList.rawTxListHash}, the commitment names ${preconf.rawTxListHash}`,
        n,
      );
    }
    // Decoded once here, to refuse an undecodable txlist before anything is stored; the submitter
    // builds the block from these transactions instead of decoding the bytes again.
    ctx.rememberDecoded(txList.rawTxListHash, decodeCompressedTxList(txList.txlist));
  }

  const retried = ctx.executedHash(n, request.commitmentHash);
  if (retried !== undefined) {
    return {
      blockNumber: n,
      local: { kind: "AlreadyMaterialized", blockHash: retried },
      propagation: await gossip(ctx.network, signed, txList),
    };
  }
  // Lesson R-5: the RPC inserts only the next block; anything else is refused with its reason.
  if (!eopOnly && n <= ctx.head) {
    const held = ctx.store.commitmentAt(n);
    throw held !== undefined && held.commitmentHash !== request.commitmentHash
      ? validation("Equivocation", "ignore", `Cannot publish block ${n}: another commitment holds it`, n)
      : validation(
        "BlockNumberMismatch",
        "reject",
        `Cannot publish block ${n}: the head is already ${ctx.head}`,
        n,
      );
  }
  if (!eopOnly && n > ctx.head + 1n) {
    throw validation(
      "AwaitingParent",
      "ignore",
      `Cannot publish block ${n}: the head is ${ctx.head}, publish ${ctx.head + 1n} first`,
      n,
    );
  }

  const ingested = await ctx.ingestCommitment(signed, "rpc", LOCAL);
  if (ingested.outcome !== "accepted" && ingested.outcome !== "duplicate") {
    const failure = ingested.failure;
    throw failure === null
      ? validation("Duplicate", "ignore", `Cannot publish block ${n}: it was refused before`, n)
      : validation(failure.reason, failure.action, `Cannot publish block ${n}: ${failure.message}`, n);
  }
  if (eopOnly) {
    return {
      blockNumber: n,
      local: { kind: "EopOnly" },
      propagation: await gossip(ctx.network, signed, null),
    };
  }
  // validateTxList() passed above: storing it does not hash the bytes again.
  const checked = txList as RawTxListGossip;
  await ctx.ingestTxList(checked, "rpc", LOCAL, checked.rawTxListHash);

  const outcome = (await ctx.advance()).find((o) => o.blockNumber === n);
  const local = localOutcome(ctx, n, request.commitmentHash, outcome);
  return { blockNumber: n, local, propagation: await gossip(ctx.network, signed, txList) };
}

/**
 * `preconf_publishCommitment` (first-generation API): validate, store (applied locally once its
 * txlist arrives), gossip.
 *
 * @param ctx The client.
 * @param request The checked request.
 * @returns The commitment's txlist hash.
 * @throws {PreconfError} `Validation` when the commitment is refused.
 */
export async function publishCommitmentLocally(
  ctx: LocalPublishContext,
  request: PublishCommitmentRequest,
): Promise<PublishCommitmentResult> {
  const signed = decodeCommitment(request.commitment);
  const n = signed.commitment.preconf.blockNumber;
  const ingested = await ctx.ingestCommitment(signed, "rpc", LOCAL);
  if (ingested.outcome === "refused") {
    const failure = ingested.failure;
    throw failure === null
      ? validation("Duplicate", "ignore", `Cannot publish commitment ${n}: it was refused before`, n)
      : validation(failure.reason, failure.action, `Cannot publish commitment ${n}: ${failure.message}`, n);
  }
  await gossip(ctx.network, signed, null);
  return { txListHash: signed.commitment.preconf.rawTxListHash };
}

/**
 * `preconf_publishTxList`: store (executing a waiting block), then gossip.
 *
 * @param ctx The client.
 * @param txList The txlist, hash already checked by the server.
 * @param verifiedTxListHash keccak256 of `txList.txlist` as the server computed it; absent, the
 *   bytes are hashed here.
 * @returns When stored and handed to gossip.
 * @throws {PreconfError} `Validation` (`InvalidTxList`) when it does not hash to its hash.
 */
export async function publishTxListLocally(
  ctx: LocalPublishContext,
  txList: RawTxListGossip,
  verifiedTxListHash?: Hash,
): Promise<void> {
  const invalid = validateTxList(txList, verifiedTxListHash);
  if (invalid !== null) {
    throw validation(invalid.reason, invalid.action, `Cannot publish txlist: ${invalid.message}`);
  }
  // Checked just above: storing it does not hash the bytes again.
  await ctx.ingestTxList(txList, "rpc", LOCAL, txList.rawTxListHash);
  await ctx.advance();
  if (ctx.network === null) return;
  try {
    await ctx.network.publishRawTxList(txList);
  } catch (error) {
    log.warn("Cannot gossip txlist {hash}: {error}", { hash: txList.rawTxListHash, error });
  }
}

function localOutcome(
  ctx: LocalPublishContext,
  n: bigint,
  commitmentHash: Hash,
  outcome: BlockOutcome | undefined,
): PublishBlockResult["local"] {
  switch (outcome?.kind) {
    case "Executed":
      return outcome.fresh
        ? { kind: "Inserted", blockHash: outcome.blockHash }
        : { kind: "AlreadyMaterialized", blockHash: outcome.blockHash };
    case "Dropped":
      if (outcome.error instanceof PreconfError) throw outcome.error;
      throw new PreconfError("Driver", `Cannot insert block ${n}: ${outcome.error.message}`, {
        cause: outcome.error,
        context: { blockNumber: n },
      });
    case "Stale":
      throw validation("Stale", "ignore", `Cannot insert block ${n}: the confirmed tip passed it`, n);
    case "Waiting":
      throw new PreconfError("Driver", `Cannot insert block ${n} now: ${outcome.reason}, retry`, {
        cause: new DriverError("PreconfIngressNotReady", `Cannot insert block ${n} now: ${outcome.reason}`),
        context: { blockNumber: n },
      });
    case undefined: {
      // Another path (gossip, catch-up) executed it while this call waited.
      const hash = ctx.executedHash(n, commitmentHash);
      if (hash !== undefined) return { kind: "AlreadyMaterialized", blockHash: hash };
      throw new PreconfError("Driver", `Cannot insert block ${n}: it was not executed, retry`, {
        cause: new DriverError("PreconfIngressNotReady", `Block ${n} was not executed`),
        context: { blockNumber: n },
      });
    }
  }
}

async function gossip(
  network: PreconfNetwork | null,
  signed: SignedCommitment,
  txList: RawTxListGossip | null,
): Promise<PublishBlockPropagation> {
  if (network === null) return { kind: "NotPropagated", reason: "no P2P network" };
  try {
    const sent = await network.publishCommitment(signed);
    const sentTxList = txList === null ? null : await network.publishRawTxList(txList);
    if (sent.peers === 0 && !sent.duplicate) return { kind: "NotPropagated", reason: "no peers" };
    if (sentTxList !== null && sentTxList.peers === 0 && !sentTxList.duplicate) {
      return { kind: "NotPropagated", reason: "no peers for the txlist" };
    }
    return { kind: "Propagated" };
  } catch (error) {
    log.warn("Cannot gossip block {blockNumber}: {error}", {
      blockNumber: signed.commitment.preconf.blockNumber,
      error,
    });
    return { kind: "NotPropagated", reason: error instanceof Error ? error.message : String(error) };
  }
}

function decodeCommitment(bytes: Uint8Array): SignedCommitment {
  try {
    return decodeSignedCommitment(bytes);
  } catch (cause) {
    throw new PreconfError("Validation", `Cannot decode commitment: ${(cause as Error).message}`, {
      cause,
      context: { reason: "InvalidSsz", action: "reject" },
    });
  }
}

function validation(
  reason: ValidationReason,
  action: ValidationAction,
  message: string,
  blockNumber?: bigint,
): PreconfError {
  return new PreconfError("Validation", message, {
    context: { reason, action, ...(blockNumber === undefined ? {} : { blockNumber }) },
  });
}
