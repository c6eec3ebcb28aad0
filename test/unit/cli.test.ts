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
