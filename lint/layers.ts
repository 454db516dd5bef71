/**
 * A deno lint plugin that enforces the dependency direction of DESIGN.md section 2:
 * `cli.ts` -> `runner/` -> `driver/mod.ts` -> `driver/*`, with `internal/` a leaf and `devnet/`,
 * `tests/` never imported by product code.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);

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

function areaOf(path: string): Area {
  const rootPath = decodeURIComponent(ROOT.pathname);
  if (!path.startsWith(rootPath)) return "other";
  const relative = path.slice(rootPath.length);
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

function readImportMap(): Record<string, string> {
  try {
    const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT)));
    return config.imports ?? {};
  } catch {
    return {};
  }
}

const importMap = readImportMap();

/** Resolves a specifier to an absolute file path, or `null` for packages and remote modules. */
function resolveLocal(specifier: string, fromFile: string): string | null {
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
    devnet: "product code never imports the devnet",
    tests: "product code never imports tests",
  },
};

/** Whether `target` (in the driver) may be imported from `fromFile` in the runner: only `driver/mod.ts`. */
function runnerReachesIntoDriver(fromArea: Area, target: string): boolean {
  if (fromArea !== "runner") return false;
  return areaOf(target) === "driver" && !target.endsWith("/driver/mod.ts");
}

const plugin: Deno.lint.Plugin = {
  name: "layers",
  rules: {
    "dependency-direction": {
      create(context) {
        const fromArea = areaOf(context.filename);
        const rules = FORBIDDEN[fromArea];
        const check = (source: Deno.lint.Node | null | undefined): void => {
          if (source?.type !== "Literal" || typeof source.value !== "string") return;
          const target = resolveLocal(source.value, context.filename);
          if (target === null) return;
          const reason = rules?.[areaOf(target)];
          if (reason !== undefined) {
            context.report({
              node: source,
              message: `${
                fromArea === "cli" || fromArea === "mod" ? fromArea + ".ts" : fromArea + "/"
              } must not import "${source.value}": ${reason}`,
              hint: "Depend on an interface the caller passes in, or move the shared piece into internal/",
            });
          } else if (runnerReachesIntoDriver(fromArea, target)) {
            context.report({
              node: source,
              message:
                `runner/ must not import "${source.value}": the runner uses the driver only through driver/mod.ts`,
              hint: "Export what you need from driver/mod.ts",
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
        return {
          MemberExpression(node) {
            if (node.object.type === "Identifier" && node.object.name === "console") {
              context.report({
                node,
                message: `${area}/ must not use console: library code logs through logtape`,
                hint: 'Use driverLogger("area") or runnerLogger("area")',
              });
            }
          },
        };
      },
    },
  },
};

export default plugin;
