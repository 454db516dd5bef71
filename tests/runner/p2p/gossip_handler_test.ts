import assert from "node:assert/strict";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { type Message, TopicValidatorResult } from "@libp2p/gossipsub";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { P2pEventHub } from "../../../runner/p2p/events.ts";
import { GossipHandler } from "../../../runner/p2p/gossip.ts";
import { runnerLogger } from "../../../runner/log.ts";
import { PeerReputation } from "../../../runner/p2p/peers/reputation.ts";
import type { SignerRecovery } from "../../../runner/p2p/network_ports.ts";
import { gossipTopic } from "../../../runner/p2p/topics.ts";
import { SignaturePool } from "../../../runner/preconf/signature_pool.ts";
import { encodeSignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { DEFAULT_SIGNING_DOMAIN, recoverSigner } from "../../../runner/p2p/wire/signing.ts";
import { CHAIN_ID, makeCommitment, RecordingValidator } from "./_helpers.ts";

const TOPIC = gossipTopic("commitment", CHAIN_ID);

async function setup(
  options: { validationTimeoutMs?: number; maxPending?: number } = {},
  recovery: { recoverSigner?: SignerRecovery } = {},
) {
  const self = peerIdFromPrivateKey(await generateKeyPair("Ed25519"));
  const other = peerIdFromPrivateKey(await generateKeyPair("Ed25519"));
  const reputation = new PeerReputation({ now: () => 0 });
  const validator = new RecordingValidator();
  const handler = new GossipHandler(
    {
      validator,
      reputation,
      metrics: null,
      events: new P2pEventHub(null),
      log: runnerLogger("p2p"),
      ...recovery,
    },
    {
      selfPeerId: self.toString(),
      topics: new Map([[TOPIC, "commitment"]]),
      signingDomain: DEFAULT_SIGNING_DOMAIN,
      ...options,
    },
  );
  const message = (from = other): Message => ({
    type: "signed",
    from,
    topic: TOPIC,
    data: encodeSignedCommitment(makeCommitment(1n)),
    sequenceNumber: 1n,
    signature: new Uint8Array(64),
    key: from.publicKey!,
  });
  return { self, other, reputation, validator, handler, message };
}

Deno.test("`GossipHandler.judge()` ignores our own message relayed back, without asking the client or penalising", async () => {
  const { self, other, reputation, validator, handler, message } = await setup();
  assert.equal(await handler.judge(other.toString(), message(self)), TopicValidatorResult.Ignore);
  assert.equal(validator.commitments.length, 0);
  assert.equal(reputation.score(other.toString()), 0);
  assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Accept);
  assert.ok(Math.abs(reputation.score(other.toString()) - 0.05) < 1e-4, "an accepted message earns 0.05");
});

Deno.test("`GossipHandler.judge()` hands the signer it recovered on to the client's validator", async () => {
  const { other, validator, handler, message } = await setup();
  assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Accept);
  assert.deepEqual(validator.signers, [recoverSigner(makeCommitment(1n), DEFAULT_SIGNING_DOMAIN)]);
});

Deno.test("`GossipHandler.judge()` recovers through the SignaturePool it is given and rejects what it cannot recover", async () => {
  const pool = new SignaturePool({ workers: 1 });
  pool.start();
  try {
    const { other, reputation, validator, handler, message } = await setup({}, {
      recoverSigner: (signed, domain) => pool.recoverSigner(signed, domain),
    });
    assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Accept);
    assert.deepEqual(validator.signers, [recoverSigner(makeCommitment(1n), DEFAULT_SIGNING_DOMAIN)]);
    const bytes = encodeSignedCommitment(makeCommitment(2n));
    bytes[bytes.length - 1] = 3; // v = 3: in range, but for this r no key recovers with it
    const result = await handler.judge(other.toString(), { ...message(), data: bytes });
    assert.equal(result, TopicValidatorResult.Reject);
    assert.equal(validator.commitments.length, 1);
    assert.ok(reputation.score(other.toString()) < 0);
    assert.equal(pool.inlineRecoveries, 0);
  } finally {
    pool.stop();
  }
});

Deno.test("`GossipHandler.judge()` turns a throwing or slow validator into Ignore at no cost to the peer", async () => {
  const { other, reputation, validator, handler, message } = await setup({ validationTimeoutMs: 50 });
  validator.verdict = () => {
    throw new Error("engine down");
  };
  assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Ignore);
  validator.validateCommitment = () => new Promise(() => {});
  assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Ignore);
  assert.equal(reputation.score(other.toString()), 0);
});

Deno.test("`GossipHandler.judge()` rejects an unknown topic and ignores messages beyond the pending bound", async () => {
  const { other, reputation, validator, handler, message } = await setup({ maxPending: 1 });
  assert.equal(
    await handler.judge(other.toString(), { ...message(), topic: "/taiko/1/0/other" }),
    TopicValidatorResult.Reject,
  );
  assert.equal(reputation.score(other.toString()), -1);
  let release: (v: "accept") => void = () => {};
  const { promise: reached, resolve: reach } = Promise.withResolvers<void>();
  validator.validateCommitment = () => {
    reach();
    return new Promise((r) => (release = r));
  };
  const first = handler.judge(other.toString(), message());
  assert.equal(await handler.judge(other.toString(), message()), TopicValidatorResult.Ignore);
  // The signature check is asynchronous: release the validator only once the first message reached it.
  await reached;
  release("accept");
  assert.equal(await first, TopicValidatorResult.Accept);
});
