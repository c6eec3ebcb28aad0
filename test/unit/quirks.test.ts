// Gradio's quirks (src/normalize/quirks.ts), one fixture each: { name, in: the rule's arguments, out: what
// it must give }. Every rule in QUIRKS needs at least one, so a new quirk cannot come without its fixture.
import { describe, expect, it } from "vitest";
import { QUIRKS } from "../../src/normalize/quirks.ts";
import type { TrimmedConfig } from "../../src/load/snapshot.ts";

type Name = keyof typeof QUIRKS;
interface Fixture {
  name: Name;
  in: unknown[];
  out: unknown;
}

const FILE = "x-spacegen-file";
const config = (over: Partial<TrimmedConfig>): TrimmedConfig => ({
  version: "5.50.0",
  api_prefix: "/gradio_api",
  protocol: "sse_v3",
  components: [],
  dependencies: [],
  ...over,
});
const components: TrimmedConfig["components"] = [
  { id: 1, type: "textbox", skip_api: false },
  { id: 2, type: "state", skip_api: true },
  { id: 3, type: "button", skip_api: true },
  { id: 4, type: "dropdown", skip_api: false, allow_custom_value: true },
  { id: 5, type: "dropdown", skip_api: false },
  { id: 6, type: "textbox", skip_api: false, allow_custom_value: true },
];
const fileData = { type: "object", properties: { path: { type: "string" }, meta: { default: { _type: "gradio.FileData" } } } };

const FIXTURES: Fixture[] = [
  { name: "i18n label", in: [{ __type__: "translation_metadata", key: "Prompt" }], out: "Prompt" },
  { name: "i18n label", in: ["Seed"], out: "Seed" },
  { name: "i18n label", in: [42], out: "" },
  { name: "Slider range from prose", in: ["numeric value between 0 and 100"], out: { min: 0, max: 100 } },
  { name: "Slider range from prose", in: ["numeric value between -1.5 and 2.5."], out: { min: -1.5, max: 2.5 } },
  { name: "Slider range from prose", in: ["a number"], out: null },
  { name: "FileData rule", in: [fileData], out: true },
  { name: "FileData rule", in: [{ properties: { path: {}, url: {}, orig_name: {}, mime_type: {} } }], out: true },
  { name: "FileData rule", in: [{ properties: { path: {}, size: {} } }], out: false },
  { name: "File output as one or a list", in: ["File", { [FILE]: true }], out: { anyOf: [{ [FILE]: true }, { type: "array", items: { [FILE]: true } }] } },
  {
    name: "File output as one or a list",
    in: ["Files", { type: "array", items: { [FILE]: true } }],
    out: { anyOf: [{ type: "array", items: { [FILE]: true } }, { [FILE]: true }] },
  },
  { name: "File output as one or a list", in: ["Image", { [FILE]: true }], out: { [FILE]: true } },
  { name: "custom-value Dropdown ids", in: [config({ components })], out: new Set([4]) },
  { name: "custom-value Dropdown takes any string", in: [{ enum: ["a", 1] }], out: { anyOf: [{ enum: ["a", 1] }, { "x-spacegen-any-string": true }] } },
  {
    name: "custom-value Dropdown takes any string",
    in: [{ type: "array", items: { enum: ["a"] } }],
    out: { type: "array", items: { anyOf: [{ enum: ["a"] }, { "x-spacegen-any-string": true }] } },
  },
  { name: "State and Button as hidden slots", in: [config({ components })], out: new Set([2, 3]) },
  { name: "State and Button as hidden slots", in: [null], out: new Set() },
  { name: "State means a session per call", in: [config({ components })], out: new Set([2]) },
  { name: "queue transport by default", in: [config({ protocol: "sse_v3" })], out: true },
  { name: "queue transport by default", in: [config({ protocol: "sse_v1" })], out: false },
  { name: "queue transport by default", in: [null], out: false },
  { name: "whole generator values before 6.27", in: [config({ version: "4.44.1" })], out: true },
  { name: "whole generator values before 6.27", in: [config({ version: "6.26.0" })], out: true },
  { name: "whole generator values before 6.27", in: [config({ version: "6.27.0" })], out: false },
  { name: "whole generator values before 6.27", in: [config({ version: null })], out: false },
  { name: "whole generator values before 6.27", in: [null], out: false },
];

describe("Gradio's quirks", () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))("%s", (_, fixture) => {
    const rule = QUIRKS[fixture.name] as (...args: unknown[]) => unknown;
    expect(rule(...fixture.in)).toEqual(fixture.out);
  });

  it("every rule has a fixture", () => {
    expect(new Set(FIXTURES.map((f) => f.name))).toEqual(new Set(Object.keys(QUIRKS)));
  });
});
