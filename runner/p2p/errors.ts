/**
 * The P2P layer's error class. Callers switch on `kind`, never on message text.
 *
 * @module
 */

/** What went wrong in the P2P layer, as a closed set. */
export type P2pErrorKind =
  /** Bytes from the wire are not a valid SSZ encoding of the expected container. */
  | "Decode"
  /** A signature is malformed or no public key can be recovered from it. */
  | "InvalidSignature"
  /** A message breaks a protocol rule (txlist hash mismatch, zero txlist hash without EOP, ...). */
  | "InvalidMessage"
  /** A request/response frame is larger than the protocol's cap or ends early. */
  | "Framing"
  /** A request could not be sent because no usable peer is connected. */
  | "NoPeers"
  /** A request or dial did not complete before its deadline. */
  | "Timeout"
  /** The remote peer closed the stream or connection without an answer (rate limit, ban, crash). */
  | "NoResponse"
  /** A request/response exchange failed in transport (dial, protocol negotiation, stream reset). */
  | "Transport"
  /** The response arrived but breaks the protocol (bad SSZ, too many entries, wrong echoed hash). */
  | "InvalidResponse"
  /** Our own outbound rate limit refused the request. */
  | "RateLimited"
  /** The node key file cannot be read, parsed or created. */
  | "Identity"
  /** The network is not started, or was stopped while the operation ran. */
  | "Stopped";

/** Context fields a P2P error may carry. */
export interface P2pErrorContext {
  /** The remote peer involved, as a base58 peer id. */
  readonly peer?: string;
  /** The request/response protocol or gossip topic involved. */
  readonly protocol?: string;
  /** A size in bytes that broke a limit. */
  readonly sizeBytes?: number;
  /** The limit that was broken, in bytes. */
  readonly limitBytes?: number;
}

/** An error raised by the P2P layer. */
export class P2pError extends Error {
  /** What went wrong. */
  readonly kind: P2pErrorKind;
  /** Values that identify what failed. */
  readonly context: P2pErrorContext;

  /**
   * @param kind What went wrong.
   * @param message Sentence case, no trailing period: action, state, what to do.
   * @param options The underlying cause and context.
   */
  constructor(
    kind: P2pErrorKind,
    message: string,
    options: { cause?: unknown; context?: P2pErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "P2pError";
    this.kind = kind;
    this.context = options.context ?? {};
  }
}
