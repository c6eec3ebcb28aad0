#!/usr/bin/env node
// Start every test app on every given Gradio version (test/support/gradio.mjs) and record what it serves with
// scripts/observe.mjs into test/goldens/<version>/<app>/ (what tests read) and test/evidence/<version>/<app>/.
//
//   node scripts/observe-all.mjs                          # all apps, 6.31.0 5.50.0 4.44.1
//   APPS="basic chat" node scripts/observe-all.mjs 6.31.0
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { hasGradio, REPO_ROOT, startApp } from "../test/support/gradio.mjs";

const versions = process.argv.length > 2 ? process.argv.slice(2) : ["6.31.0", "5.50.0", "4.44.1"];
const apps = (process.env.APPS ?? "basic media chat stateful api errors_hidden").split(/\s+/).filter(Boolean);
let failed = false;
for (const version of versions) {
  if (!hasGradio(version)) {
    console.error(`no venv for ${version} (run scripts/setup-gradio.sh ${version})`);
    failed = true;
    continue;
  }
  for (const app of apps) {
    let running;
    try {
      running = await startApp(app, { version });
      execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "observe.mjs"), running.url, app], { stdio: "inherit" });
    } catch (error) {
      console.error(`observe failed: ${version} ${app}: ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
    } finally {
      await running?.stop();
    }
  }
}
process.exitCode = failed ? 1 : 0;
