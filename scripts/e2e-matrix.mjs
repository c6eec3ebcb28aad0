#!/usr/bin/env node
// Prints the e2e matrix (app × Gradio version × runtime → endpoints exercised / endpoints in the module) from the
// reports the e2e suite writes to test/e2e/.generated/<version>/matrix/<app>.<runtime>.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../test/e2e/.generated/", import.meta.url).pathname;
const versions = ["6.31.0", "5.50.0", "4.44.1"].filter((v) => existsSync(join(root, v, "matrix")));
const runtimes = ["node", "bun", "deno", "chromium"];
const cells = new Map();
const apps = new Set();
const notes = [];
for (const v of versions)
  for (const f of readdirSync(join(root, v, "matrix"))) {
    const [app, runtime] = f.replace(/\.json$/, "").split(".");
    const r = JSON.parse(readFileSync(join(root, v, "matrix", f), "utf8"));
    apps.add(app);
    const s = r.summary;
    cells.set(`${app}|${v}|${runtime}`, `${s.exercised.length}/${r.endpoints.length}${s.failed.length ? ` FAIL(${s.failed.length})` : ""}`);
    for (const k of s.skipped) notes.push(`${app} ${v} ${runtime}: skipped ${k.endpoints.join(", ")}: ${k.reason}`);
  }
console.log(`| app | gradio | ${runtimes.join(" | ")} |\n|---|---|${runtimes.map(() => "---").join("|")}|`);
for (const app of [...apps].sort())
  for (const v of versions) console.log(`| ${app} | ${v} | ${runtimes.map((rt) => cells.get(`${app}|${v}|${rt}`) ?? "–").join(" | ")} |`);
for (const n of [...new Set(notes)]) console.log(`- ${n}`);
