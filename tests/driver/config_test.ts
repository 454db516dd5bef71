import assert from "node:assert/strict";
import { validateDriverConfig } from "../../driver/mod.ts";

const SECRET = "0x" + "ab".repeat(32);

async function withSecretFile(content: string, body: (path: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "driver_config_test_" });
  try {
    const path = `${dir}/jwt.hex`;
    await Deno.writeTextFile(path, content);
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function input(jwtSecretPath: string) {
  return {
    l1Ws: "wss://l1.example/ws",
    l2Http: "http://127.0.0.1:28545",
    l2Auth: "http://127.0.0.1:28551",
    jwtSecretPath,
    inboxAddress: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    l1Beacon: "http://127.0.0.1:5052",
  };
}

function throwsNaming(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TypeError || error instanceof RangeError, `expected TypeError, got ${error}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

Deno.test("`validateDriverConfig()` accepts a complete config and checksums the inbox", async () => {
  await withSecretFile(`${SECRET}\n`, (path) => {
    const config = validateDriverConfig({
      ...input(path),
      blobServer: "https://blobs.example",
      httpTimeoutMs: 5_000,
    });
    assert.deepEqual(config, {
      ...input(path),
      inboxAddress: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      blobServer: "https://blobs.example",
      httpTimeoutMs: 5_000,
    });
  });
});

Deno.test("`validateDriverConfig()` leaves optional fields out when they are empty", async () => {
  await withSecretFile(SECRET, (path) => {
    const config = validateDriverConfig({ ...input(path), blobServer: "" });
    assert.equal("blobServer" in config, false);
    assert.equal("httpTimeoutMs" in config, false);
  });
});

Deno.test("`validateDriverConfig()` rejects a missing field, naming it", () => {
  const { l1Beacon: _beacon, ...rest } = input("/x");
  throwsNaming(
    () => validateDriverConfig(rest),
    /^Cannot start without driver\.l1Beacon: a value is required$/,
  );
});

Deno.test("`validateDriverConfig()` requires ws or wss for L1 and http or https elsewhere", async () => {
  await withSecretFile(SECRET, (path) => {
    throwsNaming(
      () => validateDriverConfig({ ...input(path), l1Ws: "http://127.0.0.1:8545" }),
      /driver\.l1Ws "http:\/\/127\.0\.0\.1:8545": expected a ws:\/\/ or wss:\/\/ URL, got http:\/\//,
    );
    throwsNaming(
      () => validateDriverConfig({ ...input(path), l2Auth: "ws://127.0.0.1:8551" }),
      /driver\.l2Auth .*expected a http:\/\/ or https:\/\/ URL/,
    );
    throwsNaming(
      () => validateDriverConfig({ ...input(path), l2Http: "not a url" }),
      /driver\.l2Http "not a url": not a valid URL/,
    );
  });
});

Deno.test("`validateDriverConfig()` never prints URL credentials or query strings", async () => {
  await withSecretFile(SECRET, (path) => {
    assert.throws(
      () => validateDriverConfig({ ...input(path), l1Ws: "https://user:hunter2@l1.example/?apikey=s3cret" }),
      (error: unknown) => {
        const message = (error as Error).message;
        assert.doesNotMatch(message, /hunter2|s3cret|user/);
        assert.match(message, /"https:\/\/l1\.example\/"/);
        return true;
      },
    );
  });
});

Deno.test("`validateDriverConfig()` rejects a malformed or mis-checksummed inbox address", async () => {
  await withSecretFile(SECRET, (path) => {
    throwsNaming(
      () => validateDriverConfig({ ...input(path), inboxAddress: "0x1234" }),
      /driver\.inboxAddress "0x1234"/,
    );
    throwsNaming(
      () =>
        validateDriverConfig({ ...input(path), inboxAddress: "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" }),
      /checksum is wrong/,
    );
  });
});

Deno.test("`validateDriverConfig()` rejects an unreadable JWT file and one without 32 bytes of hex", async () => {
  throwsNaming(
    () => validateDriverConfig(input("/nonexistent/jwt.hex"), { labels: { jwtSecretPath: "--jwt.secret" } }),
    /^Cannot use --jwt\.secret "\/nonexistent\/jwt\.hex": the file cannot be read \(NotFound\)/,
  );
  await withSecretFile("ab".repeat(31), (path) => {
    throwsNaming(() => validateDriverConfig(input(path)), /does not hold 32 bytes of hex/);
  });
  await withSecretFile("zz".repeat(32), (path) => {
    throwsNaming(() => validateDriverConfig(input(path)), /does not hold 32 bytes of hex/);
  });
});

Deno.test("`validateDriverConfig()` rejects a non-positive HTTP timeout", async () => {
  await withSecretFile(SECRET, (path) => {
    assert.throws(() => validateDriverConfig({ ...input(path), httpTimeoutMs: 0 }), RangeError);
  });
});
