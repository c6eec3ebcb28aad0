// Agent tools: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below. Bundlers drop all of it when an app imports neither `tools` nor `callTool`.
//
// Same rules as the runtime: no imports, no side effects, no console output.

import { SpaceError, type CallOptions } from "./runtime.ts";

// #region tools

/** A JSON Schema, as carried by tool descriptors. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * One endpoint as a tool for an agent framework. Map it to the format you need:
 * OpenAI `{ type: "function", function: { name, description, parameters: inputSchema } }`,
 * Anthropic `{ name, description, input_schema: inputSchema }`, MCP `{ name, description, inputSchema }`.
 */
export interface ToolDescriptor {
  /** stable tool name: the endpoint's api_name reduced to [A-Za-z0-9_-], at most 64 characters */
  readonly name: string;
  /** the endpoint's api_name, e.g. "/predict" */
  readonly endpoint: string;
  readonly description: string;
  /** JSON Schema of the input object; files are URL strings or FileData objects */
  readonly inputSchema: JsonSchema;
}

/** Checks a value against the subset of JSON Schema that tool schemas use; returns the first problem. */
export /* internal */ function checkValue(value: unknown, schema: JsonSchema, at: string): string | undefined {
  const s = schema as {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    items?: JsonSchema | JsonSchema[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean | JsonSchema;
    minimum?: number;
    maximum?: number;
  };
  const show = (v: unknown) => JSON.stringify(v) ?? String(v);
  const branches = s.anyOf || s.oneOf;
  if (branches) {
    const problems = branches.map((b) => checkValue(value, b, at));
    if (!problems.includes(undefined)) return problems[0];
  }
  if (s.enum && !s.enum.some((e) => e === value)) return `${at} must be one of ${s.enum.map(show).join(", ")} (got ${show(value)})`;
  if ("const" in s && s.const !== value) return `${at} must be ${show(s.const)} (got ${show(value)})`;
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const actual =
      value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
    if (!types.some((t) => t === actual || (t === "number" && actual === "integer")))
      return `${at} must be of type ${types.join(" or ")} (got ${actual})`;
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) return `${at} must be at least ${s.minimum} (got ${value})`;
    if (s.maximum !== undefined && value > s.maximum) return `${at} must be at most ${s.maximum} (got ${value})`;
  }
  if (Array.isArray(value) && s.items) {
    for (let i = 0; i < value.length; i++) {
      const item = Array.isArray(s.items) ? s.items[i] : s.items;
      const problem = item && checkValue(value[i], item, `${at}[${i}]`);
      if (problem) return problem;
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && (s.properties || s.required)) {
    const props = s.properties || {};
    for (const key of s.required || [])
      if (!Object.hasOwn(value, key)) return `${at ? at + "." : ""}${key} is required`;
    for (const [key, v] of Object.entries(value)) {
      const where = at ? `${at}.${key}` : key;
      if (Object.hasOwn(props, key)) {
        const problem = checkValue(v, props[key]!, where);
        if (problem) return problem;
      } else if (s.additionalProperties === false) {
        return `${where} is not a parameter (expected ${Object.keys(props).join(", ") || "no arguments"})`;
      }
    }
  }
  return undefined;
}

/** The `callTool` of a module: validates the arguments an agent produced, then calls the endpoint. */
export /* internal */ function toolCaller(
  tools: readonly ToolDescriptor[],
  calls: Record<string, (input: any, options?: CallOptions) => Promise<unknown>>,
): (name: string, args: unknown, options?: CallOptions) => Promise<unknown> {
  return async (name, args, options) => {
    const tool = tools.find((t) => t.name === name);
    const call = tool && Object.hasOwn(calls, name) ? calls[name] : undefined;
    if (!tool || !call)
      throw new SpaceError("validation", `unknown tool ${JSON.stringify(name)}; tools: ${tools.map((t) => t.name).join(", ")}`);
    const input = args ?? {};
    const problem =
      typeof input !== "object" || Array.isArray(input)
        ? "the arguments must be a JSON object"
        : checkValue(input, tool.inputSchema, "");
    if (problem)
      throw new SpaceError("validation", `${name}: ${problem}`, { endpoint: tool.endpoint, validation: [{ message: problem }] });
    return call(input, options);
  };
}

// #endregion tools
