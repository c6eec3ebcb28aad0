// Safe schema → TypeScript type text, through json-schema-to-typescript.
// File markers become FileInput (what a caller may pass) or FileData (what the app returns).

import { randomBytes } from "node:crypto";
import { compile, type Options } from "json-schema-to-typescript";
import { docText } from "./comments.js";
import { propertyKey } from "../normalize/names.js";
import { ANY_STRING, FILE, type SafeSchema } from "../normalize/ir.js";

export type Direction = "input" | "output";

const OPTIONS: Partial<Options> = {
  bannerComment: "",
  format: false,
  additionalProperties: false,
  unknownAny: true,
  strictIndexSignatures: true,
  ignoreMinAndMaxItems: false,
  maxItems: 8,
  declareExternallyReferenced: true,
  enableConstEnums: false,
  $refOptions: { resolve: { http: false, file: false, external: false } },
};

type Obj = Record<string, unknown>;

/**
 * Property keys from a document never reach json-schema-to-typescript: it crashes on some
 * ("hasOwnProperty", lone surrogates in JSON pointers) and its output escapes none. Each key is
 * replaced by a placeholder identifier (with a per-call nonce) and written back with propertyKey.
 */
interface Keys {
  nonce: string;
  names: string[];
}

/** Copies the safe schema, swapping file markers for tsType, keys for placeholders and escaping descriptions. */
function prepare(schema: unknown, direction: Direction, depth: number, keys: Keys): unknown {
  if (Array.isArray(schema)) return schema.map((s) => prepare(s, direction, depth + 1, keys));
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Obj;
  if (node[FILE] === true) return { tsType: direction === "input" ? "FileInput" : "FileData" };
  if (node[ANY_STRING] === true) return { tsType: "(string & {})" };
  // choices or any string (normalize/quirks.ts allowAnyString): one flat union, `"a" | "b" | (string & {})`
  const [choices, anyString] = Array.isArray(node.anyOf) ? (node.anyOf as Obj[]) : [];
  if (node.anyOf && (node.anyOf as unknown[]).length === 2 && Array.isArray(choices?.enum) && anyString?.[ANY_STRING] === true)
    return { anyOf: [...(choices.enum as unknown[]).map((value) => ({ const: value })), { tsType: "(string & {})" }] };
  const out: Obj = {};
  const local = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    if (key === "description") {
      // Descriptions of the top level go into the parameter's own JSDoc instead.
      if (depth > 0 && typeof value === "string") out.description = docText(value, 300);
    } else if (key === "properties" && value && typeof value === "object") {
      const props: Obj = {};
      for (const [k, v] of Object.entries(value)) props[placeholder(k)] = prepare(v, direction, depth + 1, keys);
      out.properties = props;
    } else if (key === "required" && Array.isArray(value)) {
      out.required = value.map((k) => placeholder(String(k)));
    } else if (key === "enum" || key === "const") {
      out[key] = value;
    } else {
      out[key] = prepare(value, direction, depth + 1, keys);
    }
  }
  return out;

  function placeholder(k: string): string {
    let name = local.get(k);
    if (name === undefined) local.set(k, (name = `${keys.nonce}${keys.names.push(k) - 1}_`));
    return name;
  }
}

const HEAD = /^(?:\/\*\*[\s\S]*?\*\/\n)*export (?:type T = ([\s\S]*)|interface T (\{[\s\S]*\}))\n$/;

/** The TypeScript type of a value described by a safe schema. */
export async function renderType(schema: SafeSchema, direction: Direction): Promise<string> {
  if (schema.tsType === "unknown") return "unknown";
  const keys: Keys = { nonce: `k${randomBytes(6).toString("hex")}_`, names: [] };
  const output = await compile(prepare(schema, direction, 0, keys) as never, "T", OPTIONS);
  const match = HEAD.exec(output);
  if (!match) throw new Error(`unexpected output from json-schema-to-typescript: ${output.slice(0, 200)}`);
  const text = (match[1] ?? match[2]!).trim();
  if (keys.names.length === 0) return text;
  return text.replace(new RegExp(`\\b${keys.nonce}(\\d+)_`, "g"), (_m, i: string) => propertyKey(keys.names[Number(i)]!));
}
