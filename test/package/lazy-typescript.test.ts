// Issue 16, point 6: the TypeScript compiler (the `typescript` package, ~9 MB) is loaded only by what needs it
// (--check, --js, names that are not ASCII): not by importing the API, nor by a plain generation, nor by inspect
// (it renders the types emit hands it, issue 17 point 4). Every module a child process loads is recorded
// (record-loads.mjs); the --js and --check runs are the controls that show the recorder sees the compiler when it is loaded.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { cliPath, repoRoot, sharedFixtures } from "../support/paths.ts";
import { tmp } from "../drift/support.ts";

const recorder = resolve(repoRoot, "test/package/record-loads.mjs");
const calculator = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");
const TYPESCRIPT = /[\\/]node_modules[\\/]typescript[\\/]/;

/** The files a CLI run loaded. */
async function cliLoads(args: string[], cwd: string): Promise<string[]> {
  const record = join(cwd, `loads-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(record, "");
  const r = await runCli(args, { cwd, nodeArgs: ["--import", recorder], env: { LOAD_RECORD: record } });
  expect(r.stderr).not.toMatch(/error/);
  return readFileSync(record, "utf8").split("\n").filter(Boolean);
}

describe("the TypeScript compiler is loaded only when needed", () => {
  it("not by a plain generation", async () => {
    const dir = tmp();
    const loads = await cliLoads([calculator, "-o", "m.ts", "--url", "http://app.test"], dir);
    expect(loads.some((f) => f.includes("/dist/run/run.js"))).toBe(true);
    expect(loads.filter((f) => TYPESCRIPT.test(f))).toEqual([]);
  });
  it("not by inspect", async () => {
    const loads = await cliLoads(["inspect", calculator, "--json"], tmp());
    expect(loads.some((f) => f.includes("/dist/cli/inspect.js"))).toBe(true);
    expect(loads.filter((f) => TYPESCRIPT.test(f))).toEqual([]);
  });
  it("not by importing the API, generating, and writing through it", () => {
    const dir = tmp();
    const record = join(dir, "loads.txt");
    writeFileSync(record, "");
    const script = `
      import { generate } from ${JSON.stringify(resolve(repoRoot, "dist/api.js"))};
      const result = await generate(${JSON.stringify(calculator)}, { out: "m.ts", url: "http://app.test", write: true });
      console.log(result.endpoints.join(","), result.written);`;
    const out = execFileSync(process.execPath, ["--import", recorder, "--input-type=module", "-e", script], {
      cwd: dir,
      env: { ...process.env, LOAD_RECORD: record },
      encoding: "utf8",
    });
    expect(out.trim()).toBe("/predict true");
    const loads = readFileSync(record, "utf8").split("\n").filter(Boolean);
    expect(loads.some((f) => f.includes("/dist/api.js"))).toBe(true);
    expect(loads.filter((f) => TYPESCRIPT.test(f))).toEqual([]);
  });
  it.each([
    ["--js", (dir: string) => [calculator, "-o", join(dir, "m.js"), "--url", "http://app.test"]],
    [
      "--check with drift",
      (dir: string) => {
        execFileSync(process.execPath, [cliPath, calculator, "-o", join(dir, "c.ts"), "--url", "http://app.test", "-q"], { stdio: "ignore" });
        const snapshot = join(dir, "c.schema.json");
        writeFileSync(snapshot, readFileSync(snapshot, "utf8").replace('"num1"', '"first"'));
        return [calculator, "-o", join(dir, "c.ts"), "--url", "http://app.test", "--check"];
      },
    ],
  ])("but by %s", async (_what, args) => {
    const dir = tmp();
    const record = join(dir, "loads.txt");
    writeFileSync(record, "");
    const r = await runCli(args(dir), { cwd: dir, nodeArgs: ["--import", recorder], env: { LOAD_RECORD: record } });
    expect([0, 1]).toContain(r.code);
    expect(
      readFileSync(record, "utf8")
        .split("\n")
        .some((f) => TYPESCRIPT.test(f)),
    ).toBe(true);
  });
});
