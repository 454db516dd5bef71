import assert from "node:assert/strict";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { P2pError } from "../../../runner/p2p/errors.ts";
import { loadOrCreateNodeKey } from "../../../runner/p2p/identity.ts";

Deno.test("`loadOrCreateNodeKey()` creates the key file with mode 0600 and reuses it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/node.key`;
    const first = await loadOrCreateNodeKey(path);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const second = await loadOrCreateNodeKey(path);
    assert.equal(peerIdFromPrivateKey(second).toString(), peerIdFromPrivateKey(first).toString());
    const ephemeral = await loadOrCreateNodeKey(undefined);
    assert.notEqual(peerIdFromPrivateKey(ephemeral).toString(), peerIdFromPrivateKey(first).toString());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`loadOrCreateNodeKey()` refuses a key readable by others, garbage, and a missing directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/node.key`;
    await loadOrCreateNodeKey(path);
    await Deno.chmod(path, 0o644);
    await assert.rejects(
      loadOrCreateNodeKey(path),
      (e: unknown) => e instanceof P2pError && e.kind === "Identity",
    );
    await Deno.writeTextFile(`${dir}/bad.key`, "not a key\n", { mode: 0o600 });
    await assert.rejects(
      loadOrCreateNodeKey(`${dir}/bad.key`),
      (e: unknown) => e instanceof P2pError && e.kind === "Identity",
    );
    await assert.rejects(
      loadOrCreateNodeKey(`${dir}/missing/node.key`),
      (e: unknown) => e instanceof P2pError && e.kind === "Identity",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
