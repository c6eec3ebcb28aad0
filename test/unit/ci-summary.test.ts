// scripts/summarize-tests.mjs: the closing lines of CI name the static checks, and a failed check fails CI
// even when every test passed.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";

const dir = join(repoRoot, "test/unit/.tmp/ci-summary");
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = join(dir, "vitest-main.json");
writeFileSync(report, JSON.stringify({ numPassedTests: 3, numFailedTests: 0, testResults: [] }));

function summarize(checks: string | null) {
  const args = [join(repoRoot, "scripts/summarize-tests.mjs")];
  if (checks !== null) {
    writeFileSync(join(dir, "checks.txt"), checks);
    args.push("--checks", join(dir, "checks.txt"));
  }
  const r = spawnSync(process.execPath, [...args, report], { cwd: repoRoot, encoding: "utf8" });
  return { code: r.status, lines: r.stdout.trim().split("\n") };
}

describe("CI summary of the static checks", () => {
  it("passing checks: one line with each check and its time, then the test counts; exit 0", () => {
    const r = summarize("lint passed 41s\nformat:check passed 20s\nknip passed 6s\n");
    expect(r.lines).toEqual(["checks: lint passed (41s), format:check passed (20s), knip passed (6s)", "3 passed, 0 failed"]);
    expect(r.code).toBe(0);
  });

  it("a failed check is named among the failures and fails the run although every test passed", () => {
    const r = summarize("lint passed 41s\nformat:check failed 20s\nknip passed 6s\n");
    expect(r.lines).toEqual([
      "failed:",
      "  [checks] npm run format:check failed (its output is above the test runs)",
      "checks: lint passed (41s), format:check failed (20s), knip passed (6s)",
      "3 passed, 0 failed",
    ]);
    expect(r.code).toBe(1);
  });

  it("--checks with an empty file (the checks never ran) fails the run", () => {
    const r = summarize("");
    expect(r.lines[1]).toMatch(/checks\.txt: no static check ran$/);
    expect(r.code).toBe(1);
  });

  it("without --checks, the test counts alone decide", () => {
    expect(summarize(null)).toEqual({ code: 0, lines: ["3 passed, 0 failed"] });
  });
});
