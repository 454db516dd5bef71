/**
 * Every reputation and peer-scoring constant, with its unit (lesson P2P-2 and the spec's section
 * 7.1 profile). Thresholds are scores (dimensionless); times end in `_MS`.
 *
 * @module
 */

/** Penalty of one failure (an invalid message, a malformed or refused request, a bad response). */
export const FAILURE_PENALTY = -1;

/** Reward of one accepted gossip message or valid response. */
export const SUCCESS_REWARD = 0.05;

/** Most penalty one peer can accumulate in one window: a burst cannot push a score to the floor. */
export const MAX_PENALTY_PER_WINDOW = 4;

/** The penalty and decay window. */
export const REPUTATION_WINDOW_MS = 10_000;

/** Factor a score keeps per window (a 66 s half-life). */
export const DECAY_PER_WINDOW = 0.9;

/** Lowest score. */
export const MIN_SCORE = -10;

/** Highest score. */
export const MAX_SCORE = 10;

/** At or below this a peer is greylisted: not chosen for our requests, counted in a metric. */
export const GREYLIST_THRESHOLD = -2;

/** At or below this for longer than `BAN_AFTER_MS` a peer is banned. */
export const BAN_THRESHOLD = -5;

/** How long a score must stay at or below `BAN_THRESHOLD` before the ban; healing resets it. */
export const BAN_AFTER_MS = 30_000;

/** How long a ban lasts (disconnect, then every connection refused). */
export const BAN_DURATION_MS = 60 * 60 * 1000;

/** Most peers whose reputation is tracked; the least recently updated unbanned entry is evicted. */
export const MAX_TRACKED_PEERS = 4096;

/** How often bans are evaluated and the app score is mirrored, in milliseconds. */
export const REPUTATION_TICK_MS = 1_000;

/** gossipsub: below this a peer gets no gossip (IHAVE/IWANT) from us. */
export const GOSSIP_THRESHOLD = -1;

/** gossipsub: below this we do not publish to the peer. */
export const PUBLISH_THRESHOLD = -2;

/** gossipsub: below this every RPC from the peer is ignored. */
export const GRAYLIST_THRESHOLD = -5;

/** gossipsub: peer exchange is off (`doPX` false), so any peer may be accepted for PX. */
export const ACCEPT_PX_THRESHOLD = 0;

/** gossipsub: median mesh score below which opportunistic grafting starts. */
export const OPPORTUNISTIC_GRAFT_THRESHOLD = 0.5;

/** gossipsub: P4 weight; negative, or libp2p refuses the parameters (lesson P2P-1). */
export const INVALID_MESSAGE_DELIVERIES_WEIGHT = -2;

/** gossipsub: P4 decay per decay interval. */
export const INVALID_MESSAGE_DELIVERIES_DECAY = 0.99;

/** gossipsub: P2 weight (first deliveries). */
export const FIRST_MESSAGE_DELIVERIES_WEIGHT = 0.5;

/** gossipsub: P2 decay per decay interval. */
export const FIRST_MESSAGE_DELIVERIES_DECAY = 0.999;

/** gossipsub: P2 cap (so P2 adds at most 10 per topic). */
export const FIRST_MESSAGE_DELIVERIES_CAP = 20;

/** gossipsub: P1 quantum (P1 weight is 0, so time in mesh earns nothing). */
export const TIME_IN_MESH_QUANTUM_MS = 1_000;

/** gossipsub: P1 cap. */
export const TIME_IN_MESH_CAP = 3600;

/** gossipsub: weight of each topic. */
export const TOPIC_WEIGHT = 1;

/** gossipsub: weight of the mirrored application reputation. */
export const APP_SPECIFIC_WEIGHT = 1;

/** gossipsub: counter decay interval. */
export const SCORE_DECAY_INTERVAL_MS = 10_000;

/** gossipsub: counters below this decay to zero. */
export const SCORE_DECAY_TO_ZERO = 0.1;

/** gossipsub: how long a disconnected peer's score is remembered. */
export const SCORE_RETAIN_MS = 3_600_000;
