import assert from "node:assert/strict";
import layers, { createLayersPlugin } from "../lint/layers.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DIRECTION = "layers/dependency-direction";
const CONSOLE = "layers/no-console-in-library";

/** A plugin that also knows two import-map aliases pointing into the tree. */
const withAliases = createLayersPlugin({
  importMap: {
    "@app/runner/": "./runner/",
    "@app/driver-errors": "./driver/errors.ts",
    "viem": "npm:viem@2",
  },
});

function lint(file: string, source: string, plugin: Deno.lint.Plugin = withAliases): Deno.lint.Diagnostic[] {
  return Deno.lint.runPlugin(plugin, ROOT + file, source);
}

/** Asserts exactly one diagnostic per entry, with that rule id and a message naming the specifier. */
function assertReports(
  diagnostics: Deno.lint.Diagnostic[],
  expected: { id: string; mentions: string }[],
): void {
  assert.equal(
    diagnostics.length,
    expected.length,
    JSON.stringify(diagnostics.map((d) => d.message), null, 2),
  );
  expected.forEach(({ id, mentions }, i) => {
    const diagnostic = diagnostics[i];
    assert.equal(diagnostic?.id, id);
    assert.ok(diagnostic?.message.includes(mentions), `"${diagnostic?.message}" should mention ${mentions}`);
  });
}

