import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { repoRoot, sharedFixtures } from "../support/paths.ts";

const calculator = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");
const config = readFileSync(resolve(sharedFixtures, "protocol/config-excerpt-gradio6-assembled.json"), "utf8");
const info = readFileSync(calculator, "utf8");
const version = (JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8")) as { version: string }).version;
const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-cli-"));

describe("command line basics", () => {
  it("--version prints the version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
  it("--help lists the options", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--out <path>/);
    expect(r.stdout).toMatch(/--check/);
  });
  it.each([
    [["--bogus"], /unknown option/],
    [[], /no source given/],
    [["does/not-exist.json"], /not a file, an http\(s\) URL, or a Space id/],
    [["./missing-file.json"], /not a file/],
    [["http://127.0.0.1:9/"], /cannot reach http:\/\/127\.0\.0\.1:9\/config/],
  ])("%j exits 2 with one line", async (args, message) => {
    const r = await runCli(args, { cwd: tmp(), timeout: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("refuses invalid JSON without touching an existing output", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "bad.json"), "{ not json");
    writeFileSync(join(dir, "out.ts"), "// precious\n");
    const r = await runCli(["bad.json", "-o", "out.ts"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json is not valid JSON/);
    expect(readFileSync(join(dir, "out.ts"), "utf8")).toBe("// precious\n");
  });
});

describe("generating from files and snapshots", () => {
  it("writes the module and its snapshot; the snapshot regenerates the same bytes offline", async () => {
    const dir = tmp();
    const first = await runCli([calculator, "-o", "generated/calc.ts"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/wrote generated\/calc\.ts \(1 endpoint\)/);
    expect(first.stderr).toMatch(/raw \/info without \/config/);
    const module1 = readFileSync(join(dir, "generated/calc.ts"), "utf8");
    expect(module1).toMatch(/Note: generated from a raw \/info without \/config/);
    const again = await runCli(["generated/calc.schema.json", "-o", "generated/calc.ts"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "generated/calc.ts"), "utf8")).toBe(module1);
    // no temporary files left behind
    expect(readdirSync(join(dir, "generated")).sort()).toEqual(["calc.schema.json", "calc.ts"]);
  });

  it("--check exits 0 when in sync, 1 with a diff on drift, and writes nothing", async () => {
    const dir = tmp();
    expect((await runCli([calculator, "-o", "m.ts"], { cwd: dir })).code).toBe(0);
    const ok = await runCli(["m.schema.json", "-o", "m.ts", "--check"], { cwd: dir });
    expect(ok.code).toBe(0);
    const edited = readFileSync(join(dir, "m.ts"), "utf8").replace("num1: number", "num1: string");
    writeFileSync(join(dir, "m.ts"), edited);
    const drift = await runCli(["m.schema.json", "-o", "m.ts", "--check"], { cwd: dir });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/^-\s+num1: string;$/m);
    expect(drift.stdout).toMatch(/^\+\s+num1: number;$/m);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toBe(edited);
  });

  it("--url sets where a raw /info's app runs", async () => {
    const dir = tmp();
    expect((await runCli([calculator, "-o", "m.ts", "--url", "https://example.test/app/"], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toContain('url: "https://example.test/app"');
  });
});

describe("generating from a running app (local stand-in server)", () => {
  let server: Server;
  let base = "";
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? "");
      const path = (req.url ?? "").split("?")[0];
      if (path === "/v6/config") return res.end(config);
      if (path === "/v6/gradio_api/info") return res.end(info);
      // Gradio 4: /config has no api_prefix, /info at the root
      if (path === "/v4/config") return res.end(JSON.stringify({ ...JSON.parse(config), version: "4.44.1", api_prefix: undefined }));
      if (path === "/v4/info") return res.end(info);
      // no /config at all: the prefix is probed
      if (path === "/noconfig/gradio_api/info") return res.end(info);
      if (path === "/old/config") return res.end(JSON.stringify({ version: "4.19.2", components: [], dependencies: [] }));
      if (path === "/login/config") {
        res.statusCode = 401;
        return res.end('{"detail":{"error":"Not authenticated"}}');
      }
      res.statusCode = 404;
      res.end('{"detail":"Not Found"}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads /config then {api_prefix}/info and records the slot layout", async () => {
    const dir = tmp();
    const r = await runCli([`${base}/v6/`, "--name", "calc"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const snapshot = JSON.parse(readFileSync(join(dir, "generated/calc.schema.json"), "utf8"));
    expect(snapshot.gradioVersion).toBe("6.25.0");
    expect(snapshot.config.dependencies[0]).toMatchObject({ id: 0, api_name: "predict", inputs: [1, 2, 3] });
    expect(snapshot.config.app_id).toBeUndefined();
    const code = readFileSync(join(dir, "generated/calc.ts"), "utf8");
    expect(code).toContain(`url: "${base}/v6"`);
    expect(code).toMatch(/x: 0,?\s/);
  });
  it("uses the root /info on Gradio 4", async () => {
    const dir = tmp();
    expect((await runCli([`${base}/v4`, "-o", "m.ts"], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toContain('prefix: ""');
  });
  it("probes the prefix when /config is missing, with a warning", async () => {
    const dir = tmp();
    const r = await runCli([`${base}/noconfig`, "-o", "m.ts"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\/config could not be read/);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toContain('prefix: "/gradio_api"');
  });
  it("refuses Gradio older than 4.20", async () => {
    const r = await runCli([`${base}/old`], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Gradio 4\.19\.2, which has no \/call API/);
  });
  it("says what to do when the app needs a login", async () => {
    const r = await runCli([`${base}/login`], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/requires login/);
  });
  it("names a URL's module after its host", async () => {
    const dir = tmp();
    expect((await runCli([`${base}/v6`], { cwd: dir })).code).toBe(0);
    const port = new URL(base).port;
    expect(existsSync(join(dir, `generated/127-0-0-1-${port}-v6.ts`))).toBe(true);
  });
});

// Issue 16, point 4: the conventions a command-line user expects.
describe("command-line conventions", () => {
  const withoutRegenerate = (code: string) => code.replace(/^\/\/ Regenerate: .*\n/m, "");

  it('"-" reads a raw /info from stdin: the same module as from the file', async () => {
    const dir = tmp();
    expect((await runCli([calculator, "-o", "file.ts", "--url", "http://app.test"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["-", "-o", "m.ts", "--url", "http://app.test"], { cwd: dir, input: info });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote m\.ts \(1 endpoint\)$/m);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toBe(
      readFileSync(join(dir, "file.ts"), "utf8").replace("-o file.ts", "-o m.ts").replace("file.schema.json", "m.schema.json"),
    );
    expect(JSON.parse(readFileSync(join(dir, "m.schema.json"), "utf8")).source).toEqual({ space: null, url: "http://app.test", name: "app" });
  });
  it('"-" reads a snapshot from stdin and writes where the snapshot says', async () => {
    const dir = tmp();
    expect((await runCli([calculator, "--name", "calc", "--url", "http://app.test"], { cwd: dir })).code).toBe(0);
    const snapshot = readFileSync(join(dir, "generated/calc.schema.json"));
    const r = await runCli(["-", "-o", "again"], { cwd: dir, input: snapshot });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "again/calc.schema.json"))).toEqual(snapshot);
  });
  it('"-" on a terminal-less empty stdin, or twice, is one clear line', async () => {
    const twice = await runCli(["-", "-"], { cwd: tmp(), input: info });
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim()).toBe('spacegen: error: "-" (stdin) can be given only once');
    const empty = await runCli(["-", "-o", "m.ts"], { cwd: tmp(), input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim().split("\n")).toHaveLength(1);
    expect(empty.stderr).toMatch(/^spacegen: error: stdin/);
  });

  it("-o - writes the module to stdout and no snapshot, and says so on stderr", async () => {
    const dir = tmp();
    expect((await runCli([calculator, "-o", "m.ts", "--url", "http://app.test"], { cwd: dir })).code).toBe(0);
    const empty = tmp();
    const r = await runCli([calculator, "-o", "-", "--url", "http://app.test"], { cwd: empty });
    expect(r.code).toBe(0);
    expect(withoutRegenerate(r.stdout)).toBe(withoutRegenerate(readFileSync(join(dir, "m.ts"), "utf8")));
    expect(r.stdout).toMatch(/^\/\/ Regenerate: npx spacegen \S+info-03-gradio6-calculator-head\.json -o - --url http:\/\/app\.test$/m);
    expect(r.stderr).toMatch(/^spacegen: wrote the module to stdout \(1 endpoint\), no snapshot \(pass --snapshot <path> to keep one/m);
    expect(readdirSync(empty)).toEqual([]);
  });
  it("-o - --snapshot <path> keeps the snapshot, which regenerates the same module", async () => {
    const dir = tmp();
    const r = await runCli(["-", "-o", "-", "--snapshot", "snap/app.schema.json", "--url", "http://app.test"], { cwd: dir, input: info });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote the module to stdout \(1 endpoint\), its snapshot to snap\/app\.schema\.json/);
    expect(readdirSync(dir)).toEqual(["snap"]);
    expect(r.stdout).toMatch(/^\/\/ Regenerate: npx spacegen snap\/app\.schema\.json -o - --snapshot snap\/app\.schema\.json$/m);
    const again = await runCli(["snap/app.schema.json", "-o", "-", "--snapshot", "snap/app.schema.json"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(r.stdout);
  });
  it("-o /dev/stdout writes the module to stdout", async () => {
    const dir = tmp();
    const r = await runCli([calculator, "-o", "/dev/stdout", "--url", "http://app.test"], { cwd: dir });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ Generated by spacegen/);
    expect(r.stdout).toMatch(/export const predict: Endpoint<PredictInput, PredictOutput>/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it.each([
    [["-o", "-", "--check"], /--check compares the files on disk, and -o - writes none/],
    [["-o", "-", "--js"], /-o - writes one file, and --js writes two/],
    [["-o", "-", calculator], /-o - names one output, but 2 sources were given/],
    [["-o", "m.d.ts"], /-o m\.d\.ts names a declaration file/],
  ])("%j is refused in one line", async (args, message) => {
    const dir = tmp();
    const r = await runCli([calculator, ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it(".mts and .cts modules, and .mjs/.cjs with their .d.mts/.d.cts, type-check and run in Node", async () => {
    const dir = tmp();
    for (const out of ["t.mts", "t.cts", "j.mjs", "j.cjs"]) {
      const r = await runCli([calculator, "-o", out, "--url", "http://app.test"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(dir).sort()).toEqual(["j.cjs", "j.d.cts", "j.d.mts", "j.mjs", "j.schema.json", "t.cts", "t.mts", "t.schema.json"]);
    expect(readFileSync(join(dir, "j.cjs"), "utf8")).toMatch(/^\/\/ Generated by spacegen[^]*\n"use strict";\n/);
    // Consumers importing the JavaScript through its declarations, in both module systems.
    writeFileSync(join(dir, "use.mts"), 'import { predict, space } from "./j.mjs";\nconst url: string = space.url;\nvoid predict;\nvoid url;\n');
    writeFileSync(join(dir, "use.cts"), 'import { predict, space } from "./j.cjs";\nconst url: string = space.url;\nvoid predict;\nvoid url;\n');
    const { typeCheck } = await import("../support/strict.ts");
    expect(
      typeCheck(
        ["t.mts", "t.cts", "use.mts", "use.cts"].map((f) => join(dir, f)),
        "node",
      ),
    ).toEqual([]);
    const run = (code: string) => execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: dir, encoding: "utf8" }).trim();
    expect(
      run('import { createRequire } from "node:module"; const m = createRequire(import.meta.url)("./j.cjs"); console.log(typeof m.predict, m.space.url)'),
    ).toBe("function http://app.test");
    expect(run('const m = await import("./j.mjs"); console.log(typeof m.predict, m.space.url)')).toBe("function http://app.test");
  }, 120_000);

  it("`spacegen help` is --help; `spacegen help inspect` is inspect's", async () => {
    const help = await runCli(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(["--help"])).stdout);
    const inspectHelp = await runCli(["help", "inspect"]);
    expect(inspectHelp.code).toBe(0);
    expect(inspectHelp.stdout).toMatch(/^Usage: spacegen inspect \[options\] <source>/);
    expect(inspectHelp.stdout).toBe((await runCli(["inspect", "--help"])).stdout);
  });
  it("--help shows examples", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout).toMatch(/^Examples:$/m);
    expect(r.stdout).toMatch(/^ {2}spacegen gradio\/hello_world /m);
    expect(r.stdout).toMatch(/spacegen - -o -/);
    expect(r.stdout).toMatch(/--snapshot <path>/);
    expect((await runCli(["inspect", "--help"])).stdout).toMatch(/^Examples:\n {2}spacegen inspect /m);
  });

  describe("FORCE_COLOR and NO_COLOR", () => {
    const ESC = "\x1b[";
    let dir = "";
    beforeAll(async () => {
      dir = tmp();
      expect((await runCli([calculator, "-o", "m.ts", "--url", "http://app.test"], { cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, "m.ts"), readFileSync(join(dir, "m.ts"), "utf8").replace("num1: number", "num1: string"));
    });
    const checkWith = (env: NodeJS.ProcessEnv, extra: string[] = []) => runCli(["m.schema.json", "-o", "m.ts", "--check", ...extra], { cwd: dir, env });
    it("FORCE_COLOR colours --check's diff when stdout is not a terminal, over NO_COLOR", async () => {
      for (const env of [
        { FORCE_COLOR: "1", NO_COLOR: "" },
        { FORCE_COLOR: "true", NO_COLOR: "1" },
      ]) {
        const r = await checkWith(env);
        expect(r.code).toBe(1);
        /* eslint-disable no-control-regex -- the colours are ANSI escapes */
        expect(r.stdout).toMatch(/^\x1b\[31m-\s+num1: string;\x1b\[0m$/m);
        expect(r.stdout).toMatch(/^\x1b\[32m\+\s+num1: number;\x1b\[0m$/m);
        /* eslint-enable no-control-regex */
      }
    });
    it("NO_COLOR, FORCE_COLOR=0 and --no-color leave it plain; --color forces it", async () => {
      for (const [env, extra] of [
        [{ NO_COLOR: "1" }, []],
        [{ FORCE_COLOR: "0", NO_COLOR: "" }, []],
        [{ FORCE_COLOR: "1" }, ["--no-color"]],
      ] as const) {
        const r = await checkWith(env, [...extra]);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/^-\s+num1: string;$/m);
        expect(r.stdout).not.toContain(ESC);
      }
      expect((await checkWith({ NO_COLOR: "1" }, ["--color"])).stdout).toContain(`${ESC}31m-`);
    });
    it("inspect follows them too", async () => {
      expect((await runCli(["inspect", "m.schema.json"], { cwd: dir, env: { FORCE_COLOR: "1", NO_COLOR: "" } })).stdout).toContain(ESC);
      expect((await runCli(["inspect", "m.schema.json"], { cwd: dir })).stdout).not.toContain(ESC);
    });
  });

  it("a raw /info without --url warns in one line what --url is for", async () => {
    const without = await runCli([calculator, "-o", "m.ts"], { cwd: tmp() });
    expect(without.code).toBe(0);
    const lines = without.stderr.split("\n").filter((l) => /--url/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^spacegen: warning: .*a raw \/info does not say where its app runs, so the module calls http:\/\/127\.0\.0\.1:7860; pass --url <app-url> to set the URL it calls/,
    );
    const withUrl = await runCli([calculator, "-o", "m.ts", "--url", "http://app.test"], { cwd: tmp() });
    expect(withUrl.stderr).not.toMatch(/--url/);
    // a snapshot records the URL: regenerating from it does not warn
    const dir = tmp();
    await runCli([calculator, "-o", "m.ts"], { cwd: dir });
    expect((await runCli(["m.schema.json", "-o", "m.ts"], { cwd: dir })).stderr).not.toMatch(/--url/);
  });
});
