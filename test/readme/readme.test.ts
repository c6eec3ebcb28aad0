// The README is tested (issue 16, point 3):
// - every ```ts block compiles, as written, against the committed modules in generated/ (one program, the contract's
//   strict Node configuration, from a folder where ./generated is the repository's generated/);
// - every command of every ```sh block runs here, or is listed with the reason it cannot (printed); a command in the
//   README that this file does not know fails the test, and so does one this file knows that the README dropped;
// - every figure comes from a command that prints it: each table of figures is marked with its command
//   (`<!-- figures: <command> -->`); a command that runs here is run and its rows must be the README's rows, value for
//   value; for one that cannot (the full benchmark), each row must be a row that command prints (its label as
//   bench/run.mjs writes it, its columns). A figure in the prose must be one of the tables' cells.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goldenInput } from "../support/goldens.ts";
import { cliPath, repoRoot } from "../support/paths.ts";
import { STRICT_CONFIGS } from "../support/strict.ts";

const README = readFileSync(join(repoRoot, "README.md"), "utf8");

interface Block {
  lang: string;
  code: string;
  line: number;
}

const blocks: Block[] = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  code: m[2]!,
  line: README.slice(0, m.index).split("\n").length,
}));

/** The README without its code blocks. */
const prose = README.replace(/^```\w*\n[\s\S]*?^```$/gm, "");

/** Every command of the ```sh blocks: one per line, `&&` splitting, comments dropped. */
const commands = blocks
  .filter((b) => b.lang === "sh")
  .flatMap((b) => b.code.split("\n"))
  .map((l) => l.replace(/\s+#.*$/, "").trim())
  .filter(Boolean)
  .flatMap((l) => l.split(/\s+&&\s+/));

/** How each README command is tested here: run (with how), or why it cannot be. */
const SKIPPED: Record<string, string> = {
  "npx spacegen microsoft/TRELLIS.2":
    "needs the real Hugging Face Hub and a running Space; Space ids are tested against a stand-in Hub with real Gradio apps in test/hub/",
  "npx spacegen ns/repo": "needs the real Hugging Face Hub; Space ids are tested against a stand-in Hub in test/hub/",
  "npm ci": "would reinstall node_modules under the running suite; CI's `npm run test:all` runs it before the tests",
  "npm run test:all": "the whole suite, this test included; it is what CI runs (.ci/run)",
  "npm run bench": "about 10 minutes of the machine's two cores against Gradio, and not a test; its rows are checked for format below",
};
const STDIN_COMMAND = "curl -s http://127.0.0.1:7860/gradio_api/info | npx spacegen - -o - --url http://127.0.0.1:7860 > app.ts";
const RUN = [
  "npm run demo",
  "npx spacegen http://127.0.0.1:7860 --name my-app",
  "npx spacegen ./saved-info.json --url https://my-app.example",
  STDIN_COMMAND,
  "npm run bench -- --only size --quick",
];

const tempRoot = mkdtempSync(join(tmpdir(), "spacegen-readme-"));

/** Runs `npx spacegen …` as the installed package would: `node bin/spacegen.js …` (npx resolves the same bin). */
function spacegen(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const args = command.replace(/^npx spacegen /, "").split(/\s+/);
  return spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 120_000 });
}

