// A module carries only the runtime declarations it uses (src/emit/runtime-template.ts: splitDeclarations, runtimeFor),
// so none is ever unused under a user's noUnusedLocals, whatever the templates declare.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { parseJson } from "../../src/shared/json.ts";
import { loadRuntimeTemplate, runtimeFor, splitDeclarations, type RuntimeTemplate } from "../../src/emit/runtime-template.ts";
import { SNAPSHOT_FORMAT, type Snapshot } from "../../src/load/snapshot.ts";
import { repoRoot } from "../support/paths.ts";

const SYNTHETIC = `/** public */
export function api(): string {
  return helper() + String(typed);
}

// used by api
function helper(): string {
  const unused = 1; // a local named like nothing top-level
  return "h" + unused;
}

function unusedHelper(): void {}

function shadowed(): number {
  return 1;
}

/** names "unusedHelper" only as a property and "shadowed" only as a local */
export function decoy(o: { unusedHelper: number }): number {
  const shadowed = o.unusedHelper;
  return shadowed + ({ unusedHelper: 2 }).unusedHelper;
}

const typed = 1;

type Internal = { a: typeof typed };

function byShorthand(): { helperRef: () => string } {
  const helperRef = onlyShorthand;
  return { helperRef };
}

function onlyShorthand(): string {
  return "";
}

export const viaShorthand = (): unknown => ({ byShorthand });

function forTheApi(x: Internal): Internal {
  return x;
}`;

async function synthetic(): Promise<RuntimeTemplate> {
  return { code: SYNTHETIC, declarations: await splitDeclarations(SYNTHETIC), valueNames: [], typeNames: [] };
}

function declaredFunctions(code: string): string[] {
  return [...code.matchAll(/^(?:export )?(?:async )?(?:function\*?|const|type|interface|class) (\w+)/gm)].map((m) => m[1]!);
}

describe("splitDeclarations", () => {
  it("splits into statements whose texts, joined, are the code (comments and blank lines kept with the next one)", async () => {
    const { declarations } = await synthetic();
    expect(declarations.map((d) => d.names)).toEqual([
      ["api"],
      ["helper"],
      ["unusedHelper"],
      ["shadowed"],
      ["decoy"],
      ["typed"],
      ["Internal"],
      ["byShorthand"],
      ["onlyShorthand"],
      ["viaShorthand"],
      ["forTheApi"],
    ]);
    expect(declarations.map((d) => d.text).join("")).toBe(SYNTHETIC);
    expect(declarations[1]!.text).toMatch(/^\n\n\/\/ used by api\nfunction helper/);
    expect(declarations.filter((d) => d.exported).map((d) => d.names[0])).toEqual(["api", "decoy", "viaShorthand"]);
  });

  it("records references by symbol: not properties, not shadowing locals; shorthand properties and typeof count", async () => {
    const byName = Object.fromEntries((await synthetic()).declarations.map((d) => [d.names[0], d.uses]));
    expect(byName.api).toEqual(["helper", "typed"]);
    expect(byName.decoy).toEqual([]);
    expect(byName.Internal).toEqual(["typed"]);
    expect(byName.byShorthand).toEqual(["onlyShorthand"]);
    expect(byName.viaShorthand).toEqual(["byShorthand"]);
  });

  it("the shipped runtime splits into its declarations exactly", async () => {
    const runtime = await loadRuntimeTemplate();
    expect(runtime.declarations.map((d) => d.text).join("")).toBe(runtime.code);
    expect(runtime.declarations.length).toBeGreaterThan(30);
  });
});

describe("runtimeFor", () => {
  it("keeps the exported declarations, the used ones and what they reference, transitively, in order", async () => {
    const code = runtimeFor(await synthetic(), []);
    expect(declaredFunctions(code)).toEqual(["api", "helper", "decoy", "typed", "byShorthand", "onlyShorthand", "viaShorthand"]);
    expect(code.startsWith("/** public */")).toBe(true);
    expect(declaredFunctions(runtimeFor(await synthetic(), ["forTheApi"]))).toContain("Internal");
  });

  it("refuses a name the runtime does not declare (an emitter out of step with the templates)", async () => {
    expect(() => runtimeFor({ code: "", declarations: [], valueNames: [], typeNames: [] }, ["endpoint"])).toThrow(/does not declare/);
  });

  it("a module without file inputs carries no `endpoint` helper; one with file inputs does", async () => {
    const read = (name: string) => parseJson(readFileSync(join(repoRoot, "generated", `${name}.schema.json`), "utf8"), name) as Snapshot;
    const basic = (await generateModule(read("basic"), { regenerate: "x" })).code;
    const media = (await generateModule(read("media"), { regenerate: "x" })).code;
    expect(basic).not.toMatch(/^function endpoint</m);
    expect(basic).not.toMatch(/\bendpoint\(\$app/);
    expect(basic).toMatch(/^function bareEndpoint</m);
    expect(media).toMatch(/^function endpoint</m);
    expect(media).toMatch(/ endpoint\(\$app/);
    // everything else of the runtime is in both, but for queued(): plain calls through the queue, only for apps on Gradio < 6.13
    const runtime = await loadRuntimeTemplate();
    const all = runtime.declarations.flatMap((d) => d.names);
    const missing = (code: string) =>
      all.filter(
        (n) => !new RegExp(`^(?:export )?(?:declare )?(?:async )?(?:function\\*?|const|type|interface|class) ${n.replace("$", "\\$")}\\b`, "m").test(code),
      );
    expect(missing(basic)).toEqual(["endpoint", "queued"]);
    expect(missing(media)).toEqual(["queued"]);
  });

  it("a module without endpoints has no $app and an unused-parameter-safe createClient", async () => {
    const snapshot: Snapshot = {
      spacegen: SNAPSHOT_FORMAT,
      source: { space: null, url: "http://127.0.0.1:7860", name: "empty" },
      gradioVersion: "6.31.0",
      config: null,
      apiPrefix: "/gradio_api",
      info: { named_endpoints: {}, unnamed_endpoints: {} },
      notes: [],
    };
    const { code } = await generateModule(snapshot, { regenerate: "x" });
    expect(code).not.toMatch(/\$app/);
    expect(code).toMatch(/export function createClient\(_options: ClientOptions = \{\}\)/);
    expect(code).not.toMatch(/^function (bareEndpoint|endpoint|bind|run)\b/m);
  });
});
