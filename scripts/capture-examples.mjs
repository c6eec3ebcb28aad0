#!/usr/bin/env node
// Regenerates the committed examples in generated/ from the test apps running on Gradio 6.31.0:
//
//   npm run fixtures:capture                        # start each app, read /config + /info, write generated/<name>.{ts,schema.json}
//   node scripts/capture-examples.mjs --offline     # after an emitter change: regenerate from the committed snapshots
//
// The apps run on free ports, but the recorded app URL is always http://127.0.0.1:7860 (Gradio's default), so the
// bytes do not depend on the port: the live snapshot is rewritten to that URL, then the module is generated from it.
// test/unit/generated-examples.test.ts checks `spacegen generated/<name>.schema.json -o generated/<name>.ts --check`.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const VERSION = process.env.SPACEGEN_CAPTURE_GRADIO ?? "6.31.0";
const STABLE_URL = "http://127.0.0.1:7860";
/** name in generated/ → test app */
export const EXAMPLES = { calculator: "calculator", basic: "basic", media: "media", text_to_image: "text_to_image", image_to_3d: "image_to_3d", live: "live" };

const cli = (args) => execFileSync(process.execPath, [join(ROOT, "bin/spacegen.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }).toString().trim();

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function startApp(app) {
  const python = join(process.env.SPACEGEN_VENV_ROOT ?? join(homedir(), ".cache/spacegen/venvs"), `gradio-${VERSION}`, "bin/python");
  if (!existsSync(python)) throw new Error(`no venv for gradio ${VERSION} (${python}); run scripts/setup-gradio.sh ${VERSION}`);
  const port = await freePort();
  const temp = mkdtempSync(join(tmpdir(), "spacegen-capture-"));
  const child = spawn(python, [join(ROOT, "test/apps", `${app}.py`)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, GRADIO_SERVER_NAME: "127.0.0.1", GRADIO_SERVER_PORT: String(port), GRADIO_TEMP_DIR: temp, GRADIO_ANALYTICS_ENABLED: "False", HF_HUB_OFFLINE: "1", PYTHONDONTWRITEBYTECODE: "1" },
  });
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    rmSync(temp, { recursive: true, force: true });
  };
  process.on("exit", stop);
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 90_000; ; ) {
    if (child.exitCode !== null) throw new Error(`${app} exited: ${err}`);
    try {
      if ((await fetch(`${url}/config`)).ok) return { url, stop };
    } catch {}
    if (Date.now() > deadline) throw new Error(`${app} did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function capture(name, app) {
  const out = `generated/${name}.ts`;
  const snapshot = `generated/${name}.schema.json`;
  if (!process.argv.includes("--offline")) {
    const { url, stop } = await startApp(app);
    const dir = mkdtempSync(join(tmpdir(), "spacegen-capture-out-"));
    try {
      cli([url, "-o", join(dir, `${name}.ts`), "--quiet"]);
      const doc = JSON.parse(readFileSync(join(dir, `${name}.schema.json`), "utf8"));
      doc.source = { ...doc.source, url: STABLE_URL, name };
      writeFileSync(join(ROOT, snapshot), JSON.stringify(doc, null, 2) + "\n");
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // the module (and a normalized snapshot) from the snapshot, as `--check` will regenerate them
  console.log(cli([snapshot, "-o", out]));
}

for (const [name, app] of Object.entries(EXAMPLES)) await capture(name, app);
process.exit(0);
