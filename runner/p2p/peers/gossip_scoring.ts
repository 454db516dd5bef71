/**
 * gossipsub v1.1 peer-score parameters and thresholds: the spec's section 7.1 profile with a
 * negative invalid-delivery weight (lesson P2P-1), the application reputation mirrored in as the
 * app-specific score, and the penalties that punish honest peers switched off (mesh-delivery
 * P3/P3b, IP colocation P6, behaviour P7). Both are checked with the library's own validators, so
 * a bad value fails construction loudly instead of silently turning scoring off.
 *
 * @module
 */
import {
  createPeerScoreParams,
  createPeerScoreThresholds,
  createTopicScoreParams,
  type PeerScoreParams,
  type PeerScoreThresholds,
  validatePeerScoreParams,
  validatePeerScoreThresholds,
} from "@libp2p/gossipsub/score";
import {
  ACCEPT_PX_THRESHOLD,
  APP_SPECIFIC_WEIGHT,
  FIRST_MESSAGE_DELIVERIES_CAP,
  FIRST_MESSAGE_DELIVERIES_DECAY,
  FIRST_MESSAGE_DELIVERIES_WEIGHT,
  GOSSIP_THRESHOLD,
  GRAYLIST_THRESHOLD,
  INVALID_MESSAGE_DELIVERIES_DECAY,
  INVALID_MESSAGE_DELIVERIES_WEIGHT,
  OPPORTUNISTIC_GRAFT_THRESHOLD,
  PUBLISH_THRESHOLD,
  SCORE_DECAY_INTERVAL_MS,
  SCORE_DECAY_TO_ZERO,
  SCORE_RETAIN_MS,
  TIME_IN_MESH_CAP,
  TIME_IN_MESH_QUANTUM_MS,
  TOPIC_WEIGHT,
} from "./reputation_constants.ts";

/** The score configuration handed to gossipsub. */
export interface GossipScoring {
  /** Per-peer parameters. */
  readonly params: PeerScoreParams;
  /** Thresholds. */
  readonly thresholds: PeerScoreThresholds;
}

/**
 * Builds and validates the score parameters for our topics.
 *
 * @param topics The subscribed topics.
 * @param appScore The application reputation of a peer (its base58 id), mirrored with weight 1.
 * @returns Parameters and thresholds that passed gossipsub's validation.
 * @throws {RangeError} The library refuses a value (scoring could not be enabled).
 */
export function buildGossipScoring(
  topics: readonly string[],
  appScore: (peer: string) => number,
): GossipScoring {
  const topicParams = createTopicScoreParams({
    topicWeight: TOPIC_WEIGHT,
    timeInMeshWeight: 0,
    timeInMeshQuantum: TIME_IN_MESH_QUANTUM_MS,
    timeInMeshCap: TIME_IN_MESH_CAP,
    firstMessageDeliveriesWeight: FIRST_MESSAGE_DELIVERIES_WEIGHT,
    firstMessageDeliveriesDecay: FIRST_MESSAGE_DELIVERIES_DECAY,
    firstMessageDeliveriesCap: FIRST_MESSAGE_DELIVERIES_CAP,
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    invalidMessageDeliveriesWeight: INVALID_MESSAGE_DELIVERIES_WEIGHT,
    invalidMessageDeliveriesDecay: INVALID_MESSAGE_DELIVERIES_DECAY,
  });
  const params = createPeerScoreParams({
    topics: Object.fromEntries(topics.map((t) => [t, topicParams])),
    topicScoreCap: 0,
    appSpecificScore: appScore,
    appSpecificWeight: APP_SPECIFIC_WEIGHT,
    IPColocationFactorWeight: 0,
    IPColocationFactorThreshold: 1,
    behaviourPenaltyWeight: 0,
    decayInterval: SCORE_DECAY_INTERVAL_MS,
    decayToZero: SCORE_DECAY_TO_ZERO,
    retainScore: SCORE_RETAIN_MS,
  });
  const thresholds = createPeerScoreThresholds({
    gossipThreshold: GOSSIP_THRESHOLD,
    publishThreshold: PUBLISH_THRESHOLD,
    graylistThreshold: GRAYLIST_THRESHOLD,
    acceptPXThreshold: ACCEPT_PX_THRESHOLD,
    opportunisticGraftThreshold: OPPORTUNISTIC_GRAFT_THRESHOLD,
  });
  try {
    validatePeerScoreParams(params);
    validatePeerScoreThresholds(thresholds);
  } catch (cause) {
    throw new RangeError(`Cannot enable gossipsub peer scoring: ${(cause as Error).message}`, { cause });
  }
  return { params, thresholds };
}
