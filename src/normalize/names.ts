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

/**
 * Names that change what a module or an object means when a Space picks them as an endpoint name (each
 * endpoint is both an export and a member of createClient()'s object). An export named `then` makes the
 * module namespace a thenable: `await import()` would call the endpoint, with the token, and never resolve;
 * `await createClient()` likewise. `default` and `__esModule` change how bundlers and CommonJS interop read
 * the module. The rest are Object.prototype members that code calls implicitly (String(client),
 * JSON.stringify(client), client.hasOwnProperty(…)) or that set prototypes.
 */
export const MEANINGFUL_NAMES = [
  "then",
  "default",
  "__esModule",
  "constructor",
  "prototype",
  "__proto__",
  "toString",
  "toLocaleString",
  "valueOf",
  "toJSON",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
];

/** Local names the emitted API code binds (emit.ts): `createClient(options)` must not shadow an endpoint. */
export const EMITTED_LOCALS = ["options"];

/**
 * Which characters may start or continue an identifier. The default follows this JavaScript engine's
 * Unicode tables; TypeScript's tables can be older (a letter added in Unicode 14 is not an identifier
 * to tsc 5.9), so generate.ts passes the compiler's own rules when a name has non-ASCII characters.
 */
export interface IdentifierRules {
  start(char: string): boolean;
  part(char: string): boolean;
}

export const ENGINE_RULES: IdentifierRules = {
  start: (char) => /^[\p{ID_Start}$_]$/u.test(char),
  part: (char) => /^[\p{ID_Continue}$\u200c\u200d]$/u.test(char),
};

export function isIdentifierName(name: string, rules: IdentifierRules = ENGINE_RULES): boolean {
  const chars = [...name];
  return chars.length > 0 && rules.start(chars[0]!) && chars.every((c) => rules.part(c));
}

/** A property key as written in TypeScript: bare when a plain ASCII identifier, else a JSON string. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** The first character changed by `change` (upper or lower case), unless that would break the identifier. */
function recase(name: string, change: (s: string) => string, rules: IdentifierRules): string {
  const [first = "", ...rest] = [...name];
  const changed = change(first);
  return isIdentifierName(changed + rest.join(""), rules) ? changed + rest.join("") : name;
}

/**
 * "/predict_1" → "predict1", "/_fetch_user_history" → "fetchUserHistory", "/générer-image" → "générerImage".
 * Words are split on anything that is not an identifier character and on "_"; never returns "".
 */
export function camelCase(text: string, prefix = "endpoint", rules: IdentifierRules = ENGINE_RULES): string {
  const words = text.split(/[^\p{ID_Continue}]+|_+/u).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : recase(w, (c) => c.toUpperCase(), ENGINE_RULES))).join("");
  const out = [...joined].filter((c) => c !== "_" && rules.part(c)).join("");
  if (out !== "" && rules.start([...out][0]!)) return out;
  return out === "" ? prefix : prefix + recase(out, (c) => c.toUpperCase(), rules);
}

/** A tuple element label from a return's label: "AI Model" → "aiModel", "Top-p" → "topP". */
export function labelName(label: string, rules: IdentifierRules = ENGINE_RULES): string {
  const name = camelCase(label, "value", rules);
  const lead = /^[\p{Lu}\d]+(?=\p{Lu}\p{Ll}|$)/u.exec(name)?.[0] ?? [...name][0]!;
  const lowered = lead.toLowerCase() + name.slice(lead.length);
  return isIdentifierName(lowered, rules) ? lowered : name;
}

export function pascalCase(identifier: string, rules: IdentifierRules = ENGINE_RULES): string {
  return recase(identifier, (c) => c.toUpperCase(), rules);
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

/**
 * The scope of a generated module: reserved words, globals, the runtime's own names, the module's exports,
 * names that change what the module means, and the emitter's own locals.
 */
export function moduleScope(runtimeNames: Iterable<string>): NameAllocator {
  return new NameAllocator([...RESERVED, ...GLOBALS, ...runtimeNames, ...MODULE_EXPORTS, ...MEANINGFUL_NAMES, ...EMITTED_LOCALS]);
}
