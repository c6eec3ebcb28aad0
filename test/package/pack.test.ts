// The package works as users get it: npm pack, install the tarball into an empty folder, `npx spacegen
// <snapshot>` writes a module there, and the programmatic API (`import { generate, check } from "spacegen"`)
// runs and type-checks. The manifest has what a registry page needs (LICENSE, repository, homepage, bugs,
// keywords, an exports map with types), and publint --strict and @arethetypeswrong/cli find nothing wrong.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, sharedFixtures } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";

const bin = (name: string) => resolve(repoRoot, "node_modules/.bin", name);
const info = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");

describe("packed package", () => {
  const work = mkdtempSync(join(tmpdir(), "spacegen-pack-"));
  const app = join(work, "app");
  let tarball = "";
  let files: string[] = [];

  // dist/ as the test command built it: prepack's build would rewrite it in place while other test files run the
  // CLI from it (a CLI starting mid-rewrite fails to import and exits 1, which `--check` tests read as drift).
  const builtCli = resolve(repoRoot, "dist/cli/main.js");
  let builtBefore = 0;

  beforeAll(() => {
    builtBefore = statSync(builtCli).mtimeMs;
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
        cwd: repoRoot,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as {
      filename: string;
      size: number;
      unpackedSize: number;
      files: { path: string }[];
    }[];
    tarball = join(work, packed!.filename);
    files = packed!.files.map((f) => f.path);
    console.log(
      `npm pack: ${packed!.filename}, ${(packed!.size / 1024).toFixed(1)} kB packed, ${(packed!.unpackedSize / 1024).toFixed(1)} kB unpacked, ${files.length} files`,
    );
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: app, stdio: "pipe" });
  }, 300_000);

  it("installs from its tarball and generates a module with npx", () => {
    const out = execFileSync("npx", ["--no-install", "spacegen", info, "-o", "bindings/calc.ts"], {
      cwd: app,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toMatch(/wrote bindings\/calc\.ts \(1 endpoint\)/);
    expect(existsSync(join(app, "bindings/calc.schema.json"))).toBe(true);
    const code = readFileSync(join(app, "bindings/calc.ts"), "utf8");
    expect(code).toMatch(/export const predict: Endpoint<PredictInput, PredictOutput>/);
  }, 120_000);

  it("carries what it needs at run time, its LICENSE, and not the tests", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "bin/spacegen.js",
        "dist/cli/main.js",
        "dist/api.js",
        "dist/api.d.ts",
        "templates/runtime.ts",
      ]),
    );
    expect(files.filter((f) => f.startsWith("test/") || f.startsWith("src/"))).toEqual([]);
    const license = readFileSync(join(app, "node_modules/spacegen/LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the spacegen authors\n/);
  });

  it("has the registry fields and an exports map for the API (with types) beside the bin", () => {
    const manifest = JSON.parse(readFileSync(join(app, "node_modules/spacegen/package.json"), "utf8"));
    expect(manifest).toMatchObject({
      license: "MIT",
      repository: { type: "git", url: "git+https://github.com/spacegen/spacegen.git" },
      homepage: "https://github.com/spacegen/spacegen#readme",
      bugs: { url: "https://github.com/spacegen/spacegen/issues" },
      bin: { spacegen: "bin/spacegen.js" },
      exports: { ".": { types: "./dist/api.d.ts", default: "./dist/api.js" }, "./package.json": "./package.json" },
    });
    expect(manifest.keywords).toEqual(expect.arrayContaining(["gradio", "hugging-face", "typescript"]));
    // the compiler is for --check, --js and inspect only: still a dependency, but ts-morph is gone
    expect(Object.keys(manifest.dependencies)).not.toContain("ts-morph");
  });

  it("the API runs from the installed package: generate, and check against what it wrote", () => {
    const script = `
      import { generate, check, UserError } from "spacegen";
      const made = await generate(${JSON.stringify(info)}, { out: "api/calc.ts", url: "http://app.test", write: true });
      const same = await check(${JSON.stringify(info)}, { out: "api/calc.ts", url: "http://app.test" });
      let refused = "";
      try { await generate("-"); } catch (error) { refused = error instanceof UserError ? "UserError" : String(error); }
      console.log(JSON.stringify({ endpoints: made.endpoints, written: made.written, upToDate: same.upToDate, refused }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ endpoints: ["/predict"], written: true, upToDate: true, refused: "UserError" });
    expect(readFileSync(join(app, "api/calc.ts"), "utf8")).toMatch(/^\/\/ Generated by spacegen/);
  }, 120_000);

  it("the API's types resolve and check from a user's TypeScript (NodeNext)", () => {
    const user = join(app, "build.mts");
    writeFileSync(
      user,
      [
        'import { generate, check, UserError, type GenerateResult, type CheckResult } from "spacegen";',
        'const result: GenerateResult = await generate("gradio/hello_world", { out: "src/hello.ts", write: false });',
        "const text: string = result.module.text;",
        'const report: CheckResult = await check({ document: "{}" }, { offline: true });',
        'const breaking: boolean = report.changes.some((c) => c.kind === "breaking");',
        "const error: Error = new UserError(text);",
        "void breaking;",
        "void error;",
        "// @ts-expect-error: not an option",
        'await generate("x", { output: "y" });',
        "",
      ].join("\n"),
    );
    expect(typeCheck([user], "node")).toEqual([]);
  }, 120_000);

  it("publint --strict finds nothing", () => {
    const out = execFileSync(bin("publint"), ["run", tarball, "--strict"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/All good!/);
  }, 300_000);

  it("@arethetypeswrong/cli: clean for an ES-module-only package", () => {
    // The tarball packed above: `attw --pack` and publint's own packing would run prepack (a rebuild of dist/).
    // The package is ES modules only (the CLI, and an API for build scripts), so attw's CommonJS resolutions
    // (node10, and node16 from CommonJS: "dynamic import only") are the two expected findings, and nothing else.
    const run = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(bin("attw"), [tarball, ...args], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
      } catch (error) {
        return { code: (error as { status: number }).status, out: String((error as { stdout: string }).stdout) };
      }
    };
    const esmOnly = run(["--profile", "esm-only", "--no-emoji", "--no-color"]);
    expect(esmOnly.code, esmOnly.out).toBe(0);
    // every problem it names is one the profile ignores
    const named = esmOnly.out.split("\n").filter((l) => /arethetypeswrong\.github\.io\/blob\/main\/docs\/problems/.test(l));
    expect(named.filter((l) => !l.startsWith("(ignored per resolution)"))).toEqual([]);
    const strict = run(["--format", "json"]);
    const problems = Object.values(JSON.parse(strict.out).problems as Record<string, { kind: string; resolutionKind: string }[]>).flat();
    expect(problems.map((p) => `${p.kind} ${p.resolutionKind}`).sort()).toEqual(["CJSResolvesToESM node16-cjs", "NoResolution node10"]);
  }, 300_000);

  // last: after npm pack, publint and attw
  it("leaves dist/ as built: nothing here rebuilt it under the running tests", () => {
    expect(statSync(builtCli).mtimeMs).toBe(builtBefore);
  });
});
