// Linters leave vendored modules alone: the generated header carries the generated-code conventions
// (`/* eslint-disable */`, `// deno-lint-ignore-file`), so typescript-eslint's recommended-type-checked rules
// (with @eslint/js recommended, in a flat config as a user's project has it) and `deno lint` report nothing on
// every committed module. The same modules with the header's directives taken out do get reports: the
// linters really ran, type-aware, on these files.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";
import { toolchain } from "./install.ts";

const DIRECTIVES = ["/* eslint-disable */", "// deno-lint-ignore-file"];
const modules = readdirSync(join(repoRoot, "generated"))
  .filter((f) => f.endsWith(".ts"))
  .sort();

const ESLINT_CONFIG = `import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default [
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
];
`;

interface EslintResult {
  filePath: string;
  errorCount: number;
  warningCount: number;
  messages: { ruleId: string | null; message: string }[];
}

describe("linters on the committed modules", () => {
  let project = "";

  beforeAll(() => {
    const tools = toolchain("lint");
    project = mkdtempSync(join(tmpdir(), "spacegen-lint-"));
    symlinkSync(join(tools, "node_modules"), join(project, "node_modules"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
    writeFileSync(join(project, "eslint.config.js"), ESLINT_CONFIG);
    const compilerOptions = { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM"], types: [], strict: true, noEmit: true };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src/**/*.ts", "bare/**/*.ts"] }));
    mkdirSync(join(project, "src"));
    mkdirSync(join(project, "bare"));
    for (const name of modules) {
      const code = readFileSync(join(repoRoot, "generated", name), "utf8");
      for (const d of DIRECTIVES) expect(code.split("\n").slice(0, 12)).toContain(d);
      writeFileSync(join(project, "src", name), code);
      // the same module without the directives
      writeFileSync(
        join(project, "bare", name),
        code
          .split("\n")
          .filter((l) => !DIRECTIVES.includes(l))
          .join("\n"),
      );
    }
  }, 600_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  function eslint(folder: string): EslintResult[] {
    const bin = join(project, "node_modules/eslint/bin/eslint.js");
    const r = spawnSync(process.execPath, [bin, "--format", "json", folder], { cwd: project, encoding: "utf8", maxBuffer: 256 << 20 });
    if (!r.stdout.trim().startsWith("[")) throw new Error(`eslint did not report: ${r.stderr.slice(0, 2000)}`);
    return JSON.parse(r.stdout) as EslintResult[];
  }

  function denoLint(folder: string): { count: number; diagnostics: unknown[]; status: number | null; text: string } {
    const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(project, ".deno"), NO_COLOR: "1" };
    const deno = (args: string[]) =>
      spawnSync(join(repoRoot, "node_modules/.bin/deno"), ["lint", ...args, folder], { cwd: project, encoding: "utf8", env, maxBuffer: 256 << 20 });
    const report = JSON.parse(deno(["--json"]).stdout) as { diagnostics: unknown[]; errors: unknown[] };
    // the plain run: its exit code, and the count of files it checked
    const plain = deno([]);
    return {
      count: report.diagnostics.length + report.errors.length,
      diagnostics: report.diagnostics,
      status: plain.status,
      text: plain.stdout + plain.stderr,
    };
  }

  it("typescript-eslint recommended-type-checked: 0 errors and 0 warnings on every module", () => {
    const results = eslint("src");
    expect(results.map((r) => r.filePath.split("/").pop()).sort()).toEqual(modules);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.split("/").pop()}: ${m.ruleId}: ${m.message}`));
    expect(problems).toEqual([]);
  }, 300_000);

  it("without the header's directives, the same linter reports errors (it ran, type-aware)", () => {
    const results = eslint("bare");
    const basic = results.find((r) => r.filePath.endsWith("/basic.ts"))!;
    console.log(`eslint errors on generated/basic.ts without the header: ${basic.errorCount}`);
    expect(basic.errorCount).toBeGreaterThan(0);
    // rules that need the type checker are among them: the project service gave typescript-eslint the types
    const typeAware = ["@typescript-eslint/no-unnecessary-type-assertion", "@typescript-eslint/only-throw-error", "@typescript-eslint/no-unsafe-member-access"];
    expect(basic.messages.some((m) => typeAware.includes(m.ruleId ?? ""))).toBe(true);
  }, 300_000);

  it("deno lint: 0 problems on every module", () => {
    const { count, diagnostics, status, text } = denoLint("src");
    expect(diagnostics).toEqual([]);
    expect(count).toBe(0);
    expect(text).toContain(`Checked ${modules.length} files`);
    expect(status).toBe(0);
  }, 120_000);

  it("without the header's directives, deno lint reports problems (it ran)", () => {
    const { count } = denoLint("bare/basic.ts");
    console.log(`deno lint problems on generated/basic.ts without the header: ${count}`);
    expect(count).toBeGreaterThan(0);
  }, 120_000);
});
