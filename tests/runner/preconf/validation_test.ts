import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { P2pError } from "../../../runner/p2p/errors.ts";
import {
  decodeSignedCommitment,
  encodeSignedCommitment,
  type SignedCommitment,
} from "../../../runner/p2p/wire/commitment.ts";
import {
  DEFAULT_SIGNING_DOMAIN,
  preconfirmationHash,
  rememberEncoding,
} from "../../../runner/p2p/wire/signing.ts";
import { CommitmentStore } from "../../../runner/preconf/commitment_store.ts";
import type { ValidationReason } from "../../../runner/preconf/errors.ts";
import {
  checkAgainstParentHeader,
  type CommitmentValidation,
  validateCommitment,
  validateTxList,
  type ValidationConfig,
  type ValidationState,
} from "../../../runner/preconf/validation.ts";
import {
  accepted,
  chain,
  commitment,
  type CommitmentFields,
  emptyTxList,
  OTHER,
  OTHER_KEY,
  SIGNER,
  ZERO_HASH,
} from "./_fixtures.ts";
import { ScriptedLookahead } from "./_lookahead_double.ts";

const CONFIG: ValidationConfig = {
  expectedSlasher: "0x0000000000000000000000000000000000005145",
  signingDomain: DEFAULT_SIGNING_DOMAIN,
  shastaForkTimestamp: 0n,
  timestampMaxOffset: 1536n,
  maxAnchorOffset: 128n,
};
const STATE: ValidationState = {
  confirmedTip: 0n,
  preconfTip: 0n,
  canonicalProposalId: 0n,
  nowSeconds: 1010n,
  l1Head: 20n,
};

interface Case {
  store?: CommitmentStore;
  lookahead?: ScriptedLookahead;
  state?: Partial<ValidationState>;
}

function run(signed: SignedCommitment, c: Case = {}): Promise<CommitmentValidation> {
  return validateCommitment(
    signed,
    {
      store: c.store ?? new CommitmentStore(),
      lookahead: c.lookahead ?? ScriptedLookahead.fixed(SIGNER, 2000n),
    },
    CONFIG,
    { ...STATE, ...c.state },
  );
}

async function refused(
  signed: SignedCommitment,
  reason: ValidationReason,
  action: "ignore" | "reject",
  c: Case = {},
) {
  const result = await run(signed, c);
  assert.equal(result.ok, false, `expected ${reason}, got a valid commitment`);
  if (result.ok) return result;
  assert.equal(result.reason, reason, result.message);
  assert.equal(result.action, action);
  return result;
}

/** A store holding block 1 (accepted) and the block-2 fields that chain to it. */
function withParent(parent: Partial<CommitmentFields> = {}): { store: CommitmentStore; link: `0x${string}` } {
  const store = new CommitmentStore();
  const one = commitment({ blockNumber: 1n, ...parent });
  store.accept(accepted(one));
  return { store, link: preconfirmationHash(one.commitment.preconf) };
}

Deno.test("`validateCommitment()` accepts a commitment from the elected signer and reports its hashes", async () => {
  const signed = commitment({ blockNumber: 1n });
  const result = await run(signed);
  assert.ok(result.ok);
  assert.equal(result.signer, SIGNER);
  assert.equal(result.preconfHash, preconfirmationHash(signed.commitment.preconf));
  assert.equal(result.eopOnly, false);
});

Deno.test("`validateCommitment()` drops a stale block first, before any other guard", async () => {
  const lookahead = ScriptedLookahead.fixed(SIGNER, 2000n);
  const stale = commitment({ blockNumber: 5n, rawTxListHash: ZERO_HASH, key: OTHER_KEY });
  await refused(stale, "Stale", "ignore", { state: { confirmedTip: 5n }, lookahead });
  assert.deepEqual(lookahead.calls, []);
  assert.ok((await run(commitment({ blockNumber: 6n }), { state: { confirmedTip: 5n, preconfTip: 5n } })).ok);
});

Deno.test("`validateCommitment()` rejects a zero txlist hash without eop and accepts an EOP-only marker", async () => {
  await refused(commitment({ blockNumber: 1n, rawTxListHash: ZERO_HASH }), "InvalidEop", "reject");
  const marker = await run(commitment({ blockNumber: 1n, eop: true, rawTxListHash: ZERO_HASH }));
  assert.ok(marker.ok && marker.eopOnly);
});

Deno.test("`validateCommitment()` rejects a commitment naming another slasher", async () => {
  await refused(
    commitment({ blockNumber: 1n, slasher: "0x0000000000000000000000000000000000000bad" }),
    "SlasherMismatch",
    "reject",
  );
});

