import assert from "node:assert/strict";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, hexToBytes, numberToBytes } from "viem";
import {
  gossipMessageId,
  loadMessageIdCodec,
  MAX_VALID_GOSSIP_PAYLOAD_BYTES,
} from "../../../runner/p2p/message_id.ts";
import { hex, vectors } from "./wire/_vectors.ts";

await loadMessageIdCodec();

/** The "not snappy" branch, computed independently: sha256(00000000 ‖ data)[0..20]. */
function invalidBranchId(data: Uint8Array): string {
  return bytesToHex(sha256(concatBytes([new Uint8Array(4), data])).slice(0, 20));
}

function id(data: string): string {
  return bytesToHex(gossipMessageId(hexToBytes(hex(data))));
}

Deno.test("`gossipMessageId()` hashes invalid snappy with prefix 00000000 and valid snappy decompressed with 01000000", () => {
  for (const v of vectors.messageIds) assert.equal(id(v.data), v.id, v.note);
});

Deno.test("`gossipMessageId()` matches the commitment and txlist vectors", () => {
  assert.equal(id(vectors.fixtureA.signers[0]!.sszSigned!), vectors.fixtureA.signers[0]!.messageId);
  assert.equal(id(vectors.txlist.sszGossip), vectors.txlist.messageId);
});

Deno.test("`gossipMessageId()` treats `01` and `0001` as invalid snappy, as the Rust `snap` decoder does", () => {
  // `01` declares one byte and carries none; `0001` declares zero bytes and then a copy tag.
  for (const data of ["0x01", "0x0001", "0x", "0xff"]) {
    assert.equal(id(data), invalidBranchId(hexToBytes(hex(data))), data);
  }
  // `00` is a valid empty snappy block: sha256(01000000)[0..20].
  assert.equal(id("0x00"), bytesToHex(sha256(Uint8Array.of(1, 0, 0, 0)).slice(0, 20)));
});

Deno.test("`gossipMessageId()` does not allocate for a snappy header that claims more than the cap", () => {
  // varint 0xffffffff: 4 GiB declared, nothing carried.
  const data = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
  assert.equal(bytesToHex(gossipMessageId(data)), invalidBranchId(data));
});

Deno.test("`gossipMessageId()` ignores nothing but the data: equal bytes give equal ids", () => {
  const a = hexToBytes(hex(vectors.fixtureA.signers[0]!.sszSigned!));
  assert.deepEqual(gossipMessageId(a), gossipMessageId(a.slice()));
  const b = a.slice();
  b[381] = 0;
  assert.notDeepEqual(gossipMessageId(a), gossipMessageId(b));
});

Deno.test("`gossipMessageId()` keeps the kona id up to the largest valid payload of each topic", () => {
  const txlist = hexToBytes(hex(vectors.txlist.sszGossip));
  assert.equal(
    bytesToHex(gossipMessageId(txlist, MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists)),
    vectors.txlist.messageId,
  );
  const signed = hexToBytes(hex(vectors.fixtureA.signers[0]!.sszSigned!));
  assert.equal(
    bytesToHex(gossipMessageId(signed, MAX_VALID_GOSSIP_PAYLOAD_BYTES.commitment)),
    vectors.fixtureA.signers[0]!.messageId,
  );
  const largest = new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists).fill(7);
  assert.equal(
    bytesToHex(gossipMessageId(largest, MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists)),
    invalidBranchId(largest),
  );
});

Deno.test("`gossipMessageId()` gives an oversized payload the cheap id over its length and ends", () => {
  const data = new Uint8Array(MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists + 1);
  for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
  const cheap = bytesToHex(
    sha256(concatBytes([
      Uint8Array.of(2, 0, 0, 0),
      numberToBytes(data.length, { size: 4 }),
      data.subarray(0, 1024),
      data.subarray(data.length - 1024),
    ])).slice(0, 20),
  );
  assert.equal(bytesToHex(gossipMessageId(data, MAX_VALID_GOSSIP_PAYLOAD_BYTES.raw_txlists)), cheap);
  // On the commitment topic anything above 382 bytes is oversized: 383 bytes hash whole ends.
  const commitmentSized = new Uint8Array(383).fill(9);
  assert.equal(
    bytesToHex(gossipMessageId(commitmentSized, MAX_VALID_GOSSIP_PAYLOAD_BYTES.commitment)),
    bytesToHex(
      sha256(
        concatBytes([
          Uint8Array.of(2, 0, 0, 0),
          numberToBytes(383, { size: 4 }),
          commitmentSized,
          commitmentSized,
        ]),
      )
        .slice(0, 20),
    ),
  );
  assert.notEqual(
    bytesToHex(gossipMessageId(commitmentSized)),
    bytesToHex(gossipMessageId(commitmentSized, 382)),
  );
});
