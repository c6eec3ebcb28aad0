// The templates as shipped (runtime, tools, queue: every module carries their regions): they type-check under
// both strict configurations of the contract, and obey the rules for code that ends up in users' repositories.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");

/** Each template, its region, and the region without comments and with every string emptied. */
const templates = ["runtime", "tools", "queue"].map((name) => {
  const source = readFileSync(path.join(repoRoot, `templates/${name}.ts`), "utf8");
  const region = source.slice(source.indexOf(`// #region ${name}`), source.indexOf(`// #endregion ${name}`));
  const code = region
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return { name, source, region, code };
});
const runtime = templates[0]!;

describe("type-checks", () => {
  test.each(["tsconfig.dom.json", "tsconfig.node.json"])(
    "tsc -p %s: zero errors",
    (cfg) => {
      const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
      let out: string;
      try {
        out = execFileSync(process.execPath, [tsc, "-p", path.join(here, cfg)], { encoding: "utf8" });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout) || String(e);
      }
      expect(out).toBe("");
    },
    60_000,
  );

  test.each(["tsconfig.dom.json", "tsconfig.node.json"])("%s has the contract's flags and checks every template", (cfg) => {
    const json = JSON.parse(readFileSync(path.join(here, cfg), "utf8"));
    expect(json.compilerOptions).toMatchObject({
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      erasableSyntaxOnly: true,
      noEmit: true,
    });
    expect(json.compilerOptions.lib).toEqual(cfg.includes("dom") ? ["ES2022", "DOM"] : ["ES2022"]);
    expect(json.files).toEqual(templates.map((t) => `../../templates/${t.name}.ts`));
  });
});

describe.each(templates)("rules for the emitted code: $name", ({ name, source, region, code }) => {
  test("everything but imports (for type-checking) sits between the region markers", () => {
    const outside = source.slice(0, source.indexOf(`// #region ${name}`)) + source.slice(source.indexOf(`// #endregion ${name}`));
    const rest = outside
      .replace(/\/\/.*$/gm, "")
      .replace(/^import [\s\S]*?from "\.\/runtime\.ts";$/gm, "")
      .replace(/^export \{ \w+ \} from "\.\/runtime\.ts";$/gm, "")
      .trim();
    expect(rest).toBe("");
  });

  test.each([
    ["import", /\bimport\b/],
    ["require", /\brequire\b/],
    ["console", /\bconsole\b/],
    ["window", /\bwindow\b/],
    ["Buffer", /\bBuffer\b/],
    ["fs", /\bfs\b/],
    ["globalThis", /\bglobalThis\b/],
    ["enum", /\benum\s+\w+\s*\{/],
    ["namespace", /\bnamespace\s+\w+/],
    ["setInterval", /\bsetInterval\b/],
  ])("no %s", (_n, re) => {
    expect(code).not.toMatch(re);
  });

  test("process only behind typeof process !== undefined", () => {
    // every use is the declaration, a typeof guard, or a read right behind such a guard (within one expression)
    for (const at of [...code.matchAll(/\bprocess\b/g)].map((m) => m.index)) {
      const before = code.slice(Math.max(0, at - 120), at);
      const ok = /declare const $/.test(before) || code.startsWith('process != ""', at) || /typeof process != ""[^;{}]*(\{[^;{}]*)?$/.test(before);
      expect(ok, `unguarded process at ${JSON.stringify(code.slice(at - 60, at + 40))}`).toBe(true);
    }
  });

  test("no parameter properties", () => {
    expect(code).not.toMatch(/constructor\([^)]*\b(readonly|public|private|protected)\b/);
  });

  test("every top-level declaration is public or marked internal", () => {
    for (const m of region.matchAll(/^(?!export)(?:async )?(?:function|const|let|var|class)\s/gm)) throw new Error("unexported top-level: " + m[0]);
  });

  test("no top-level side effects: importing it for nothing bundles to nothing", async () => {
    const res = await build({
      stdin: { contents: `import "./templates/${name}.ts";`, resolveDir: repoRoot, loader: "ts" },
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
    });
    expect(res.outputFiles[0]!.text.trim()).toBe("");
  });
});

describe("the runtime", () => {
  test("reads process only for HF_TOKEN and local files", () => {
    // bracket access: the env is an index signature, which noPropertyAccessFromIndexSignature wants read with []
    expect(runtime.code).toMatch(/typeof process != ""[\s\S]*process\.env\[""\]/);
    expect(runtime.code).toMatch(/typeof process != "" \? process\.getBuiltinModule/);
  });

  test("one class in all the templates: SpaceError", () => {
    expect(templates.flatMap((t) => [...t.code.matchAll(/\bclass (\w+)/g)].map((m) => m[1]))).toEqual(["SpaceError"]);
  });

  test("the internals a module carries", () => {
    const internal = [...runtime.region.matchAll(/^export \/\* internal \*\/ (?:async )?(?:function\*?|type|interface|const) (\w+)/gm)].map((m) => m[1]);
    expect(internal.sort()).toEqual(
      [
        ...[
          "AppSpec",
          "CallArgs",
          "CallRoute",
          "Channel",
          "Conn",
          "Delivery",
          "EARLY_LIMIT",
          "EndpointParts",
          "EndpointSpec",
          "FilePlan",
          "InputSlot",
          "Pin",
          "QueueMessage",
        ],
        ...[
          "RequestParts",
          "appError",
          "appRoot",
          "applyDiff",
          "awaitServer",
          "bareEndpoint",
          "bind",
          "bodyReader",
          "callEvent",
          "callResult",
          "cancelLeftBehind",
          "cancelWhenJoined",
        ],
        ...[
          "decodeChunks",
          "dispatch",
          "endpoint",
          "envToken",
          "errorMessage",
          "errorText",
          "fail",
          "failWaiting",
          "fileUrls",
          "finalValue",
          "httpError",
          "idle",
          "leaveBehind",
          "isLoopback",
        ],
        ...[
          "jsonAnswer",
          "jsonPost",
          "limitTimer",
          "mapFiles",
          "mergeOptions",
          "networkError",
          "newChannel",
          "nonFiniteAsNull",
          "newPin",
          "openCall",
          "openStream",
        ],
        ...[
          "POOL_LIMIT",
          "parseJson",
          "parseUrl",
          "partsOf",
          "pathSegment",
          "readBody",
          "readLocalFile",
          "redactSecrets",
          "rememberCookies",
          "runCall",
          "secretsOf",
        ],
        ...["sendRequest", "sessionHash", "sharedChannel", "spaceError", "sse", "stopCall", "unlessStopped", "uploadFiles", "wireData"],
      ].sort(),
    );
  });

  test("no `any`: every value has a type that says what it holds", () => {
    expect(runtime.code.match(/\bany\b/g) ?? []).toEqual([]);
  });

  test("failures go through fail() or a SpaceError: no thrown tuples", () => {
    for (const t of templates) expect(t.code).not.toMatch(/throw \[/);
  });
});
