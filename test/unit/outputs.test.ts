// Output types (issue 14, classes 2–4): any output slot may hold null (a cleared component) or a component update
// ({"__type__": "update", …}) in place of its value, and a File output may be one FileData or a list whatever
// file_count says. A module is generated from a small snapshot and used by typed code under both strict
// configurations: what Gradio sends compiles, what it cannot send does not (@ts-expect-error), isUpdate narrows.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import type { Snapshot } from "../../src/load/snapshot.ts";
import { repoRoot } from "../support/paths.ts";
import { typeCheckScenario } from "../e2e/suite.ts";

const FILE_DATA = {
  properties: {
    path: { type: "string" },
    url: { anyOf: [{ type: "string" }, { type: "null" }] },
    orig_name: { anyOf: [{ type: "string" }, { type: "null" }] },
    mime_type: { anyOf: [{ type: "string" }, { type: "null" }] },
    meta: { default: { _type: "gradio.FileData" }, properties: { _type: { const: "gradio.FileData", type: "string" } }, type: "object" },
  },
  required: ["path"],
  type: "object",
};
const ret = (label: string, component: string, type: object) => ({ label, component, type, python_type: { type: "", description: "" } });
const endpoint = (...returns: object[]) => ({ parameters: [], returns, api_visibility: "public", description: "" });

const snapshot: Snapshot = {
  spacegen: 1,
  source: { space: null, url: "http://127.0.0.1:7860", name: "outputs" },
  gradioVersion: "6.31.0",
  config: null,
  apiPrefix: "/gradio_api",
  info: {
    named_endpoints: {
      "/text": endpoint(ret("text", "Textbox", { type: "string" })),
      "/pair": endpoint(ret("n", "Number", { type: "number" }), ret("image", "Image", FILE_DATA)),
      "/one_file": endpoint(ret("file", "File", FILE_DATA)),
      "/many_files": endpoint(ret("files", "File", { type: "array", items: FILE_DATA })),
      "/image": endpoint(ret("image", "Image", FILE_DATA)),
      "/anything": endpoint(ret("json", "JSON", {})),
      "/choice": endpoint(ret("choice", "Radio", { type: "string", enum: ["a", "b"] })),
    },
    unnamed_endpoints: {},
  },
  notes: [],
};

const USAGE = `
import { isUpdate, type TextOutput, type PairOutput, type OneFileOutput, type ManyFilesOutput, type ImageOutput, type AnythingOutput, type ChoiceOutput } from "@e2e/app";

export const values: TextOutput[] = ["x", null, { __type__: "update", interactive: false }, { __type__: "update", value: "v", visible: true }, { __type__: "update", value: null }];
export const pair: PairOutput = [null, { __type__: "update", visible: false }];
export const files: [OneFileOutput, OneFileOutput, ManyFilesOutput, ManyFilesOutput] = [{ path: "a" }, [{ path: "a" }, { path: "b" }], [{ path: "a" }], { path: "a" }];
export const cleared: [ImageOutput, OneFileOutput, AnythingOutput] = [null, null, null];

// an update may set new choices, and a value among them
export const choices: ChoiceOutput[] = ["a", null, { __type__: "update", choices: [["c", "c"]], value: "c" }];
// @ts-expect-error a value is one of the declared choices
export const wrongChoice: ChoiceOutput = "c";
export function choice(v: ChoiceOutput): string {
  return isUpdate(v) ? (v.value ?? "") : v === "a" || v === "b" ? v : "";
}

// @ts-expect-error an update's value has the slot's type
export const wrongUpdate: TextOutput = { __type__: "update", value: 3 };
// @ts-expect-error a value of another type
export const wrongValue: TextOutput = 3;
// @ts-expect-error not a FileData
export const wrongFile: OneFileOutput = [{ name: "a" }];
// @ts-expect-error an Image output is never a list
export const imageList: ImageOutput = [{ path: "a" }];

/** isUpdate tells an update from a value: after it, the value is the slot's own type or null. */
export function text(v: TextOutput): string {
  if (isUpdate(v)) return v.value ?? "(update)";
  return v ?? "(cleared)";
}
export function image(v: ImageOutput): string {
  if (isUpdate(v)) return String(v.visible);
  return v === null ? "" : v.path;
}
`;

