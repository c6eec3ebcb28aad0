// Values from a schema (defaults, file plans) written as JavaScript expressions.
// Strings and keys go through JSON.stringify; "__proto__" keys become computed keys so that
// an object literal cannot change its prototype.

import { RawNumber, stringifyJson } from "../shared/json.js";
import { LIMITS } from "../shared/limits.js";

const MAX_DEPTH = 64;

/** An object-literal key for any string; "__proto__" becomes a computed key, which defines an own property. */
export function objectKey(key: string): string {
  return key === "__proto__" ? `["__proto__"]` : JSON.stringify(key);
}

/** Each object's and array's number of values (itself included), computed once, without recursion. */
function subtreeSizes(root: unknown): Map<object, number> {
  const sizes = new Map<object, number>();
  const stack: { node: object; children: unknown[]; next: number }[] = [];
  const enter = (v: unknown) => {
    if (v !== null && typeof v === "object" && !(v instanceof RawNumber) && !sizes.has(v))
      stack.push({ node: v, children: Array.isArray(v) ? v : Object.values(v), next: 0 });
  };
  enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) enter(top.children[top.next++]);
    else {
      stack.pop();
      let size = 1;
      for (const child of top.children) size += child !== null && typeof child === "object" ? (sizes.get(child) ?? 1) : 1;
      sizes.set(top.node, size);
    }
  }
  return sizes;
}

/**
 * A value as a JavaScript expression: object and array literals for the first LIMITS.literalNodes values,
 * so defaults and schemas stay readable; any part beyond that (a 1,000,000-item default, say) as the exact
 * JSON text, parsed when the module loads, which prettier and tsc read as one string.
 */
export function jsLiteral(value: unknown): string {
  const sizes = subtreeSizes(value);
  let left: number = LIMITS.literalNodes;
  const asJson = (v: unknown) => `JSON.parse(${JSON.stringify(stringifyJson(v, 0))})`;
  const render = (v: unknown, depth: number, fits: boolean): string => {
    if (v === null || v === undefined) return "null";
    if (v instanceof RawNumber) return /^-?\d+$/.test(v.digits) ? v.digits : "null";
    switch (typeof v) {
      case "string":
        return JSON.stringify(v);
      case "number":
        return Number.isFinite(v) ? String(v) : "null";
      case "boolean":
        return String(v);
    }
    if (typeof v !== "object") return "null";
    // Deeper than prettier and readers want: the exact value as JSON text.
    if (depth > MAX_DEPTH) return asJson(v);
    const entries: [string | null, unknown][] = Array.isArray(v) ? v.map((x) => [null, x]) : Object.entries(v as Record<string, unknown>);
    if (!fits) {
      const size = sizes.get(v) ?? 1;
      if (size <= left) {
        left -= size;
        fits = true;
      } else if (entries.length + 1 <= left)
        left -= 1; // a literal shell; its children decide for themselves
      else return asJson(v);
    }
    const items = entries.map(([k, x]) => (k === null ? "" : `${objectKey(k)}: `) + render(x, depth + 1, fits));
    return Array.isArray(v) ? "[" + items.join(", ") + "]" : "{" + items.join(", ") + "}";
  };
  return render(value, 0, false);
}

/** A value as short JSON text for documentation (bounded; big integers exactly as written). */
export function previewJson(value: unknown, max = 200): string {
  const text = value === undefined ? "undefined" : stringifyJson(value, 0);
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}
