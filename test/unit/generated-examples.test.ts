// The committed examples in generated/ (made by scripts/capture-examples.mjs from the test apps on Gradio 6.31.0)
// are in sync with their snapshots: `spacegen generated/<x>.schema.json -o generated/<x>.ts --check` exits 0,
// offline. This is the project's one `--check` over generated/ (CI's guard that the committed modules are what
// their snapshots regenerate). After an emitter or runtime change, refresh them with `npm run refresh`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { repoRoot } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";
import { typeCheckScenario } from "../e2e/suite.ts";

const examples = readdirSync(join(repoRoot, "generated"))
  .filter((f) => f.endsWith(".schema.json"))
  .map((f) => f.replace(/\.schema\.json$/, ""))
  .sort();

describe("generated/ examples", () => {
  it("has the README's examples: the demo calculator, basic, media, the text → image → 3D chain and live", () => {
    expect(examples).toEqual(expect.arrayContaining(["calculator", "basic", "media", "text_to_image", "image_to_3d", "live"]));
  });

  it("every module in generated/ has its snapshot, so the check below covers it", () => {
    const modules = readdirSync(join(repoRoot, "generated")).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"));
    expect(modules.map((f) => f.replace(/\.(ts|js)$/, "")).sort()).toEqual(examples);
  });

  it.each(examples)("%s: --check from its snapshot exits 0 (offline)", async (name) => {
    // an unroutable proxy: any network access would fail the check
    const env = { HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9", HF_TOKEN: "" };
    const r = await runCli([`generated/${name}.schema.json`, "-o", `generated/${name}.ts`, "--check"], { cwd: repoRoot, env });
    expect(r.stdout + r.stderr).toContain("up to date");
    expect(r.code).toBe(0);
  });

  it.each(examples)("%s: records the stable app URL, not a launch port", (name) => {
    const snapshot = JSON.parse(readFileSync(join(repoRoot, "generated", `${name}.schema.json`), "utf8"));
    expect(snapshot.source.url).toBe("http://127.0.0.1:7860");
    expect(readFileSync(join(repoRoot, "generated", `${name}.ts`), "utf8")).toContain(`npx spacegen http://127.0.0.1:7860 -o generated/${name}.ts`);
  });

  it.each(["dom", "node"] as const)(
    "every committed module compiles under the contract's strict configuration (%s)",
    (config) => {
      const files = examples.map((name) => join(repoRoot, "generated", `${name}.ts`));
      expect(typeCheck(files, config)).toEqual([]);
    },
    120_000,
  );

  it.each(["dom", "node"] as const)(
    "the chain scenario type-checks against the committed text_to_image and image_to_3d (%s)",
    (config) => {
      const aliases = {
        "@e2e/text_to_image": join(repoRoot, "generated/text_to_image.ts"),
        "@e2e/image_to_3d": join(repoRoot, "generated/image_to_3d.ts"),
      };
      expect(typeCheckScenario([join(repoRoot, "test/e2e/scenarios/chain.ts"), ...Object.values(aliases)], aliases, config)).toEqual([]);
    },
    120_000,
  );
});
