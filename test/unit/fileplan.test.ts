// Issue 13, point 16: the file plan says "every extra property" when files sit under additionalProperties
// (the runtime's FilePlan `a`; declared properties without files are listed with 0 so that `a` skips them).
// The runtime half (a Blob there is uploaded) is in test/runtime/bounds.test.ts.
import { describe, expect, it } from "vitest";
import { sanitizeSchema } from "../../src/normalize/safe-schema.ts";

const FILE_DATA = {
  $defs: { FileDataMeta: { properties: { _type: { const: "gradio.FileData", type: "string" } }, required: ["_type"], type: "object" } },
  properties: { path: { type: "string" }, url: { anyOf: [{ type: "string" }, { type: "null" }] }, meta: { $ref: "#/$defs/FileDataMeta" } },
  required: ["path"],
  type: "object",
};

describe("file plans under additionalProperties", () => {
  it.each([
    ["a map of files", { type: "object", additionalProperties: FILE_DATA }, { a: 1 }],
    ["a map of file lists", { type: "object", additionalProperties: { type: "array", items: FILE_DATA } }, { a: { i: 1 } }],
    [
      "declared properties without files are listed with 0, so `a` skips them",
      { type: "object", properties: { label: { type: "string" }, cover: FILE_DATA }, additionalProperties: FILE_DATA },
      {
        p: [
          ["label", 0],
          ["cover", 1],
        ],
        a: 1,
      },
    ],
    ["a list of maps of files", { type: "array", items: { type: "object", additionalProperties: FILE_DATA } }, { i: { a: 1 } }],
    ["a $ref to a map of files", { $defs: { Files: { type: "object", additionalProperties: FILE_DATA } }, $ref: "#/$defs/Files" }, { a: 1 }],
    ["an optional map of files", { anyOf: [{ type: "object", additionalProperties: FILE_DATA }, { type: "null" }] }, { a: 1 }],
    ["a map of strings has no files", { type: "object", additionalProperties: { type: "string" } }, null],
    ["additionalProperties: true has no files", { type: "object", properties: { a: { type: "string" } }, additionalProperties: true }, null],
    ["declared files only: no `a`, no 0 entries", { type: "object", properties: { label: { type: "string" }, cover: FILE_DATA } }, { p: [["cover", 1]] }],
  ])("%s", (_name, schema, plan) => {
    expect(sanitizeSchema(schema).files).toEqual(plan);
  });

  it("merging branches: a property with files in one branch and none in the other has files", () => {
    const plan = sanitizeSchema({
      anyOf: [
        { type: "object", properties: { x: { type: "string" } }, additionalProperties: FILE_DATA },
        { type: "object", properties: { x: FILE_DATA } },
      ],
    }).files;
    expect(plan).toEqual({ p: [["x", 1]], a: 1 });
  });
});
