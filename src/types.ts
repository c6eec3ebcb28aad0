// Safe schema → TypeScript type text, through json-schema-to-typescript.
// File markers become FileInput (what a caller may pass) or FileData (what the app returns).

import { compile, type Options } from "json-schema-to-typescript";
import { commentText } from "./comments.js";
import { FILE, type SafeSchema } from "./schema.js";

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
  $refOptions: { resolve: { http: false, file: false, external: false } } as Options["$refOptions"],
};

type Obj = Record<string, unknown>;

/** Copies the safe schema, swapping file markers for tsType and escaping descriptions. */
function prepare(schema: unknown, direction: Direction, depth: number): unknown {
  if (Array.isArray(schema)) return schema.map((s) => prepare(s, direction, depth + 1));
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Obj;
  if (node[FILE] === true) return { tsType: direction === "input" ? "FileInput" : "FileData" };
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description") {
      // Descriptions of the top level go into the parameter's own JSDoc instead.
      if (depth > 0 && typeof value === "string") out.description = commentText(value, 300);
    } else if (key === "properties" && value && typeof value === "object") {
      const props: Obj = {};
      for (const [k, v] of Object.entries(value))
        Object.defineProperty(props, k, { value: prepare(v, direction, depth + 1), enumerable: true, writable: true, configurable: true });
      out.properties = props;
    } else if (key === "enum" || key === "const") {
      out[key] = value;
    } else {
      out[key] = prepare(value, direction, depth + 1);
    }
  }
  return out;
}

const HEAD = /^(?:\/\*\*[\s\S]*?\*\/\n)*export (?:type T = ([\s\S]*)|interface T (\{[\s\S]*\}))\n$/;

/** The TypeScript type of a value described by a safe schema. */
export async function renderType(schema: SafeSchema, direction: Direction): Promise<string> {
  if (schema.tsType === "unknown") return "unknown";
  const output = await compile(prepare(schema, direction, 0) as never, "T", OPTIONS);
  const match = HEAD.exec(output);
  if (!match) throw new Error(`unexpected output from json-schema-to-typescript: ${output.slice(0, 200)}`);
  return (match[1] ?? match[2]!).trim();
}
