// Any user's compiler settings: every committed module (generated/) and every golden module (generated whole from
// test/goldens/<version>/<app>/) compiles with every strictness flag tsc has, on top of the contract's two configurations
// (lib DOM; lib ES2022 + @types/node), on the oldest TypeScript spacegen supports through the newest on npm.
// One `tsc -p` program per version per configuration, the modules copied into a folder with "type": "module" as a
// user's project would have them. The versions are pinned in test/toolchains/typescript/package-lock.json.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { goldenCases, goldenSnapshot } from "../support/goldens.ts";
import { repoRoot } from "../support/paths.ts";
import { toolchain } from "./install.ts";

/** The oldest TypeScript that compiles the modules (4.7's lib types `ErrorOptions.cause` as `Error`). */
export const OLDEST_TYPESCRIPT = "4.8";

/** The matrix: the toolchain's pinned versions, and the project's own compiler (node_modules/typescript). */
const VERSIONS = ["4.8", "5.0", "project", "6.0", "7.0"] as const;
type Version = (typeof VERSIONS)[number];

/** Every strictness flag, with the version that introduced it; a version gets the flags it knows. */
const STRICTNESS: { flag: string; value: unknown; since: number; before?: number }[] = [
  { flag: "strict", value: true, since: 2.3 },
  { flag: "noUnusedLocals", value: true, since: 2.0 },
  { flag: "noUnusedParameters", value: true, since: 2.0 },
  { flag: "noImplicitReturns", value: true, since: 1.8 },
  { flag: "noFallthroughCasesInSwitch", value: true, since: 1.8 },
  { flag: "allowUnreachableCode", value: false, since: 1.8 },
  { flag: "allowUnusedLabels", value: false, since: 1.8 },
  { flag: "forceConsistentCasingInFileNames", value: true, since: 1.8 },
  { flag: "isolatedModules", value: true, since: 1.5 },
  { flag: "noUncheckedIndexedAccess", value: true, since: 4.1 },
  { flag: "noPropertyAccessFromIndexSignature", value: true, since: 4.2 },
  { flag: "noImplicitOverride", value: true, since: 4.3 },
  { flag: "exactOptionalPropertyTypes", value: true, since: 4.4 },
  { flag: "useUnknownInCatchVariables", value: true, since: 4.4 },
  { flag: "verbatimModuleSyntax", value: true, since: 5.0 },
  { flag: "isolatedDeclarations", value: true, since: 5.5 },
  { flag: "noUncheckedSideEffectImports", value: true, since: 5.6 },
  { flag: "strictBuiltinIteratorReturn", value: true, since: 5.6 },
  { flag: "erasableSyntaxOnly", value: true, since: 5.8 },
  // 6.x only: orders union members as TypeScript 7 does (7 always does)
  { flag: "stableTypeOrdering", value: true, since: 6.0, before: 7.0 },
];
/** Type-checking and interop options that are not strictness flags, or that `strict` already turns on. */
const NOT_STRICTNESS = [
  // implied by strict
  "noImplicitAny",
  "strictNullChecks",
  "strictFunctionTypes",
  "strictBindCallApply",
  "strictPropertyInitialization",
  "noImplicitThis",
  "alwaysStrict",
  // interop settings for imports, which a module without imports does not meet
  "allowSyntheticDefaultImports",
  "esModuleInterop",
  "preserveSymlinks",
];

const projectTypeScript = JSON.parse(readFileSync(join(repoRoot, "node_modules/typescript/package.json"), "utf8")).version as string;

function numeric(version: Version): number {
  return version === "project" ? parseFloat(projectTypeScript) : parseFloat(version);
}

function compilerOptions(version: Version, config: "dom" | "node"): Record<string, unknown> {
  const v = numeric(version);
  const options: Record<string, unknown> = { target: "ES2022", noEmit: true, skipLibCheck: true };
  for (const s of STRICTNESS) if (v >= s.since && v < (s.before ?? Infinity)) options[s.flag] = s.value;
  if (options.isolatedDeclarations) options.declaration = true;
  if (config === "dom") {
    Object.assign(options, { lib: ["ES2022", "DOM"], types: [], module: "ESNext", moduleResolution: v >= 5 ? "Bundler" : "Node" });
  } else {
    const typeRoots = [join(repoRoot, "node_modules/@types")];
    Object.assign(options, { lib: ["ES2022"], types: ["node"], typeRoots, module: "NodeNext", moduleResolution: "NodeNext" });
  }
  return options;
}

describe(`TypeScript ${OLDEST_TYPESCRIPT} through 7 with every strictness flag`, () => {
  let dir = "";
  let tools = "";
  const modules: string[] = [];

  beforeAll(async () => {
    tools = toolchain("typescript");
    dir = mkdtempSync(join(tmpdir(), "spacegen-tsmatrix-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
    mkdirSync(join(dir, "generated"));
    mkdirSync(join(dir, "goldens"));
    for (const f of readdirSync(join(repoRoot, "generated")).filter((f) => f.endsWith(".ts"))) {
      copyFileSync(join(repoRoot, "generated", f), join(dir, "generated", f));
      modules.push(`generated/${f}`);
    }
    for (const c of goldenCases) {
      const { code } = await generateModule(goldenSnapshot(c), { regenerate: `npx spacegen http://127.0.0.1:7860 -o ${c.app}.ts` });
      const file = `goldens/${c.version.replace(/\./g, "_")}-${c.app}.ts`;
      writeFileSync(join(dir, file), code);
      modules.push(file);
    }
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the matrix knows every strictness flag of the newest TypeScript with a compiler API", () => {
    const ts6 = createRequire(join(tools, "package.json"))("ts-6.0") as {
      optionDeclarations: { name: string; type: unknown; category?: { message: string } }[];
    };
    const flags = ts6.optionDeclarations
      .filter((d) => d.type === "boolean" && ["Type Checking", "Interop Constraints"].includes(d.category?.message ?? ""))
      .map((d) => d.name);
    expect(flags.length).toBeGreaterThan(20);
    const known = new Set([...STRICTNESS.map((s) => s.flag), ...NOT_STRICTNESS]);
    expect(flags.filter((f) => !known.has(f))).toEqual([]);
  });

  it.each(VERSIONS.flatMap((v) => (["dom", "node"] as const).map((c) => [v, c] as const)))(
    "TypeScript %s, %s configuration: no diagnostics",
    (version, config) => {
      expect(modules.length).toBeGreaterThan(15);
      const tsc = version === "project" ? join(repoRoot, "node_modules/typescript/bin/tsc") : join(tools, "node_modules", `ts-${version}`, "bin/tsc");
      const project = join(dir, `tsconfig.${version}.${config}.json`);
      writeFileSync(project, JSON.stringify({ compilerOptions: compilerOptions(version, config), files: modules }, null, 2));
      const installed = execFileSync(process.execPath, [tsc, "--version"], { encoding: "utf8" }).trim();
      expect(installed).toMatch(version === "project" ? projectTypeScript : `Version ${version}.`);
      let out: string;
      try {
        out = execFileSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        out = `${e.stdout ?? ""}${e.stderr ?? ""}` || String(error);
      }
      // one line per distinct diagnostic, so a failure shows every kind at once
      const lines = [...new Set(out.split("\n").filter((l) => /error TS\d+/.test(l)))];
      expect(lines.slice(0, 20)).toEqual([]);
      expect(out.trim()).toBe("");
    },
    300_000,
  );
});
