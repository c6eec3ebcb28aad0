// What the differential suite compares: values reduced to what both clients can agree on, then compared with
// files by content, floats with a tolerance and everything else exactly.

import { createHash } from "node:crypto";

/** A file, wherever it sits in a value, as the module returns it (Gradio's FileData, with an absolute url). */
function isFileData(v: unknown): v is { path: string; url: string } {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.path === "string" && typeof o.url === "string" && ("meta" in o || "orig_name" in o);
}

/**
 * A module's value with every FileData replaced by { $file: sha256 of the bytes at its url } (gradio_client
 * downloads each file and returns its local path; oracle.py hashes it the same way).
 */
export async function reduceModuleValue(v: unknown, download: (url: string) => Promise<Uint8Array>): Promise<unknown> {
  if (isFileData(v))
    return {
      $file: createHash("sha256")
        .update(await download(v.url))
        .digest("hex"),
    };
  if (Array.isArray(v)) return Promise.all(v.map((x) => reduceModuleValue(x, download)));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await reduceModuleValue(x, download);
    return out;
  }
  return v;
}

/** An error as both sides can state it: the app's message, or null when the server sent none. */
export interface ErrorOutcome {
  error: string | null;
}

// gradio_client's text when the app sent no message (gradio_client.utils, every version in use here)
const CLIENT_HIDDEN = /has raised an exception but has not enabled verbose error reporting/;
// the module's texts when the server sent no message
const MODULE_HIDDEN = /^the app raised an error \((verbose errors are off|Gradio < 6\.13 sends no message over \/call: .*)\)$/;

// gradio_client 1.3.0 (Gradio 4.44) puts this before the app's message
const CLIENT_HEAD = "The upstream Gradio app has raised an exception: ";

/** A gradio_client AppError's message without gradio_client's own words; null when it says the app sent none. */
export function clientError(message: string): ErrorOutcome {
  if (CLIENT_HIDDEN.test(message)) return { error: null };
  const text = message.startsWith(CLIENT_HEAD) ? message.slice(CLIENT_HEAD.length) : message;
  return { error: text.replace(/\s+/g, " ").trim() };
}

/** A SpaceError's message without its "/endpoint failed: " head; null when it says the server sent none. */
export function moduleError(endpoint: string, message: string): ErrorOutcome {
  const text = message.startsWith(`${endpoint} failed: `) ? message.slice(endpoint.length + 9) : message;
  return { error: MODULE_HIDDEN.test(text) ? null : text.replace(/\s+/g, " ").trim() };
}

/** Where two reduced values differ (a JSON path and both values), or null when they agree. */
export function difference(a: unknown, b: unknown, path = "$"): string | null {
  if (typeof a === "number" && typeof b === "number") {
    const close = a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    return close ? null : `${path}: ${a} ≠ ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items ≠ ${b.length} items (${preview(a)} ≠ ${preview(b)})`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a) || !(k in b)) return `${path}: key ${JSON.stringify(k)} only on one side (${preview(a)} ≠ ${preview(b)})`;
      const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${preview(a)} ≠ ${preview(b)}`;
}

function preview(v: unknown): string {
  const text = v === undefined ? "undefined" : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A value the module returned, as TypeScript source (JSON is a TypeScript expression; `undefined` is not JSON). */
export function tsLiteral(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v, null, 1);
}
