// Issue 7, part 1: every document of the hostile corpus (test/hostile/corpus/) either gives a module
// that compiles under both strict configurations and, imported with every side-effecting global
// stubbed, only defines things and carries the document's strings as data; or is refused with exit 2
// and one clear line. Never a stack trace, never a hang: each CLI run is bounded in time and memory.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCases, type HostileCase } from "./corpus/cases.ts";
import { loadCorpusFiles } from "./corpus/index.ts";
import { cliPath, repoRoot } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";

/** per CLI process: a hang is any run past this (a big document takes ~12 s of CPU on one core) */
const TIME_LIMIT_MS = 150_000;
const HEAP_LIMIT_MB = 1024;
/** small documents run this many to a process (runner.mjs); big ones alone through bin/spacegen.js */
const BATCH = 40;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssKb: number;
  killed: boolean;
  /** shared with the other cases of its batch */
  batched: boolean;
}

function spawnBounded(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; killed: boolean }> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, ...args], {
      env: { ...process.env, NO_COLOR: "1", SPACEGEN_DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => ((killed = true), child.kill("SIGKILL")), TIME_LIMIT_MS);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
}

/** One case through bin/spacegen.js, its wall time and peak RSS measured (rss.mjs). */
async function runAlone(name: string, args: string[]): Promise<Run> {
  const usageFile = join(dir, `${name}.usage.json`);
  const r = await spawnBounded(["--import", resolve(repoRoot, "test/hostile/rss.mjs"), cliPath, ...args], { SPACEGEN_TEST_USAGE: usageFile });
  const usage = existsSync(usageFile) ? (JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKb: number }) : { maxRssKb: -1 };
  return { ...r, maxRssKb: usage.maxRssKb, batched: false };
}

/** Many cases through the CLI's main() in one process (runner.mjs); a killed batch marks its unfinished cases. */
async function runBatch(jobs: { name: string; args: string[] }[]): Promise<Map<string, Run>> {
  const jobsFile = join(dir, `batch-${jobs[0]!.name.replace(/[^\w.-]/g, "_")}.json`);
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const r = await spawnBounded([resolve(repoRoot, "test/hostile/runner.mjs"), jobsFile], {});
  const out = new Map<string, Run>();
  for (const line of r.stdout.split("\n").filter(Boolean)) {
    const x = JSON.parse(line) as Run & { name: string };
    out.set(x.name, { ...x, killed: false, batched: true });
  }
  for (const job of jobs)
    if (!out.has(job.name)) out.set(job.name, { code: r.code, stdout: "", stderr: r.stderr, ms: r.ms, maxRssKb: -1, killed: r.killed, batched: true });
  return out;
}

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

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * What a module generated from `doc` must contain, computed from the document independently of the
 * generator: endpoint keys in order, and per endpoint the exact positional data sent for an input.
 */
