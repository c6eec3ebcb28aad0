// The hostile corpus: /info documents (and spacegen snapshots) built from the strings in strings.ts,
// plus the big and malformed ones. Each case says what the CLI must do with it: write a module
// (that compiles, and that only defines things when imported) or refuse it with exit 2 and one line.
// Small hand-written documents live beside this file as *.json and are read by index.ts.

import { CLASHING_NAMES, HOSTILE_TEXT, LONG_TEXT } from "./strings.ts";

type Outcome = "module" | "refuse";

export interface HostileCase {
  name: string;
  /** a JSON value (written with JSON.stringify) or raw file text */
  doc?: unknown;
  text?: string;
  expect: Outcome;
  /** run alone in its own CLI process (big documents), so its time and memory are its own */
  alone?: boolean;
  /** for refusals: a fragment the one-line message must contain */
  message?: RegExp;
}

type Obj = Record<string, unknown>;

/** An own "__proto__" key, as JSON.parse would make it. */
function withProto(base: Obj, proto: unknown): Obj {
  Object.defineProperty(base, "__proto__", { value: proto, enumerable: true, writable: true, configurable: true });
  return base;
}

/** A Gradio 6 style parameter. */
function param(name: string, extra: Obj = {}): Obj {
  return {
    label: name,
    parameter_name: name,
    parameter_has_default: false,
    parameter_default: null,
    type: { type: "string" },
    python_type: { type: "str", description: "" },
    component: "Textbox",
    example_input: "Hello!!",
    ...extra,
  };
}

function ret(label: string, extra: Obj = {}): Obj {
  return { label, type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox", ...extra };
}

function info(named: Obj): Obj {
  return { named_endpoints: named, unnamed_endpoints: {} };
}

function ep(parameters: unknown, returns: unknown = [ret("out")], extra: Obj = {}): Obj {
  return { parameters, returns, api_visibility: "public", description: "", ...extra };
}

/** Puts one hostile string into every field a document has. */
function everywhere(s: string): Obj {
  const schema = {
    type: "object",
    title: s,
    description: s,
    properties: withProto({ [s]: { type: "string", description: s, enum: [s, "ok"] }, constructor: { type: "number" } }, { type: "string" }),
    required: [s],
    additionalProperties: false,
  };
  const named: Obj = {};
  // an endpoint named by the string (skipped with a warning when it contains "/")
  named["/" + s] = ep(
    [
      param(s, {
        label: s,
        component: s,
        parameter_has_default: true,
        parameter_default: s,
        example_input: s,
        type: { type: "string", description: s, additional_description: s, enum: [s, s + "2"] },
        python_type: { type: s, description: s },
      }),
    ],
    [ret(s, { component: s, type: { type: "string", description: s } })],
    { description: s },
  );
  named["/defaults"] = ep(
    [
      param("plain_" + s, { parameter_has_default: true, parameter_default: withProto({ [s]: s, nested: [s, { [s]: s }] }, { polluted: s }) }),
      param(s + "_nodefault", { type: schema }),
      param("obj", { parameter_has_default: true, parameter_default: withProto({}, s), type: schema }),
    ],
    [ret(s, { type: schema }), ret(s, { type: schema }), ret(s)],
    { description: s },
  );
  return info(named);
}

/** Endpoint names and parameter names that clash with the module, the runtime, the language. */
function clashing(name: string): Obj {
  return info({
    ["/" + name]: ep([param(name, { parameter_has_default: true, parameter_default: name }), param(name + "2")], [ret(name), ret(name)]),
    ["/" + name + "_"]: ep([param("x")], [ret("x")]),
    ["/_" + name]: ep([], []),
  });
}

function allClashing(): Obj {
  const named: Obj = {};
  for (const name of CLASHING_NAMES) named["/" + name] = ep([param(name)], [ret(name), ret(name)]);
  // names that camelCase to the same identifier, and suffix look-alikes
  for (const n of ["a_b", "a-b", "aB", "a b", "a__b", "aB_2", "a.b", "ab", "AB", "a_b_2"]) named["/" + n] = ep([param(n)], [ret(n)]);
  return info(named);
}

function nested(depth: number, make: (inner: Obj) => Obj): Obj {
  let node: Obj = { type: "string" };
  for (let i = 0; i < depth; i++) node = make(node);
  return node;
}

function nestedValue(depth: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = { k: v, l: [i] };
  return v;
}

function refCycles(): Obj {
  const defs = {
    A: { type: "object", properties: { b: { $ref: "#/$defs/B" }, self: { $ref: "#/$defs/A" } } },
    B: { anyOf: [{ $ref: "#/$defs/A" }, { type: "null" }] },
    Self: { $ref: "#/$defs/Self" },
    Loop1: { $ref: "#/$defs/Loop2" },
    Loop2: { $ref: "#/$defs/Loop1" },
    ["*/ x /*"]: { type: "string" },
  };
  withProto(defs, { type: "object", properties: { polluted: { type: "string" } } });
  const t = (ref: string) => ({ $defs: defs, $ref: ref });
  return info({
    "/cycles": ep(
      [
        param("a", { type: t("#/$defs/A") }),
        param("self", { type: t("#/$defs/Self") }),
        param("loop", { type: t("#/$defs/Loop1") }),
        param("missing", { type: t("#/$defs/Nope") }),
        param("proto", { type: t("#/$defs/__proto__") }),
        param("weird", { type: t("#/$defs/*~1 x ~1*") }),
        param("external", { type: t("https://evil.example/schema.json") }),
        param("file", { type: t("/etc/passwd") }),
      ],
      [ret("a", { type: t("#/$defs/A") }), ret("loop", { type: t("#/$defs/Loop2") })],
    ),
  });
}

function manyEndpoints(n: number): Obj {
  const named: Obj = {};
  for (let i = 0; i < n; i++) {
    const name = ["predict", "predict_1", "Predict", "pre-dict", CLASHING_NAMES[i % CLASHING_NAMES.length]!][i % 5]! + (i >= 5 ? "_" + i : "");
    named["/" + name] = ep([param("text", { parameter_has_default: i % 2 === 0, parameter_default: `d${i}*/` }), param("n" + i)], [ret("out" + i)]);
  }
  return info(named);
}

function bigEnum(n: number): Obj {
  const values = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `v${i} */ \`\${x}\`` : i % 3 === 1 ? i : `choice ${i}`));
  return info({
    "/pick": ep(
      [param("choice", { type: { type: "string", enum: values }, parameter_has_default: true, parameter_default: values[n - 1] })],
      [ret("out", { type: { enum: values } })],
    ),
  });
}

