/**
 * Gossip on the two topics: judging each inbound message before gossipsub forwards it (network
 * checks, then the client's `GossipValidator`), and publishing. Publishing with no peers succeeds
 * locally and reports how many peers were reached (lessons P2P-4 and P2P-5).
 *
 * @module
 */
import { TimeSlice } from "../../internal/time_slice.ts";
import type { Message, PublishResult, TopicValidatorResult } from "@libp2p/gossipsub";
import type { Logger } from "@logtape/logtape";
import type { Hex } from "viem";
import type { P2pEventHub } from "./events.ts";
import {
  checkRawTxListGossip,
  type GossipDropReason,
  recoverSignerInline,
  verifyCommitmentGossip,
} from "./gossip_validation.ts";
import type { P2pMetrics } from "./metrics.ts";
import type { GossipValidator, GossipVerdict, SignerRecovery } from "./network_ports.ts";
import type { PeerReputation } from "./peers/reputation.ts";
import type { GossipKind } from "./topics.ts";
import { acceptVerdict, dropVerdict } from "./verdict.ts";

/** Longest the client's validator may take; gossipsub keeps unvalidated messages only ~6 s. */
export const GOSSIP_VALIDATION_TIMEOUT_MS = 4_000;

/** Most messages in validation at once; beyond it new ones are ignored (our overload, no penalty). */
export const MAX_PENDING_GOSSIP_VALIDATIONS = 1_024;

/** The part of js-gossipsub the network uses (the public interface type omits these methods). */
export interface GossipRouter {
  /** Publishes raw bytes on a topic. */
  publish(
    topic: string,
    data: Uint8Array,
    options?: { allowPublishToZeroTopicPeers?: boolean },
  ): Promise<PublishResult>;
  /** Reports the verdict on a message held for asynchronous validation. */
  reportMessageValidationResult(
    msgId: string,
    propagationSource: string,
    acceptance: TopicValidatorResult,
  ): void;
  /** The current gossipsub score of a peer. */
  getScore(peer: string): number;
  /** Peers subscribed to a topic. */
  getSubscribers(topic: string): { toString(): string }[];
  /** Subscribes to a topic. */
  subscribe(topic: string): void;
}

/** The result of a local publish. */
export interface PublishOutcome {
  /** How many peers the message was sent to (0: no mesh or fanout peer; the message stays local). */
  readonly peers: number;
  /** True when the same bytes were published within the duplicate window (nothing was sent). */
  readonly duplicate: boolean;
}

/** What the gossip handler uses. */
export interface GossipHandlerDeps {
  /** The client's checks. */
  readonly validator: GossipValidator;
  /** Reputation of relaying peers. */
  readonly reputation: PeerReputation;
  /** Metrics, or `null`. */
  readonly metrics: P2pMetrics | null;
  /** Where accepted messages go. */
  readonly events: P2pEventHub;
  /** The P2P logger. */
  readonly log: Logger;
  /** Recovers commitment signers (the node passes its worker pool). @default {recoverSignerInline} */
  readonly recoverSigner?: SignerRecovery;
}

/** Settings of the gossip handler. */
export interface GossipHandlerOptions {
  /** Our own peer id (messages authored by it are ignored). */
  readonly selfPeerId: string;
  /** Topic string → kind. */
  readonly topics: ReadonlyMap<string, GossipKind>;
  /** The 32-byte signing domain. */
  readonly signingDomain: Hex;
  /** Slasher commitments must name, when configured. */
  readonly expectedSlasher?: Hex;
  /** @default {GOSSIP_VALIDATION_TIMEOUT_MS} */
  readonly validationTimeoutMs?: number;
  /** @default {MAX_PENDING_GOSSIP_VALIDATIONS} */
  readonly maxPending?: number;
}

/** Judges inbound gossip; every path ends in exactly one verdict. */
export class GossipHandler {
  readonly #deps: GossipHandlerDeps;
  readonly #options: GossipHandlerOptions;
  readonly #slice = new TimeSlice();
  #pending = 0;

