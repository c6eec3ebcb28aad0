// Names in the generated module: designed before the emitter, because collisions are the most
// common bug class of generators. Every identifier the module declares comes from here.

/** JavaScript reserved words and strict-mode/contextual words that cannot be binding names. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** Globals the runtime and the emitted code use: an endpoint named "/fetch" must not shadow fetch. */
const GLOBALS = (
  "globalThis fetch Blob File FormData URL URLSearchParams AbortSignal AbortController ReadableStream TextDecoder " +
  "TextEncoder Headers Request Response setTimeout clearTimeout setInterval clearInterval queueMicrotask process " +
  "JSON Object Array Promise Error TypeError RangeError SyntaxError DOMException String Number Boolean Symbol Math " +
  "Date RegExp Map Set WeakMap WeakSet Reflect Proxy BigInt console window self document require module exports " +
  "encodeURIComponent decodeURIComponent encodeURI decodeURI isNaN isFinite parseInt parseFloat structuredClone atob btoa"
).split(" ");

/** Names the generated module exports besides endpoints (the contract). */
export const MODULE_EXPORTS = ["space", "endpoints", "createClient", "tools", "callTool"];

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

export function isIdentifierName(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A property key as written in TypeScript: bare when an identifier name, else a JSON string. */
export function propertyKey(key: string): string {
  return isIdentifierName(key) ? key : JSON.stringify(key);
}

/**
 * "/predict_1" → "predict1", "/_fetch_user_history" → "fetchUserHistory", "/générer-image" → "générerImage".
 * Words are split on anything that is not an identifier character and on "_"; never returns "".
 */
export function camelCase(text: string, prefix = "endpoint"): string {
  const words = text.split(/[^\p{ID_Continue}]+|_+/u).filter(Boolean);
  let out = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
  out = out.replace(/[^\p{ID_Continue}]/gu, "");
  if (out === "" || !/^[\p{ID_Start}]/u.test(out)) out = prefix + (out === "" ? "" : out[0]!.toUpperCase() + out.slice(1));
  return out;
}

/** A tuple element label from a return's label: "AI Model" → "aiModel", "Top-p" → "topP". */
export function labelName(label: string): string {
  const name = camelCase(label, "value");
  const lead = /^[\p{Lu}\d]+(?=\p{Lu}\p{Ll}|$)/u.exec(name)?.[0] ?? name[0]!;
  return lead.toLowerCase() + name.slice(lead.length);
}

export function pascalCase(identifier: string): string {
  return identifier[0]!.toUpperCase() + identifier.slice(1);
}

/**
 * Allocates unique identifiers in one scope. Deterministic: the same requests in the same order give
 * the same names. Sanitized names never contain "_" followed by a digit, so suffixes cannot collide
 * with another endpoint's natural name.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();
  constructor(reserved: Iterable<string>) {
    for (const name of reserved) this.taken.add(name);
  }
  isTaken(name: string): boolean {
    return this.taken.has(name);
  }
  take(name: string): void {
    this.taken.add(name);
  }
  allocate(candidate: string, accept: (name: string) => boolean = () => true): string {
    let name = RESERVED.has(candidate) ? candidate + "_" : candidate;
    for (let n = 2; this.taken.has(name) || !accept(name); n++) name = `${candidate}_${n}`;
    this.taken.add(name);
    return name;
  }
}

/** The scope of a generated module: reserved words, globals, the runtime's own names, the module's exports. */
export function moduleScope(runtimeNames: Iterable<string>): NameAllocator {
  return new NameAllocator([...RESERVED, ...GLOBALS, ...runtimeNames, ...MODULE_EXPORTS]);
}
