#!/usr/bin/env node
// Regenerates the committed examples in generated/ from the test apps running on Gradio 6.31.0:
//
//   npm run fixtures:capture                        # start each app, read /config + /info, write generated/<name>.{ts,schema.json}
//   node scripts/capture-examples.mjs --offline     # after an emitter change: regenerate from the committed snapshots
//
// The apps run on free ports, but the recorded app URL is always http://127.0.0.1:7860 (Gradio's default), so the
// bytes do not depend on the port: the live snapshot is rewritten to that URL, then the module is generated from it.
// test/unit/generated-examples.test.ts checks `spacegen generated/<name>.schema.json -o generated/<name>.ts --check`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startApp } from "../test/support/gradio.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const VERSION = process.env.SPACEGEN_CAPTURE_GRADIO ?? "6.31.0";
const STABLE_URL = "http://127.0.0.1:7860";
/** name in generated/ → test app */
export const EXAMPLES = { calculator: "calculator", basic: "basic", media: "media", text_to_image: "text_to_image", image_to_3d: "image_to_3d", live: "live" };

const cli = (args) =>
  execFileSync(process.execPath, [join(ROOT, "bin/spacegen.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] })
    .toString()
    .trim();

async function capture(name, app) {
  const out = `generated/${name}.ts`;
  const snapshot = `generated/${name}.schema.json`;
  if (!process.argv.includes("--offline")) {
    const running = await startApp(app, { version: VERSION });
    const dir = mkdtempSync(join(tmpdir(), "spacegen-capture-out-"));
    try {
      cli([running.url, "-o", join(dir, `${name}.ts`), "--quiet"]);
      const doc = JSON.parse(readFileSync(join(dir, `${name}.schema.json`), "utf8"));
      doc.source = { ...doc.source, url: STABLE_URL, name };
      writeFileSync(join(ROOT, snapshot), JSON.stringify(doc, null, 2) + "\n");
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // the module (and a normalized snapshot) from the snapshot, as `--check` will regenerate them
  console.log(cli([snapshot, "-o", out]));
}

for (const [name, app] of Object.entries(EXAMPLES)) await capture(name, app);
process.exit(0);
