import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "viem";
import { BeaconStub } from "../../../devnet/beacon_stub.ts";
import { computeBlobSidecars } from "../../../devnet/kzg.ts";
import { DriverError } from "../../../driver/errors.ts";
import { BLOB_SIZE_BYTES, createBeaconClient, parseSidecar } from "../../../driver/rpc/beacon_client.ts";

/** Serves fixed JSON bodies by path on 127.0.0.1 (a misbehaving beacon node). */
function serveRoutes(routes: Record<string, () => Response>): { url: string; stop(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const route = routes[new URL(request.url).pathname];
    return route === undefined ? new Response("not found", { status: 404 }) : route();
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}

const GENESIS = () => Response.json({ data: { genesis_time: "1000" } });
const SPEC = () => Response.json({ data: { SECONDS_PER_SLOT: "12" } });

Deno.test("`createBeaconClient()` reads genesis and slot length and maps timestamps to slots", async () => {
  const stub = BeaconStub.start({ genesisTimestamp: 1_000n, secondsPerSlot: 4 });
  try {
    const beacon = await createBeaconClient(stub.url);
    assert.equal(beacon.genesisTime, 1_000n);
    assert.equal(beacon.secondsPerSlot, 4n);
    assert.equal(beacon.slotOf(1_000n), 0n);
    assert.equal(beacon.slotOf(1_011n), 2n);
    assert.throws(() => beacon.slotOf(999n), RangeError);
  } finally {
    await stub.stop();
  }
});

Deno.test("`blobSidecars()` returns each blob with its commitment for the slot", async () => {
  const stub = BeaconStub.start({ genesisTimestamp: 0n });
  try {
    const blob = new Uint8Array(BLOB_SIZE_BYTES);
    blob[7] = 42;
    const [sidecar] = computeBlobSidecars([blob]);
    stub.registerSidecars({ number: 3n, hash: `0x${"11".repeat(32)}`, timestamp: 36n }, [sidecar!]);
    const beacon = await createBeaconClient(stub.url);
    const served = await beacon.blobSidecars(3n);
    assert.equal(served.length, 1);
    assert.equal(bytesToHex(served[0]!.blob), sidecar!.blob);
    assert.equal(served[0]!.kzgCommitment, sidecar!.commitment);
  } finally {
    await stub.stop();
  }
});

Deno.test("`createBeaconClient()` fails with a message naming the route when a 200 has no data", async () => {
  const server = serveRoutes({ "/eth/v1/beacon/genesis": () => Response.json({ result: {} }) });
  try {
    await assert.rejects(
      createBeaconClient(server.url),
      (error) =>
        error instanceof DriverError && error.kind === "Rpc" &&
        error.message.includes("/eth/v1/beacon/genesis") &&
        error.message.includes("no data field"),
    );
  } finally {
    await server.stop();
  }
});

Deno.test("`blobSidecars()` refuses a body over the cap and a blob of the wrong size", async () => {
  const short = bytesToHex(new Uint8Array(100));
  const commitment = bytesToHex(new Uint8Array(48));
  const server = serveRoutes({
    "/eth/v1/beacon/genesis": GENESIS,
    "/eth/v1/config/spec": SPEC,
    "/eth/v1/beacon/blob_sidecars/1": () =>
      Response.json({ data: [{ blob: short, kzg_commitment: commitment }] }),
    "/eth/v1/beacon/blob_sidecars/2": () => new Response("x".repeat(5_000)),
    "/eth/v1/beacon/blob_sidecars/3": () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode("y".repeat(1_000)));
            controller.close();
          },
        }),
      ),
  });
  try {
    const beacon = await createBeaconClient(server.url, { maxBodyBytes: 4_096 });
    await assert.rejects(
      beacon.blobSidecars(1n),
      (error) => error instanceof DriverError && error.message.includes("blob has 100 bytes"),
    );
    for (const slot of [2n, 3n]) {
      await assert.rejects(
        beacon.blobSidecars(slot),
        (error) => error instanceof DriverError && error.message.includes("cap of 4096 bytes"),
      );
    }
  } finally {
    await server.stop();
  }
});

Deno.test("`blobSidecars()` gives up on a node that never answers, with kind Rpc", async () => {
  let release!: () => void;
  const hung = new Promise<void>((resolve) => release = resolve);
  const server = serveRoutes({
    "/eth/v1/beacon/genesis": GENESIS,
    "/eth/v1/config/spec": SPEC,
  });
  const stalled = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/eth/v1/beacon/blob_sidecars/")) await hung;
    return await fetch(new URL(path, server.url));
  });
  try {
    const beacon = await createBeaconClient(`http://127.0.0.1:${stalled.addr.port}`, { timeoutMs: 200 });
    await assert.rejects(
      beacon.blobSidecars(5n),
      (error) =>
        error instanceof DriverError && error.kind === "Rpc" && error.message.includes("request failed"),
    );
  } finally {
    release();
    await stalled.shutdown();
    await server.stop();
  }
});

Deno.test("`blobSidecars()` parses odd-length hex the way the reference does", async () => {
  const blob = new Uint8Array(BLOB_SIZE_BYTES);
  blob[0] = 1;
  const hex = bytesToHex(blob).slice(3); // drop "0x0": odd length, leading zero implied
  const commitment = bytesToHex(new Uint8Array(48).fill(7));
  const server = serveRoutes({
    "/eth/v1/beacon/genesis": GENESIS,
    "/eth/v1/config/spec": SPEC,
    "/eth/v1/beacon/blob_sidecars/9": () =>
      Response.json({ data: [{ blob: hex, kzg_commitment: commitment }] }),
  });
  try {
    const beacon = await createBeaconClient(server.url);
    const [sidecar] = await beacon.blobSidecars(9n);
    assert.deepEqual(sidecar?.blob, hexToBytes(bytesToHex(blob)));
  } finally {
    await server.stop();
  }
});

Deno.test("`parseSidecar()` decodes a blob with upper-case or unprefixed hex and refuses a non-hex digit", () => {
  const blob = new Uint8Array(131_072).map((_, i) => i % 251);
  const commitment = `0x${"ab".repeat(48)}`;
  const hex = Array.from(blob, (b) => b.toString(16).padStart(2, "0")).join("");
  const upper = parseSidecar({ blob: `0X${hex.toUpperCase()}`, kzg_commitment: commitment }, "u", "r");
  assert.deepEqual(upper.blob, blob);
  assert.equal(upper.kzgCommitment, commitment);
  assert.deepEqual(parseSidecar({ data: hex, commitment }, "u", "r").blob, blob);
  assert.throws(
    () => parseSidecar({ blob: `0x${hex.slice(0, -2)}zz`, kzg_commitment: commitment }, "u", "r"),
    /blob is missing/,
  );
  assert.throws(
    () => parseSidecar({ blob: `0x${hex}`, kzg_commitment: `0x${"zz".repeat(48)}` }, "u", "r"),
    /commitment is missing/,
  );
});
