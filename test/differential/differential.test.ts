// The differential suite (issue 14): real Gradio apps (test/differential/apps/, all served by one Python process),
// every case of cases.ts called through the module generated from the live app — `x()`, `x.stream()`,
// `live(x)()`, `live(x).stream()` — and through gradio_client (oracle.py, one Python process for all calls), with
// the same input. Answers are compared (files by content, floats with a tolerance, the rest exactly), and every
// value the module returned is written as a TypeScript literal assigned to the endpoint's declared output type;
// all of them compile in one strict program. Runs on the Gradio version of SPACEGEN_GRADIO (scripts/test-compat.sh
// runs it on the older ones) and prints a table: endpoints, agree, differ and why.

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { STRICT_CONFIGS } from "../support/strict.ts";
import { gradioVersion, hasGradio, REPO_ROOT, startApp, venvPython, type RunningApp } from "../support/gradio.mjs";
import { CASES, caseId, inputOf, TRANSPORTS, type Case, type Check, type Json, type Transport } from "./cases.ts";
import { clientError, difference, moduleError, reduceModuleValue, tsLiteral, type ErrorOutcome } from "./compare.ts";

const version = gradioVersion();
const major = Number(version.split(".")[0]);
const HERE = join(REPO_ROOT, "test", "differential");
const DIR = join(HERE, ".generated", version);
const ASSETS = join(DIR, "assets");
const APPS = [...new Set(CASES.map((c) => c.app))];
const CALL_TIMEOUT_MS = 60_000;

/** What one way of calling returned: values (one for a call, each yield for a stream), then maybe an error. */
interface Outcome {
  values: unknown[];
  error?: { kind: string; message: string };
}

interface OracleResult {
  id: string;
  ok: boolean;
  final?: unknown;
  stream: unknown[];
  error?: string;
  message?: string;
}

interface Verdict {
  /** transport → why it disagrees with gradio_client; "types" when a returned value is not of its declared type */
  disagreements: Partial<Record<Check, string>>;
  /** strict type errors of the values the module returned */
  typeErrors: string[];
}

type Module = Record<string, any>;

function spawnPython(args: string[], env: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(venvPython(version), [join(HERE, "oracle.py"), ...args], {
      cwd: HERE,
      env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1", HF_HUB_OFFLINE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-20_000)));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`oracle.py ${args[0]} exited ${code}: ${stderr}`));
    });
  });
}

const MIME: Record<string, string> = { png: "image/png", wav: "audio/wav", txt: "text/plain", obj: "text/plain", mp4: "video/mp4" };

/** A case's input for the module: every { $file } becomes a File holding that asset's bytes. */
function moduleInput(v: Json): unknown {
  if (Array.isArray(v)) return v.map(moduleInput);
  if (v && typeof v === "object") {
    if (typeof v.$file === "string" && Object.keys(v).length === 1) {
      const name = v.$file;
      return new File([readFileSync(join(ASSETS, name))], name, { type: MIME[name.split(".").pop()!] ?? "application/octet-stream" });
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, moduleInput(x)]));
  }
  return v;
}

async function outcome(values: unknown[], run: () => Promise<void>): Promise<Outcome> {
  try {
    await run();
    return { values };
  } catch (e: any) {
    return { values, error: { kind: e?.kind ?? "thrown", message: String(e?.message ?? e) } };
  }
}

/** The four ways of calling one case through a module. */
async function callModule(mod: Module, c: Case): Promise<Record<Transport, Outcome>> {
  const ep = mod.endpoints[c.api];
  if (!ep) throw new Error(`${caseId(c)}: the module has no endpoint ${c.api} (it has ${Object.keys(mod.endpoints).join(", ")})`);
  const live = mod.live(ep);
  const input = () => moduleInput(inputOf(c, major));
  const options = { timeoutMs: CALL_TIMEOUT_MS };
  const one = (call: () => Promise<unknown>) => {
    const values: unknown[] = [];
    return outcome(values, async () => void values.push(await call()));
  };
  const all = (stream: () => AsyncIterable<unknown>) => {
    const values: unknown[] = [];
    return outcome(values, async () => {
      for await (const v of stream()) values.push(v);
    });
  };
  return {
    call: await one(() => ep(input(), options)),
    stream: await all(() => ep.stream(input(), options)),
    live: await one(() => live(input(), options)),
    liveStream: await all(() => live.stream(input(), options)),
  };
}

