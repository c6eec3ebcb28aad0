// Types that tell the truth (issue 16, point 7): a Dropdown with allow_custom_value=True (a prop in /config) takes
// any string beside its choices, in the types (`"a" | (string & {})`, which keeps completion) and in callTool's
// schema; file parameters are documented for TypeScript callers, not with Gradio's Python wording.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { parseJson } from "../../src/shared/json.ts";
import { schemaHash, SNAPSHOT_FORMAT, trimConfig, type Snapshot } from "../../src/load/snapshot.ts";
import { toolsOf } from "../../src/emit/tools.ts";
import { goldenCases, goldenSnapshot } from "../support/goldens.ts";
import { repoRoot } from "../support/paths.ts";
import { STRICT_CONFIGS } from "../support/strict.ts";

const dropdown = (name: string, choices: string[], multiselect = false) => ({
  label: name,
  parameter_name: name,
  parameter_has_default: false,
  parameter_default: null,
  type: multiselect ? { type: "array", items: { type: "string", enum: choices } } : { type: "string", enum: choices },
  python_type: { type: "str", description: "" },
  component: "Dropdown",
});

/** An app with five inputs: custom single, custom multiselect, plain dropdown, and a radio and a textbox that carry the prop. */
function app(): Snapshot {
  const config = {
    version: "6.31.0",
    api_prefix: "/gradio_api",
    components: [
      { id: 1, type: "dropdown", props: { allow_custom_value: true, choices: [["a", "a"]] } },
      { id: 2, type: "dropdown", props: { allow_custom_value: true, multiselect: true } },
      { id: 3, type: "dropdown", props: { allow_custom_value: false } },
      // not Dropdowns: the prop means nothing there (a hostile /config may set it anywhere)
      { id: 4, type: "radio", props: { allow_custom_value: true } },
      { id: 5, type: "dropdown", props: { allow_custom_value: "yes" } },
      { id: 9, type: "json", props: {} },
    ],
    dependencies: [{ id: 0, api_name: "pick", inputs: [1, 2, 3, 4, 5], outputs: [9], types: { generator: false } }],
  };
  const info = {
    named_endpoints: {
      "/pick": {
        parameters: [
          dropdown("single", ["a", "b"]),
          dropdown("multi", ["x", "y"], true),
          dropdown("plain", ["p"]),
          { ...dropdown("radio", ["r"]), component: "Radio" },
          dropdown("truthy", ["t"]),
        ],
        returns: [{ label: "out", type: {}, component: "Json" }],
        api_visibility: "public",
      },
    },
    unnamed_endpoints: {},
  };
  return {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: null, url: "http://127.0.0.1:7860", name: "pick" },
    gradioVersion: "6.31.0",
    config: trimConfig(config),
    apiPrefix: null,
    info,
    notes: [],
  };
}

function interfaceMember(code: string, iface: string, key: string): string {
  const body = code.slice(code.indexOf(`export interface ${iface} {`));
  const member = new RegExp(`^  ${key}\\??: (.*);$`, "m").exec(body.slice(0, body.indexOf("\n}\n")));
  return member ? member[1]! : "(missing)";
}