Deno.test("`validateCommitment()` rejects an unrecoverable signature", async () => {
  const signed = commitment({ blockNumber: 1n });
  const bad = { ...signed, signature: `${signed.signature.slice(0, -2)}1b` as `0x${string}` };
  await refused(bad, "InvalidSignature", "reject");
});

Deno.test("`validateCommitment()` takes a signer recovered earlier instead of recovering it again", async () => {
  const signed = commitment({ blockNumber: 1n });
  // An unrecoverable signature shows no recovery ran: the given signer decides the lookahead check.
  const bad = { ...signed, signature: `${signed.signature.slice(0, -2)}1b` as `0x${string}` };
  const deps = { store: new CommitmentStore(), lookahead: ScriptedLookahead.fixed(SIGNER, 2000n) };
  const result = await validateCommitment(bad, deps, CONFIG, STATE, SIGNER);
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.signer, SIGNER);
  const other = await validateCommitment(signed, deps, CONFIG, STATE, OTHER);
  assert.equal(other.ok ? "ok" : other.reason, "SignerMismatch");
});

Deno.test("`validateCommitment()` recovers through the recovery it is given, and rejects what it refuses", async () => {
  const signed = commitment({ blockNumber: 1n });
  const store = new CommitmentStore();
  const lookahead = ScriptedLookahead.fixed(SIGNER, 2000n);
  const seen: SignedCommitment[] = [];
  const elsewhere = (s: SignedCommitment) => {
    seen.push(s);
    return Promise.resolve(OTHER);
  };
  const result = await validateCommitment(
    signed,
    { store, lookahead, recoverSigner: elsewhere },
    CONFIG,
    STATE,
  );
  assert.equal(result.ok ? "ok" : result.reason, "SignerMismatch");
  assert.deepEqual(seen, [signed]);
  const refusing = () => Promise.reject(new P2pError("InvalidSignature", "no key recovers"));
  const refused = await validateCommitment(
    signed,
    { store, lookahead, recoverSigner: refusing },
    CONFIG,
    STATE,
  );
  assert.equal(refused.ok ? "ok" : `${refused.reason}/${refused.action}`, "InvalidSignature/reject");
});

Deno.test("`validateCommitment()` hands the recovered signer on with a commitment it buffers", async () => {
  const result = await run(commitment({ blockNumber: 5n }));
  assert.equal(result.ok ? "ok" : result.buffer, "AwaitingParent");
  assert.equal(result.ok ? undefined : result.signer, SIGNER);
});

Deno.test("`validateCommitment()` rejects a commitment signed by someone other than the elected signer", async () => {
  await refused(commitment({ blockNumber: 1n, key: OTHER_KEY }), "SignerMismatch", "reject");
});

Deno.test("`validateCommitment()` rejects a window end that differs from the elected slot's", async () => {
  await refused(
    commitment({ blockNumber: 1n, submissionWindowEnd: 1999n }),
    "SubmissionWindowMismatch",
    "reject",
  );
});

Deno.test("`validateCommitment()` buffers a commitment while the lookahead is not yet known", async () => {
  const lookahead = new ScriptedLookahead(() => ({ kind: "NotYetKnown", reason: "not indexed" }));
  const result = await refused(commitment({ blockNumber: 1n }), "LookaheadNotYetKnown", "ignore", {
    lookahead,
  });
  assert.equal(result.buffer, "LookaheadNotYetKnown");
  const tooNew = new ScriptedLookahead(() => ({ kind: "OutOfRange", reason: "TooNew" }));
  assert.equal(
    (await refused(commitment({ blockNumber: 1n }), "LookaheadNotYetKnown", "ignore", { lookahead: tooNew }))
      .buffer,
    "LookaheadNotYetKnown",
  );
  const tooOld = new ScriptedLookahead(() => ({ kind: "OutOfRange", reason: "TooOld" }));
  assert.equal(
    (await refused(commitment({ blockNumber: 1n }), "LookaheadOutOfRange", "ignore", { lookahead: tooOld }))
      .buffer,
    null,
  );
});

Deno.test("`validateCommitment()` buffers a block whose parent is neither stored nor executed", async () => {
  const result = await refused(commitment({ blockNumber: 3n }), "AwaitingParent", "ignore", {
    state: { preconfTip: 1n },
  });
  assert.equal(result.buffer, "AwaitingParent");
  assert.ok((await run(commitment({ blockNumber: 2n }), { state: { preconfTip: 1n } })).ok);
});

