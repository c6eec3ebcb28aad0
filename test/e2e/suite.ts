/**
 * The end-to-end suite for one app (or a chain of apps) on the selected Gradio version:
 *
 *   1. start the app(s) once (test/support/gradio.mjs),
 *   2. generate bindings from the live server with the built CLI into test/e2e/.generated/<version>/,
 *   3. type-check the scenario (test/e2e/scenarios/<name>.ts) together with the generated module(s) under both
 *      strict configurations of the contract — the scenario imports the module as "@e2e/app" (or another
 *      "@e2e/<alias>"), mapped with `paths`; where a Gradio version changes the *types* (not just values), the
 *      scenario imports "@e2e/variant" = scenarios/<name>.v<major>.ts, type-checked against that version only,
 *   4. bundle scenario + module with esbuild (same aliases) to one ESM file,
 *   5. run it in Node (child process), Bun, Deno and a headless Chromium page served from another origin;
 *      each run reports its checks as JSON (scenarios/_lib.ts).
 *
 * Each run's report is also written to .generated/<version>/matrix/<name>.<runtime>.json (for the matrix).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { STRICT_CONFIGS } from "../support/strict.ts";
import { gradioVersion, hasGradio, REPO_ROOT, startApp, type RunningApp } from "../support/gradio.mjs";
import type { CheckResult, ScenarioReport } from "./scenarios/_lib.ts";

const E2E_DIR = join(REPO_ROOT, "test", "e2e");
const SCENARIOS = join(E2E_DIR, "scenarios");
const RUNTIMES = ["node", "bun", "deno", "chromium"] as const;
type Runtime = (typeof RUNTIMES)[number];
const BIN = join(REPO_ROOT, "node_modules", ".bin");
export const CHROMIUM = process.env.SPACEGEN_CHROMIUM ?? "/usr/bin/chromium";

function generatedDir(version = gradioVersion()): string {
  return join(E2E_DIR, ".generated", version);
}

/** The "@e2e/..." import aliases of a scenario: its modules, and its per-major variant when there is one. */
function aliasesFor(scenario: string, modules: Record<string, string>, version = gradioVersion()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alias, file] of Object.entries(modules)) out[`@e2e/${alias}`] = file;
  const variant = join(SCENARIOS, `${scenario}.v${version.split(".")[0]}.ts`);
  if (existsSync(variant)) out["@e2e/variant"] = variant;
  return out;
}

/** Strict diagnostics for the scenario and the module(s) it imports, under one configuration. */
export function typeCheckScenario(files: string[], aliases: Record<string, string>, config: keyof typeof STRICT_CONFIGS): string[] {
  const options: ts.CompilerOptions = {
    ...STRICT_CONFIGS[config],
    allowImportingTsExtensions: true,
    // the .d.ts of lib/@types are not what is under test (and checking them doubles the time); every .ts is checked
    skipLibCheck: true,
    paths: Object.fromEntries(Object.entries(aliases).map(([k, v]) => [k, [v]])),
  };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : "";
    return `${config}: ${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

/**
 * A stand-in for a generated module inside the bundle: everything re-exported, each endpoint wrapped so the
 * inputs the typed scenario sends are recorded with the tool that describes that endpoint. The report then
 * carries them as JSON (Blobs become URL strings, as an agent would pass files), and the node run checks
 * them against the module's tool schemas with ajv (issue 9: tool schemas accept what typed calls send).
 */
function recorderModule(realPath: string): string {
  const code = readFileSync(realPath, "utf8");
  const names = [...code.matchAll(/^export const (\S+): Endpoint</gm)].map((m) => m[1]!);
  const transport = e2eTransport();
  return [
    `import * as real from ${JSON.stringify(realPath)};`,
    `export * from ${JSON.stringify(realPath)};`,
    // SPACEGEN_E2E_TRANSPORT: every call of the scenario (and of its clients) through that transport
    `const withTransport = (options) => (${JSON.stringify(transport ?? null)} ? { transport: ${JSON.stringify(transport ?? null)}, ...options } : options);`,
    `export const createClient = (options) => real.createClient(withTransport(options));`,
    `const jsonable = (v) => v instanceof URL ? v.href : typeof Blob != "undefined" && v instanceof Blob ? "https://example.com/" + (v.name || "blob") : Array.isArray(v) ? v.map(jsonable) : v && typeof v == "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, jsonable(x)])) : v;`,
    `const record = (fn, input) => { const tool = real.tools.find((t) => real.endpoints[t.endpoint] === fn); if (tool) (globalThis.__toolCalls ??= []).push({ tool: tool.name, schema: tool.inputSchema, args: jsonable(input ?? {}) }); };`,
    `const wrap = (fn) => Object.assign((input, options) => (record(fn, input), fn(input, withTransport(options))), { stream: (input, options) => (record(fn, input), fn.stream(input, withTransport(options))), _: fn._ });`,
    ...names.map((n) => `export const ${n} = wrap(real.${n});`),
  ].join("\n");
}