describe("Dropdowns with allow_custom_value", () => {
  it("the snapshot keeps the prop, only where it is true, through a save and a reload", () => {
    const trimmed = app().config!;
    expect(trimmed.components.filter((c) => c.allow_custom_value).map((c) => c.id)).toEqual([1, 2, 4]);
    expect(trimConfig(JSON.parse(JSON.stringify(trimmed))).components).toEqual(trimmed.components);
    // a config without such a Dropdown hashes as before (no new key on every component)
    expect(Object.keys(trimmed.components[2]!)).toEqual(["id", "type", "skip_api"]);
  });

  it("types a custom Dropdown as its choices or any string; other inputs keep their choices only", async () => {
    const { code, ir } = await generateModule(app(), { regenerate: "x" });
    expect(interfaceMember(code, "PickInput", "single")).toBe('"a" | "b" | (string & {})');
    expect(interfaceMember(code, "PickInput", "multi")).toBe('("x" | "y" | (string & {}))[]');
    expect(interfaceMember(code, "PickInput", "plain")).toBe('"p"');
    expect(interfaceMember(code, "PickInput", "radio")).toBe('"r"');
    expect(interfaceMember(code, "PickInput", "truthy")).toBe('"t"');
    expect(ir.endpoints[0]!.params.map((p) => p.customValues)).toEqual([true, true, false, false, false]);
    expect(code).toMatch(/single \(Dropdown\)\n\s+\* The choices are suggestions: the app accepts any other string too/);
  });

  it("the tool schema accepts a custom value and still lists the choices", async () => {
    const { ir } = await generateModule(app(), { regenerate: "x" });
    const schema = toolsOf(ir)[0]!.inputSchema as { properties: Record<string, { anyOf?: unknown[]; items?: { anyOf?: unknown[] }; enum?: unknown[] }> };
    expect(schema.properties.single!.anyOf).toEqual([{ enum: ["a", "b"] }, { type: "string", description: expect.stringContaining("any other value") }]);
    expect(schema.properties.multi!.items!.anyOf?.[0]).toEqual({ enum: ["x", "y"] });
    expect(schema.properties.plain!.enum).toEqual(["p"]);
  });

  it("the committed basic module: callTool takes a custom value the old module refused; an unknown type still fails", async () => {
    const dir = join(repoRoot, "test/unit/.tmp/truthful");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "basic.mjs");
    const { build } = await import("esbuild");
    await build({ entryPoints: [join(repoRoot, "generated/basic.ts")], outfile: file, format: "esm", bundle: true, logLevel: "silent" });
    const mod = (await import(file)) as { callTool: (n: string, a: unknown, o?: unknown) => Promise<unknown> };
    // a stand-in for /call (POST → event id, GET → the stream): the calls are made through that transport
    const bodies: unknown[] = [];
    const fetch = async (_url: string, init?: { body?: string }) => {
      bodies.push(init?.body && JSON.parse(init.body));
      return new Response(bodies.length === 1 ? '{"event_id":"e1"}' : 'event: complete\ndata: [{"ok":true}]\n\n', { status: 200 });
    };
    const args = { radio: "red", single: "a", multi: [], numeric: 1, custom: "typed by the user", group: [] };
    await expect(mod.callTool("choices", args, { fetch, transport: "call" })).resolves.toEqual({ ok: true });
    expect((bodies[0] as { data: unknown[] }).data).toContain("typed by the user");
    await expect(mod.callTool("choices", { ...args, custom: 5 }, { fetch, transport: "call" })).rejects.toMatchObject({ kind: "validation" });
    await expect(mod.callTool("choices", { ...args, single: "free" }, { fetch, transport: "call" })).rejects.toMatchObject({ kind: "validation" });
  });

  it("the committed basic module type-checks a custom value and rejects one for a plain Dropdown", () => {
    const dir = join(repoRoot, "test/unit/.tmp/truthful");
    mkdirSync(dir, { recursive: true });
    const use = join(dir, "use.ts");
    writeFileSync(
      use,
      `import { choices, type ChoicesInput } from "../../../../generated/basic.ts";
const custom: ChoicesInput["custom"] = "anything the user typed";
const known: ChoicesInput["custom"] = "known";
// @ts-expect-error a plain Dropdown takes its choices only
const single: ChoicesInput["single"] = "d";
export const run = () => choices({ radio: "red", single: "a", multi: ["x"], numeric: 2, custom, group: [] }).then(() => [known, single]);
`,
    );
    const program = ts.createProgram([use], { ...STRICT_CONFIGS.dom, allowImportingTsExtensions: true, skipLibCheck: true });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "))).toEqual([]);
  }, 60_000);
});

describe("file parameters are documented for TypeScript callers", () => {
  it("every file input of every golden and committed module says what to pass, and none says 'A local filepath'", async () => {
    const modules = [
      ...["media", "image_to_3d", "text_to_image"].map((n) => readFileSync(join(repoRoot, "generated", `${n}.ts`), "utf8")),
      ...(await Promise.all(
        goldenCases.filter((c) => c.app === "media").map(async (c) => (await generateModule(goldenSnapshot(c), { regenerate: "x" })).code),
      )),
    ];
    let fileInputs = 0;
    for (const code of modules) {
      expect(code).not.toMatch(/A local filepath/i);
      expect(code).not.toMatch(/The FileData class is a subclass/);
      // each `x: FileInput` member's JSDoc
      for (const m of code.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n\s+[\w"]+\??: FileInput(?: \| null)?;/g)) {
        fileInputs++;
        const doc = m[1]!.replace(/\n\s*\* ?/g, " ");
        for (const what of ["`Blob`/`File`", "`URL`", "http(s) URL string", "`FileData`", "local file path", "Node, Deno and Bun"]) expect(doc).toContain(what);
      }
    }
    expect(fileInputs).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("the tool schema of a file input does not offer local paths to agents", async () => {
    const snapshot = parseJson(readFileSync(join(repoRoot, "generated/image_to_3d.schema.json"), "utf8"), "x") as Snapshot;
    const { ir } = await generateModule(snapshot, { regenerate: "x" });
    const text = JSON.stringify(toolsOf(ir)[0]!.inputSchema);
    expect(text).toContain("http(s) URL");
    expect(text).not.toMatch(/local|filepath/i);
    expect(schemaHash(snapshot)).toBe(ir.space.schemaHash);
  });
});