/** Why one transport's outcome disagrees with gradio_client's, or null when it agrees. */
async function disagreement(c: Case, transport: Transport, got: Outcome, oracle: OracleResult): Promise<string | null> {
  const download = async (url: string) => {
    // once more when a pooled connection turns out closed by the server (uvicorn's keep-alive ends while the
    // suite waits for gradio_client): a GET of a file is idempotent, and this is the suite's fetch, not the module's
    const r = await fetch(url).catch(() => fetch(url));
    if (!r.ok) throw new Error(`HTTP ${r.status} downloading ${url}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const single = transport === "call" || transport === "live";
  const expectedValues = single ? (oracle.ok ? [oracle.final] : []) : oracle.stream;
  let values: unknown[];
  try {
    values = (await reduceModuleValue(got.values, download)) as unknown[];
  } catch (e) {
    return `a returned file could not be read: ${(e as Error).message} (${String((e as Error).cause)})`;
  }
  const valuesDiffer = difference(values, expectedValues);
  if (valuesDiffer) return `values: ${valuesDiffer} (module ≠ gradio_client)`;
  if (oracle.ok && got.error) return `module failed (${got.error.kind}): ${got.error.message}; gradio_client did not`;
  if (!oracle.ok) {
    if (!got.error) return `gradio_client failed (${oracle.error}: ${oracle.message}); the module did not`;
    if (got.error.kind !== "app") return `module failed with kind ${got.error.kind} (${got.error.message}); gradio_client: ${oracle.error}: ${oracle.message}`;
    const a: ErrorOutcome = moduleError(c.api, got.error.message);
    const b: ErrorOutcome = clientError(oracle.message ?? "");
    if (a.error !== b.error) return `error message: ${JSON.stringify(a.error)} ≠ ${JSON.stringify(b.error)}`;
  }
  return null;
}

/** The endpoint's `XOutput` type name, read from the module's `export const x: Endpoint<XInput, XOutput>`. */
function outputTypeName(source: string, mod: Module, api: string): string {
  const fn = Object.entries(mod).find(([, v]) => v === mod.endpoints[api])?.[0];
  const m = fn && new RegExp(`^export const ${fn}: Endpoint<\\w+, (\\w+)>`, "m").exec(source);
  if (!m) throw new Error(`no output type for ${api}`);
  return m[1]!;
}

/**
 * Every value the modules returned as a literal assigned to its endpoint's output type, in one file; compiled
 * with the modules in one strict program. Returns the diagnostics per case.
 */
function typeCheckValues(cases: Case[], modules: Record<string, Module>, outcomes: Map<Case, Record<Transport, Outcome>>): Map<Case, string[]> {
  const lines = APPS.map((app) => `import type * as ${app} from "./${app}.ts";`);
  const ranges: [Case, number, number][] = [];
  cases.forEach((c, i) => {
    const type = `${c.app}.${outputTypeName(readFileSync(join(DIR, `${c.app}.ts`), "utf8"), modules[c.app]!, c.api)}`;
    const start = lines.length;
    lines.push(`// ${caseId(c)}`);
    for (const t of TRANSPORTS)
      outcomes.get(c)![t].values.forEach((v, j) => lines.push(`export const c${i}_${t}_${j}: ${type} = ${tsLiteral(v)};`.replace(/\n/g, " ")));
    ranges.push([c, start, lines.length]);
  });
  const file = join(DIR, "values.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  const program = ts.createProgram([file], { ...STRICT_CONFIGS.dom, allowImportingTsExtensions: true, skipLibCheck: true });
  const byCase = new Map<Case, string[]>(cases.map((c) => [c, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file?.fileName !== file) {
      // an error in a module itself belongs to every case (the module must compile)
      for (const list of byCase.values()) list.push(`${d.file?.fileName ?? ""}: TS${d.code}: ${text}`);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
    const owner = ranges.find(([, a, b]) => line >= a && line < b);
    const name = lines[line]!.match(/^export const (\w+)/)?.[1] ?? `line ${line + 1}`;
    byCase.get(owner?.[0] ?? cases[0]!)!.push(`${name}: TS${d.code}: ${text.slice(0, 400)}`);
  }
  return byCase;
}

function printTable(gradioClient: string, verdicts: Map<Case, Verdict>): void {
  const rows = [...verdicts.entries()];
  const differ = rows.filter(([, v]) => Object.keys(v.disagreements).length > 0);
  const documented = differ.filter(([c, v]) => sameKeys(v.disagreements, c.differs?.(version) ?? {}));
  const lines = [
    `differential suite: the generated module vs gradio_client ${gradioClient}`,
    "| Gradio | endpoints | agree | differ | of which documented |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| ${version} | ${rows.length} | ${rows.length - differ.length} | ${differ.length} | ${documented.length} |`,
    ...differ.map(([c, v]) =>
      [
        `  differs: ${caseId(c)} (${c.shows})${sameKeys(v.disagreements, c.differs?.(version) ?? {}) ? " — documented" : ""}`,
        ...Object.entries(v.disagreements)
          .filter(([t]) => t !== "types")
          .map(([t, why]) => `    ${t}: ${why}`),
        ...v.typeErrors.slice(0, 4).map((e) => `    types: ${e}`),
        ...(v.typeErrors.length > 4 ? [`    types: … ${v.typeErrors.length - 4} more`] : []),
      ].join("\n"),
    ),
  ];
  console.log(lines.join("\n"));
}

const sameKeys = (a: object, b: object) => JSON.stringify(Object.keys(a).sort()) === JSON.stringify(Object.keys(b).sort());

describe.skipIf(!hasGradio(version))(`differential: module vs gradio_client on gradio ${version}`, () => {
  let server: RunningApp | undefined;
  let gradioClient = "?";
  const verdicts = new Map<Case, Verdict>();
  let setupError: Error | undefined;

  beforeAll(async () => {
    try {
      rmSync(DIR, { recursive: true, force: true });
      mkdirSync(DIR, { recursive: true });
      const assets = spawnPython(["assets", ASSETS], {}, 60_000);
      server = await startApp(join(HERE, "server.py"), { version, timeoutMs: 150_000 });
      const url = (app: string) => `${server!.url}/${app}`;

      // gradio_client runs all cases in the background while the modules are generated and called
      await assets;
      const casesFile = join(DIR, "cases.json");
      const oracleFile = join(DIR, "oracle.json");
      writeFileSync(casesFile, JSON.stringify(CASES.map((c) => ({ id: caseId(c), url: url(c.app), api: c.api, input: inputOf(c, major) }))));
      const oracle = spawnPython(["calls", casesFile, oracleFile], { DIFFERENTIAL_ASSETS: ASSETS }, 240_000);
      oracle.catch(() => {});

      const config = { out: ".", concurrency: 4, spaces: APPS.map((app) => ({ source: url(app), name: app })) };
      writeFileSync(join(DIR, "spacegen.config.json"), JSON.stringify(config));
      const generated = await runCli(["--config", join(DIR, "spacegen.config.json"), "--quiet"], { cwd: DIR, timeout: 180_000 });
      if (generated.code !== 0) throw new Error(`spacegen exited ${generated.code}: ${generated.stderr}`);
      const modules: Record<string, Module> = {};
      for (const app of APPS) modules[app] = await import(join(DIR, `${app}.ts`));

      const outcomes = new Map<Case, Record<Transport, Outcome>>();
      const queue = [...CASES];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let c = queue.shift(); c; c = queue.shift()) outcomes.set(c, await callModule(modules[c.app]!, c));
        }),
      );

      await oracle;
      const report = JSON.parse(readFileSync(oracleFile, "utf8")) as { gradio_client: string; results: OracleResult[] };
      gradioClient = report.gradio_client;
      const byId = new Map(report.results.map((r) => [r.id, r]));
      const typeErrors = typeCheckValues(CASES, modules, outcomes);
      for (const c of CASES) {
        const disagreements: Partial<Record<Check, string>> = {};
        for (const t of TRANSPORTS) {
          const why = await disagreement(c, t, outcomes.get(c)![t], byId.get(caseId(c))!);
          if (why) disagreements[t] = why;
        }
        const types = typeErrors.get(c)!;
        if (types.length) disagreements.types = types.join("\n");
        verdicts.set(c, { disagreements, typeErrors: types });
      }
      writeFileSync(
        join(DIR, "verdicts.json"),
        JSON.stringify(
          [...verdicts].map(([c, v]) => ({ id: caseId(c), ...v, outcomes: outcomes.get(c) })),
          null,
          1,
        ),
      );
      printTable(gradioClient, verdicts);
    } catch (e) {
      setupError = e instanceof Error ? e : new Error(String(e));
    }
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  for (const c of CASES) {
    it(`${caseId(c)}: ${c.shows}`, () => {
      if (setupError) throw setupError;
      const verdict = verdicts.get(c)!;
      const documented = c.differs?.(version) ?? {};
      if (!documented.types) expect(verdict.typeErrors, "values the module returned that its declared output type rejects").toEqual([]);
      // every disagreement must be one documented for this case (class 7), and every documented one must still occur
      expect(Object.keys(verdict.disagreements).sort(), JSON.stringify(verdict.disagreements, null, 1)).toEqual(Object.keys(documented).sort());
    });
  }
});