/** About 5 MB: many endpoints with long descriptions and examples. */
function fiveMegabytes(): Obj {
  const named: Obj = {};
  const blob = "x*/".repeat(3_000); // 9 KB
  for (let i = 0; i < 120; i++)
    named["/e" + i] = ep(
      Array.from({ length: 5 }, (_, j) => param(`p${j}`, { example_input: blob, python_type: { type: "str", description: blob }, label: blob.slice(0, 100) })),
      [ret("out")],
      { description: blob },
    );
  return info(named);
}

function long100k(): Obj {
  const s = LONG_TEXT;
  return info({
    ["/" + "n".repeat(100_000)]: ep([param(s, { label: s, component: s, parameter_has_default: true, parameter_default: s, example_input: s })], [ret(s)], {
      description: s,
    }),
    "/ok": ep([param("x", { type: { type: "object", properties: { [s]: { type: "string", description: s } } } })], [ret("out", { type: { enum: [s] } })]),
  });
}

/** A valid document with one field replaced by a value of the wrong JSON type. */
function wrongType(mutate: (doc: Obj, endpoint: Obj, p: Obj, r: Obj) => void): Obj {
  const p = param("text", { parameter_has_default: true, parameter_default: "hi" });
  const r = ret("out");
  const endpoint = ep([p, param("n", { type: { type: "number" } })], [r]);
  const doc = info({ "/predict": endpoint, "/other": ep([param("x")], [ret("y")]) });
  mutate(doc, endpoint, p, r);
  return doc;
}

