import { describe, expect, it } from "vitest";
import { normalize } from "../../src/normalize/normalize.ts";
import { versionAtLeast } from "../../src/shared/gradio-version.ts";
import { parseJson } from "../../src/shared/json.ts";
import { trimConfig, type Snapshot } from "../../src/load/snapshot.ts";

const text = (name: string, label = name) => ({
  label,
  parameter_name: name,
  parameter_has_default: false,
  parameter_default: null,
  type: { type: "string" },
  python_type: { type: "str", description: "" },
  component: "Textbox",
  example_input: "Hello!!",
});

function snapshot(info: Record<string, unknown>, config: Record<string, unknown> | null, version = "6.31.0"): Snapshot {
  return {
    spacegen: 1,
    source: { space: null, url: "http://127.0.0.1:7860", name: "app" },
    gradioVersion: version,
    config: config ? trimConfig(config) : null,
    apiPrefix: null,
    info,
    notes: [],
  };
}

const options = { runtimeNames: ["endpoint", "bind", "SpaceError"], runtimeTypeNames: ["FileData", "FileInput", "Endpoint"] };

describe("slot layout from /config", () => {
  // inputs [textbox 1, state 2, textbox 3], outputs [textbox 4, state 2, button 5]
  const config = {
    version: "6.31.0",
    api_prefix: "/gradio_api",
    components: [
      { id: 1, type: "textbox", skip_api: false },
      { id: 2, type: "state", skip_api: true },
      { id: 3, type: "textbox", skip_api: false },
      { id: 4, type: "textbox", skip_api: false },
      { id: 5, type: "button", skip_api: true },
    ],
    dependencies: [
      { id: 0, api_name: "other", inputs: [], outputs: [], types: { generator: false } },
      { id: 7, api_name: "greet", inputs: [1, 2, 3], outputs: [4, 2, 5], types: { generator: true } },
    ],
  };
  const info = {
    named_endpoints: {
      "/greet": { parameters: [text("a"), text("b")], returns: [{ label: "out", type: { type: "string" }, component: "Textbox" }], api_visibility: "public" },
    },
  };
  const ir = normalize(snapshot(info, config), options);
  const greet = ir.endpoints[0]!;

  it("places hidden input slots as null between visible parameters", () => {
    expect(greet.inputSlots.map((s) => s?.key ?? null)).toEqual(["a", null, "b"]);
  });
  it("marks hidden output slots", () => {
    expect(greet.outputSlots.map((s) => (s ? s.label : null))).toEqual(["out", null, null]);
  });
  it("takes fn_index and the generator flag from the dependency", () => {
    expect(greet.fnIndex).toBe(7);
    expect(greet.generator).toBe(true);
  });
  // issue 15 (was: issue 14's queue for Gradio < 6.13 only): the queue transport is the default wherever the module
  // knows each endpoint's fn_index, on every version that speaks sse_v3 (the runtime picks it per call)
  it("calls through the queue by default when /config gave the slot layout and the app speaks sse_v3", () => {
    expect(normalize(snapshot(info, { ...config, protocol: "sse_v3" }), options).queue).toBe(true);
    expect(normalize(snapshot(info, { ...config, version: "4.44.1", protocol: "sse_v3" }, "4.44.1"), options).queue).toBe(true);
    // an older protocol, none said, or no /config (no dependency id): /call
    expect(normalize(snapshot(info, { ...config, protocol: "sse_v2" }), options).queue).toBe(false);
    expect(normalize(snapshot(info, config), options).queue).toBe(false);
    expect(normalize(snapshot(info, null, "5.50.0"), options).queue).toBe(false);
  });
  it("marks an endpoint with a gr.State input or output: its calls get sessions of their own", () => {
    expect(greet.stateful).toBe(true);
    const stateless = { ...config, dependencies: [{ id: 7, api_name: "greet", inputs: [1, 5, 3], outputs: [4, 5, 5], types: {} }] };
    const result = normalize(snapshot(info, stateless), options);
    expect(result.endpoints[0]!.stateful).toBe(false);
  });
  it("falls back to the /info layout with a warning when counts disagree", () => {
    const broken = { ...config, dependencies: [{ id: 7, api_name: "greet", inputs: [1], outputs: [4], types: {} }] };
    const result = normalize(snapshot(info, broken), options);
    expect(result.endpoints[0]!.inputSlots.map((s) => s?.key)).toEqual(["a", "b"]);
    expect(result.warnings.join("\n")).toMatch(/1 visible slots but \/info lists 2/);
  });
});

