// Values from a schema (defaults, file plans) written as JavaScript expressions.
// Strings and keys go through JSON.stringify; "__proto__" keys become computed keys so that
// an object literal cannot change its prototype.

import { RawNumber, stringifyJson } from "./json.js";

const MAX_DEPTH = 64;

/** An object-literal key for any string; "__proto__" becomes a computed key, which defines an own property. */
export function objectKey(key: string): string {
  return key === "__proto__" ? `["__proto__"]` : JSON.stringify(key);
}

export function jsLiteral(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof RawNumber) return /^-?\d+$/.test(value.digits) ? value.digits : "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return String(value);
  }
  // Deeper than prettier and readers want: the exact value as JSON text, parsed when the module loads.
  if (depth > MAX_DEPTH) return `JSON.parse(${JSON.stringify(stringifyJson(value, 0))})`;
  if (Array.isArray(value)) return "[" + value.map((v) => jsLiteral(v, depth + 1)).join(", ") + "]";
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${objectKey(k)}: ${jsLiteral(v, depth + 1)}`);
    return "{" + entries.join(", ") + "}";
  }
  return "null";
}

/** A value as short JSON text for documentation (bounded; big integers exactly as written). */
export function previewJson(value: unknown, max = 200): string {
  const text = value === undefined ? "undefined" : stringifyJson(value, 0);
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}
