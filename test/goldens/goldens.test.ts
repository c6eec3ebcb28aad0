// Goldens: the modules generated from the /config and /info that the project's own apps served on
// each Gradio version, each beside its inputs (test/goldens/<version>/<app>/{config.json,info.json,module.ts},
// captured by scripts/observe.mjs). A change in generated output shows up here as a reviewed diff;
// `npm run refresh` (or `UPDATE_GOLDENS=1 npx vitest run test/goldens`) rewrites them after a deliberate change.
// The runtime part of each module is left out of the golden (it is the templates' code, tested in test/runtime/),
// so runtime work does not churn them; the golden names the template declarations the module does not carry
// (runtimeFor: those it does not use).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { loadRuntimeTemplate } from "../../src/emit/runtime-template.ts";
import { goldenCases as cases, goldenModule, goldenSnapshot as snapshotOf } from "../support/goldens.ts";
import { repoRoot } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";

const update = process.env.UPDATE_GOLDENS === "1";

describe("goldens from the project's own apps", () => {
  const files: string[] = [];
  it("has captures for three Gradio versions", () => {
    expect(new Set(cases.map((c) => c.version)).size).toBe(3);
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
  it.each(cases.map((c) => [`${c.version}/${c.app}`, c]))("%s", async (_name, c) => {
    const { code: full } = await generateModule(snapshotOf(c), { regenerate: `npx spacegen http://127.0.0.1:7860 -o ${c.app}.ts` });
    const api = full.indexOf("const $app");
    expect(api).toBeGreaterThan(0);
    const runtime = await loadRuntimeTemplate();
    const left = runtime.declarations.filter((d) => !full.includes(d.text.trimStart())).flatMap((d) => d.names);
    const omitted = `// (runtime omitted from the golden; not carried by this module: ${left.join(", ") || "nothing"})`;
    const code = full.slice(0, full.indexOf("\n\n") + 2) + omitted + "\n\n" + full.slice(api);
    const file = goldenModule(c);
    const tmp = join(repoRoot, "test/goldens/.tmp", c.version, `${c.app}.ts`);
    mkdirSync(join(repoRoot, "test/goldens/.tmp", c.version), { recursive: true });
    writeFileSync(tmp, full);
    files.push(tmp);
    if (update || !existsSync(file)) {
      writeFileSync(file, code);
      if (!update) throw new Error(`golden ${c.version}/${c.app}/module.ts was missing and has been written; review and commit it`);
    }
    expect(code).toBe(readFileSync(file, "utf8"));
  });
  it("every full module compiles under both strict configurations", () => {
    expect([...typeCheck(files, "dom"), ...typeCheck(files, "node")]).toEqual([]);
  }, 180_000);
});