Deno.test("`validateCommitment()` rejects a broken parent link against the stored parent", async () => {
  const { store, link } = withParent();
  await refused(
    commitment({ blockNumber: 2n, parentPreconfirmationHash: `0x${"99".repeat(32)}` }),
    "ParentHashMismatch",
    "reject",
    { store },
  );
  assert.ok((await run(commitment({ blockNumber: 2n, parentPreconfirmationHash: link }), { store })).ok);
});

Deno.test("`validateCommitment()` rejects a block after an EOP in the same window", async () => {
  const { store, link } = withParent({ eop: true });
  await refused(commitment({ blockNumber: 2n, parentPreconfirmationHash: link }), "InvalidEop", "reject", {
    store,
  });
});

Deno.test("`validateCommitment()` lets the next slot's signer take over after an EOP", async () => {
  const { store, link } = withParent({ eop: true, submissionWindowEnd: 2000n });
  const lookahead = new ScriptedLookahead((ts) =>
    ts <= 2000n
      ? { kind: "Known", source: "Slot", signer: SIGNER, submissionWindowEnd: 2000n }
      : { kind: "Known", source: "Slot", signer: OTHER, submissionWindowEnd: 2100n }
  );
  const handedOver = commitment({
    blockNumber: 2n,
    parentPreconfirmationHash: link,
    key: OTHER_KEY,
    submissionWindowEnd: 2100n,
  });
  const result = await run(handedOver, { store, lookahead });
  assert.ok(result.ok);
  assert.equal(result.ok && result.signer, OTHER);
  const noHandoff = withParent({ submissionWindowEnd: 2000n });
  const intruder = commitment({
    blockNumber: 2n,
    parentPreconfirmationHash: noHandoff.link,
    key: OTHER_KEY,
    submissionWindowEnd: 2100n,
  });
  await refused(intruder, "SignerMismatch", "reject", { store: noHandoff.store, lookahead });
});

Deno.test("`validateCommitment()` enforces the proposal id rules", async () => {
  await refused(commitment({ blockNumber: 1n, proposalId: 1n << 48n }), "ProposalIdOutOfBounds", "reject");
  await refused(commitment({ blockNumber: 1n, proposalId: 4n }), "ProposalIdOutOfBounds", "ignore", {
    state: { canonicalProposalId: 4n },
  });
  const { store, link } = withParent({ proposalId: 3n });
  await refused(
    commitment({ blockNumber: 2n, parentPreconfirmationHash: link, proposalId: 5n }),
    "ProposalIdOutOfBounds",
    "reject",
    { store },
  );
  assert.ok(
    (await run(commitment({ blockNumber: 2n, parentPreconfirmationHash: link, proposalId: 4n }), { store }))
      .ok,
  );
});

Deno.test("`validateCommitment()` enforces the gas limit bounds absolutely and against the parent", async () => {
  await refused(commitment({ blockNumber: 1n, gasLimit: 10_999_999n }), "GasLimitOutOfBounds", "reject");
  await refused(commitment({ blockNumber: 1n, gasLimit: 46_000_001n }), "GasLimitOutOfBounds", "reject");
  const { store, link } = withParent({ gasLimit: 31_000_000n });
  await refused(
    commitment({ blockNumber: 2n, parentPreconfirmationHash: link, gasLimit: 31_006_001n }),
    "GasLimitOutOfBounds",
    "reject",
    { store },
  );
  assert.ok(
    (await run(commitment({ blockNumber: 2n, parentPreconfirmationHash: link, gasLimit: 31_006_000n }), {
      store,
    })).ok,
  );
});

Deno.test("`validateCommitment()` enforces the timestamp bounds", async () => {
  await refused(commitment({ blockNumber: 1n, timestamp: 1023n }), "TimestampOutOfBounds", "ignore");
  await refused(commitment({ blockNumber: 1n, timestamp: 1n }), "TimestampOutOfBounds", "ignore", {
    state: { nowSeconds: 1600n },
  });
  const fork = await validateCommitment(
    commitment({ blockNumber: 1n }),
    {
      store: new CommitmentStore(),
      lookahead: ScriptedLookahead.fixed(SIGNER, 2000n),
    },
    { ...CONFIG, shastaForkTimestamp: 1005n },
    STATE,
  );
  assert.equal(!fork.ok && fork.reason, "TimestampOutOfBounds");
  assert.equal(!fork.ok && fork.action, "reject");
  const { store, link } = withParent({ timestamp: 1005n });
  await refused(
    commitment({ blockNumber: 2n, parentPreconfirmationHash: link, timestamp: 1005n }),
    "TimestampOutOfBounds",
    "reject",
    { store },
  );
});