const WRONG_TYPES: [string, (doc: Obj, e: Obj, p: Obj, r: Obj) => void, Outcome][] = [
  ["named_endpoints-array", (d) => (d.named_endpoints = [1, 2]), "refuse"],
  ["named_endpoints-string", (d) => (d.named_endpoints = "/predict"), "refuse"],
  ["named_endpoints-null", (d) => (d.named_endpoints = null), "refuse"],
  ["unnamed_endpoints-string", (d) => (d.unnamed_endpoints = "x"), "module"],
  ["endpoint-string", (d) => ((d.named_endpoints as Obj)["/predict"] = "predict"), "module"],
  ["endpoint-number", (d) => ((d.named_endpoints as Obj)["/predict"] = 42), "module"],
  ["endpoint-array", (d) => ((d.named_endpoints as Obj)["/predict"] = [1]), "module"],
  ["endpoint-null", (d) => ((d.named_endpoints as Obj)["/predict"] = null), "module"],
  ["parameters-string", (_d, e) => (e.parameters = "text"), "module"],
  ["parameters-number", (_d, e) => (e.parameters = 3), "module"],
  ["parameters-object", (_d, e) => (e.parameters = { text: {} }), "refuse"],
  ["parameters-null", (_d, e) => (e.parameters = null), "module"],
  ["returns-string", (_d, e) => (e.returns = "out"), "module"],
  ["returns-object", (_d, e) => (e.returns = { out: {} }), "refuse"],
  ["param-string", (_d, e) => ((e.parameters as unknown[])[0] = "text"), "module"],
  ["param-null", (_d, e) => ((e.parameters as unknown[])[0] = null), "module"],
  ["param-array", (_d, e) => ((e.parameters as unknown[])[0] = ["text"]), "module"],
  ["return-number", (_d, e) => ((e.returns as unknown[])[0] = 7), "module"],
  ["type-array", (_d, _e, p) => (p.type = ["string"]), "module"],
  ["type-string", (_d, _e, p) => (p.type = "string"), "refuse"],
  ["type-number", (_d, _e, p) => (p.type = 1), "module"],
  ["type-null", (_d, _e, p) => (p.type = null), "module"],
  ["type-type-array-of-junk", (_d, _e, p) => (p.type = { type: [1, null, "string", {}, "evil"] }), "module"],
  ["type-type-object", (_d, _e, p) => (p.type = { type: { evil: true } }), "module"],
  ["label-number", (_d, _e, p) => (p.label = 12), "module"],
  ["label-object", (_d, _e, p) => (p.label = { key: 5, __type__: "translation_metadata" }), "module"],
  ["label-array", (_d, _e, p) => (p.label = ["a"]), "module"],
  ["parameter_name-number", (_d, _e, p) => (p.parameter_name = 5), "module"],
  ["parameter_name-object", (_d, _e, p) => (p.parameter_name = { evil: 1 }), "module"],
  ["parameter_name-empty", (_d, _e, p) => (p.parameter_name = ""), "module"],
  ["parameter_has_default-string", (_d, _e, p) => (p.parameter_has_default = "yes"), "module"],
  ["parameter_default-undefined-like", (_d, _e, p) => delete p.parameter_default, "module"],
  ["python_type-string", (_d, _e, p) => (p.python_type = "str"), "module"],
  ["python_type-description-object", (_d, _e, p) => (p.python_type = { type: 1, description: { x: 1 } }), "module"],
  ["component-number", (_d, _e, p) => (p.component = 3), "module"],
  ["description-object", (_d, e) => (e.description = { text: "x" }), "module"],
  ["show_api-string", (_d, e) => ((e.show_api = "false"), delete e.api_visibility), "module"],
  ["api_visibility-number", (_d, e) => (e.api_visibility = 5), "module"],
  ["enum-string", (_d, _e, p) => (p.type = { type: "string", enum: "abc" }), "module"],
  // eslint-disable-next-line no-loss-of-precision -- 1e400 is Infinity on purpose: JSON cannot say it, a document can
  ["enum-objects", (_d, _e, p) => (p.type = { enum: [{ a: 1 }, [1], null, "ok", 1e400] }), "module"],
  ["properties-array", (_d, _e, p) => (p.type = { type: "object", properties: ["a"] }), "module"],
  ["properties-values-junk", (_d, _e, p) => (p.type = { type: "object", properties: { a: 1, b: "string", c: null, d: [] } }), "module"],
  ["required-string", (_d, _e, p) => (p.type = { type: "object", properties: { a: { type: "string" } }, required: "a" }), "module"],
  ["items-number", (_d, _e, p) => (p.type = { type: "array", items: 3 }), "module"],
  ["prefixItems-object", (_d, _e, p) => (p.type = { type: "array", prefixItems: { a: 1 } }), "module"],
  ["additionalProperties-string", (_d, _e, p) => (p.type = { type: "object", additionalProperties: "yes" }), "module"],
  ["ref-number", (_d, _e, p) => (p.type = { $ref: 5, $defs: [] }), "module"],
  ["defs-array", (_d, _e, p) => (p.type = { $ref: "#/$defs/0", $defs: [{ type: "string" }] }), "module"],
  ["anyOf-object", (_d, _e, p) => (p.type = { anyOf: { type: "string" } }), "module"],
  ["anyOf-junk", (_d, _e, p) => (p.type = { anyOf: [1, "x", null, { type: "string" }] }), "module"],
  ["tsType-injection", (_d, _e, p) => (p.type = { tsType: "string; globalThis.__pwned = 1; type Z = any", type: "string" }), "module"],
  ["const-object", (_d, _e, p) => (p.type = { const: { a: 1 } }), "module"],
  [
    "parameter_default-function-like",
    (_d, _e, p) => ((p.parameter_has_default = true), (p.parameter_default = { toString: "x", valueOf: 1, then: "y" })),
    "module",
  ],
];

