// The folders of src/ name the pipeline's phases, in order (ARCHITECTURE.md): a file may import from its own
// folder and from earlier phases, never from a later one. shared/ imports only shared/.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;

/** Phase folders, earliest first. "." is src/ itself (api.ts, the package's API). */
const PHASES = ["shared", "load", "normalize", "emit", "output", "check", "run", "cli", "."];

const rank = (folder: string): number => PHASES.indexOf(folder);

/** Every relative import specifier of a module (static imports and exports, `import type`, `import()`), read
 * by the TypeScript scanner, so an import inside a string (drift.ts writes some) is not one. */
export function importSpecifiers(text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((name) => name.startsWith("."));
}

/** "emit/emit.ts" importing "../load/x.js" → "load"; a file directly in src/ is in ".". */
function folderOf(path: string): string {
  const parts = path.split("/");
  return parts.length > 1 ? parts[0]! : ".";
}

/** The imports that run backwards or sideways: `from → to` lines, for files given as src-relative path → text. */
export function backwardsImports(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    const from = folderOf(path);
    if (rank(from) < 0) {
      problems.push(`${path}: folder ${from} is in no phase`);
      continue;
    }
    for (const specifier of importSpecifiers(text)) {
      const target = join(path, "..", specifier);
      if (target.startsWith("..")) {
        problems.push(`${path} → ${specifier}: outside src/`);
        continue;
      }
      const to = folderOf(target);
      if (to === from) continue;
      if (rank(to) < 0 || rank(to) >= rank(from)) problems.push(`${path} → ${target} (${from} may not import ${to})`);
    }
  }
  return problems;
}

function sourceFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full), readFileSync(full, "utf8"));
  }
  return files;
}

describe("phase order of src/", () => {
  it("the scanner finds static, type-only, re-exported and dynamic imports", () => {
    const text = [
      'import { a } from "../load/a.js";',
      'import type { B } from "./b.js";',
      'export { c } from "../shared/c.js";',
      'const { d } = await import("../check/d.js");',
      'import "./side-effect.js";',
      'import ts from "typescript";',
      'const check = [`import type * as O from "../old";`];',
    ].join("\n");
    expect(importSpecifiers(text)).toEqual(["../load/a.js", "./b.js", "../shared/c.js", "../check/d.js", "./side-effect.js"]);
  });

  it("flags an import of a later phase and shared/ importing a phase", () => {
    const files = new Map([
      ["load/load.ts", 'import { versionAtLeast } from "../normalize/normalize.js";\nimport { LIMITS } from "../shared/limits.js";'],
      ["output/javascript.ts", 'import { compareApis } from "../check/drift.js";\nimport type { ApiIR } from "../normalize/ir.js";'],
      ["shared/errors.ts", 'import { redact } from "../load/credentials.js";'],
      ["cli/main.ts", 'import { run } from "../run/run.js";\nimport { main } from "./inner.js";'],
      ["api.ts", 'import { run } from "./run/run.js";'],
    ]);
    expect(backwardsImports(files)).toEqual([
      "load/load.ts → normalize/normalize.js (load may not import normalize)",
      "output/javascript.ts → check/drift.js (output may not import check)",
      "shared/errors.ts → load/credentials.js (shared may not import load)",
    ]);
  });

  it("src/ has no backwards import", () => {
    const files = sourceFiles(SRC);
    expect(files.size).toBeGreaterThan(20);
    expect(backwardsImports(files)).toEqual([]);
  });
});
