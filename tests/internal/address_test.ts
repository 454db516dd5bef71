import assert from "node:assert/strict";
import { bytesToHex, getAddress, hexToBytes, keccak256, stringToHex } from "viem";
import { parseAddress } from "../../internal/address.ts";
import { checksumAddress } from "../../internal/checksum_address.ts";

Deno.test("`checksumAddress()` gives viem's EIP-55 form for fixed and pseudo-random addresses", () => {
  const addresses = [
    hexToBytes("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
    new Uint8Array(20),
    new Uint8Array(20).fill(0xff),
  ];
  let seed = hexToBytes(keccak256(stringToHex("checksum")));
  for (let i = 0; i < 200; i++) {
    seed = hexToBytes(keccak256(seed));
    addresses.push(seed.slice(0, 20));
  }
  for (const address of addresses) assert.equal(checksumAddress(address), getAddress(bytesToHex(address)));
  assert.equal(checksumAddress(addresses[0]!), "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  assert.throws(() => checksumAddress(new Uint8Array(19)), TypeError);
});

Deno.test("`parseAddress()` accepts the checksum `checksumAddress()` writes and refuses a broken one", () => {
  const written = checksumAddress(hexToBytes("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  assert.equal(parseAddress(written, "--x"), written);
  assert.throws(() => parseAddress(written.replace("aA", "Aa"), "--x"), /checksum is wrong/);
});