function snapshot(source: Obj, extra: Obj = {}): Obj {
  return {
    spacegen: 1,
    source,
    gradioVersion: "6.31.0 */ globalThis.__pwned = 1 /*",
    config: {
      version: "6.31.0",
      api_prefix: "/gradio_api",
      protocol: "sse_v3",
      components: [
        { id: 1, type: "textbox", skip_api: false },
        { id: 2, type: "state", skip_api: true },
      ],
      dependencies: [{ id: 0, api_name: "predict", inputs: [1, 2], outputs: [2, 1], generator: false, visibility: "public" }],
    },
    apiPrefix: "/gradio_api",
    info: info({ "/predict": ep([param("text*/", { parameter_has_default: true, parameter_default: "`${x}`" })], [ret("out")]) }),
    notes: ["*/ note \u2028 globalThis.__pwned = 1"],
    ...extra,
  };
}

export function buildCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  HOSTILE_TEXT.forEach((s, i) => cases.push({ name: `text-${String(i).padStart(2, "0")}`, doc: everywhere(s), expect: "module" }));
  for (const n of CLASHING_NAMES) cases.push({ name: `name-${n}`, doc: clashing(n), expect: "module" });
  cases.push({ name: "names-all-clashing", doc: allClashing(), expect: "module" });
  cases.push({ alone: true, name: "long-100k-strings", doc: long100k(), expect: "module" });
  cases.push({
    alone: true,
    name: "nested-1000-schemas",
    doc: info({
      "/deep": ep(
        [
          param("obj", { type: nested(1000, (n) => ({ type: "object", properties: { a: n } })) }),
          param("arr", { type: nested(1000, (n) => ({ type: "array", items: n })) }),
          param("any", { type: nested(1000, (n) => ({ anyOf: [n, { type: "null" }] })) }),
        ],
        [ret("out", { type: nested(1000, (n) => ({ type: "array", prefixItems: [n, { type: "null" }] })) })],
      ),
    }),
    expect: "module",
  });
  cases.push({
    alone: true,
    name: "nested-1000-default",
    doc: info({
      "/deep": ep(
        [param("v", { type: {}, parameter_has_default: true, parameter_default: nestedValue(1000), example_input: nestedValue(1000) })],
        [ret("out")],
      ),
    }),
    expect: "module",
  });
  cases.push({ alone: true, name: "nested-200000-json", text: "[".repeat(200_000) + "]".repeat(200_000), expect: "refuse" });
  cases.push({ name: "ref-cycles", doc: refCycles(), expect: "module" });
  cases.push({ alone: true, name: "enum-50000", doc: bigEnum(50_000), expect: "module" });
  cases.push({ alone: true, name: "endpoints-2000", doc: manyEndpoints(2000), expect: "module" });
  cases.push({ alone: true, name: "document-5mb", doc: fiveMegabytes(), expect: "module" });
  for (const [name, mutate, expect] of WRONG_TYPES) cases.push({ name: `wrong-${name}`, doc: wrongType(mutate), expect });
  // top-level junk
  cases.push({ name: "json-invalid", text: '{"named_endpoints": {"/a": ', expect: "refuse", message: /not valid JSON/ });
  cases.push({ name: "json-empty", text: "", expect: "refuse", message: /not valid JSON/ });
  cases.push({ name: "json-null", text: "null", expect: "refuse" });
  cases.push({ name: "json-array", text: "[]", expect: "refuse" });
  cases.push({ name: "json-string", text: '"*/"', expect: "refuse" });
  cases.push({ name: "json-number", text: "1e999", expect: "refuse" });
  cases.push({ name: "json-proto-top", text: '{"__proto__": {"named_endpoints": {}}, "x": 1}', expect: "refuse" });
  // snapshots with hostile sources and mistyped fields
  cases.push({ name: "snapshot-hostile-url", doc: snapshot({ space: null, url: "http://h.example/*/`${x}`\u2028</script>", name: "x" }), expect: "module" });
  cases.push({ name: "snapshot-hostile-space", doc: snapshot({ space: "a*/b/c", url: "http://h.example", name: "x" }), expect: "refuse" });
  cases.push({ name: "snapshot-javascript-url", doc: snapshot({ space: null, url: "javascript:alert(1)", name: "x" }), expect: "refuse" });
  cases.push({ name: "snapshot-config-string", doc: snapshot({ space: null, url: "http://h.example", name: "x" }, { config: "x" }), expect: "refuse" });
  cases.push({
    name: "snapshot-config-junk",
    doc: snapshot(
      { space: null, url: "http://h.example", name: "x" },
      { config: { components: "x", dependencies: [1, null, { api_name: 5, inputs: "1" }] }, apiPrefix: 5 },
    ),
    expect: "module",
  });
  // an api_prefix is pasted into every URL: anything but "/segments" is refused (issue 13, point 3)
  cases.push({
    name: "snapshot-prefix-hostile",
    doc: snapshot({ space: null, url: "http://h.example", name: "x" }, { config: { api_prefix: "/x*/`${y}`\"'", components: [], dependencies: [] } }),
    expect: "refuse",
    message: /api_prefix .* is not a URL path/,
  });
  return cases;
}
