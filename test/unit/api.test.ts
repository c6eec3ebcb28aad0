// The programmatic API (src/api.ts, the package's "." export): the command line's generation and --check
// as functions that print nothing, return the texts, and write only when asked.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { check, generate, UserError } from "../../src/api.ts";
import { runCli } from "../support/cli.ts";
import { sharedFixtures } from "../support/paths.ts";
import { tmp } from "../drift/support.ts";

const calculator = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");
const info = readFileSync(calculator, "utf8");
const url = "http://app.test";
const withoutRegenerate = (code: string) => code.replace(/^\/\/ Regenerate: .*\n/m, "");

describe("generate()", () => {
  let printed: string[] = [];
  beforeEach(() => {
    printed = [];
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it("returns the module and snapshot the command line writes, writes nothing and prints nothing", async () => {
    const dir = tmp();
    const result = await generate(calculator, { out: join(dir, "api.ts"), url });
    expect(printed).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(result).toMatchObject({
      endpoints: ["/predict"],
      written: false,
      declarations: null,
      module: { path: join(dir, "api.ts") },
      snapshot: { path: join(dir, "api.schema.json") },
    });
    expect(result.warnings.join("\n")).toMatch(/raw \/info without \/config/);
    vi.restoreAllMocks();
    expect((await runCli([calculator, "-o", "cli.ts", "--url", url], { cwd: dir })).code).toBe(0);
    expect(withoutRegenerate(result.module.text)).toBe(withoutRegenerate(readFileSync(join(dir, "cli.ts"), "utf8")));
    expect(result.snapshot.text).toBe(readFileSync(join(dir, "cli.schema.json"), "utf8"));
  });
  it("writes with write: true, the snapshot beside the module", async () => {
    const dir = tmp();
    const warnings: string[] = [];
    const result = await generate(calculator, { out: join(dir, "lib"), name: "calc", url, write: true, onWarning: (m) => warnings.push(m) });
    expect(result.written).toBe(true);
    expect(warnings).toEqual(result.warnings);
    expect(readFileSync(join(dir, "lib/calc.ts"), "utf8")).toBe(result.module.text);
    expect(readFileSync(join(dir, "lib/calc.schema.json"), "utf8")).toBe(result.snapshot.text);
    expect(printed).toEqual([]);
  });
  it("takes the document itself: text, bytes or a parsed value, all the same module", async () => {
    const texts = await Promise.all(
      [info, new TextEncoder().encode(info), JSON.parse(info) as object].map(
        async (document) => (await generate({ document }, { out: "x.ts", url })).module.text,
      ),
    );
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toMatch(/export const predict: Endpoint<PredictInput, PredictOutput>/);
  });
  it("js: the JavaScript and its declarations (CommonJS for .cjs)", async () => {
    const result = await generate(calculator, { out: "lib/m.cjs", url });
    expect(result.module.path).toBe(resolve("lib/m.cjs"));
    expect(result.module.text).toMatch(/exports\.predict = /);
    expect(result.declarations).toMatchObject({ path: resolve("lib/m.d.cts") });
    expect(result.declarations!.text).toMatch(/export declare const predict: Endpoint<PredictInput, PredictOutput>/);
  }, 60_000);
  it.each([
    ["-", {}, /"-" \(stdin\) is for the command line/],
    [calculator, { out: "-" }, /is a stream; the API returns the text/],
    [calculator, { out: "a\u0000.ts" }, /a path cannot contain a NUL byte/],
    [calculator, { out: "m.ts", snapshot: "m.ts", write: true }, /its snapshot and its module would both be m\.ts/],
    ["not/a-space.json", {}, /not a file, an http\(s\) URL, or a Space id/],
  ])("%s with %j rejects with a UserError", async (source, options, message) => {
    const error = await generate(source, { url, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect(printed).toEqual([]);
  });
});

describe("check()", () => {
  it("is up to date after generate(); reports the diff and the breaking change after the app changed; writes nothing", async () => {
    const dir = tmp();
    const out = join(dir, "m.ts");
    await generate(calculator, { out, url, write: true });
    expect(await check(calculator, { out, url })).toMatchObject({ upToDate: true, diffs: [], changes: [], module: out });
    const changed = join(dir, "changed.json");
    writeFileSync(changed, info.replaceAll('"num1"', '"first"'));
    const before = readFileSync(out, "utf8");
    const report = await check(changed, { out, url });
    expect(report.upToDate).toBe(false);
    expect(report.diffs.map((d) => d.file)).toEqual(["m.schema.json", "m.ts"].map((f) => expect.stringMatching(new RegExp(`${f.replace(".", "\\.")}$`))));
    expect(report.diffs[1]!.diff).toMatch(/^\+\s+first: number;$/m);
    expect(report.changes.filter((c) => c.kind === "breaking").map((c) => c.endpoint)).toContain("/predict");
    expect(readFileSync(out, "utf8")).toBe(before);
    expect(existsSync(join(dir, "changed.schema.json"))).toBe(false);
  }, 120_000);
});