Deno.test("`validateCommitment()` enforces the anchor bounds", async () => {
  await refused(commitment({ blockNumber: 1n, anchorBlockNumber: 25n }), "AnchorOutOfBounds", "ignore");
  await refused(commitment({ blockNumber: 1n, anchorBlockNumber: 10n }), "AnchorOutOfBounds", "ignore", {
    state: { l1Head: 143n },
  });
  assert.ok(
    (await run(commitment({ blockNumber: 1n, anchorBlockNumber: 25n }), { state: { l1Head: null } })).ok,
  );
  const { store, link } = withParent({ anchorBlockNumber: 12n });
  await refused(
    commitment({ blockNumber: 2n, parentPreconfirmationHash: link, anchorBlockNumber: 11n }),
    "AnchorOutOfBounds",
    "reject",
    { store },
  );
});

Deno.test("`checkAgainstParentHeader()` checks number, timestamp and gas step against the engine's parent", () => {
  const [block] = chain(5n, 1, () => ({ timestamp: 1010n, gasLimit: 31_000_000n }));
  const preconf = block!.commitment.preconf;
  assert.equal(
    checkAgainstParentHeader(preconf, { number: 4n, timestamp: 1009n, gasLimit: 31_000_000n }),
    null,
  );
  assert.equal(
    checkAgainstParentHeader(preconf, { number: 3n, timestamp: 1009n, gasLimit: 31_000_000n })?.reason,
    "BlockNumberMismatch",
  );
  assert.equal(
    checkAgainstParentHeader(preconf, { number: 4n, timestamp: 1010n, gasLimit: 31_000_000n })?.reason,
    "TimestampOutOfBounds",
  );
  assert.equal(
    checkAgainstParentHeader(preconf, { number: 4n, timestamp: 1009n, gasLimit: 36_000_000n })?.reason,
    "GasLimitOutOfBounds",
  );
  const [first] = chain(1n, 1, () => ({ timestamp: 1010n, gasLimit: 31_000_000n }));
  assert.equal(
    checkAgainstParentHeader(first!.commitment.preconf, { number: 0n, timestamp: 0n, gasLimit: 30_000_000n }),
    null,
  );
});

Deno.test("`validateTxList()` checks the declared hash and the size cap", () => {
  const list = emptyTxList();
  assert.equal(validateTxList(list), null);
  assert.equal(validateTxList({ ...list, rawTxListHash: keccak256("0x01") })?.reason, "InvalidTxList");
  const big = new Uint8Array(2 * 1024 * 1024 + 1);
  assert.equal(validateTxList({ rawTxListHash: keccak256(big), txlist: big })?.reason, "InvalidTxList");
});

Deno.test("`validateTxList()` with a hash checked at the boundary compares it instead of hashing again", () => {
  const list = emptyTxList();
  assert.equal(validateTxList(list, list.rawTxListHash), null);
  // Upper-case hex of the same hash is the same hash.
  assert.equal(validateTxList(list, `0x${list.rawTxListHash.slice(2).toUpperCase()}`), null);
  // The caller's hash of the bytes differs from the declared one: the txlist is refused.
  const mismatch = validateTxList(list, keccak256("0x01"));
  assert.equal(mismatch?.reason, "InvalidTxList");
  assert.equal(mismatch?.action, "reject");
  assert.match(mismatch?.message ?? "", new RegExp(keccak256("0x01")));
  // The size cap holds whatever hash is given.
  const big = new Uint8Array(2 * 1024 * 1024 + 1);
  const bigHash = keccak256(big);
  assert.equal(validateTxList({ rawTxListHash: bigHash, txlist: big }, bigHash)?.reason, "InvalidTxList");
});

Deno.test("`validateCommitment()` reports the same hashes for a decoded commitment as for the built one", async () => {
  const built = commitment({ blockNumber: 1n });
  const wire = encodeSignedCommitment(built);
  const decoded = decodeSignedCommitment(wire);
  rememberEncoding(decoded, wire);
  const fromBuilt = await run(built);
  const fromDecoded = await run(decoded);
  assert.ok(fromBuilt.ok && fromDecoded.ok);
  assert.equal(fromDecoded.commitmentHash, keccak256(wire));
  assert.equal(fromDecoded.preconfHash, keccak256(wire.subarray(0, 297)));
  assert.equal(fromBuilt.commitmentHash, fromDecoded.commitmentHash);
  assert.equal(fromBuilt.preconfHash, fromDecoded.preconfHash);
  assert.equal(fromBuilt.signer, fromDecoded.signer);
});
