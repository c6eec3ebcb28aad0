// Agent tool descriptors from the IR: a stable name, a description, and a JSON Schema of the input
// object per endpoint. The schema is rebuilt from the safe schema (normalize/safe-schema.ts), so it carries only
// whitelisted keywords; files become "a URL string or a FileData object".

import { ANY_STRING, FILE, type ApiIR, type EndpointIR, type ParamIR, type SafeSchema } from "../normalize/ir.js";
import { setOwn, stringifyJson } from "../shared/json.js";
import { LIMITS } from "../shared/limits.js";

type JsonSchema = Record<string, unknown>;

export interface ToolIR {
  name: string;
  endpoint: EndpointIR;
  description: string;
  inputSchema: JsonSchema;
}

const MAX_DESCRIPTION = 1024;

const FILE_INPUT: JsonSchema = {
  anyOf: [
    { type: "string", description: "an http(s) URL of the file" },
    {
      type: "object",
      description: "a FileData, such as a file returned by another tool",
      properties: {
        path: { type: "string" },
        url: { type: ["string", "null"] },
        orig_name: { type: ["string", "null"] },
        mime_type: { type: ["string", "null"] },
        size: { type: ["integer", "null"] },
        is_stream: { type: "boolean" },
        meta: { type: "object" },
      },
      required: ["path"],
    },
  ],
};

/** Safe schema → plain JSON Schema (no tsType, no file markers). */
function toJsonSchema(schema: SafeSchema): JsonSchema {
  if (schema[FILE] === true) return structuredClone(FILE_INPUT);
  if (schema[ANY_STRING] === true) return { type: "string", description: "any other value (the app accepts custom values)" };
  if (schema.tsType === "unknown") return {};
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && value && typeof value === "object") {
      const props: JsonSchema = {};
      for (const [k, v] of Object.entries(value)) setOwn(props, k, toJsonSchema(v as SafeSchema));
      out.properties = props;
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(v as SafeSchema));
    } else if (key === "items") {
      out.items = Array.isArray(value) ? value.map((v) => toJsonSchema(v as SafeSchema)) : toJsonSchema(value as SafeSchema);
    } else if (key === "additionalProperties" && value && typeof value === "object") {
      out.additionalProperties = toJsonSchema(value as SafeSchema);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function paramDescription(param: ParamIR): string {
  const parts = [param.label, param.component && `(${param.component})`, param.description];
  if (param.range) parts.push(`between ${param.range.min} and ${param.range.max}`);
  return parts.filter(Boolean).join(" ").slice(0, MAX_DESCRIPTION);
}

function inputSchema(endpoint: EndpointIR): JsonSchema {
  const properties: JsonSchema = {};
  for (const param of endpoint.params) {
    const schema = toJsonSchema(param.schema);
    const description = paramDescription(param);
    if (description) schema.description = description;
    // The default tells an agent what omitting the key means; a huge one (a table, say) would swamp the
    // descriptor and is still sent by the endpoint itself, so it is left out here.
    if (param.hasDefault && param.default !== undefined && stringifyJson(param.default, 0).length <= LIMITS.toolDefaultChars) schema.default = param.default;
    if (param.range) {
      schema.minimum = param.range.min;
      schema.maximum = param.range.max;
    }
    // A default of null means the app accepts "nothing" here.
    if (param.hasDefault && param.default === null && Object.keys(schema).some((k) => k === "type" || k === "anyOf" || k === "enum"))
      setOwn(properties, param.key, { anyOf: [schema, { type: "null" }] });
    else setOwn(properties, param.key, schema);
  }
  return {
    type: "object",
    properties,
    required: endpoint.params.filter((p) => !p.hasDefault).map((p) => p.key),
    additionalProperties: false,
  };
}

function describe(ir: ApiIR, endpoint: EndpointIR): string {
  if (endpoint.description.trim()) return endpoint.description.trim().slice(0, MAX_DESCRIPTION);
  const takes = endpoint.params.map((p) => `${p.key}${p.component ? ` (${p.component})` : ""}`).join(", ");
  const gives = endpoint.returns.map((r) => `${r.label || "value"}${r.component ? ` (${r.component})` : ""}`).join(", ");
  const where = ir.space.id ?? ir.space.url;
  return `Calls ${endpoint.apiName} of ${where}. Takes ${takes || "no arguments"}. Returns ${gives || "nothing"}.`.slice(0, MAX_DESCRIPTION);
}

export function toolsOf(ir: ApiIR): ToolIR[] {
  return ir.endpoints.map((endpoint) => ({
    name: endpoint.toolName,
    endpoint,
    description: describe(ir, endpoint),
    inputSchema: inputSchema(endpoint),
  }));
}
