// A real toolchain: a fresh Vite vanilla-ts app, scaffolded by the create-vite package's own CLI (pinned in
// test/toolchains/create-vite/), with every committed generated/ module dropped into src/spaces/. The template's own
// `npm run build` (tsc && vite build, under the template's tsconfig: noUnusedLocals, verbatimModuleSyntax, …) must
// pass, and the built bundle, served from its own loopback origin, calls a real Gradio 6.31.0 app (test/apps/
// calculator.py) cross-origin in headless Chromium.
//
// The app's dependencies (the versions the template asks for) are installed once from test/toolchains/vite-app/,
// whose package.json must declare exactly what the scaffold declares (a create-vite bump says to refresh it).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM } from "../e2e/suite.ts";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { repoRoot } from "../support/paths.ts";
import { toolchain } from "./install.ts";

const GRADIO = "6.31.0";
const modules = readdirSync(join(repoRoot, "generated"))
  .filter((f) => f.endsWith(".ts"))
  .sort();

/** The app's code, as a user writes it: the calculator's bindings pointed at the app, plus every module's `space`. */
const MAIN = `import "./style.css";
import { calculator, createClient, SpaceError } from "./spaces/calculator.ts";
${modules.map((m, i) => `import { space as space${i} } from "./spaces/${m}";`).join("\n")}

const baseUrl = new URLSearchParams(location.search).get("app") ?? "";
const client = createClient({ baseUrl, timeoutMs: 60_000 });

async function main(): Promise<unknown> {
  const product = await client.calculator({ num1: 6, operation: "multiply", num2: 7 });
  let failure: { kind: string; message: string } | null = null;
  try {
    await calculator({ num1: 1, operation: "divide", num2: 0 }, { baseUrl });
  } catch (error) {
    if (error instanceof SpaceError) failure = { kind: error.kind, message: error.message };
  }
  return { product, failure, spaces: [${modules.map((_, i) => `space${i}.gradioVersion`).join(", ")}] };
}

main().then(
  (result) => Object.assign(window, { __result: result }),
  (error: unknown) => Object.assign(window, { __result: { error: String(error) } }),
);
`;

describe("a create-vite vanilla-ts app with every generated/ module", () => {
  let app = "";
  let work = "";
  let gradio: RunningApp | undefined;

  beforeAll(() => {
    const scaffolder = toolchain("create-vite");
    work = mkdtempSync(join(tmpdir(), "spacegen-vite-"));
    app = join(work, "user-app");
    execFileSync(process.execPath, [join(scaffolder, "node_modules/create-vite/index.js"), "user-app", "--template", "vanilla-ts", "--no-interactive"], {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_user_agent: "npm" },
    });
    const scaffolded = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    const pinned = JSON.parse(readFileSync(join(repoRoot, "test/toolchains/vite-app/package.json"), "utf8"));
    // the dependencies installed are the ones the scaffold declares
    expect({ scripts: pinned.scripts, devDependencies: pinned.devDependencies, dependencies: pinned.dependencies }).toEqual({
      scripts: scaffolded.scripts,
      devDependencies: scaffolded.devDependencies,
      dependencies: scaffolded.dependencies,
    });
    symlinkSync(join(toolchain("vite-app"), "node_modules"), join(app, "node_modules"));
    mkdirSync(join(app, "src/spaces"));
    for (const m of modules) copyFileSync(join(repoRoot, "generated", m), join(app, "src/spaces", m));
    writeFileSync(join(app, "src/main.ts"), MAIN);
  }, 600_000);

  afterAll(async () => {
    await gradio?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("the template's tsconfig has the strict flags users meet (so the build below tests them)", () => {
    const text = readFileSync(join(app, "tsconfig.json"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const options = JSON.parse(text).compilerOptions;
    expect(options).toMatchObject({ noUnusedLocals: true, noUnusedParameters: true, verbatimModuleSyntax: true, erasableSyntaxOnly: true });
    expect(readFileSync(join(app, "src/spaces/basic.ts"), "utf8")).toBe(readFileSync(join(repoRoot, "generated/basic.ts"), "utf8"));
  });

  it("npm run build (tsc && vite build) passes", () => {
    const r = spawnSync("npm", ["run", "build"], { cwd: app, encoding: "utf8", timeout: 300_000, env: { ...process.env, NO_COLOR: "1" } });
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/error TS\d+/);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const assets = readdirSync(join(app, "dist/assets"));
    expect(assets.some((f) => f.endsWith(".js"))).toBe(true);
  }, 300_000);

  it.skipIf(!hasGradio(GRADIO))(
    `the built bundle calls a real Gradio ${GRADIO} app cross-origin in Chromium`,
    async () => {
      expect(existsSync(join(app, "dist/index.html"))).toBe(true);
      gradio = await startApp("calculator", { version: GRADIO });
      const dist = join(app, "dist");
      const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
      const server: Server = createServer((req, res) => {
        const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
        const file = join(dist, path === "/" ? "index.html" : path);
        if (!file.startsWith(dist) || !existsSync(file)) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`http://127.0.0.1:${port}/?app=${encodeURIComponent(gradio.url)}`);
        await page.waitForFunction(() => "__result" in window, null, { timeout: 120_000 });
        const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as Record<string, unknown>;
        expect(new URL(page.url()).origin).not.toBe(new URL(gradio.url).origin);
        expect(result).toEqual({
          product: 42,
          failure: { kind: "app", message: expect.stringContaining("Cannot divide by zero") },
          spaces: modules.map(() => GRADIO),
        });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        await new Promise((r) => server.close(r));
      }
    },
    300_000,
  );
});