Deno.test("layers plugin: driver code importing runner/ is reported for every import form", () => {
  const diagnostics = lint(
    "driver/sync/bad.ts",
    [
      'import { x } from "../../runner/runner.ts";',
      `import { y } from "${ROOT}runner/config.ts";`,
      `import { z } from "file://${ROOT}runner/errors.ts";`,
      'import { w } from "@app/runner/mod.ts";',
      'import type { T } from "../../runner/parts.ts";',
      'export * from "../../runner/mod.ts";',
      'export { v } from "../../runner/preconf_tip.ts";',
      'const m = await import("../../runner/forwarder.ts");',
    ].join("\n"),
  );
  assertReports(diagnostics, [
    { id: DIRECTION, mentions: '"../../runner/runner.ts"' },
    { id: DIRECTION, mentions: `"${ROOT}runner/config.ts"` },
    { id: DIRECTION, mentions: "runner/errors.ts" },
    { id: DIRECTION, mentions: '"@app/runner/mod.ts"' },
    { id: DIRECTION, mentions: '"../../runner/parts.ts"' },
    { id: DIRECTION, mentions: '"../../runner/mod.ts"' },
    { id: DIRECTION, mentions: '"../../runner/preconf_tip.ts"' },
    { id: DIRECTION, mentions: '"../../runner/forwarder.ts"' },
  ]);
  for (const diagnostic of diagnostics) {
    assert.match(diagnostic.message, /in driver\/sync\/bad\.ts: driver\/ must not depend on runner\//);
  }
});

Deno.test("layers plugin: driver code importing cli.ts, mod.ts, devnet/ or tests/ is reported", () => {
  const diagnostics = lint(
    "driver/x.ts",
    [
      'import "../cli.ts";',
      'import "../mod.ts";',
      'import "../devnet/anvil.ts";',
      'import "../tests/helpers/runner_doubles.ts";',
    ].join("\n"),
  );
  assertReports(diagnostics, [
    { id: DIRECTION, mentions: "must not depend on cli.ts" },
    { id: DIRECTION, mentions: "must not depend on mod.ts" },
    { id: DIRECTION, mentions: "must not depend on devnet/" },
    { id: DIRECTION, mentions: "must not depend on tests/" },
  ]);
});

Deno.test("layers plugin: the runner reaches the driver only through driver/mod.ts", () => {
  assertReports(
    lint(
      "runner/p2p/x.ts",
      [
        'import { DriverError } from "../../driver/errors.ts";',
        'import { DriverError as E } from "@app/driver-errors";',
        'export { L2BlockHeader } from "../../driver/shasta/types.ts";',
      ].join("\n"),
    ),
    [
      { id: DIRECTION, mentions: '"../../driver/errors.ts"' },
      { id: DIRECTION, mentions: '"@app/driver-errors"' },
      { id: DIRECTION, mentions: '"../../driver/shasta/types.ts"' },
    ],
  );
  assert.match(
    lint("runner/x.ts", 'import "../driver/log.ts";')[0]?.message ?? "",
    /only through driver\/mod\.ts/,
  );
});

Deno.test("layers plugin: runner/, internal/, cli.ts and mod.ts never import devnet/ or tests/", () => {
  assertReports(lint("runner/x.ts", 'import "../devnet/anvil.ts";\nimport "../tests/x.ts";'), [
    { id: DIRECTION, mentions: "runner/ must not depend on devnet/" },
    { id: DIRECTION, mentions: "runner/ must not depend on tests/" },
  ]);
  assertReports(lint("internal/x.ts", 'import "../driver/mod.ts";\nimport "../runner/mod.ts";'), [
    { id: DIRECTION, mentions: "internal/ must not depend on driver/" },
    { id: DIRECTION, mentions: "internal/ must not depend on runner/" },
  ]);
  assertReports(lint("cli.ts", 'import "./devnet/main.ts";\nimport "./driver/errors.ts";'), [
    { id: DIRECTION, mentions: "cli.ts must not depend on devnet/" },
    { id: DIRECTION, mentions: "cli.ts reaches driver/ only through driver/mod.ts" },
  ]);
  assertReports(lint("mod.ts", 'export { x } from "./runner/runner.ts";\nexport * from "./tests/x.ts";'), [
    { id: DIRECTION, mentions: "mod.ts reaches runner/ only through runner/mod.ts" },
    { id: DIRECTION, mentions: "mod.ts must not depend on tests/" },
  ]);
});

Deno.test("layers plugin: allowed imports are not reported", () => {
  const clean: [string, string][] = [
    ["driver/sync/ok.ts", 'import "../shasta/types.ts";\nimport "../../internal/watch.ts";\nimport "viem";'],
    [
      "driver/ok.ts",
      'export { x } from "./config.ts";\nconst m = await import("./errors.ts");\nimport "npm:viem@2";',
    ],
    [
      "runner/ok.ts",
      'import "../driver/mod.ts";\nimport "./p2p/wire/signing.ts";\nimport "../internal/watch.ts";',
    ],
    [
      "cli.ts",
      'import "./mod.ts";\nawait import("./runner/shims/broadcast_channel.ts");\nconsole.log("hi");',
    ],
    ["mod.ts", 'export { a } from "./runner/mod.ts";\nexport { b } from "./driver/mod.ts";'],
    ["tests/x_test.ts", 'import "../driver/shasta/types.ts";\nimport "../devnet/anvil.ts";\nconsole.log(1);'],
    ["devnet/x.ts", 'import "../driver/engine/jwt.ts";\nimport "../runner/p2p/wire/commitment.ts";'],
    ["driver/dynamic.ts", "const name = 'x';\nawait import(name);"],
  ];
  for (const [file, source] of clean) {
    assert.deepEqual(lint(file, source), [], file);
  }
});

Deno.test("layers plugin: console in driver/, runner/ or internal/ is reported", () => {
  assertReports(lint("driver/x.ts", 'console.log("x");'), [{ id: CONSOLE, mentions: "driver/x.ts" }]);
  assertReports(lint("runner/p2p/x.ts", 'console.error("x");'), [{
    id: CONSOLE,
    mentions: "runner/p2p/x.ts",
  }]);
  assertReports(lint("internal/x.ts", "const c = console.warn;"), [{
    id: CONSOLE,
    mentions: "internal/x.ts",
  }]);
});

Deno.test("layers plugin: the default export resolves the repository's own import map", () => {
  assert.deepEqual(lint("driver/x.ts", 'import "viem";\nimport "@libp2p/tcp";', layers), []);
  assertReports(lint("driver/x.ts", 'import "../runner/mod.ts";', layers), [{
    id: DIRECTION,
    mentions: "runner/",
  }]);
});

Deno.test("`deno lint` fails, naming the rule, when a file under driver/ imports runner/", async () => {
  const probe = `${ROOT}driver/_lint_probe_${crypto.randomUUID().slice(0, 8)}.ts`;
  await Deno.writeTextFile(probe, 'export { RunnerError } from "../runner/mod.ts";\n');
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["lint", probe],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.notEqual(output.code, 0, text);
    assert.match(text, /layers\/dependency-direction/);
    assert.match(text, /Cannot import "\.\.\/runner\/mod\.ts" in driver\/_lint_probe_\w+\.ts/);
  } finally {
    await Deno.remove(probe);
  }
});
