// Drift from real servers: test/apps/drift.py in version 1, then with one change at a time
// (DRIFT_CHANGES); `spacegen --check` must classify each change, exit 1, and say so in markdown.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { markdownRows, spacegen, summaryLines, tmp, writeConfig } from "./support.ts";

const CALLS = "http://drift.test"; // the URL the modules call, the same whichever port the app runs on

type Kind = "breaking" | "additive";
const CASES: [change: string, kind: Kind, endpoint: string, message: RegExp][] = [
  ["remove_endpoint", "breaking", "/legacy", /^endpoint removed$/],
  ["rename_endpoint", "breaking", "/summarize", /^endpoint renamed to `\/summarise` \(`summarize` → `summarise`\)$/],
  ["remove_param", "breaking", "/translate", /^parameter `lang` removed$/],
  ["reorder_params", "breaking", "/resize", /^parameters reordered: \(width, label\) → \(label, width\)$/],
  ["make_required", "breaking", "/search", /^parameter `limit` is now required/],
  ["narrow_type", "breaking", "/render", /^`style`: type narrowed: `string` → `'plain' \\?\| 'fancy'`$/],
  ["remove_enum_value", "breaking", "/paint", /^`color`: enum value "blue" removed$/],
  // every output slot is OutputValue<T>: the value, null or a component update (issue 14)
  [
    "change_output",
    "breaking",
    "/measure",
    /^output changed: `string \\?\| ComponentUpdate<string> \\?\| null` → `number \\?\| ComponentUpdate<number> \\?\| null`$/,
  ],
  ["add_endpoint", "additive", "/health", /^new endpoint `health`$/],
  ["add_optional_param", "additive", "/translate", /^new optional parameter `formal` \(default false\); regenerate: older bindings send one value fewer$/],
  ["add_enum_value", "additive", "/order", /^`size`: new enum value "XL"$/],
  ["widen_type", "additive", "/run", /^`mode`: type widened: `'fast' \\?\| 'slow'` → `string`$/],
];

