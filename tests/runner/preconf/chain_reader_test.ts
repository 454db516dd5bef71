import assert from "node:assert/strict";
import { startAnvil } from "../../../devnet/anvil.ts";
import { deployStandIns, DEVNET_BASEFEE_SHARING_PCTG } from "../../../devnet/contracts.ts";
import { createPreconfChain } from "../../../runner/preconf/chain_reader.ts";
import { header } from "./_chain_double.ts";

Deno.test("`createPreconfChain()` reads the Inbox stand-in's fee sharing and proposal count, and L2 headers", async () => {
  const anvil = await startAnvil({ warmUpKzg: false });
  try {
    const contracts = await deployStandIns(anvil.url);
    let configReads = 0;
    const client = new Proxy(anvil.client, {
      get(target, key, receiver) {
        if (key === "readContract") {
          return (args: { functionName: string }) => {
            if (args.functionName === "getConfig") configReads++;
            return target.readContract(args as never);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    const l2 = {
      blockByNumber: (id: bigint | "latest") =>
        Promise.resolve(id === "latest" ? header(7n) : id <= 7n ? header(id) : null),
      blockNumber: () => Promise.resolve(7n),
    };
    const chain = createPreconfChain({ l1: client, l2, inboxAddress: contracts.inbox });
    assert.equal(await chain.basefeeSharingPctg(), DEVNET_BASEFEE_SHARING_PCTG);
    assert.equal(await chain.basefeeSharingPctg(), DEVNET_BASEFEE_SHARING_PCTG);
    assert.equal(configReads, 1, "the config is cached within one L1 slot");
    assert.equal(await chain.inboxNextProposalId(), 1n);
    assert.equal(await chain.l1Head(), await anvil.client.getBlockNumber({ cacheTime: 0 }));
    assert.equal(await chain.l2Head(), 7n);
    assert.equal((await chain.l2Block(3n))?.number, 3n);
    assert.equal(await chain.l2Block(9n), null);
  } finally {
    await anvil.stop();
  }
});

Deno.test("`createPreconfChain()` reads the L2 head with `eth_blockNumber`, not the `latest` header", async () => {
  const reads: string[] = [];
  const l2 = {
    blockByNumber: (id: bigint | "latest") => {
      reads.push(`block ${id}`);
      return Promise.resolve(header(id === "latest" ? 9n : id));
    },
    blockNumber: () => {
      reads.push("blockNumber");
      return Promise.resolve(12n);
    },
  };
  const chain = createPreconfChain({
    l1: {} as Parameters<typeof createPreconfChain>[0]["l1"],
    l2,
    inboxAddress: "0x0000000000000000000000000000000000000001",
  });
  assert.equal(await chain.l2Head(), 12n);
  assert.equal((await chain.l2Block(3n))?.number, 3n);
  assert.deepEqual(reads, ["blockNumber", "block 3"]);
});