describe("output types", () => {
  const dir = join(repoRoot, "test", "unit", ".tmp", "outputs");
  let module = "";

  it("every slot is OutputValue<…>, File outputs one or a list (declared case first)", async () => {
    const { code } = await generateModule(snapshot, { regenerate: "npx spacegen outputs" });
    mkdirSync(dir, { recursive: true });
    writeFileSync((module = join(dir, "outputs.ts")), code);
    writeFileSync(join(dir, "usage.ts"), USAGE);
    expect(code).toContain("export type TextOutput = OutputValue<string>;");
    expect(code).toContain("export type PairOutput = [n: OutputValue<number>, image: OutputValue<FileData>];");
    expect(code).toContain("export type OneFileOutput = OutputValue<FileData | FileData[]>;");
    expect(code).toContain("export type ManyFilesOutput = OutputValue<FileData[] | FileData>;");
    expect(code).toContain("export type ImageOutput = OutputValue<FileData>;");
    expect(code).toContain("export type AnythingOutput = unknown;");
    expect(code).toContain('export type ChoiceOutput = OutputValue<"a" | "b", string>;');
  });

  it.each(["dom", "node"] as const)(
    "typed code compiles against them (%s)",
    (config) => {
      expect(module).not.toBe("");
      expect(typeCheckScenario([join(dir, "usage.ts"), module], { "@e2e/app": module }, config)).toEqual([]);
    },
    60_000,
  );
});

describe("transport", () => {
  // issue 15 (was: issue 14's queued endpoints for Gradio < 6.13 only): the module takes the queue transport wherever
  // /config gave the slot layout and the app speaks sse_v3, on every version; the runtime picks it per call
  it("an app with a slot layout defaults to the queue on every version (file inputs keep their uploads); a bare /info to /call", async () => {
    const config = {
      version: "5.50.0",
      api_prefix: "/gradio_api",
      protocol: "sse_v3",
      components: [
        { id: 1, type: "textbox" },
        { id: 2, type: "file" },
      ],
      dependencies: [
        { id: 4, api_name: "text", inputs: [1], outputs: [1], types: { generator: false } },
        { id: 5, api_name: "upload", inputs: [2], outputs: [1], types: {} },
      ],
    };
    const info = {
      named_endpoints: {
        "/text": {
          parameters: [{ label: "t", parameter_name: "t", type: { type: "string" }, component: "Textbox" }],
          returns: [ret("text", "Textbox", { type: "string" })],
        },
        "/upload": {
          parameters: [{ label: "f", parameter_name: "f", type: FILE_DATA, component: "File" }],
          returns: [ret("text", "Textbox", { type: "string" })],
        },
      },
    };
    const { trimConfig } = await import("../../src/load/snapshot.ts");
    const compact = (c: string) => c.replace(/\s+/g, "");
    const old = { ...snapshot, gradioVersion: "5.50.0", config: trimConfig(config), info };
    const current = { ...old, gradioVersion: "6.31.0", config: trimConfig({ ...config, version: "6.31.0" }) };
    for (const s of [old, current]) {
      const { code } = await generateModule(s, { regenerate: "x" });
      // before 6.27 the queue is asked for whole generator values (quirks.ts wholeGeneratorValues)
      const whole = s === old ? ",wholeValues:true" : "";
      expect(compact(code)).toMatch(new RegExp(`const\\$app:AppSpec=\\{url:"[^"]*",prefix:"\\/gradio_api",cancel:true,queue:true${whole},?\\};`));
      expect(compact(code)).toMatch(/exportconsttext:Endpoint<TextInput,TextOutput>=\/\*@__PURE__\*\/bareEndpoint\(\$app,\{n:"text",.*?x:4,?\}\);/);
      expect(compact(code)).toMatch(/exportconstupload:Endpoint<UploadInput,UploadOutput>=\/\*@__PURE__\*\/endpoint\(\$app,\{.*?x:5,?\}\);/);
      expect(compact(code)).not.toMatch(/=\/\*@__PURE__\*\/queued\(/);
    }
    const bare = await generateModule({ ...old, config: null }, { regenerate: "x" });
    expect(compact(bare.code)).toMatch(/cancel:true,queue:false,?\};/);
  });
});

describe("isUpdate", () => {
  it("is true for an update only", async () => {
    const { isUpdate } = await import("../../templates/runtime.ts");
    const updates: unknown[] = [{ __type__: "update" }, { __type__: "update", value: 1 }];
    const values: unknown[] = ["update", null, 0, [], { value: 1 }, { __type__: "other" }, { path: "x" }];
    expect(updates.map((v) => isUpdate(v))).toEqual([true, true]);
    expect(values.map((v) => isUpdate(v))).toEqual(Array(7).fill(false));
  });
});