describe.skipIf(!hasGradio())("drift between two versions of a real Gradio app", () => {
  let v1: RunningApp;
  let dir = "";
  let jsDir = "";
  beforeAll(async () => {
    v1 = await startApp("drift");
    dir = tmp();
    writeConfig(dir, "spacegen.config.json", [{ source: v1.url, name: "drift", url: CALLS }]);
    const r = await spacegen(dir, []);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote generated\/drift\.ts \(11 endpoints\)$/m);
    jsDir = tmp();
    writeConfig(jsDir, "spacegen.config.json", [{ source: v1.url, name: "drift", url: CALLS }], { js: true });
    expect((await spacegen(jsDir, [])).code).toBe(0);
  }, 600_000);
  afterAll(async () => v1?.stop());

  it("the same app: exit 0, nothing written, markdown says up to date", async () => {
    const before = readFileSync(join(dir, "generated/drift.ts"), "utf8");
    const r = await spacegen(dir, ["--check"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("spacegen --check: all outputs up to date");
    const md = await spacegen(dir, ["--check", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^✅ All 1 module is up to date\.$/m);
    expect(readFileSync(join(dir, "generated/drift.ts"), "utf8")).toBe(before);
  });

  describe.concurrent.each(CASES)("%s", (change, kind, endpoint, message) => {
    it(`is ${kind}: ${endpoint}`, async () => {
      const v2 = await startApp("drift", { env: { DRIFT_CHANGES: change } });
      try {
        writeConfig(dir, `${change}.json`, [{ source: v2.url, name: "drift", url: CALLS }]);
        const md = await spacegen(dir, ["--config", `${change}.json`, "--check", "--format", "markdown"]);
        expect(md.stderr).toBe("");
        expect(md.code, md.stderr).toBe(1);
        const rows = markdownRows(md.stdout);
        const mine = rows.filter(([k]) => k !== "changed");
        expect(mine).toHaveLength(1);
        expect(mine[0]![0]).toBe(kind);
        expect(mine[0]![1]).toBe(endpoint);
        expect(mine[0]![2]).toMatch(message);
        expect(md.stdout).toMatch(/^## spacegen: API drift$/m);
        expect(md.stdout).toMatch(
          kind === "breaking"
            ? /^\*\*1 of 1 module differ\*\* · \*\*1 breaking\*\* · 0 additive/m
            : /^\*\*1 of 1 module differ\*\* · no breaking changes · 1 additive/m,
        );
        expect(md.stdout).toMatch(/^### `generated\/drift\.ts` — /m);
        expect(md.stdout).toContain("```diff");
        // the text format says the same, after a unified diff
        const text = await spacegen(dir, ["--config", `${change}.json`, "--check"]);
        expect(text.code, text.stderr).toBe(1);
        expect(text.stdout).toMatch(/^--- a\/generated\/drift\.ts$/m);
        expect(text.stdout).toMatch(/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m);
        expect(summaryLines(text.stdout).filter(([k]) => k !== "changed")).toEqual([[kind, endpoint, expect.stringMatching(message)]]);
      } finally {
        await v2.stop();
      }
    }, 600_000);
  });

  it("every change at once: each classified, breaking first per endpoint; exit 1; errors make it 2", async () => {
    const v2 = await startApp("drift", { env: { DRIFT_CHANGES: "all" } });
    try {
      writeConfig(dir, "all.json", [{ source: v2.url, name: "drift", url: CALLS }]);
      const r = await spacegen(dir, ["--config", "all.json", "--check"]);
      expect(r.code).toBe(1);
      const lines = summaryLines(r.stdout).filter(([k]) => k !== "changed");
      for (const [, kind, endpoint, message] of CASES) {
        expect(lines).toContainEqual([kind, endpoint, expect.stringMatching(message)]);
      }
      expect(r.stdout).toMatch(/^generated\/drift\.ts: 8 breaking, 4 additive/m);
      expect(r.stdout).toMatch(/^spacegen --check: 1 of 1 module differs \(1 with breaking changes\) \(exit 1\)$/m);
      // --js modules are checked the same way: the .d.ts and .js differ, the summary is the same
      writeConfig(jsDir, "all.json", [{ source: v2.url, name: "drift", url: CALLS }], { js: true });
      const js = await spacegen(jsDir, ["--config", "all.json", "--check"]);
      expect(js.code).toBe(1);
      expect(js.stdout).toMatch(/^--- a\/generated\/drift\.d\.ts$/m);
      expect(js.stdout).toMatch(/^--- a\/generated\/drift\.js$/m);
      expect(summaryLines(js.stdout)).toEqual(summaryLines(r.stdout));
      // one failing entry turns the exit code to 2, and still reports the others
      writeConfig(dir, "broken.json", [{ source: v2.url, name: "drift", url: CALLS }, { source: "./missing.schema.json" }]);
      const broken = await spacegen(dir, ["--config", "broken.json", "--check", "--format", "markdown"]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/^spacegen: error: .*missing\.schema\.json: not a file/m);
      expect(broken.stdout).toMatch(/^### ❌ Failed$/m);
      expect(markdownRows(broken.stdout).length).toBeGreaterThan(10);
    } finally {
      await v2.stop();
    }
  }, 600_000);

  it("--offline regenerates config entries from their snapshots, with no app running", { timeout: 600_000 }, async () => {
    // regenerate first: other work may have changed the runtime template since beforeAll
    expect((await spacegen(dir, [])).code).toBe(0);
    expect((await spacegen(jsDir, [])).code).toBe(0);
    await v1.stop();
    const r = await spacegen(dir, ["--check", "--offline"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "generated/drift.schema.json"))).toBe(true);
    const js = await spacegen(jsDir, ["--check", "--offline"]);
    expect(js.code).toBe(0);
    expect(js.stdout).toMatch(/all outputs up to date/);
  });
});