describe("README.md", () => {
  afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

  it("has the blocks this test reads", () => {
    expect(blocks.filter((b) => b.lang === "ts").length).toBeGreaterThanOrEqual(5);
    expect(commands.length).toBeGreaterThanOrEqual(8);
  });

  it("every TypeScript block compiles against the committed modules (strict, exactOptionalPropertyTypes, @types/node)", () => {
    const dir = join(tempRoot, "samples");
    mkdirSync(dir);
    symlinkSync(join(repoRoot, "generated"), join(dir, "generated"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-samples", private: true, type: "module" }));
    const files = blocks
      .filter((b) => b.lang === "ts")
      .map((b) => {
        const file = join(dir, `readme-line-${b.line}.ts`);
        writeFileSync(file, b.code);
        return file;
      });
    // the package's own API resolves to this repository, as it would from node_modules after `npm i spacegen`
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(repoRoot, join(dir, "node_modules/spacegen"));
    for (const f of files) expect(readFileSync(f, "utf8")).toMatch(/from "(\.\/generated\/\w+\.ts|spacegen)"/);
    const program = ts.createProgram(files, { ...STRICT_CONFIGS.node, allowImportingTsExtensions: true, skipLibCheck: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.split("/").pop()}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it("the config file sample is valid against the shipped JSON Schema", () => {
    const sample = blocks.find((b) => b.lang === "json" && b.code.includes('"$schema"'))!;
    const schema = JSON.parse(readFileSync(join(repoRoot, "schema/spacegen.config.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const ok = validate(JSON.parse(sample.code));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("every shell command is run below or skipped for a printed reason, and no other", () => {
    for (const [command, reason] of Object.entries(SKIPPED)) console.log(`skipped: ${command} — ${reason}`);
    expect([...commands].sort()).toEqual([...RUN, ...Object.keys(SKIPPED)].sort());
    console.log(
      `skipped: the GitHub Actions workflow (\`yaml\` block) — runs on GitHub's runners; its \`spacegen --check\` commands are tested in test/unit/cli.test.ts and test/drift/`,
    );
  });

  describe("the commands that run here", () => {
    // a stand-in app serving what test/apps/basic.py served on Gradio 6.31.0 (port 7860 may be taken here)
    let server: Server | undefined;
    let port = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const file = req.url === "/config" ? "config.json" : req.url === "/gradio_api/info" ? "info.json" : null;
        if (!file) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/json" }).end(readFileSync(goldenInput("6.31.0", "basic", file)));
      });
      await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    /** Runs a README command line in bash, `npx spacegen` being the built CLI and 7860 the stand-in's port. */
    function shell(command: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const line = command.replaceAll(":7860", `:${port}`).replaceAll("npx spacegen ", `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} `);
      return new Promise((resolve) => {
        const child = spawn("bash", ["-c", line], { cwd, env: { ...process.env, NO_COLOR: "1", HF_TOKEN: "" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    }

    it("npm run demo (in a copy of the repository, so the suite's dist/ is not rebuilt under it)", () => {
      const copy = join(tempRoot, "repo");
      for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "bin", "src", "templates", "scripts", "generated", "schema"])
        cpSync(join(repoRoot, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
      const r = spawnSync("npm", ["run", "demo"], { cwd: copy, encoding: "utf8", timeout: 300_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/wrote out\/calculator\.ts \(1 endpoint\)/);
      expect(readFileSync(join(copy, "out/calculator.ts"), "utf8")).toMatch(/export const calculator: Endpoint<CalculatorInput, CalculatorOutput>/);
    }, 300_000);

    it("npx spacegen http://127.0.0.1:7860 --name my-app (against the stand-in app)", async () => {
      const cwd = join(tempRoot, "live-app");
      mkdirSync(cwd);
      const r = await shell("npx spacegen http://127.0.0.1:7860 --name my-app", cwd);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(existsSync(join(cwd, "generated/my-app.ts"))).toBe(true);
      expect(existsSync(join(cwd, "generated/my-app.schema.json"))).toBe(true);
    }, 120_000);

    it(`${STDIN_COMMAND} (against the stand-in app)`, async () => {
      const cwd = join(tempRoot, "stdin");
      mkdirSync(cwd);
      const r = await shell(STDIN_COMMAND, cwd);
      expect(r.code, r.stderr).toBe(0);
      const code = readFileSync(join(cwd, "app.ts"), "utf8");
      expect(code).toMatch(/^\/\/ Generated by spacegen/);
      expect(code).toMatch(/export const echoAll: Endpoint<EchoAllInput, EchoAllOutput>/);
    }, 120_000);

    it("npx spacegen ./saved-info.json --url https://my-app.example (a raw /info the app served)", () => {
      const cwd = join(tempRoot, "saved-info");
      mkdirSync(cwd);
      cpSync(goldenInput("6.31.0", "basic", "info.json"), join(cwd, "saved-info.json"));
      const r = spacegen("npx spacegen ./saved-info.json --url https://my-app.example", cwd, {
        HTTP_PROXY: "http://127.0.0.1:9",
        HTTPS_PROXY: "http://127.0.0.1:9",
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const code = readFileSync(join(cwd, "generated/saved-info.ts"), "utf8");
      expect(code).toContain('url: "https://my-app.example"');
    }, 120_000);
  });

  describe("figures", () => {
    /** Marked tables: the command in the marker, then the table's rows (header and rule excluded). */
    const tables = [...README.matchAll(/<!-- figures: (.+?) -->\n+((?:\|.*\|\n)+)/g)].map((m) => ({
      command: m[1]!,
      header: m[2]!.split("\n")[0]!,
      rows: m[2]!.trim().split("\n").slice(2),
    }));
    const cells = (line: string) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim());
    let benchOutput = "";

    beforeAll(() => {
      const r = spawnSync("npm", ["run", "bench", "--", "--only", "size", "--quick"], { cwd: repoRoot, encoding: "utf8", timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      benchOutput = r.stdout;
    }, 300_000);

    it("every table of figures is marked with a command the README shows, and prints the bench's header", () => {
      expect(tables.map((t) => t.command)).toEqual(["npm run bench -- --only size --quick", "npm run bench"]);
      for (const t of tables) expect(commands).toContain(t.command);
      const printedHeader = benchOutput.split("\n").find((l) => l.startsWith("| figure"));
      for (const t of tables) expect(t.header).toBe(printedHeader);
      // every row of the tables is a figure row (nothing else sits in them)
      expect(README.split("\n").filter((l) => /^\| \d/.test(l)).length).toBe(tables.reduce((n, t) => n + t.rows.length, 0));
    });

    it("npm run bench -- --only size --quick prints exactly the README's size rows", () => {
      const printed = benchOutput.split("\n").filter((l) => /^\| 5/.test(l));
      // the six figures, then where one endpoint's bytes go: 12 parts (5g) and two measures across them (5h)
      expect(printed.length).toBe(20);
      expect(tables[0]!.rows).toEqual(printed);
    });

    it("each row of the full benchmark's table is a row bench/run.mjs prints: its label and its seven columns", () => {
      const source = readFileSync(join(repoRoot, "bench/run.mjs"), "utf8");
      const labels = [...source.matchAll(/\brow\(\s*(`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*")/g)].map((m) => {
        const text = m[1]!.slice(1, -1);
        const parts = text.split(/\$\{(?:[^{}]|\{[^}]*\})*\}/).map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"));
        return new RegExp(`^${parts.join(".*?")}$`);
      });
      expect(labels.length).toBeGreaterThan(15);
      const rows = tables[1]!.rows;
      expect(rows.length).toBeGreaterThanOrEqual(10);
      for (const line of rows) {
        const c = cells(line);
        expect(c.length, line).toBe(7);
        expect(
          labels.some((l) => l.test(c[0]!)),
          `no bench row is labelled ${JSON.stringify(c[0])}`,
        ).toBe(true);
        // the ratio and "met" columns as row() prints them
        expect(c[3], line).toMatch(/^(\d+\.\d\d×|—)$/);
        expect(c[5], line).toMatch(/^(yes|\*\*no\*\*|)$/);
      }
      // the size rows of the full run are the quick run's rows (same bytes: no timing in them)
      expect(rows.some((l) => /^\| 5/.test(l))).toBe(false);
    });

    it("every figure in the prose is a cell of a table", () => {
      const all = new Set(tables.flatMap((t) => t.rows.flatMap((r) => cells(r).flatMap((c) => [c, ...c.split(/ \/ |, /)]))));
      const figures = [...prose.matchAll(/(?<![\w.])[+~]?\d[\d,.]*\s?(?:KB|B|ms|MB|M|×|%|calls\/s|s)(?![\w])/g)].map((m) => m[0].trim());
      const unknown = figures.filter((f) => ![...all].some((c) => c === f || c.includes(f)));
      expect(unknown).toEqual([]);
    });
  });
});
