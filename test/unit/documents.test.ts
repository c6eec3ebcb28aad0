// Issue 13, point 16: documents kept exactly. A snapshot keeps a document's own "__proto__" keys as data
// (generate, write the snapshot, regenerate from it: the same bytes, every key still there); integers a
// JavaScript number cannot hold are never typed as a wrong literal (Dropdown choices 12345678901234567890
// and 12345678901234567891 both became the literal 12345678901234567000, which the app accepts for neither).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { typeCheck } from "../support/strict.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-documents-"));

// Raw JSON text: in a JavaScript object literal "__proto__" would set the prototype instead of a key.
const PROTO_DOC = `{
  "__proto__": {"named_endpoints": {"/polluted": {}}},
  "version_note": "top-level keys are kept too",
  "named_endpoints": {
    "/__proto__": {
      "parameters": [{
        "label": "p", "parameter_name": "__proto__", "parameter_has_default": true,
        "parameter_default": {"__proto__": {"polluted": true}, "a": [{"__proto__": 1}]},
        "type": {"type": "object", "properties": {"__proto__": {"type": "string", "enum": ["__proto__", "x"]}}, "__proto__": {"type": "number"}},
        "python_type": {"type": "dict", "description": ""}, "component": "JSON", "__proto__": {"x": 1}
      }],
      "returns": [{"label": "__proto__", "type": {"type": "string", "enum": ["__proto__"]}, "component": "Textbox"}],
      "api_visibility": "public", "description": ""
    },
    "/ok": {"parameters": [], "returns": [], "api_visibility": "public", "description": ""}
  }
}`;

const protoKeys = (text: string) => (text.match(/"__proto__"\s*:/g) ?? []).length;

describe('"__proto__" keys', () => {
  it("survive the snapshot: regenerating from it gives the same bytes, and every key is still data", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "doc.json"), PROTO_DOC);
    const first = await runCli(["doc.json", "-o", "m.ts"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const module1 = readFileSync(join(dir, "m.ts"), "utf8");
    const snapshot1 = readFileSync(join(dir, "m.schema.json"), "utf8");
    expect(protoKeys(snapshot1)).toBe(protoKeys(PROTO_DOC));
    const info = JSON.parse(snapshot1).info as Record<string, unknown>;
    expect(Object.keys(info)).toEqual(["__proto__", "version_note", "named_endpoints"]);
    expect(Object.getPrototypeOf(info)).toBe(Object.prototype);

    const again = await runCli(["m.schema.json", "-o", "m.ts"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, "m.schema.json"), "utf8")).toBe(snapshot1);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toBe(module1);
    // the default keeps its "__proto__" key as an own property in the module
    expect(module1).toMatch(/\["__proto__"\]: \{ polluted: true \}/);
  });
});

describe("integers a JavaScript number cannot hold", () => {
  const dropdown = (name: string, choices: string) =>
    `{"label": "${name}", "parameter_name": "${name}", "parameter_has_default": false, "type": {"type": "string", "enum": ${choices}}, "python_type": {"type": "int", "description": ""}, "component": "Dropdown"}`;
  const doc = `{"named_endpoints": {"/pick": {
    "parameters": [${dropdown("big", "[12345678901234567890, 12345678901234567891]")}, ${dropdown("mixed", '["a", 12345678901234567890, 5]')}, ${dropdown("safe", "[9007199254740991, 1]")}],
    "returns": [{"label": "out", "type": {"const": 98765432109876543210}, "component": "Number"}],
    "api_visibility": "public", "description": ""}}}`;

  it("are typed as number, never as the rounded literal, with a warning and a note in the docs", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "doc.json"), doc);
    const r = await runCli(["doc.json", "-o", "m.ts"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const code = readFileSync(join(dir, "m.ts"), "utf8");
    expect(code).not.toContain("12345678901234567000");
    expect(code).not.toContain("98765432109876540000");
    const input = /export interface PickInput \{[\s\S]*?\n\}/.exec(code)![0];
    expect(input).toMatch(/ {2}big: number;/);
    expect(input).toMatch(/ {2}mixed: \("a" \| 5\) \| number;/);
    expect(input).toMatch(/ {2}safe: 9007199254740991 \| 1;/);
    expect(code).toMatch(/export type PickOutput = OutputValue<number>;/);
    expect(input).toContain(
      "Note: the choices 12345678901234567890, 12345678901234567891 are integers a JavaScript number cannot hold exactly, so they are typed as number.",
    );
    const warnings = r.stderr.split("\n").filter((l) => /cannot hold exactly/.test(l));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      'spacegen: warning: doc.json: endpoint "/pick": parameter 0: the choices 12345678901234567890, 12345678901234567891 are integers a JavaScript number cannot hold exactly, so they are typed as number',
    );
    // the snapshot still holds the exact digits
    expect(readFileSync(join(dir, "m.schema.json"), "utf8")).toContain(
      "[\n                12345678901234567890,\n                12345678901234567891\n              ]",
    );
    expect([...typeCheck([join(dir, "m.ts")], "dom"), ...typeCheck([join(dir, "m.ts")], "node")]).toEqual([]);
  }, 120_000);
});
