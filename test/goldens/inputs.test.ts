// The split between test inputs and evidence stays true: test/goldens/ holds only files some test reads (each app
// folder's config.json, info.json and module.ts, and its calls/*.sse streams, all read through
// test/support/goldens.ts), and each of those readers is used by a test. What a capture records beyond that
// (per-call request records, probes, summaries, the differential streams) belongs in test/evidence/, which
// test/e2e/PROTOCOL-NOTES.md cites and no test reads.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { capturedStreams, GOLDEN_FILES, goldenCases, goldensRoot } from "../support/goldens.ts";
import { repoRoot } from "../support/paths.ts";

/** Every file under dir, as paths relative to it, skipping the test files and the scratch folder (.tmp/). */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return entry.name === ".tmp" ? [] : filesUnder(dir, path);
    return prefix === "" && entry.name.endsWith(".test.ts") ? [] : [path];
  });
}

/** The test files that import a given export of test/support/goldens.ts. */
function testsImporting(name: string): string[] {
  const tests = filesUnder(join(repoRoot, "test")).filter((f) => f.endsWith(".test.ts") && f !== "goldens/inputs.test.ts");
  return tests.filter((f) => {
    const source = readFileSync(join(repoRoot, "test", f), "utf8");
    return new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from "\\.\\./support/goldens\\.ts"`).test(source);
  });
}

describe("test/goldens/ holds only what tests read", () => {
  const onDisk = filesUnder(goldensRoot).sort();
  const read = [
    ...goldenCases.flatMap((c) => GOLDEN_FILES.map((file) => relative(goldensRoot, join(c.dir, file)))),
    ...capturedStreams.map((s) => relative(goldensRoot, s.path)),
  ].sort();

  it("has the apps of three Gradio versions", () => {
    expect(new Set(goldenCases.map((c) => c.version)).size).toBe(3);
    expect(capturedStreams.length).toBeGreaterThan(100);
  });

  it("every file there is one the support module hands to a test (anything else goes to test/evidence/)", () => {
    expect(
      onDisk.filter((f) => !read.includes(f)),
      "not read by any test: move it to test/evidence/",
    ).toEqual([]);
  });

  it("every file the support module hands out exists", () => {
    expect(read.filter((f) => !onDisk.includes(f))).toEqual([]);
  });

  it.each([
    ["goldenCases", "the goldens and toolchain tests generate from config.json + info.json and compare module.ts"],
    ["goldenSnapshot", "they read config.json and info.json"],
    ["capturedStreams", "the SSE reader is fed every calls/*.sse"],
  ])("%s is used by a test (%s)", (name) => {
    expect(testsImporting(name)).not.toEqual([]);
  });
});
