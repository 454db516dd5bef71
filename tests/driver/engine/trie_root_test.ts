import assert from "node:assert/strict";
import { type Hex, numberToHex, stringToHex, toRlp } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startAnvil } from "../../../devnet/anvil.ts";
import { orderedTrieRoot, trieRoot } from "../../../driver/engine/trie_root.ts";
import vectors from "../../vectors/trie_vectors.json" with { type: "json" };

const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
/** anvil's first default account. */
const ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function bytesOf(text: string): Hex {
  return text.startsWith("0x") ? text as Hex : stringToHex(text);
}

Deno.test("`orderedTrieRoot()` of an empty list is the empty-trie root", () => {
  assert.equal(orderedTrieRoot([]), EMPTY_TRIE_ROOT);
  assert.equal(trieRoot([]), EMPTY_TRIE_ROOT);
});

for (const vector of vectors.vectors) {
  Deno.test(`\`trieRoot()\` matches the ethereum/tests vector "${vector.name}" in any insertion order`, () => {
    const entries = vector.entries.map(([key, value]) =>
      [bytesOf(key as string), bytesOf(value as string)] as const
    );
    assert.equal(trieRoot(entries), vector.root);
    assert.equal(trieRoot([...entries].reverse()), vector.root);
  });
}

Deno.test("`trieRoot()` refuses a repeated key and an empty value", () => {
  assert.throws(() => trieRoot([["0x01", "0x02"], ["0x01", "0x03"]]), RangeError);
  assert.throws(() => trieRoot([["0x01", "0x"]]), RangeError);
});

Deno.test("`orderedTrieRoot()` equals anvil's transactionsRoot for a block of 130 mixed-type transactions", async () => {
  // 130 items cover one-byte RLP keys (0x80, 0x01..0x7f) and two-byte ones (0x8180...), the case where
  // index order and key order differ.
  const anvil = await startAnvil({ warmUpKzg: false });
  try {
    const account = privateKeyToAccount(ANVIL_KEY);
    const chainId = Number(anvil.chainId);
    await anvil.client.request({ method: "evm_setAutomine", params: [false] } as never);
    const raws: Hex[] = [];
    for (let nonce = 0; nonce < 130; nonce++) {
      const to = `0x${(nonce + 1).toString(16).padStart(40, "0")}` as const;
      const base = { chainId, nonce, to, value: BigInt(nonce), gas: 21_000n };
      const raw = nonce % 3 === 0
        ? await account.signTransaction({ ...base, type: "legacy", gasPrice: 2_000_000_000n })
        : nonce % 3 === 1
        ? await account.signTransaction({
          ...base,
          type: "eip2930",
          gasPrice: 2_000_000_000n,
          accessList: [],
        })
        : await account.signTransaction({
          ...base,
          type: "eip1559",
          maxFeePerGas: 3_000_000_000n,
          maxPriorityFeePerGas: 1n,
        });
      await anvil.client.request({ method: "eth_sendRawTransaction", params: [raw] });
      raws.push(raw);
    }
    await anvil.client.request({ method: "evm_mine", params: [] } as never);
    const block = await anvil.client.getBlock({ blockTag: "latest" });
    assert.equal(block.transactions.length, 130);
    const ordered: Hex[] = [];
    for (const hash of block.transactions) {
      ordered.push(
        await anvil.client.request({ method: "eth_getRawTransactionByHash", params: [hash] } as never) as Hex,
      );
    }
    assert.deepEqual(new Set(ordered), new Set(raws));
    assert.equal(orderedTrieRoot(ordered), block.transactionsRoot);
  } finally {
    await anvil.stop();
  }
});

Deno.test("`orderedTrieRoot()` equals `trieRoot()` keyed by RLP(index) for lists crossing the 1-, 2- and 3-byte keys", () => {
  for (const length of [1, 2, 127, 128, 129, 300, 70_000]) {
    const items = Array.from({ length }, (_, i) => `0x02${(i * 7919).toString(16).padStart(8, "0")}` as Hex);
    const keyed = items.map((item, index) => [toRlp(index === 0 ? "0x" : numberToHex(index)), item] as const);
    assert.equal(orderedTrieRoot(items), trieRoot(keyed), `length ${length}`);
  }
});