function expectations(doc: unknown) {
  const snap = isObj(doc) && typeof doc.spacegen === "number" && isObj(doc.info) && isObj(doc.source);
  const infoDoc = (snap ? doc.info : doc) as Obj;
  const config = snap && isObj(doc.config) ? doc.config : null;
  const url = snap ? String((doc.source as Obj).url) : "http://127.0.0.1:7860";
  const prefix = config ? (typeof config.api_prefix === "string" ? config.api_prefix : "") : "/gradio_api";
  const endpoints: { apiName: string; wire: string; input: [string, unknown][]; data: unknown[]; skipWire: boolean }[] = [];
  const named = isObj(infoDoc.named_endpoints) ? infoDoc.named_endpoints : {};
  for (const [apiName, e] of Object.entries(named)) {
    if (!isObj(e)) continue;
    if (e.api_visibility === "private" || e.api_visibility === "undocumented" || e.show_api === false) continue;
    const wire = apiName.replace(/^\//, "");
    if (
      wire === "" ||
      wire === "." ||
      wire === ".." ||
      wire.includes("/") ||
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(wire)
    )
      continue;
    const params = Array.isArray(e.parameters) ? e.parameters : [];
    const input: [string, unknown][] = [];
    let skipWire = false;
    const keys = new Set<string>();
    const data = params.map((p) => {
      const key = isObj(p) && typeof p.parameter_name === "string" && p.parameter_name !== "" ? p.parameter_name : null;
      if (key === null || keys.has(key) || (isObj(p) && JSON.stringify(p.type ?? null).includes('"path"'))) skipWire = true;
      if (key !== null) keys.add(key);
      if (isObj(p) && p.parameter_has_default === true) return p.parameter_default ?? null;
      if (key === null) return null;
      input.push([key, "v:" + key]);
      return "v:" + key;
    });
    let slots: unknown[] = data;
    const deps = config && Array.isArray(config.dependencies) ? config.dependencies : [];
    const dep = deps.find((d): d is Obj => isObj(d) && d.api_name === wire);
    if (dep && Array.isArray(dep.inputs)) {
      const comps = Array.isArray(config!.components) ? config!.components.filter(isObj) : [];
      const hidden = new Set(comps.filter((c) => c.skip_api === true || c.type === "state").map((c) => c.id));
      const ids = dep.inputs.filter((x) => Number.isInteger(x));
      if (ids.filter((id) => !hidden.has(id)).length === data.length) {
        let n = 0;
        slots = ids.map((id) => (hidden.has(id) ? null : data[n++]));
      }
    }
    endpoints.push({ apiName, wire, input, data: slots, skipWire });
  }
  return { url, prefix, endpoints, wireLimit: 150 };
}

const cases: HostileCase[] = [...buildCases(), ...loadCorpusFiles()];
/** file names unique on case-insensitive file systems too ("name-endpoint", "name-Endpoint") */
const stem = (c: HostileCase) => `${String(cases.indexOf(c)).padStart(3, "0")}-${c.name.replace(/[^\w.-]/g, "_")}`;
const dir = mkdtempSync(join(tmpdir(), "spacegen-hostile-"));
const runs = new Map<string, Run>();
const probes = new Map<string, { ok: boolean; problems: string[]; checked: number }>();
let diagnostics: string[] = [];

describe(`hostile corpus (${cases.length} cases)`, () => {
  beforeAll(async () => {
    for (const c of cases) writeFileSync(join(dir, `${stem(c)}.json`), c.text ?? JSON.stringify(c.doc));
    const args = (c: HostileCase) => [join(dir, `${stem(c)}.json`), "-o", join(dir, `${stem(c)}.ts`)];
    const small = cases.filter((c) => !c.alone);
    const units: (() => Promise<void>)[] = cases.filter((c) => c.alone).map((c) => async () => void runs.set(c.name, await runAlone(stem(c), args(c))));
    for (let i = 0; i < small.length; i += BATCH) {
      const jobs = small.slice(i, i + BATCH).map((c) => ({ name: c.name, args: args(c) }));
      units.push(async () => {
        for (const [name, run] of await runBatch(jobs)) runs.set(name, run);
      });
    }
    await pool(units, 2, (unit) => unit());
    const modules = cases.filter((c) => runs.get(c.name)!.code === 0);
    const files = modules.map((c) => join(dir, `${stem(c)}.ts`));
    diagnostics = [...typeCheck(files, "dom"), ...typeCheck(files, "node")];
    await pool(modules, 2, async (c) => {
      const code = readFileSync(join(dir, `${stem(c)}.ts`), "utf8");
      const js = await transform(code, { loader: "ts", format: "esm", target: "es2022" });
      writeFileSync(join(dir, `${stem(c)}.mjs`), js.code);
      writeFileSync(join(dir, `${stem(c)}.expect.json`), JSON.stringify(expectations(c.doc ?? JSON.parse(c.text!))));
      const r = await runNode([resolve(repoRoot, "test/hostile/probe.mjs"), join(dir, `${stem(c)}.mjs`), join(dir, `${stem(c)}.expect.json`)]);
      try {
        probes.set(c.name, JSON.parse(r.stdout.trim().split("\n").pop()!));
      } catch {
        probes.set(c.name, { ok: false, problems: [`probe exited ${r.code}: ${r.stderr.slice(0, 500)}`], checked: 0 });
      }
    });
  }, 600_000);

  afterAll(() => {
    const rows = cases.map((c) => {
      const r = runs.get(c.name);
      return r
        ? `${c.name.padEnd(34)} exit ${r.code}  ${String(r.ms).padStart(6)} ms  ${r.batched ? "(batch peak " : ""}${Math.round(r.maxRssKb / 1024)} MB${r.batched ? ")" : " peak RSS"}`
        : c.name;
    });
    const all = [...runs.values()];
    const worstMs = Math.max(0, ...all.map((r) => r.ms));
    const worstMb = Math.round(Math.max(0, ...all.map((r) => r.maxRssKb)) / 1024);
    const report =
      `hostile corpus: ${cases.length} cases, ${all.filter((r) => r.code === 0).length} modules, ${all.filter((r) => r.code === 2).length} refusals; ` +
      `bounds ${TIME_LIMIT_MS} ms per process, ${HEAP_LIMIT_MB} MB heap; worst case ${worstMs} ms, worst process ${worstMb} MB peak RSS\n${rows.join("\n")}`;
    writeFileSync(join(dir, "report.txt"), report);
    console.log(report);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = runs.get(c.name)!;
    expect(r.killed, "ran past the time bound").toBe(false);
    expect(r.stderr + r.stdout).not.toMatch(/^\s+at .*:\d+/m); // no stack trace
    expect(r.stderr).not.toMatch(/internal error|FATAL|heap out of memory/);
    if (c.expect === "refuse") {
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^spacegen: error: \S/);
      if (c.message) expect(lines[0]).toMatch(c.message);
      return;
    }
    expect({ code: r.code, stderr: r.stderr.slice(0, 400) }).toMatchObject({ code: 0 });
    for (const line of r.stderr.trim().split("\n").filter(Boolean)) expect(line).toMatch(/^spacegen: warning: /);
    const mine = diagnostics.filter((d) => d.includes(`/${stem(c)}.ts(`));
    expect(mine).toEqual([]);
    const probe = probes.get(c.name)!;
    expect(probe.problems).toEqual([]);
  });

  it("the generated modules compile together under both strict configurations", () => {
    expect(diagnostics.slice(0, 20)).toEqual([]);
  });
});