/**
 * The transport the scenarios' calls use: SPACEGEN_E2E_TRANSPORT=call or queue, or undefined for each module's
 * default (the queue, for modules generated from a live app).
 */
function e2eTransport(): "call" | "queue" | undefined {
  const t = process.env.SPACEGEN_E2E_TRANSPORT?.trim();
  if (!t) return undefined;
  if (t !== "call" && t !== "queue") throw new Error(`SPACEGEN_E2E_TRANSPORT must be call or queue, not ${JSON.stringify(t)}`);
  return t;
}

/** One ESM file exporting run(runtime): the scenario, its modules and scenarios/_lib.ts. */
async function bundleScenario(scenario: string, aliases: Record<string, string>, outFile: string): Promise<void> {
  const modules = Object.entries(aliases).filter(([k]) => k !== "@e2e/variant");
  const entry = [
    `import scenario from ${JSON.stringify(join(SCENARIOS, `${scenario}.ts`))};`,
    `import { T } from ${JSON.stringify(join(SCENARIOS, "_lib.ts"))};`,
    ...modules.map(([k], i) => `import * as m${i} from ${JSON.stringify(k)};`),
    `export async function run(runtime) {`,
    `  const t = new T(runtime, m0.space.gradioVersion, ${JSON.stringify(e2eTransport() ?? "default")});`,
    `  await scenario(t);`,
    `  return { runtime, gradioVersion: m0.space.gradioVersion, endpoints: [${modules.map((_, i) => `...Object.keys(m${i}.endpoints)`).join(", ")}], results: t.results, toolCalls: globalThis.__toolCalls ?? [] };`,
    `}`,
  ].join("\n");
  const recorded = new Map(modules.map(([alias, file]) => [alias, file]));
  await build({
    stdin: { contents: entry, resolveDir: SCENARIOS, loader: "js", sourcefile: `${scenario}-entry.js` },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    alias: Object.fromEntries(Object.entries(aliases).filter(([k]) => !recorded.has(k))),
    plugins: [
      {
        name: "record-tool-calls",
        setup(b) {
          b.onResolve({ filter: /^@e2e\// }, (args) => (recorded.has(args.path) ? { path: args.path, namespace: "recorder" } : undefined));
          b.onLoad({ filter: /.*/, namespace: "recorder" }, (args) => ({
            contents: recorderModule(recorded.get(args.path)!),
            loader: "js",
            resolveDir: SCENARIOS,
          }));
        },
      },
    ],
    outfile: outFile,
    logLevel: "silent",
  });
}

function runChild(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms: the process did not exit by itself]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", rej);
    child.on("close", (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function parseReport(runtime: string, out: { code: number | null; stdout: string; stderr: string }): ScenarioReport {
  const line = out.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .pop();
  if (out.code !== 0 || !line) throw new Error(`${runtime} exited with ${out.code}\nstdout: ${out.stdout.slice(-3000)}\nstderr: ${out.stderr.slice(-3000)}`);
  return JSON.parse(line) as ScenarioReport;
}

/** Runs the bundle in a child process of `runtime` (node, bun, deno); the process must exit by itself. */
async function runInProcess(runtime: Exclude<Runtime, "chromium">, bundleFile: string, timeoutMs = 240_000): Promise<ScenarioReport> {
  const dir = resolve(bundleFile, "..");
  const main = join(dir, `main-${runtime}.mjs`);
  writeFileSync(
    main,
    `import { run } from ${JSON.stringify("./" + bundleFile.split("/").pop())};\nconsole.log(JSON.stringify(await run(${JSON.stringify(runtime)})));\n`,
  );
  const env = { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(dir, ".deno"), BUN_INSTALL_CACHE_DIR: join(dir, ".bun") };
  const out =
    runtime === "node"
      ? await runChild(process.execPath, [main], dir, timeoutMs, env)
      : runtime === "bun"
        ? await runChild(join(BIN, "bun"), ["run", main], dir, timeoutMs, env)
        : await runChild(join(BIN, "deno"), ["run", "--no-prompt", "--allow-net", "--allow-read", "--allow-env", main], dir, timeoutMs, env);
  return parseReport(runtime, out);
}

/**
 * Runs the bundle in a page of headless Chromium. The page and the bundle are served by a node:http server on
 * its own port: a different origin from the Gradio app(s), so every call is cross-origin.
 */
async function runInChromium(bundleFile: string, timeoutMs = 240_000): Promise<ScenarioReport> {
  const { chromium } = await import("playwright-core");
  const js = readFileSync(bundleFile);
  const html = `<!doctype html><meta charset="utf-8"><title>spacegen e2e</title><script type="module">import { run } from "/bundle.mjs"; window.__run = run;</script>`;
  const server: Server = createServer((req, res) => {
    if (req.url === "/bundle.mjs") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof (window as unknown as { __run?: unknown }).__run === "function", null, { timeout: 20_000 });
    const report = (await Promise.race([
      page.evaluate(() => (window as unknown as { __run: (r: string) => Promise<unknown> }).__run("chromium")),
      new Promise((_, rej) => setTimeout(() => rej(new Error(`chromium: no report within ${timeoutMs} ms`)), timeoutMs)),
    ])) as ScenarioReport;
    if (errors.length) report.results.push({ name: "no uncaught page errors", endpoints: [], ok: false, error: errors.join("; "), ms: 0 });
    return report;
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}

interface Summary {
  exercised: string[];
  failed: CheckResult[];
  skipped: { endpoints: string[]; reason: string }[];
  uncovered: string[];
}

function summarize(report: ScenarioReport): Summary {
  const failed = report.results.filter((r) => !r.ok);
  const bad = new Set(failed.flatMap((r) => r.endpoints));
  const exercised = [...new Set(report.results.filter((r) => r.ok && !r.skipped).flatMap((r) => r.endpoints))].filter((e) => !bad.has(e));
  const skipped = report.results.filter((r) => r.skipped).map((r) => ({ endpoints: r.endpoints, reason: r.skipped! }));
  const covered = new Set([...report.results.flatMap((r) => r.endpoints)]);
  return { exercised, failed, skipped, uncovered: report.endpoints.filter((e) => !covered.has(e)) };
}

export interface SuiteOptions {
  /** scenario name: scenarios/<name>.ts */
  scenario: string;
  /** alias → app file (test/apps/<app>.py); the first is the module whose space.gradioVersion is reported */
  apps: Record<string, string>;
  /** runtimes to run (default all four; env SPACEGEN_E2E_RUNTIMES="node,bun" narrows it) */
  runtimes?: readonly Runtime[];
  env?: Record<string, string>;
}

function selectedRuntimes(opts: SuiteOptions): Runtime[] {
  const env = process.env.SPACEGEN_E2E_RUNTIMES?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return (opts.runtimes ?? RUNTIMES).filter((r) => !env || env.includes(r));
}

/** Declares the vitest suite for one scenario. */
export function e2eSuite(opts: SuiteOptions): void {
  const version = gradioVersion();
  const name = opts.scenario;
  const dir = generatedDir(version);
  const modules = Object.fromEntries(Object.entries(opts.apps).map(([alias, appFile]) => [alias, join(dir, `${appFile}.ts`)]));
  const aliases = aliasesFor(name, modules, version);
  const bundleFile = join(dir, "bundles", name, "bundle.mjs");
  const running: RunningApp[] = [];
  let ready = false;

  describe.skipIf(!hasGradio(version))(`${name} on gradio ${version}`, () => {
    beforeAll(async () => {
      mkdirSync(join(dir, "matrix"), { recursive: true });
      rmSync(join(dir, "bundles", name), { recursive: true, force: true });
      mkdirSync(join(dir, "bundles", name), { recursive: true });
      const apps = await Promise.all(Object.values(opts.apps).map((a) => startApp(a, { version, ...(opts.env ? { env: opts.env } : {}) })));
      running.push(...apps);
      await Promise.all(
        Object.values(opts.apps).map(async (appFile, i) => {
          const r = await runCli([apps[i]!.url, "-o", modules[Object.keys(opts.apps)[i]!]!, "--quiet"], { cwd: REPO_ROOT });
          if (r.code !== 0) throw new Error(`spacegen ${apps[i]!.url} (${appFile}) exited ${r.code}: ${r.stderr}`);
        }),
      );
      await bundleScenario(name, aliases, bundleFile);
      ready = true;
    }, 240_000);
    afterAll(async () => {
      await Promise.all(running.map((a) => a.stop()));
    });

    it.each(["dom", "node"] as const)(
      "scenario + generated module type-check strictly (%s)",
      (config) => {
        expect(ready).toBe(true);
        expect(typeCheckScenario([join(SCENARIOS, `${name}.ts`), ...Object.values(modules)], aliases, config)).toEqual([]);
      },
      120_000,
    );

    for (const runtime of RUNTIMES) {
      const selected = selectedRuntimes(opts).includes(runtime);
      it.skipIf(!selected)(
        `${runtime}: every endpoint through the typed functions`,
        async () => {
          expect(ready).toBe(true);
          const report = runtime === "chromium" ? await runInChromium(bundleFile) : await runInProcess(runtime, bundleFile);
          const summary = summarize(report);
          writeFileSync(join(dir, "matrix", `${name}.${runtime}.json`), JSON.stringify({ ...report, summary }, null, 2));
          const line =
            `[e2e] gradio ${version} ${name} ${runtime} (transport ${e2eTransport() ?? "default"}): ${summary.exercised.length}/${report.endpoints.length} endpoints exercised` +
            (summary.skipped.length ? `; skipped: ${summary.skipped.map((s) => `${s.endpoints.join(",")} (${s.reason})`).join("; ")}` : "");
          console.log(line);
          expect(summary.failed.map((f) => `${f.name} [${f.endpoints.join(",")}]: ${f.error}`)).toEqual([]);
          expect(summary.uncovered, "endpoints neither exercised nor skipped with a reason").toEqual([]);
          expect(report.gradioVersion).toBe(version);
          if (runtime === "node") {
            // Every input the typed scenario sent is accepted by that endpoint's tool schema.
            const calls = (report as ScenarioReport & { toolCalls?: { tool: string; schema: object; args: unknown }[] }).toolCalls ?? [];
            expect(calls.length, "typed calls recorded").toBeGreaterThan(0);
            const ajv = new Ajv({ strict: false, allErrors: true });
            // TypeScript has no integer type, so a typed call may pass 3.7 where the schema says integer (the
            // basic scenario does, to see Gradio truncate it): integers are widened to numbers for this check.
            const widen = (schema: object): object => JSON.parse(JSON.stringify(schema).replace(/"integer"/g, '"number"'));
            const rejected = calls.flatMap((c) => {
              const validate = ajv.compile(widen(c.schema));
              return validate(c.args) ? [] : [`${c.tool} ${JSON.stringify(c.args).slice(0, 200)}: ${ajv.errorsText(validate.errors)}`];
            });
            expect(rejected).toEqual([]);
          }
        },
        300_000,
      );
    }
  });
}
