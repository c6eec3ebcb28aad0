// Untrusted JSON Schema (from a Space's /info) → a small, safe schema that the type renderer reads.
//
// The safe schema is rebuilt from a whitelist of keywords, never copied: json-schema-to-typescript
// honours keys such as `tsType` as raw TypeScript, so nothing the document says may reach it unfiltered.
// $refs are resolved here against the document's own $defs (no network, no files), cycles and depth
// are bounded, and file values (Gradio's FileData/ImageData) are replaced by a marker.

import { isJsonObject, RawNumber, setOwn } from "../shared/json.js";
import { UserError } from "../shared/errors.js";
import { describeBytes, LIMITS } from "../shared/limits.js";
import { FILE, type FilePlan, type SafeSchema } from "./ir.js";
import { isFileSchema } from "./quirks.js";

const MAX_DEPTH = 40;
const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

type Obj = Record<string, unknown>;

function hasOwn(o: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/**
 * How many schema nodes a whole document may expand to (limits.ts): shared by every sanitizeSchema call of
 * one document, so $refs fanning out across many parameters are bounded together.
 */
export interface SchemaBudget {
  used: number;
  readonly max: number;
  /** for the message: "a document of 1.5 KiB" */
  readonly what: string;
}

export function schemaBudget(documentChars: number): SchemaBudget {
  const max = Math.min(LIMITS.schemaNodesMax, Math.max(LIMITS.schemaNodesFloor, Math.ceil(documentChars * LIMITS.schemaNodesPerByte)));
  return { used: 0, max, what: `a document of ${describeBytes(documentChars)}` };
}

interface Walk {
  /** $defs/definitions in scope, innermost last (nested FileData may carry its own $defs) */
  scopes: Obj[];
  budget: SchemaBudget;
  /** $refs being expanded on the current path, to cut cycles */
  active: Set<string>;
  /** enum and const integers that a double cannot hold, as written */
  inexact: string[];
}

function resolveRef(walk: Walk, ref: string): Obj | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const name = match[2]!.replace(/~1/g, "/").replace(/~0/g, "~");
  for (let i = walk.scopes.length - 1; i >= 0; i--) {
    const defs = walk.scopes[i]![match[1]!];
    const target = isJsonObject(defs) && hasOwn(defs, name) ? defs[name] : undefined;
    if (isJsonObject(target)) return target;
  }
  return undefined;
}

/** Follows $ref chains (bounded); returns the node itself when it has none. */
function deref(walk: Walk, node: Obj): { node: Obj; ref?: string } {
  let current = node;
  let ref: string | undefined;
  for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
    ref = current.$ref;
    const target = resolveRef(walk, ref);
    if (!target) return { node: {}, ref };
    current = target;
  }
  return ref === undefined ? { node: current } : { node: current, ref };
}

/** A value for a literal type; undefined for anything else, an integer a double cannot hold included. */
function primitive(v: unknown): unknown {
  if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return undefined;
}

function sanitizeNode(walk: Walk, input: unknown, depth: number): SafeSchema {
  if (++walk.budget.used > walk.budget.max)
    throw new UserError(
      `its schemas expand to more than ${walk.budget.max} nodes through $ref (spacegen's limit for ${walk.budget.what}); refusing to generate from it`,
    );
  if (!isJsonObject(input) || depth > MAX_DEPTH) return { tsType: "unknown" };
  const scoped = isJsonObject(input.$defs) || isJsonObject(input.definitions);
  if (scoped) walk.scopes.push(input);
  try {
    return sanitizeScoped(walk, input, depth);
  } finally {
    if (scoped) walk.scopes.pop();
  }
}

