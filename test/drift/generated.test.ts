// CI guard: the project's own generated/ modules must be exactly what their snapshots regenerate.
// With a spacegen.config.json at the root, `spacegen --check --offline` checks every entry; otherwise
// each module in generated/ is checked from the snapshot beside it. No modules at all is a failure.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { repoRoot } from "../support/paths.ts";

function modules(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts") && existsSync(path.replace(/\.(ts|js)$/, ".schema.json")) ? [path] : [];
  });
}

describe("generated/ is up to date (spacegen --check --offline)", () => {
  const found = modules(join(repoRoot, "generated"));
  it("has modules with snapshots", () => {
    expect(found.length, "generated/ holds no module with its .schema.json snapshot").toBeGreaterThan(0);
  });
  if (existsSync(join(repoRoot, "spacegen.config.json"))) {
    it("spacegen.config.json: every entry regenerates the same bytes from its snapshot", async () => {
      const r = await runCli(["--check", "--offline"], { cwd: repoRoot, timeout: 300_000 });
      expect(r.stdout + r.stderr).toMatch(/all outputs up to date/);
      expect(r.code).toBe(0);
    }, 300_000);
  } else {
    it.each(found.map((m) => relative(repoRoot, m)))("%s regenerates the same bytes from its snapshot", async (module) => {
      const snapshot = module.replace(/\.(ts|js)$/, ".schema.json");
      const args = [snapshot, "-o", module, "--check", ...(module.endsWith(".js") ? ["--js"] : [])];
      const r = await runCli(args, { cwd: repoRoot, timeout: 120_000 });
      expect(r.stdout + r.stderr).toMatch(/all outputs up to date/);
      expect(r.code).toBe(0);
    }, 120_000);
  }
});
