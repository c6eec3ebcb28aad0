// Property keys from a document reach the type renderer only as placeholders (src/emit/type-text.ts):
// keys that crashed json-schema-to-typescript, and keys that need quoting, come back exactly.
import { describe, expect, it } from "vitest";
import { normalize } from "../../src/normalize/normalize.ts";
import { renderType } from "../../src/emit/type-text.ts";

describe("renderType with hostile property keys", () => {
  it.each([["hasOwnProperty"], ["__proto__"], ["constructor"], ["lone \ud800"], ["*/ x /*"], ["a b"], ["0"]])("keeps %j as a key", async (key) => {
    const props: Record<string, unknown> = {};
    Object.defineProperty(props, key, { value: { type: "string" }, enumerable: true });
    const type = await renderType({ type: "object", properties: props, required: [key], additionalProperties: false }, "input");
    const quoted = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
    expect(type).toContain(`${quoted}: string`);
    expect(type).not.toMatch(/k[0-9a-f]{12}_/);
  });
});

describe("endpoint names", () => {
  it("skips a name that is not well-formed Unicode, with a warning", () => {
    const ir = normalize(
      {
        spacegen: 1,
        source: { space: null, url: "http://x", name: "x" },
        gradioVersion: null,
        config: null,
        apiPrefix: null,
        info: { named_endpoints: { "/a\ud800": { parameters: [], returns: [] }, "/ok": { parameters: [], returns: [] } } },
        notes: [],
      },
      { runtimeNames: [], runtimeTypeNames: [] },
    );
    expect(ir.endpoints.map((e) => e.apiName)).toEqual(["/ok"]);
    expect(ir.warnings.join("\n")).toMatch(/not well-formed Unicode/);
  });
});