function sanitizeScoped(walk: Walk, input: Obj, depth: number): SafeSchema {
  const { node, ref } = deref(walk, input);
  if (ref !== undefined) {
    if (walk.active.has(ref)) return { tsType: "unknown" };
    walk.active.add(ref);
    try {
      return sanitizeNode(walk, node, depth + 1);
    } finally {
      walk.active.delete(ref);
    }
  }
  if (isFileSchema(node, (meta) => deref(walk, meta).node)) return { [FILE]: true };

  const out: SafeSchema = {};
  if (typeof node.type === "string" && JSON_TYPES.has(node.type)) out.type = node.type;
  else if (Array.isArray(node.type)) {
    const types = node.type.filter((t): t is string => typeof t === "string" && JSON_TYPES.has(t));
    if (types.length > 0) out.type = [...new Set(types)];
  }
  // Integers a double cannot hold (12345678901234567890 and …891 are both 12345678901234567000 as numbers):
  // no literal type names them, so the value is typed `number` and the digits are reported.
  const inexact = [...(Array.isArray(node.enum) ? (node.enum as unknown[]) : []), ...(hasOwn(node, "const") ? [node.const] : [])].filter(
    (v): v is RawNumber => v instanceof RawNumber,
  );
  if (Array.isArray(node.enum)) {
    const values = node.enum.map(primitive).filter((v) => v !== undefined);
    // Dropdown enums hold choice values, which may be numbers despite "type": "string".
    if (values.length > 0) {
      out.enum = [...new Set(values)];
      delete out.type;
    }
  }
  if (hasOwn(node, "const") && primitive(node.const) !== undefined) {
    out.const = primitive(node.const);
    delete out.type;
  }
  if (inexact.length > 0) {
    walk.inexact.push(...inexact.map((n) => n.digits));
    const number = { type: "number", description: `also ${inexact.map((n) => n.digits).join(", ")}: integers a JavaScript number cannot hold exactly` };
    if (out.enum === undefined && out.const === undefined) Object.assign(out, number);
    else return { anyOf: [out, number] };
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = node[key];
    if (Array.isArray(list) && list.length > 0) out[key] = list.map((s) => sanitizeNode(walk, s, depth + 1));
  }
  if (isJsonObject(node.properties)) {
    const props: SafeSchema = {};
    for (const [key, value] of Object.entries(node.properties)) setOwn(props, key, sanitizeNode(walk, value, depth + 1));
    out.properties = props;
    if (!out.type) out.type = "object";
  }
  if (Array.isArray(node.required)) {
    const props = isJsonObject(out.properties) ? out.properties : {};
    const required = node.required.filter((k): k is string => typeof k === "string" && hasOwn(props, k));
    if (required.length > 0) out.required = [...new Set(required)];
  }
  const tuple = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : null;
  if (tuple) {
    out.items = tuple.map((s) => sanitizeNode(walk, s, depth + 1));
    out.minItems = tuple.length;
    out.maxItems = tuple.length;
    if (!out.type) out.type = "array";
  } else if (node.items !== undefined) {
    out.items = sanitizeNode(walk, node.items, depth + 1);
    if (!out.type) out.type = "array";
  }
  if (node.additionalProperties === true || node.additionalProperties === false) out.additionalProperties = node.additionalProperties;
  else if (isJsonObject(node.additionalProperties)) out.additionalProperties = sanitizeNode(walk, node.additionalProperties, depth + 1);
  else if (out.type === "object" && !out.properties) out.additionalProperties = true;
  if (typeof node.description === "string") out.description = node.description;

  const constrained = ["type", "enum", "const", "anyOf", "oneOf", "allOf", "properties", "items"].some((k) => k in out);
  // "type": {} (gr.JSON and friends) and {} both mean any JSON value.
  if (!constrained) return { tsType: "unknown" };
  return out;
}

export interface SanitizedSchema {
  schema: SafeSchema;
  /** where files are inside the value; null when there are none */
  files: FilePlan | null;
  /** enum/const integers a JavaScript number cannot hold (typed `number` instead of a wrong literal) */
  inexact: string[];
}

/** Sanitizes one parameter's or return's `type`, resolving refs against that schema's own $defs. */
export function sanitizeSchema(input: unknown, budget: SchemaBudget = schemaBudget(0)): SanitizedSchema {
  const walk: Walk = { scopes: [], budget, active: new Set(), inexact: [] };
  const schema = sanitizeNode(walk, input, 0);
  return { schema, files: filePlan(schema, 0), inexact: [...new Set(walk.inexact)] };
}

function mergePlans(a: FilePlan | null, b: FilePlan | null): FilePlan | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === 1 || b === 1) return 1;
  const out: { i?: FilePlan; p?: [string, FilePlan | 0][]; a?: FilePlan } = {};
  const items = mergePlans(a.i ?? null, b.i ?? null);
  if (items !== null) out.i = items;
  // a property with files in one branch has them in the merge; 0 (declared, none) only where no branch has any
  const props = new Map<string, FilePlan | 0>();
  for (const [k, plan] of [...(a.p ?? []), ...(b.p ?? [])]) {
    const seen = props.get(k);
    props.set(k, seen === undefined || seen === 0 ? plan : plan === 0 ? seen : mergePlans(seen, plan)!);
  }
  const extra = mergePlans(a.a ?? null, b.a ?? null);
  if (extra !== null) out.a = extra;
  // 0 entries only matter beside `a`
  const pairs = [...props.entries()].filter(([, plan]) => plan !== 0 || extra !== null);
  if (pairs.length > 0) out.p = pairs;
  return out;
}

/** Computes where files are inside values of a safe schema. */
function filePlan(schema: SafeSchema, depth: number): FilePlan | null {
  if (schema[FILE] === true) return 1;
  if (depth > MAX_DEPTH + 5) return null;
  let plan: FilePlan | null = null;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) plan = mergePlans(plan, filePlan(s as SafeSchema, depth + 1));
  }
  const items = schema.items;
  const itemList = Array.isArray(items) ? items : isJsonObject(items) ? [items] : [];
  let itemPlan: FilePlan | null = null;
  for (const s of itemList) itemPlan = mergePlans(itemPlan, filePlan(s as SafeSchema, depth + 1));
  if (itemPlan !== null) plan = mergePlans(plan, { i: itemPlan });
  const extra = isJsonObject(schema.additionalProperties) ? filePlan(schema.additionalProperties, depth + 1) : null;
  const pairs: [string, FilePlan | 0][] = [];
  if (isJsonObject(schema.properties)) {
    for (const [k, s] of Object.entries(schema.properties)) {
      const p = filePlan(s as SafeSchema, depth + 1);
      // beside files under additionalProperties, a declared property without files is listed as 0
      if (p !== null || extra !== null) pairs.push([k, p ?? 0]);
    }
  }
  if (extra !== null) plan = mergePlans(plan, pairs.length > 0 ? { p: pairs, a: extra } : { a: extra });
  else if (pairs.length > 0) plan = mergePlans(plan, { p: pairs });
  return plan;
}
