// Unicode names become identifiers TypeScript itself accepts: the engine's Unicode tables are newer
// than tsc's (U+A7D3, a Unicode 14 letter, upper-cases to U+A7D2, which tsc 5.9 does not know), a
// case found by the property-based tests (seed 650527116).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import type { Snapshot } from "../../src/load/snapshot.ts";
import { repoRoot } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";

const names = ["/ꟓ⛉﨏Ȟ", "/画像生成", "/générer-image", "/ßtraße", "/ǅemo", "/𝒳x", "/ꟓ"];

describe("unicode endpoint names and labels", () => {
  it("generate modules that compile under both strict configurations", async () => {
    const named: Record<string, unknown> = {};
    for (const name of names)
      named[name] = {
        parameters: [
          { label: "ꟓ", parameter_name: "ꟓ⛉", parameter_has_default: false, parameter_default: null, type: { type: "string" }, component: "Textbox" },
        ],
        returns: [
          { label: "ꟓ résultat", type: { type: "string" }, component: "Textbox" },
          { label: "画像", type: { type: "number" }, component: "Number" },
        ],
        api_visibility: "public",
      };
    const snapshot: Snapshot = {
      spacegen: 1,
      source: { space: null, url: "http://127.0.0.1:7860", name: "unicode" },
      gradioVersion: "6.31.0",
      config: null,
      apiPrefix: "/gradio_api",
      info: { named_endpoints: named, unnamed_endpoints: {} },
      notes: [],
    };
    const { code, ir } = await generateModule(snapshot, { regenerate: "x" });
    expect(ir.endpoints.map((e) => e.apiName)).toEqual(names);
    expect(new Set(ir.endpoints.map((e) => e.functionName)).size).toBe(names.length);
    const dir = join(repoRoot, "test/unit/.tmp");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "unicode.ts");
    writeFileSync(file, code);
    expect([...typeCheck([file], "dom"), ...typeCheck([file], "node")]).toEqual([]);
  }, 60_000);
});
