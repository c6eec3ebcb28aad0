// Agent tools: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below. Bundlers drop all of it when an app imports neither `tools` nor `callTool`.
//
// Same rules as the runtime: no imports, no side effects, no console output.
//
// Tool arguments come from a model, so they are untrusted: besides the schema check, a file argument may not make
// the caller's process fetch anything or read a local file, nor hand the app an address on the caller's network.

import {
  appRoot,
  isLoopback,
  mapFiles,
  mergeOptions,
  parseUrl,
  partsOf,
  SpaceError,
  type CallOptions,
} from "./runtime.ts";

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
export /* internal */ function checkValue(
  value: unknown,
  schema: JsonSchema,
  at: string,
): string | undefined {
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
  if (s.enum && !s.enum.some((e) => e === value))
    return `${at} must be one of ${s.enum.map(show).join(", ")} (got ${show(value)})`;
  if ("const" in s && s.const !== value)
    return `${at} must be ${show(s.const)} (got ${show(value)})`;
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const actual =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "array"
          : Number.isInteger(value)
            ? "integer"
            : typeof value;
    if (!types.some((t) => t === actual || (t === "number" && actual === "integer")))
      return `${at} must be of type ${types.join(" or ")} (got ${actual})`;
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum)
      return `${at} must be at least ${s.minimum} (got ${value})`;
    if (s.maximum !== undefined && value > s.maximum)
      return `${at} must be at most ${s.maximum} (got ${value})`;
  }
  if (Array.isArray(value) && s.items) {
    for (let i = 0; i < value.length; i++) {
      const item = Array.isArray(s.items) ? s.items[i] : s.items;
      const problem = item && checkValue(value[i], item, `${at}[${i}]`);
      if (problem) return problem;
    }
  }
  if (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    (s.properties || s.required)
  ) {
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

/**
 * Whether a URL's hostname is on the caller's side of the network: loopback, this host, or a private or link-local
 * network (0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16, ::, ::1, fc00::/7, fe80::/10, and those
 * IPv4 addresses inside IPv6). A name is not resolved: what it resolves to is the DNS's business, and the app's, which
 * fetches it. URL has already normalized the other spellings (2130706433, 0x7f.1, [::ffff:127.0.0.1]).
 */
export /* internal */ function isPrivateHost(hostname: string): boolean {
  // names under .localhost are this machine too (RFC 6761)
  if (isLoopback(hostname) || /\.localhost\.?$/i.test(hostname)) return true;
  let v4 = /^\d+\.\d+\.\d+\.\d+$/.test(hostname) ? hostname.split(".").map(Number) : undefined;
  if (hostname[0] == "[") {
    const [head = "", tail = ""] = hostname.slice(1, -1).split("::"),
      hi = head ? head.split(":") : [],
      lo = tail ? tail.split(":") : [],
      g = [...hi, ...Array<string>(8 - hi.length - lo.length).fill("0"), ...lo].map((x) =>
        parseInt(x, 16),
      );
    if (g.slice(0, 7).every((x) => !x) || (g[0]! & 0xfe00) == 0xfc00 || (g[0]! & 0xffc0) == 0xfe80)
      return true;
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach that IPv4 address
    if (
      (g.slice(0, 5).every((x) => !x) && g[5] == 0xffff) ||
      (g[0] == 0x64 && g[1] == 0xff9b && g.slice(2, 6).every((x) => !x))
    )
      v4 = [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  }
  const [a, b] = v4 || [];
  return (
    a == 0 ||
    a == 10 ||
    a == 127 ||
    (a == 100 && b! >> 6 == 1) ||
    (a == 169 && b == 254) ||
    (a == 172 && b! >> 4 == 1) ||
    (a == 192 && b == 168)
  );
}

/**
 * Why a model may not pass `v` as a file of an app on `origin`, or undefined when it may: an http(s) URL string of
 * a public host (the app fetches it, not the caller), or a FileData whose `url` is on the app's own origin (or that
 * has only a server `path`). Another origin's FileData would be downloaded by the caller; loopback, private and
 * link-local addresses, other schemes (file:, data:) and local paths are refused.
 */
export /* internal */ function fileRefusal(
  v: unknown,
  origin: string | undefined,
): string | undefined {
  const web = (s: unknown) => {
      const u = typeof s == "string" && /^https?:\/\//i.test(s) ? parseUrl(s) : undefined;
      return u && (u.origin == origin || !isPrivateHost(u.hostname));
    },
    fd = v as { path?: unknown; url?: unknown };
  if (typeof v == "string") return web(v) ? undefined : "must be an http(s) URL of a public host";
  if (!v || typeof v != "object" || Object.getPrototypeOf(v) != Object.prototype)
    return "must be a URL string or a FileData";
  if (fd.url != null && parseUrl(fd.url)?.origin != origin)
    return "is a FileData of another app (pass its url as a string)";
  if (typeof fd.path == "string" && /^[a-z][a-z\d+.-]+:/i.test(fd.path) && !web(fd.path))
    return "is a FileData whose path is not an http(s) URL of a public host";
  return undefined;
}

/** The `callTool` of a module: validates the arguments an agent produced, then calls the endpoint. */
export /* internal */ function toolCaller(
  tools: readonly ToolDescriptor[],
  calls: Record<string, (input: never, options?: CallOptions) => Promise<unknown>>,
): (name: string, args: unknown, options?: CallOptions) => Promise<unknown> {
  return async (name, args, options) => {
    const tool = tools.find((t) => t.name === name);
    const call = tool && Object.hasOwn(calls, name) ? calls[name] : undefined;
    if (!tool || !call)
      throw new SpaceError(
        "validation",
        `unknown tool ${JSON.stringify(name)}; tools: ${tools.map((t) => t.name).join(", ")}`,
      );
    const input = args ?? {};
    const problem =
      typeof input !== "object" || Array.isArray(input)
        ? "the arguments must be a JSON object"
        : checkValue(input, tool.inputSchema, "");
    const fail = (message: string, parameter?: string) =>
      new SpaceError("validation", `${name}: ${message}`, {
        endpoint: tool.endpoint,
        validation: [{ ...(parameter !== undefined && { parameter }), message }],
      });
    if (problem) throw fail(problem);
    // files: along each input slot's file plan (an endpoint's spec), on the origin this call would go to
    const parts = partsOf(call);
    let origin: string | undefined;
    try {
      origin = parts && appRoot(parts.app, mergeOptions(parts.defaults, options)).origin;
    } catch {
      // an app root that does not parse: the call below fails with that error
    }
    for (const slot of parts?.spec.i || [])
      if (slot?.f && Object.hasOwn(input, slot.k))
        mapFiles((input as Record<string, unknown>)[slot.k], slot.f, (v) => {
          const refusal = fileRefusal(v, origin);
          if (refusal)
            throw fail(
              `${slot.k}: a file ${refusal} (got ${JSON.stringify(v).slice(0, 100)})`,
              slot.k,
            );
        });
    return call(input as never, options); // checked against the endpoint's input schema above
  };
}

// #endregion tools
