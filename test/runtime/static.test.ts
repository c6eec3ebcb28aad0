// The runtime as shipped: it type-checks under both strict configurations of the contract, and obeys the
// rules for code that ends up in users' repositories.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const source = readFileSync(path.join(repoRoot, "templates/runtime.ts"), "utf8");
const region = source.slice(source.indexOf("// #region runtime"), source.indexOf("// #endregion runtime"));
const code = region.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');

describe("type-checks", () => {
  test.each(["tsconfig.dom.json", "tsconfig.node.json"])("tsc -p %s: zero errors", (cfg) => {
    const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
    let out = "";
    try {
      out = execFileSync(process.execPath, [tsc, "-p", path.join(here, cfg)], { encoding: "utf8" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout) || String(e);
    }
    expect(out).toBe("");
  }, 60_000);

  test.each(["tsconfig.dom.json", "tsconfig.node.json"])("%s has the contract's flags", (cfg) => {
    const c = JSON.parse(readFileSync(path.join(here, cfg), "utf8")).compilerOptions;
    expect(c).toMatchObject({ strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, erasableSyntaxOnly: true, noEmit: true });
    expect(c.lib).toEqual(cfg.includes("dom") ? ["ES2022", "DOM"] : ["ES2022"]);
  });
});

describe("rules for the emitted code", () => {
  test("everything sits between the region markers", () => {
    const outside = source.slice(0, source.indexOf("// #region runtime")) + source.slice(source.indexOf("// #endregion runtime"));
    expect(outside.replace(/\/\/.*$/gm, "").trim()).toBe("");
  });

  test.each([
    ["import", /\bimport\b/],
    ["require", /\brequire\b/],
    ["console", /\bconsole\b/],
    ["window", /\bwindow\b/],
    ["Buffer", /\bBuffer\b/],
    ["fs", /\bfs\b/],
    ["globalThis", /\bglobalThis\b/],
    ["enum", /\benum\b/],
    ["namespace", /\bnamespace\b/],
    ["setInterval", /\bsetInterval\b/],
  ])("no %s", (_n, re) => {
    expect(code).not.toMatch(re);
  });

  test("process only behind typeof process !== undefined", () => {
    const uses = [...code.matchAll(/\bprocess\b/g)].length;
    expect(code).toMatch(/typeof process != ""[\s\S]*process\.env\.HF_TOKEN/);
    // the declaration, the typeof guard, the guarded read
    expect(uses).toBe(3);
  });

  test("no parameter properties, one class", () => {
    expect(code).not.toMatch(/constructor\([^)]*\b(readonly|public|private|protected)\b/);
    expect([...code.matchAll(/\bclass\b/g)].length).toBe(1);
  });

  test("every top-level helper is public or marked internal", () => {
    const internal = [...region.matchAll(/^export \/\* internal \*\/ (?:async )?(?:function\*?|type|interface) (\w+)/gm)].map((m) => m[1]);
    expect(internal.sort()).toEqual(
      [
        ...["AppSpec", "Conn", "EndpointSpec", "Failure", "FilePlan", "InputSlot", "RequestParts", "appError", "appRoot", "awaitServer", "bareEndpoint", "bind"],
        ...["bodyReader", "callResult", "decodeChunks", "endpoint", "envToken", "errorMessage", "errorText", "fileUrls", "httpError", "isLoopback"],
        ...["jsonAnswer", "jsonPost", "limitTimer", "mapFiles", "mo", "openCall", "parseJson", "parseUrl", "pathSegment", "readBody", "redactSecrets"],
        ...["run", "secretsOf", "sendRequest", "spaceError", "sse", "stopCall", "uploadFiles", "wireData"],
      ].sort(),
    );
    for (const m of region.matchAll(/^(?!export)(?:async )?(?:function|const|let|var|class)\s/gm)) throw new Error("unexported top-level: " + m[0]);
  });

  test("no top-level side effects: importing it for nothing bundles to nothing", async () => {
    const res = await build({
      stdin: { contents: 'import "./templates/runtime.ts";', resolveDir: repoRoot, loader: "ts" },
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
    });
    expect(res.outputFiles[0]!.text.trim()).toBe("");
  });
});
