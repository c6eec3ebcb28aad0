// --check's unified diffs (src/check/diff.ts, on the `diff` package): GNU-style hunks, and minimal hunks at any
// module size (the hand-written LCS gave up past ~95 endpoints: one changed default in a 114-endpoint module
// printed a 10,627-line diff).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/check/diff.ts";
import { generateModule } from "../../src/emit/generate.ts";
import type { Snapshot } from "../../src/load/snapshot.ts";
import { runCli } from "../support/cli.ts";
import { tmp } from "../drift/support.ts";
import { terminalLine } from "../../src/shared/terminal.ts";

const ENDPOINTS = 160;

/** A raw /info with `ENDPOINTS` endpoints; endpoint /e80's default is `marker`. */
function info(marker: string): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (let i = 0; i < ENDPOINTS; i++)
    named[`/e${i}`] = {
      parameters: [
        {
          label: "text",
          parameter_name: "text",
          parameter_has_default: true,
          parameter_default: i === 80 ? marker : `plain ${i}`,
          type: { type: "string" },
          python_type: { type: "str", description: "" },
          component: "Textbox",
        },
        {
          label: "n",
          parameter_name: "n",
          parameter_has_default: false,
          type: { type: "number" },
          python_type: { type: "float", description: "" },
          component: "Number",
        },
      ],
      returns: [{ label: "out", type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox" }],
      api_visibility: "public",
    };
  return { named_endpoints: named, unnamed_endpoints: {} };
}

const snapshot = (marker: string): Snapshot => ({
  spacegen: 1,
  source: { space: null, url: "http://127.0.0.1:7860", name: "big" },
  gradioVersion: "6.31.0",
  config: null,
  apiPrefix: "/gradio_api",
  info: info(marker),
  notes: [],
});

/** The hunks of a unified diff: each header with its lines. */
function hunks(diff: string): string[][] {
  const out: string[][] = [];
  for (const line of diff.split("\n").slice(2)) {
    if (line.startsWith("@@")) out.push([line]);
    else out.at(-1)!.push(line);
  }
  return out;
}

describe("unified diff of a large module", () => {
  it(`one changed default in a ${ENDPOINTS}-endpoint module gives small hunks, each around that default`, async () => {
    const before = (await generateModule(snapshot("OLD-DEFAULT"), { regenerate: "x" })).code;
    const after = (await generateModule(snapshot("NEW-DEFAULT"), { regenerate: "x" })).code;
    const lines = before.split("\n").length;
    expect(lines).toBeGreaterThan(5000);
    // Where the default (and the schema hash, which follows it) appears in the module: read from the texts.
    const hash = (code: string) => /schemaHash: "([0-9a-f]+)"/.exec(code)![1]!;
    const oldMarks = ["OLD-DEFAULT", hash(before)];
    const newMarks = ["NEW-DEFAULT", hash(after)];
    const places = before.split("\n").filter((l) => oldMarks.some((m) => l.includes(m))).length;
    expect(places).toBeGreaterThanOrEqual(4); // JSDoc, spec, tool schema, hash x2
    const diff = unifiedDiff(before, after, "a/m.ts", "b/m.ts");
    const found = hunks(diff);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(places);
    for (const hunk of found) expect(hunk.length).toBeLessThanOrEqual(1 + 6 + 2 * 3);
    // Every changed line is one of those lines, once per side.
    const changed = diff
      .split("\n")
      .slice(2)
      .filter((l) => /^[-+]/.test(l));
    expect(changed.every((l) => (l.startsWith("-") ? oldMarks : newMarks).some((m) => l.includes(m)))).toBe(true);
    expect(changed.filter((l) => l.startsWith("-"))).toHaveLength(places);
    expect(changed.filter((l) => l.startsWith("+"))).toHaveLength(places);
  }, 120_000);

  it("--check prints those small hunks for the module and its snapshot", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "big.json"), JSON.stringify(info("OLD-DEFAULT")));
    expect((await runCli(["big.json", "-o", "m.ts", "--url", "http://127.0.0.1:7860"], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, "big.json"), JSON.stringify(info("NEW-DEFAULT")));
    const r = await runCli(["big.json", "-o", "m.ts", "--url", "http://127.0.0.1:7860", "--check"], { cwd: dir });
    expect(r.code).toBe(1);
    const diffLines = r.stdout.split("\n").filter((l) => /^[-+ @]/.test(l) && !l.startsWith("  "));
    expect(diffLines.length).toBeLessThan(80);
    expect(r.stdout).toMatch(/^-.*OLD-DEFAULT/m);
    expect(r.stdout).toMatch(/^\+.*NEW-DEFAULT/m);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toContain("OLD-DEFAULT");
  }, 120_000);
});

describe("unified diff format", () => {
  it("marks a missing final newline on either side", () => {
    expect(unifiedDiff("a\nb", "a\nc\n", "a/x", "b/x")).toBe(
      ["--- a/x", "+++ b/x", "@@ -1,2 +1,2 @@", " a", "-b", "\\ No newline at end of file", "+c"].join("\n"),
    );
    expect(unifiedDiff("a\nb\n", "a\nb", "a/x", "b/x")).toBe(
      ["--- a/x", "+++ b/x", "@@ -1,2 +1,2 @@", " a", "-b", "+b", "\\ No newline at end of file"].join("\n"),
    );
  });
  it("a deleted file diffs against /dev/null", () => {
    expect(unifiedDiff("x\ny\n", null, "a/m", "b/m")).toBe(["--- a/m", "+++ /dev/null", "@@ -1,2 +0,0 @@", "-x", "-y"].join("\n"));
  });
  it("colours with the color option (style marks, which the CLI's output sink writes as SGR)", () => {
    const coloured = terminalLine(unifiedDiff("a\nb\n", "a\nc\n", "a/x", "b/x", { color: true }));
    expect(coloured.split("\n")).toEqual([
      "\x1b[1m--- a/x\x1b[0m",
      "\x1b[1m+++ b/x\x1b[0m",
      "\x1b[36m@@ -1,2 +1,2 @@\x1b[0m",
      " a",
      "\x1b[31m-b\x1b[0m",
      "\x1b[32m+c\x1b[0m",
    ]);
  });
  it("two completely different large texts still give one bounded answer", () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `a${i}`).join("\n") + "\n";
    const b = Array.from({ length: 20_000 }, (_, i) => `b${i}`).join("\n") + "\n";
    const started = performance.now();
    const diff = unifiedDiff(a, b, "a/x", "b/x");
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(diff.split("\n")).toHaveLength(2 + 1 + 40_000);
  }, 60_000);
});
