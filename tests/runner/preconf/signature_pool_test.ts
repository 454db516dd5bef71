import assert from "node:assert/strict";
import { type Address, getAddress, type Hex, hexToBytes, keccak256, numberToHex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { P2pError } from "../../../runner/p2p/errors.ts";
import type { SignedCommitment } from "../../../runner/p2p/wire/commitment.ts";
import { recoverSigner, signCommitment, signingHash } from "../../../runner/p2p/wire/signing.ts";
import { SignaturePool } from "../../../runner/preconf/signature_pool.ts";
import { recoverBatch, SIGNATURE_RECORD_BYTES } from "../../../runner/preconf/signature_worker.ts";

const KEYS: Hex[] = [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, `0x${"33".repeat(32)}`];
const DOMAIN: Hex = `0x${"ab".repeat(32)}`;

function commitment(n: number, key: Hex, domain?: Hex): SignedCommitment {
  return signCommitment(
    {
      preconf: {
        eop: false,
        blockNumber: BigInt(n),
        timestamp: 1_000n + BigInt(n),
        gasLimit: 31_000_000n,
        coinbase: getAddress("0x00000000000000000000000000000000000000c0"),
        anchorBlockNumber: 7n,
        rawTxListHash: keccak256(numberToHex(n, { size: 8 })),
        parentPreconfirmationHash: `0x${"00".repeat(32)}`,
        submissionWindowEnd: 2_000n,
        proverAuth: getAddress("0x00000000000000000000000000000000000000a0"),
        proposalId: 1n,
      },
      slasherAddress: "0x0909090909090909090909090909090909090909",
    },
    key,
    domain,
  );
}

function withSignature(signed: SignedCommitment, signature: Hex): SignedCommitment {
  return { commitment: signed.commitment, signature };
}

Deno.test("`SignaturePool.recoverSigner()` answers what `recoverSigner()` answers, for many requests at once", async () => {
  const pool = new SignaturePool({ workers: 2, batchSize: 8 });
  pool.start();
  try {
    const signed = Array.from({ length: 60 }, (_, i) => commitment(i + 1, KEYS[i % 3] as Hex, DOMAIN));
    const fromPool = await Promise.all(signed.map((sc) => pool.recoverSigner(sc, DOMAIN)));
    const expected: Address[] = signed.map((sc) => recoverSigner(sc, DOMAIN));
    assert.deepEqual(fromPool, expected);
    assert.equal(fromPool[4], privateKeyToAddress(KEYS[1] as Hex));
    assert.equal(pool.inlineRecoveries, 0);
  } finally {
    pool.stop();
  }
});

Deno.test("`SignaturePool.recoverSigner()` rejects v above 3 and an unrecoverable signature with InvalidSignature", async () => {
  const pool = new SignaturePool({ workers: 1 });
  pool.start();
  try {
    const signed = commitment(1, KEYS[0] as Hex);
    const highV = withSignature(signed, `${signed.signature.slice(0, -2)}1b` as Hex);
    await assert.rejects(
      pool.recoverSigner(highV),
      (e) => e instanceof P2pError && e.kind === "InvalidSignature",
    );
    const zeroR = withSignature(signed, `0x${"00".repeat(32)}${signed.signature.slice(66)}` as Hex);
    await assert.rejects(
      pool.recoverSigner(zeroR),
      (e) => e instanceof P2pError && e.kind === "InvalidSignature",
    );
    assert.equal(await pool.recoverSigner(signed), privateKeyToAddress(KEYS[0] as Hex));
  } finally {
    pool.stop();
  }
});

Deno.test("`SignaturePool.stop()` recovers queued requests on the calling thread, so none is lost", async () => {
  const pool = new SignaturePool({ workers: 2, batchSize: 64 });
  pool.start();
  const signed = Array.from({ length: 10 }, (_, i) => commitment(i + 1, KEYS[2] as Hex));
  const pending = signed.map((sc) => pool.recoverSigner(sc));
  pool.stop();
  const signers = await Promise.all(pending);
  assert.deepEqual(signers, signed.map(() => privateKeyToAddress(KEYS[2] as Hex)));
  assert.equal(pool.inlineRecoveries, 10);
  assert.equal(pool.running, false);
});

Deno.test("`SignaturePool.recoverSigner()` beyond maxPending recovers on the calling thread", async () => {
  const pool = new SignaturePool({ workers: 1, maxPending: 2, batchSize: 64 });
  pool.start();
  try {
    const signed = Array.from({ length: 6 }, (_, i) => commitment(i + 1, KEYS[0] as Hex));
    const signers = await Promise.all(signed.map((sc) => pool.recoverSigner(sc)));
    assert.deepEqual(signers, signed.map(() => privateKeyToAddress(KEYS[0] as Hex)));
    assert.equal(pool.inlineRecoveries, 4);
  } finally {
    pool.stop();
  }
});

Deno.test("`new SignaturePool()` refuses a worker count below one", () => {
  assert.throws(() => new SignaturePool({ workers: 0 }), RangeError);
});

Deno.test("`SignaturePool.recoverSigner()` called right after `start()` waits for the workers to load, then they answer", async () => {
  // A message posted before a worker's modules finish loading would be lost: none may be.
  const pool = new SignaturePool({ workers: 2, batchSize: 4 });
  pool.start();
  try {
    const signed = Array.from({ length: 9 }, (_, i) => commitment(i + 1, KEYS[i % 3] as Hex, DOMAIN));
    const signers = await Promise.all(signed.map((sc) => pool.recoverSigner(sc, DOMAIN)));
    assert.deepEqual(signers, signed.map((_, i) => privateKeyToAddress(KEYS[i % 3] as Hex)));
    assert.equal(pool.inlineRecoveries, 0);
  } finally {
    pool.stop();
  }
});

Deno.test("`recoverBatch()` answers one checksummed address or null per 97-byte record", () => {
  const good = commitment(1, KEYS[1] as Hex, DOMAIN);
  const signature = hexToBytes(good.signature);
  const records = new Uint8Array(3 * SIGNATURE_RECORD_BYTES);
  const digest = hexToBytes(signingHash(good.commitment, DOMAIN));
  for (let i = 0; i < 3; i++) {
    records.set(digest, i * SIGNATURE_RECORD_BYTES);
    records.set(signature, i * SIGNATURE_RECORD_BYTES + 32);
  }
  records.fill(0, SIGNATURE_RECORD_BYTES + 32, SIGNATURE_RECORD_BYTES + 64); // r = 0
  records[3 * SIGNATURE_RECORD_BYTES - 1] = 27; // v = 27
  assert.deepEqual(recoverBatch(records), [privateKeyToAddress(KEYS[1] as Hex), null, null]);
});

Deno.test("`SignaturePool.recoverSigner()` recovers a lone request on the calling thread while the workers are idle, within the per-second bound", async () => {
  const pool = new SignaturePool({ workers: 1, idleInlinePerSecond: 2 });
  pool.start();
  try {
    const signed = Array.from({ length: 3 }, (_, i) => commitment(i + 1, KEYS[1] as Hex, DOMAIN));
    for (const sc of signed) assert.equal(await pool.recoverSigner(sc, DOMAIN), recoverSigner(sc, DOMAIN));
    assert.equal(pool.idleInlineRecoveries, 2);
    assert.equal(pool.inlineRecoveries, 0);
    const zeroR = withSignature(signed[0]!, `0x${"00".repeat(32)}${signed[0]!.signature.slice(66)}` as Hex);
    await assert.rejects(
      pool.recoverSigner(zeroR),
      (e) => e instanceof P2pError && e.kind === "InvalidSignature",
    );
  } finally {
    pool.stop();
  }
});

Deno.test("`SignaturePool.recoverSigner()` sends lone requests to the workers with idleInlinePerSecond 0, and batches always", async () => {
  const pool = new SignaturePool({ workers: 1, idleInlinePerSecond: 0 });
  pool.start();
  try {
    const lone = commitment(1, KEYS[2] as Hex, DOMAIN);
    assert.equal(await pool.recoverSigner(lone, DOMAIN), privateKeyToAddress(KEYS[2] as Hex));
    assert.equal(pool.idleInlineRecoveries, 0);
  } finally {
    pool.stop();
  }
  const busy = new SignaturePool({ workers: 1 });
  busy.start();
  try {
    const signed = Array.from({ length: 2 }, (_, i) => commitment(i + 1, KEYS[0] as Hex, DOMAIN));
    await Promise.all(signed.map((sc) => busy.recoverSigner(sc, DOMAIN)));
    assert.equal(busy.idleInlineRecoveries, 0);
  } finally {
    busy.stop();
  }
  assert.throws(() => new SignaturePool({ idleInlinePerSecond: -1 }), RangeError);
});

Deno.test("the signature worker loads only libsecp256k1 and the keccak at run time, not viem", async () => {
  // Each worker is an isolate that loads its module graph again: viem's cost the two workers ~22 MB.
  const worker = new URL("../../../runner/preconf/signature_worker.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", worker.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string; dependencies?: { code?: { specifier: string } }[] }[];
  };
  const modules = new Map(graph.modules.map((m) => [m.specifier, m]));
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [worker.href];
  while (queue.length > 0) {
    const specifier = queue.pop() as string;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      const code = dependency.code?.specifier;
      if (code === undefined) continue;
      if (code.startsWith("npm:")) packages.add(code.replace(/@[^@]*$/, ""));
      else queue.push(code);
    }
  }
  assert.deepEqual([...packages].sort(), ["npm:hash-wasm", "npm:tiny-secp256k1"]);
});