  /**
   * @param deps Validator, reputation, metrics, events, logger.
   * @param options Identity, topics, signing domain, bounds.
   */
  constructor(deps: GossipHandlerDeps, options: GossipHandlerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /**
   * Decides the verdict on one message. Never throws: an unexpected error is `Ignore`.
   *
   * @param peer The propagation source (base58).
   * @param message The message.
   * @returns The verdict to report to gossipsub.
   */
  async judge(peer: string, message: Message): Promise<TopicValidatorResult> {
    const kind = this.#options.topics.get(message.topic);
    const drop = (reason: GossipDropReason, k: GossipKind = kind ?? "commitment") =>
      dropVerdict(k, reason, peer, this.#deps);
    if (kind === undefined) return drop("unknown_topic");
    if (this.#deps.reputation.standing(peer) === "banned") return drop("banned");
    // [IGNORE] lesson P2P-3: our own message relayed back to us.
    if (message.type === "signed" && message.from.toString() === this.#options.selfPeerId) {
      return drop("self");
    }
    if (this.#pending >= (this.#options.maxPending ?? MAX_PENDING_GOSSIP_VALIDATIONS)) {
      return drop("overload");
    }
    this.#pending++;
    try {
      return await this.#judgeChecked(peer, kind, message.data);
    } catch (cause) {
      this.#deps.log.debug("Gossip validation failed unexpectedly: {error}", {
        error: (cause as Error).message,
        peer,
      });
      return drop("validator_error");
    } finally {
      this.#pending--;
    }
  }

  /**
   * Records a message refused before gossipsub handled it (see `gossip_size_guard.ts`): its payload
   * is larger than any valid one of its topic. Costs the relaying peer as a size rejection does.
   *
   * @param peer The relaying peer (base58).
   * @param topic The message's topic.
   * @param bytes Its payload size.
   */
  refuseOversized(peer: string, topic: string, bytes: number): void {
    const kind = this.#options.topics.get(topic);
    if (kind === undefined) return;
    if (this.#deps.reputation.standing(peer) === "banned") {
      dropVerdict(kind, "banned", peer, this.#deps);
      return;
    }
    this.#deps.log.debug("Refused {kind} gossip from {peer} before validation: {bytes} bytes", {
      kind,
      peer,
      bytes,
    });
    dropVerdict(kind, "size", peer, this.#deps);
  }

  async #judgeChecked(peer: string, kind: GossipKind, data: Uint8Array): Promise<TopicValidatorResult> {
    const check = kind === "commitment"
      ? await verifyCommitmentGossip(
        data,
        {
          signingDomain: this.#options.signingDomain,
          ...(this.#options.expectedSlasher === undefined
            ? {}
            : { expectedSlasher: this.#options.expectedSlasher }),
        },
        this.#deps.recoverSigner ?? recoverSignerInline,
      )
      : checkRawTxListGossip(data);
    if (!check.ok) {
      this.#deps.log.debug("Rejected {kind} gossip from {peer}: {reason} ({detail})", {
        kind,
        peer,
        reason: check.reason,
        detail: check.detail,
      });
      return dropVerdict(kind, check.reason, peer, this.#deps);
    }
    // A gossip RPC's messages reach the client together: they take turns, yielding every slice.
    await this.#slice.pause();
    const verdict = await this.#withTimeout(
      check.kind === "commitment"
        ? this.#deps.validator.validateCommitment(check.commitment, peer, check.signer)
        : this.#deps.validator.validateRawTxList(check.txlist, peer),
    );
    if (verdict === null) return dropVerdict(kind, "validator_error", peer, this.#deps);
    if (verdict === "reject") return dropVerdict(kind, "app_reject", peer, this.#deps);
    if (verdict === "ignore") return dropVerdict(kind, "app_ignore", peer, this.#deps);
    if (check.kind === "commitment") {
      this.#deps.events.emit("GossipCommitment", {
        from: peer,
        commitment: check.commitment,
        signer: check.signer,
      });
    } else {
      this.#deps.events.emit("GossipRawTxList", { from: peer, txlist: check.txlist });
    }
    return acceptVerdict(kind, peer, this.#deps);
  }

  /** The validator's verdict, or `null` when it throws, answers nonsense or takes too long. */
  async #withTimeout(verdict: Promise<GossipVerdict>): Promise<GossipVerdict | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(
        () => resolve(null),
        this.#options.validationTimeoutMs ?? GOSSIP_VALIDATION_TIMEOUT_MS,
      );
    });
    try {
      const result = await Promise.race([verdict, timeout]);
      return result === "accept" || result === "ignore" || result === "reject" ? result : null;
    } catch (cause) {
      this.#deps.log.debug("Gossip validator threw: {error}", { error: (cause as Error).message });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Publishes bytes on a topic. No peers is not an error: the outcome says 0 and a metric counts it.
 *
 * @param router gossipsub.
 * @param topic The topic.
 * @param kind Its kind (for metrics).
 * @param data The SSZ payload.
 * @param deps Metrics and logger.
 * @returns How many peers were reached, and whether it was a duplicate.
 * @throws {Error} gossipsub fails for another reason (for example the message is too large).
 */
export async function publishGossip(
  router: GossipRouter,
  topic: string,
  kind: GossipKind,
  data: Uint8Array,
  deps: { readonly metrics: P2pMetrics | null; readonly log: Logger },
): Promise<PublishOutcome> {
  deps.metrics?.gossipPublished.inc({ kind });
  try {
    const result = await router.publish(topic, data, { allowPublishToZeroTopicPeers: true });
    const peers = result.recipients.length;
    if (peers === 0) {
      deps.metrics?.gossipPublishError.inc({ kind, reason: "no_peers" });
      deps.log.info("Published {kind} to no peer: no mesh or fanout peer on {topic}", { kind, topic });
    }
    return { peers, duplicate: false };
  } catch (cause) {
    if ((cause as Error)?.message === "PublishError.Duplicate") {
      deps.metrics?.gossipPublishError.inc({ kind, reason: "duplicate" });
      return { peers: 0, duplicate: true };
    }
    deps.metrics?.gossipPublishError.inc({ kind, reason: "error" });
    throw cause;
  }
}