describe("endpoints", () => {
  const info = {
    named_endpoints: {
      "/predict": { parameters: [], returns: [], api_visibility: "public" },
      "/predict_1": { parameters: [], returns: [], api_visibility: "public" },
      "/hidden": { parameters: [], returns: [], api_visibility: "undocumented" },
      "/fetch": { parameters: [], returns: [], show_api: true },
      "/file": { parameters: [], returns: [], show_api: true },
      "/a/b": { parameters: [], returns: [], show_api: true },
      "/space": { parameters: [], returns: [], show_api: true },
    },
  };
  it("keeps document order, public only by default, and allocates safe names", () => {
    const ir = normalize(snapshot(info, null), options);
    expect(ir.endpoints.map((e) => [e.apiName, e.functionName, e.inputType, e.outputType, e.toolName])).toEqual([
      ["/predict", "predict", "PredictInput", "PredictOutput", "predict"],
      ["/predict_1", "predict1", "Predict1Input", "Predict1Output", "predict_1"],
      ["/fetch", "fetch_2", "Fetch_2Input", "Fetch_2Output", "fetch"],
      ["/file", "file", "File_2Input", "File_2Output", "file"],
      ["/space", "space_2", "Space_2Input", "Space_2Output", "space"],
    ]);
    expect(ir.warnings.join("\n")).toMatch(/"\/a\/b": a name with "\/" cannot be called/);
  });
  it("adds undocumented endpoints with allEndpoints", () => {
    const ir = normalize(snapshot(info, null), { ...options, allEndpoints: true });
    expect(ir.endpoints.find((e) => e.apiName === "/hidden")?.visibility).toBe("undocumented");
  });
});

describe("parameters", () => {
  it("uses parameter_name verbatim, falls back to labels, and dedupes keys", () => {
    const info = {
      named_endpoints: {
        "/x": {
          parameters: [text("a-b"), { ...text(""), parameter_name: undefined, label: "Label" }, text("a-b"), { type: { type: "string" } }],
          returns: [],
          show_api: true,
        },
      },
    };
    const ir = normalize(snapshot(info, null), options);
    expect(ir.endpoints[0]!.params.map((p) => p.key)).toEqual(["a-b", "Label", "a-b_2", "param_3"]);
  });
  it("keeps defaults and parses slider ranges", () => {
    const slider = {
      ...text("steps"),
      parameter_has_default: true,
      parameter_default: 20,
      type: { type: "number", description: "numeric value between 1 and 50" },
      component: "Slider",
    };
    const ir = normalize(snapshot({ named_endpoints: { "/x": { parameters: [slider], returns: [], show_api: true } } }, null), options);
    expect(ir.endpoints[0]!.params[0]).toMatchObject({ hasDefault: true, default: 20, range: { min: 1, max: 50 } });
  });
  it("warns where a default holds an integer a JavaScript number cannot hold (what a call that leaves it out sends)", () => {
    const raw = `{"named_endpoints": {"/x": {"parameters": [{"label": "seed", "parameter_name": "seed", "parameter_has_default": true,
      "parameter_default": {"seeds": [1, 12345678901234567890]}, "type": {"type": "object"}}], "returns": [], "show_api": true}}}`;
    const ir = normalize(snapshot(parseJson(raw, "info") as Record<string, unknown>, null), options);
    expect(ir.warnings).toContain(
      'endpoint "/x": parameter 0: its default holds 12345678901234567890, an integer a JavaScript number cannot hold exactly; a call that leaves it out sends 12345678901234567000',
    );
    const exact = normalize(snapshot(parseJson(raw.replace("12345678901234567890", "9007199254740991"), "info") as Record<string, unknown>, null), options);
    expect(exact.warnings.filter((w) => w.includes("cannot hold"))).toEqual([]);
  });
});

describe("versionAtLeast", () => {
  it.each([
    ["4.44.1", "4.31", true],
    ["4.20.0", "4.31", false],
    ["5.0.0", "5.0", true],
    ["6.31.0", "6.18", true],
    ["4.9.1", "4.20", false],
    [null, "4.31", true],
  ])("%s ≥ %s → %s", (v, min, ok) => expect(versionAtLeast(v, min)).toBe(ok));
});
