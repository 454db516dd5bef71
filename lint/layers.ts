/**
 * A deno lint plugin that enforces the dependency direction of DESIGN.md section 2:
 * `cli.ts` -> `runner/` -> `driver/mod.ts` -> `driver/*`, with `internal/` a leaf and `devnet/`,
 * `tests/` never imported by product code.
 *
 * Rules (ids as `deno lint` prints them):
 * - `layers/dependency-direction`: an import, re-export or dynamic `import()` whose specifier
 *   (relative, absolute, `file:` or an import-map alias) resolves into a layer the importing file
 *   must not reach.
 * - `layers/no-console-in-library`: `console` in `driver/`, `runner/` or `internal/` (library code
 *   logs through logtape).
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const ROOT_PATH = decodeURIComponent(ROOT.pathname);

/** Top-level areas of the tree, by the path prefix (relative to the root) that identifies them. */
type Area =
  | "driver"
  | "runner"
  | "internal"
  | "devnet"
  | "tests"
  | "cli"
  | "mod"
  | "lint"
  | "bench"
  | "other";

function relativePath(path: string): string | null {
  return path.startsWith(ROOT_PATH) ? path.slice(ROOT_PATH.length) : null;
}

function areaOf(path: string): Area {
  const relative = relativePath(path);
  if (relative === null) return "other";
  if (relative === "cli.ts") return "cli";
  if (relative === "mod.ts") return "mod";
  const top = relative.split("/")[0];
  switch (top) {
    case "driver":
    case "runner":
    case "internal":
    case "devnet":
    case "tests":
    case "lint":
    case "bench":
      return top;
    default:
      return "other";
  }
}

/** How a path is named in messages: `cli.ts`, `mod.ts`, or `<area>/`. */
function areaName(area: Area): string {
  return area === "cli" || area === "mod" ? `${area}.ts` : `${area}/`;
}

function readImportMap(): Record<string, string> {
  try {
    const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT)));
    return config.imports ?? {};
  } catch {
    return {};
  }
}

/** Resolves a specifier to an absolute file path, or `null` for packages and remote modules. */
function resolveLocal(importMap: Record<string, string>, specifier: string, fromFile: string): string | null {
  let resolved = specifier;
  for (const [key, target] of Object.entries(importMap)) {
    const matches = key.endsWith("/") ? specifier.startsWith(key) : specifier === key;
    if (!matches) continue;
    if (!target.startsWith(".") && !target.startsWith("/") && !target.startsWith("file:")) return null;
    resolved = new URL(target + specifier.slice(key.length), ROOT).href;
    break;
  }
  if (!/^(\.{1,2}\/|\/|file:)/.test(resolved)) return null;
  return decodeURIComponent(new URL(resolved, "file://" + fromFile).pathname);
}

/** Which areas each area must not import, with the reason shown to the developer. */
const FORBIDDEN: Partial<Record<Area, Partial<Record<Area, string>>>> = {
  driver: {
    runner: "the driver knows nothing of the runner",
    cli: "the driver knows nothing of the CLI",
    mod: "the driver must not import the package root",
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
  runner: {
    cli: "the runner knows nothing of the CLI",
    mod: "the runner must not import the package root",
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
  internal: {
    driver: "internal/ is a leaf",
    runner: "internal/ is a leaf",
    cli: "internal/ is a leaf",
    mod: "internal/ is a leaf",
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
  cli: {
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
  mod: {
    cli: "the package root must not import the CLI",
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
};

/**
 * Files of `area` that importers from outside it must go through (its public entry), per importer.
 * The CLI may also load the runner's side-effect shims.
 */
const ENTRIES: Partial<Record<Area, Partial<Record<Area, readonly string[]>>>> = {
  driver: { runner: ["driver/mod.ts"], cli: ["driver/mod.ts"], mod: ["driver/mod.ts"] },
  runner: { cli: ["runner/mod.ts", "runner/shims/"], mod: ["runner/mod.ts"] },
};

/** Why `fromArea` may not import `target` past the target area's public entry, or `null` when it may. */
function bypassesEntry(fromArea: Area, target: string): string | null {
  const targetArea = areaOf(target);
  if (targetArea === fromArea) return null;
  const entries = ENTRIES[targetArea]?.[fromArea];
  if (entries === undefined) return null;
  const relative = relativePath(target) ?? "";
  if (entries.some((entry) => entry.endsWith("/") ? relative.startsWith(entry) : relative === entry)) {
    return null;
  }
  return `${areaName(fromArea)} reaches ${areaName(targetArea)} only through ${entries[0]}`;
}

/** Options of {@linkcode createLayersPlugin}. */
export interface LayersPluginOptions {
  /**
   * The import map aliases are resolved with (keys to targets, targets relative to the root).
   * @default {undefined} the `imports` of the root deno.json
   */
  readonly importMap?: Record<string, string>;
}

/**
 * Builds the plugin.
 *
 * @param options The import map to resolve aliases with.
 * @returns The plugin.
 */
export function createLayersPlugin(options: LayersPluginOptions = {}): Deno.lint.Plugin {
  const importMap = options.importMap ?? readImportMap();
  return {
    name: "layers",
    rules: {
      "dependency-direction": {
        create(context) {
          const fromArea = areaOf(context.filename);
          const fromFile = relativePath(context.filename) ?? context.filename;
          const rules = FORBIDDEN[fromArea];
          const check = (source: Deno.lint.Node | null | undefined): void => {
            if (source?.type !== "Literal" || typeof source.value !== "string") return;
            const target = resolveLocal(importMap, source.value, context.filename);
            if (target === null) return;
            const targetArea = areaOf(target);
            const forbidden = rules?.[targetArea];
            if (forbidden !== undefined) {
              context.report({
                node: source,
                message: `Cannot import "${source.value}" in ${fromFile}: ${
                  areaName(fromArea)
                } must not depend on ${areaName(targetArea)} (${forbidden})`,
                hint: "Depend on an interface the caller passes in, or move the shared piece into internal/",
              });
              return;
            }
            const bypass = bypassesEntry(fromArea, target);
            if (bypass !== null) {
              context.report({
                node: source,
                message: `Cannot import "${source.value}" in ${fromFile}: ${bypass}`,
                hint: `Export what you need from ${ENTRIES[targetArea]?.[fromArea]?.[0]}`,
              });
            }
          };
          return {
            ImportDeclaration: (node) => check(node.source),
            ExportAllDeclaration: (node) => check(node.source),
            ExportNamedDeclaration: (node) => check(node.source),
            ImportExpression: (node) => check(node.source),
          };
        },
      },
      "no-console-in-library": {
        create(context) {
          const area = areaOf(context.filename);
          if (area !== "driver" && area !== "runner" && area !== "internal") return {};
          const file = relativePath(context.filename) ?? context.filename;
          return {
            MemberExpression(node) {
              if (node.object.type === "Identifier" && node.object.name === "console") {
                context.report({
                  node,
                  message: `Cannot use console in ${file}: ${area}/ is library code and logs through logtape`,
                  hint: 'Use driverLogger("area") or runnerLogger("area")',
                });
              }
            },
          };
        },
      },
    },
  };
}

/** The plugin as deno.json's `lint.plugins` loads it. */
export default createLayersPlugin();
