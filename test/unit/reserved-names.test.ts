// Issue 13, point 8: names that change what a module means. Every identifier the templates declare, every
// export of the module, and the names that make a module or an object something else (`then` makes the
// namespace a thenable, so `await import()` called the endpoint and never resolved; `options` shadowed
// createClient's parameter, so tsc failed and createClient() threw) are used at once as endpoint names,
// parameter keys and return labels. The module must type-check strictly, import cleanly in a child process
// whose fetch throws (so nothing is sent), and createClient() must work without calling anything.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { EMITTED_LOCALS, MEANINGFUL_NAMES, MODULE_EXPORTS } from "../../src/normalize/names.ts";
import { loadRuntimeTemplate } from "../../src/emit/runtime-template.ts";
import { runCli } from "../support/cli.ts";
import { typeCheck } from "../support/strict.ts";

const param = (name: string) => ({
  label: name,
  parameter_name: name,
  parameter_has_default: false,
  type: { type: "string" },
  python_type: { type: "str", description: "" },
  component: "Textbox",
});
const ret = (label: string) => ({ label, type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox" });

/** Runs a module in a fresh Node process: fetch throws, so any call made while importing or probing shows. */
const PROBE = `
let fetches = 0;
globalThis.fetch = () => { fetches++; throw new Error("fetch must not be called"); };
const file = process.argv[1];
const names = JSON.parse(process.argv[2]);
const timer = setTimeout(() => { console.log(JSON.stringify({ hung: true, fetches })); process.exit(3); }, 10000);
const m = await import(file);
const client = m.createClient();
const report = {
  fetches: 0,
  thenExport: "then" in m,
  thenOnClient: "then" in client && typeof client.then === "function" && !Object.prototype.hasOwnProperty.call(Object.prototype, "then"),
  awaitedClientIsClient: (await client) === client,
  stringified: String(client),
  json: JSON.stringify(client),
  hasOwn: Object.prototype.hasOwnProperty.call(client, "constructor") ? typeof client.constructor : "inherited",
  protoIsObject: Object.getPrototypeOf(client) === Object.prototype,
  endpoints: Object.keys(m.endpoints).length,
  clientMembers: Object.keys(client).length,
  allFunctions: Object.values(client).every((f) => typeof f === "function") && Object.values(m.endpoints).every((f) => typeof f === "function"),
  missing: names.filter((n) => typeof m.endpoints["/" + n] !== "function"),
  tools: m.tools.length,
};
report.fetches = fetches;
clearTimeout(timer);
console.log(JSON.stringify(report));
`;

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", fail);
    child.on("close", (code) => (clearTimeout(timer), done({ code, stdout, stderr })));
  });
}

describe("endpoint names, parameter keys and return labels that the module or the language already means", () => {
  let names: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "spacegen-reserved-"));
  const file = join(dir, "m.ts");
  let cli: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    const runtime = await loadRuntimeTemplate();
    names = [...new Set([...runtime.valueNames, ...runtime.typeNames, ...MODULE_EXPORTS, ...MEANINGFUL_NAMES, ...EMITTED_LOCALS, "bind", "Symbol"])];
    const named: Record<string, unknown> = {};
    for (const n of names) named["/" + n] = { parameters: [param(n), param("x")], returns: [ret(n), ret(n)], api_visibility: "public", description: "" };
    writeFileSync(join(dir, "info.json"), JSON.stringify({ named_endpoints: named }));
    cli = await runCli(["info.json", "-o", "m.ts"], { cwd: dir, timeout: 120_000 });
  }, 150_000);

  it("covers the template's names and the meaningful ones", () => {
    expect(names).toEqual(
      expect.arrayContaining([
        "then",
        "default",
        "__esModule",
        "constructor",
        "prototype",
        "__proto__",
        "toString",
        "valueOf",
        "options",
        "sse",
        "SpaceError",
        "endpoint",
      ]),
    );
    expect(names.length).toBeGreaterThan(60);
  });

  it("generates: every name is an endpoint", () => {
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`(${names.length} endpoints)`);
  });

  it("type-checks under both strict configurations", () => {
    expect([...typeCheck([file], "dom"), ...typeCheck([file], "node")]).toEqual([]);
  }, 120_000);

  it("imports cleanly in a child process (nothing fetched), and createClient() works", async () => {
    const js = await transform(readFileSync(file, "utf8"), { loader: "ts", format: "esm", target: "es2022" });
    writeFileSync(join(dir, "m.mjs"), js.code);
    const r = await runNode(["--input-type=module", "-e", PROBE, join(dir, "m.mjs"), JSON.stringify(names)]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout.trim())).toEqual({
      fetches: 0,
      thenExport: false,
      thenOnClient: false,
      awaitedClientIsClient: true,
      stringified: "[object Object]",
      json: "{}",
      hasOwn: "inherited",
      protoIsObject: true,
      endpoints: names.length,
      clientMembers: names.length,
      allFunctions: true,
      missing: [],
      tools: names.length,
    });
  }, 60_000);
});
