import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { sanitizeSchema } from "../../src/normalize/safe-schema.ts";
import { sliderRange } from "../../src/normalize/quirks.ts";
import { FILE } from "../../src/normalize/ir.ts";
import { sharedFixtures } from "../support/paths.ts";

const schemas = JSON.parse(readFileSync(resolve(sharedFixtures, "protocol/component-schemas-gradio6-head.json"), "utf8")) as Record<string, unknown>;

const FILE_DATA = {
  $defs: { FileDataMeta: { properties: { _type: { const: "gradio.FileData", type: "string" } }, required: ["_type"], type: "object" } },
  properties: { path: { type: "string" }, url: { anyOf: [{ type: "string" }, { type: "null" }] }, meta: { $ref: "#/$defs/FileDataMeta" } },
  required: ["path"],
  type: "object",
};
const IMAGE_DATA_4X = {
  properties: { path: { type: "string" }, meta: { default: { _type: "gradio.FileData" }, type: "object" } },
  type: "object",
};
const PRE_META_FILE = { properties: { path: { type: "string" }, url: {}, orig_name: {}, mime_type: {} }, type: "object" };

describe("file detection (gradio's _is_file_schema rule)", () => {
  it.each([
    ["FileData with $defs meta", FILE_DATA, 1],
    ["4.x meta default", IMAGE_DATA_4X, 1],
    ["FileData before meta existed", PRE_META_FILE, 1],
    ["array of $ref FileData (File multiple)", { type: "array", items: { $ref: "#/$defs/FileData" }, $defs: { FileData: FILE_DATA } }, { i: 1 }],
    [
      "MultimodalTextbox",
      { type: "object", properties: { text: { type: "string" }, files: { type: "array", items: FILE_DATA } } },
      { p: [["files", { i: 1 }]] },
    ],
    [
      "Gallery anyOf image/video",
      {
        type: "array",
        items: {
          anyOf: [
            { type: "object", properties: { image: FILE_DATA } },
            { type: "object", properties: { video: FILE_DATA } },
          ],
        },
      },
      {
        i: {
          p: [
            ["image", 1],
            ["video", 1],
          ],
        },
      },
    ],
    ["optional file", { anyOf: [FILE_DATA, { type: "null" }] }, 1],
    ["a path without meta is not a file", { type: "object", properties: { path: { type: "string" } } }, null],
    ["plain string", { type: "string" }, null],
  ])("%s", (_name, schema, plan) => {
    expect(sanitizeSchema(schema).files).toEqual(plan);
  });

  it("finds files in every data-model component schema of Gradio 6", () => {
    const plan = (name: string) => sanitizeSchema((schemas[name] as { type: unknown }).type).files;
    expect(plan("FileData")).toBe(1);
    expect(plan("ImageData")).toBe(1);
    expect(plan("ListFiles")).toEqual({ i: 1 });
    expect(plan("MultimodalData")).toEqual({ p: [["files", { i: 1 }]] });
    expect(plan("GalleryData")).toEqual({
      i: {
        p: [
          ["image", 1],
          ["video", 1],
        ],
      },
    });
    expect(plan("AnnotatedImageData")).toEqual({
      p: [
        ["image", 1],
        ["annotations", { i: { p: [["image", 1]] } }],
      ],
    });
    expect(plan("EditorData")).toEqual({
      p: [
        ["background", 1],
        ["layers", { i: 1 }],
        ["composite", 1],
      ],
    });
    expect(JSON.stringify(plan("ChatbotDataMessages"))).toContain('["file",1]');
    for (const name of ["Textbox", "Number(precision=0)", "Slider", "Dropdown", "JSON", "DataframeData", "LabelData"]) expect(plan(name), name).toBeNull();
  });
});

describe("sanitizeSchema", () => {
  it('treats the JSON component\'s "type": {} as unknown', () => {
    expect(sanitizeSchema({ type: {}, description: "any valid json" }).schema).toEqual({ tsType: "unknown" });
  });
  it("never passes through tsType or other unknown keywords from the document", () => {
    const { schema } = sanitizeSchema({ type: "string", tsType: "evil()", tsEnumNames: ["x"], $id: "http://x" });
    expect(schema).toEqual({ type: "string" });
  });
  it("keeps numeric enum values numeric, even under type string", () => {
    expect(sanitizeSchema({ type: "string", enum: ["a", 1, 2.5] }).schema).toEqual({ enum: ["a", 1, 2.5] });
  });
  it("turns prefixItems into a fixed tuple", () => {
    expect(sanitizeSchema({ type: "array", prefixItems: [{ type: "string" }, { type: "number" }] }).schema).toMatchObject({
      items: [{ type: "string" }, { type: "number" }],
      minItems: 2,
      maxItems: 2,
    });
  });
  it("cuts $ref cycles", () => {
    const cyclic = { $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } }, $ref: "#/$defs/Node" };
    const { schema } = sanitizeSchema(cyclic);
    expect(JSON.stringify(schema)).toContain('"tsType":"unknown"');
  });
  it("bounds depth", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 1000; i++) deep = { type: "array", items: deep };
    expect(JSON.stringify(sanitizeSchema(deep).schema)).toContain("unknown");
  });
  it("keeps __proto__ as a property name, not a prototype", () => {
    const parsed = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}');
    const props = sanitizeSchema(parsed).schema.properties as object;
    expect(Object.keys(props)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });
  it("ignores remote refs", () => {
    expect(sanitizeSchema({ $ref: "https://example.com/schema.json" }).schema).toEqual({ tsType: "unknown" });
  });
  it("marks file positions", () => {
    expect(sanitizeSchema(FILE_DATA).schema).toEqual({ [FILE]: true });
  });
});

describe("sliderRange", () => {
  it.each([
    ["numeric value between 0 and 100", { min: 0, max: 100 }],
    ["numeric value between 0.1 and 1.0", { min: 0.1, max: 1 }],
    ["numeric value between -5 and 5.", { min: -5, max: 5 }],
    ["any number", null],
    [undefined, null],
  ])("%s", (text, range) => expect(sliderRange(text)).toEqual(range));
});
