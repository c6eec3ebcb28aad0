// Names in the generated module: designed before the emitter, because collisions are the most
// common bug class of generators. Every identifier the module declares, every tool name and every
// parameter key is allocated here, in one pass over the endpoints (ModuleNames, parameterKeys), with one
// suffix rule (withSuffix); the IR carries the full names and nothing downstream derives one.

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

const ENGINE_RULES: IdentifierRules = {
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

function pascalCase(identifier: string, rules: IdentifierRules = ENGINE_RULES): string {
  return recase(identifier, (c) => c.toUpperCase(), rules);
}

/** The one suffix rule: `first` (default `base`) if free, else the first free of `base_2`, `base_3`, … */
function withSuffix(base: string, free: (name: string) => boolean, first = base): string {
  if (free(first)) return first;
  for (let n = 2; ; n++) if (free(`${base}_${n}`)) return `${base}_${n}`;
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
    const name = withSuffix(candidate, (n) => !this.taken.has(n) && accept(n), RESERVED.has(candidate) ? candidate + "_" : candidate);
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

/** Every name of one endpoint. */
export interface EndpointNames {
  /** the endpoint function (an export, and a member of createClient()'s object) */
  functionName: string;
  inputType: string;
  outputType: string;
  /** labels of the output tuple's elements, for several returns */
  returnLabels: string[];
  /** the agent tool's name: [A-Za-z0-9_-], at most 64 characters */
  toolName: string;
}

/** The naming pass of one module: endpoints in order, each allocated all its names at once. */
export class ModuleNames {
  private readonly values: NameAllocator;
  private readonly types: NameAllocator;
  private readonly tools = new Set<string>();
  constructor(
    runtimeNames: readonly string[],
    runtimeTypeNames: readonly string[],
    private readonly rules: IdentifierRules = ENGINE_RULES,
  ) {
    this.values = moduleScope(runtimeNames);
    this.types = new NameAllocator([...runtimeTypeNames, ...runtimeNames, "ToolName"]);
  }

  /** "/predict_1" with returns labelled ["Image", ""] → predict1, Predict1Input, Predict1Output, [image, output2], predict_1. */
  endpoint(wireName: string, returnLabels: readonly string[]): EndpointNames {
    const functionName = this.values.allocate(camelCase(wireName, "endpoint", this.rules));
    const types = this.types;
    const stem = types.allocate(pascalCase(functionName, this.rules), (n) => !types.isTaken(`${n}Input`) && !types.isTaken(`${n}Output`));
    const inputType = `${stem}Input`;
    const outputType = `${stem}Output`;
    types.take(inputType);
    types.take(outputType);
    const labels = new NameAllocator([]);
    const labelNames = returnLabels.map((label, i) => labels.allocate(label ? labelName(label, this.rules) : `output${i + 1}`));
    // "/predict_1" → "predict_1", "/générer image" → "g_n_rer_image"
    const toolBase = (wireName.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+(?=.)/, "") || "endpoint").slice(0, 60);
    const toolName = withSuffix(toolBase, (n) => !this.tools.has(n));
    this.tools.add(toolName);
    return { functionName, inputType, outputType, returnLabels: labelNames, toolName };
  }
}

/**
 * Parameter keys must be unique strings. parameter_name is used verbatim; documents without it
 * (Gradio < 4.x, view_api dicts) fall back to the label, then to param_{index}.
 */
export function parameterKeys(params: { key: string; label: string }[], warn: (message: string) => void): void {
  const used = new Set<string>();
  params.forEach((param, index) => {
    const wanted = param.key || (param.label && !used.has(param.label) ? param.label : `param_${index}`);
    const key = withSuffix(wanted, (n) => !used.has(n));
    if (key !== wanted) warn(`two parameters are named ${JSON.stringify(wanted)}; the second is keyed ${JSON.stringify(key)}`);
    used.add(key);
    param.key = key;
  });
}
