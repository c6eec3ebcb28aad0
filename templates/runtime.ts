// The runtime emitted into every generated module.
//
// This file is ordinary TypeScript: it is type-checked and unit-tested as itself (test/runtime/).
// The emitter copies everything between the `#region runtime` markers into each module, and turns
// `export /* internal */ ` into nothing, so internal helpers are visible to tests but not exported
// by generated modules. Every top-level name declared here is reserved by the name allocator
// (src/names.ts), so endpoint functions never shadow it.
//
// Rules for this file (the generated module's contract):
// - no import/require, no top-level side effects, no console output;
// - only fetch, Blob, FormData, URL, AbortSignal/AbortController, ReadableStream, TextDecoder;
// - `process` only behind a `typeof` check.

// #region runtime

/** A file as Gradio sends and receives it. Outputs always carry an absolute `url`. */
export interface FileData {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta?: { _type: "gradio.FileData" };
}

/** What a file input accepts: bytes to upload, a public URL, or a FileData (e.g. another call's output). */
export type FileInput = Blob | URL | string | FileData;

export type SpaceErrorKind =
  | "http"
  | "unauthorized"
  | "queue_full"
  | "validation"
  | "app"
  | "quota"
  | "timeout"
  | "aborted"
  | "network"
  | "protocol";

export interface CallOptions {
  /** Aborts the upload, the call and its stream, and cancels the job on the server. */
  signal?: AbortSignal;
  /** Whole-call deadline in milliseconds; rejects with kind "timeout". Infinity (or 2^31 and more): no deadline. */
  timeoutMs?: number;
  /**
   * Hugging Face token, sent as `X-HF-Authorization` to the app's origin only, never over plain http except to a
   * loopback address (refused with kind "validation"). Without it, HF_TOKEN from the environment (where `process`
   * exists) goes to https://*.hf.space apps only.
   */
  token?: string;
  /** Extra headers for every request to the app's origin (e.g. `x-ip-token` for ZeroGPU, a Gradio login cookie); never sent elsewhere. */
  headers?: Record<string, string>;
  /** Another deployment of the same app: a duplicated Space, a local server (an http(s) URL). */
  baseUrl?: string;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * Fail with kind "timeout" when a wait for the server lasts this long: an answer, its headers, the next bytes of
   * a body or of the result stream (default 60000; Gradio heartbeats every 15 s). Infinity (or 2^31 and more): no limit.
   */
  idleTimeoutMs?: number;
}

export interface ClientOptions extends CallOptions {}

type CallArgs<I> = {} extends I ? [input?: I, options?: CallOptions] : [input: I, options?: CallOptions];

/** One endpoint of the app: call it for the final value, or `.stream()` for every value. */
export interface Endpoint<I, O> {
  (...args: CallArgs<I>): Promise<O>;
  stream(...args: CallArgs<I>): AsyncIterable<O>;
}

/**
 * Where files sit inside a value: 1 = this value is a file; `i` = inside each array item; `p` = inside these object
 * properties (pairs, so a key such as "__proto__" stays data; 0 = a declared property without files, listed so that
 * `a` skips it); `a` = inside every other own property (a schema's additionalProperties).
 */
export /* internal */ type FilePlan = 1 | { i?: FilePlan; p?: [string, FilePlan | 0][]; a?: FilePlan };

/** One input wire slot: null for a hidden slot (gr.State, Button) that is always sent as null. */
export /* internal */ type InputSlot = null | {
  /** parameter_name: the key of the input object */
  k: string;
  /** the default sent when the key is omitted (absent when the parameter has none) */
  d?: unknown;
  /** where files are inside this value */
  f?: FilePlan;
};

/** The wire layout of one endpoint, written by the generator from /info and /config. */
export /* internal */ interface EndpointSpec {
  /** api_name without its leading "/" */
  n: string;
  /** every input slot of the dependency, in wire order */
  i: InputSlot[];
  /** every output slot of the dependency, in wire order: 1 = returned to the caller, 0 = hidden */
  o: (0 | 1)[];
  /** result shape: 0 = undefined, 1 = the single visible value, 2 = a tuple of the visible values */
  s: 0 | 1 | 2;
  /** dependency id (fn_index) from /config, for /cancel; -1 when unknown */
  x: number;
}

/** The app the module was generated from. */
export /* internal */ interface AppSpec {
  /** root URL of the app, without a trailing slash */
  url: string;
  /** "/gradio_api" on Gradio 5+, "" on 4.x */
  prefix: string;
  /** whether POST {prefix}/cancel exists (Gradio >= 4.31) */
  cancel: boolean;
}

/** Extra fields of a SpaceError. */
export interface SpaceErrorDetails {
  status?: number;
  endpoint?: string;
  eventId?: string;
  title?: string;
  quota?: { requested: number; remaining: number };
  validation?: { parameter?: string; message: string }[];
  cause?: unknown;
}

/** Every failure of a call. `kind` says what happened; the other fields are set when known. */
export class SpaceError extends Error {
  override name = "SpaceError";
  declare readonly kind: SpaceErrorKind;
  /** HTTP status of the failed request */
  declare readonly status?: number;
  /** "/" + api_name of the endpoint that failed */
  declare readonly endpoint?: string;
  /** the job's event id, once the server gave one */
  declare readonly eventId?: string;
  /** the title of a gr.Error */
  declare readonly title?: string;
  /** ZeroGPU quota: seconds requested and left */
  declare readonly quota?: { requested: number; remaining: number };
  /** per-parameter validation messages (HTTP 422) */
  declare readonly validation?: { parameter?: string; message: string }[];
  constructor(kind: SpaceErrorKind, message: string, details: SpaceErrorDetails = {}) {
    super(message, details);
    for (const [k, v] of Object.entries({ ...details, kind })) if (v !== undefined) (this as any)[k] = v;
  }
}

declare const process: { env: Record<string, string | undefined> } | undefined;

/**
 * An incremental text/event-stream parser (the WHATWG EventSource rules): feed it byte chunks split anywhere,
 * get back the [event, data] pairs completed by each chunk. A leading BOM is dropped by TextDecoder.
 */
export /* internal */ function sse(): (chunk: Uint8Array) => [string, string][] {
  const decoder = new TextDecoder();
  let pending = "",
    eventType = "",
    data: string | undefined,
    afterCR = false;
  return (chunk) => {
    const events: [string, string][] = [];
    const decoded = decoder.decode(chunk, { stream: true });
    // a CR that ended the previous chunk and an LF that starts this one are one line end
    const text = afterCR && decoded[0] == "\n" ? decoded.slice(1) : decoded;
    if (decoded) afterCR = text.endsWith("\r");
    // Only the new text is searched for line ends, so a long line costs linear time; a line or an
    // event beyond 2^26 characters (64 Mi) is refused rather than buffered without bound.
    const end = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    if (end < 0) {
      pending += text;
      if (pending.length > 1 << 26) throw ["protocol", "an event line over 64 MiB"];
      return events;
    }
    const lines = (pending + text.slice(0, end + 1)).split(/\r\n?|\n/);
    lines.pop();
    pending = text.slice(end + 1);
    for (const line of lines) {
      const colon = line.indexOf(":"),
        field = colon < 0 ? line : line.slice(0, colon),
        value = colon < 0 ? "" : line.slice(line[colon + 1] == " " ? colon + 2 : colon + 1);
      if (!line) {
        if (data != null) events.push([eventType || "message", data]);
        eventType = "";
        data = undefined;
      } else if (field == "event") eventType = value;
      else if (field == "data") {
        data = data == null ? value : data + "\n" + value;
        if (data.length > 1 << 26) throw ["protocol", "an event over 64 MiB"];
      }
    }
    return events;
  };
}

/** A failure inside the runtime, before it becomes a SpaceError: kind, message, details. */
export /* internal */ type Failure = [SpaceErrorKind, string, any?];

/** What a request sends besides the app's headers: its method, its body, and headers of its own (`h`). */
export /* internal */ type RequestParts = { method?: string; body?: any; h?: Record<string, string> };

/** Merges options: b over a, headers merged. */
export /* internal */ function mo(a: CallOptions, b: CallOptions = {}): CallOptions {
  return { ...a, ...b, headers: { ...a.headers, ...b.headers } };
}

/** setTimeout for a limit in ms; a limit setTimeout cannot hold (Infinity, 2^31 and more, NaN, negative) means none. */
export /* internal */ function limitTimer(ms: number | undefined, f: () => void): ReturnType<typeof setTimeout> | undefined {
  return ms! >= 0 && ms! < 2 ** 31 ? setTimeout(f, ms) : undefined;
}

/** The URL, or undefined when it is not one. */
export /* internal */ function parseUrl(s: unknown, base?: string): URL | undefined {
  try {
    return new URL(s as string, base);
  } catch {}
}

/** Whether a URL's hostname is this machine: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost. URL has normalized its spellings. */
export /* internal */ function isLoopback(hostname: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]|localhost\.?)$/i.test(hostname);
}

/** HF_TOKEN from the environment, where there is one. */
export /* internal */ function envToken(): string | undefined {
  if (typeof process != "undefined")
    try {
      return process.env.HF_TOKEN;
    } catch {}
}

/** What must never appear in an error: the token (given or ambient) and the values of the caller's headers. */
export /* internal */ function secretsOf(o: CallOptions): string[] {
  return [o.token, envToken(), ...Object.values(o.headers || {})].filter((s): s is string => typeof s == "string" && s.length > 7);
}

/** A server's text without any 8 characters in a row of a secret: a server may echo the token back. */
export /* internal */ function redactSecrets(text: string, secrets: string[]): string {
  const hidden: boolean[] = [];
  for (const s of secrets)
    for (let i = 0; i + 8 <= s.length; i++)
      for (let at = text.indexOf(s.slice(i, i + 8)); at >= 0; at = text.indexOf(s.slice(i, i + 8), at + 1))
        for (let j = at; j < at + 8; j++) hidden[j] = true;
  if (!hidden.length) return text;
  let out = "";
  for (let j = 0; j < text.length; j++) out += !hidden[j] ? text[j] : hidden[j - 1] ? "" : "[redacted]";
  return out;
}

/** The app's root for a call (`baseUrl`, else the module's url): an http(s) URL without credentials, query or fragment. */
export /* internal */ function appRoot(app: AppSpec, o: CallOptions): URL {
  const u = parseUrl(o.baseUrl || app.url);
  if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash)
    throw [o.baseUrl ? "validation" : "protocol", (o.baseUrl ? "baseUrl" : "the app's url") + " is not an http(s) URL without credentials, query or fragment"];
  return u;
}

/** One call's connection to the app: where its requests go, what they carry, how long they wait, why it stopped. */
export /* internal */ interface Conn {
  /** the API base: the app's root (or baseUrl) and the API prefix */
  base: string;
  /** the origin every request to the app must keep */
  origin: string;
  /** headers for every request to the app: the caller's, and the token */
  headers: Record<string, string>;
  /** whether `headers` carry anything of the caller's (the token or their headers) */
  secret: boolean;
  fetch: typeof fetch;
  /** the longest wait for bytes, in ms */
  idle: number;
  ctl: AbortController;
  /** why the call was stopped (abort, deadline, idle timeout): it wins over the error the stop caused */
  why?: Failure;
  /** removes the call's timer and its listener on the caller's signal */
  end(): void;
}

/** Stops a call: the first reason wins. */
export /* internal */ function stopCall(c: Conn, kind: SpaceErrorKind, message: string): void {
  c.why ||= [kind, message];
  c.ctl.abort();
}

/**
 * Opens a call: checks where it goes (the API prefix comes from the app's /config, so it may only be "" or
 * /segments), picks its token, and starts its deadline and its listener on the caller's signal.
 */
export /* internal */ function openCall(app: AppSpec, o: CallOptions, ctl = new AbortController()): Conn {
  const root = appRoot(app, o),
    secure = root.protocol == "https:" || isLoopback(root.hostname);
  if (!/^(\/(?!\.\.?(\/|$))[\w.~-]+)*$/.test(app.prefix)) throw ["protocol", "the app's API prefix is not a plain path"];
  // the ambient token is for Hugging Face Spaces; an explicit one for the app's origin, never in clear over a network
  const token = o.token ?? (root.protocol == "https:" && root.hostname.endsWith(".hf.space") ? envToken() : undefined);
  if (o.token && !secure)
    throw ["validation", "refusing to send the token over plain http to " + root.host + ": use https (or a loopback address)"];
  const signal = o.signal,
    onAbort = () => stopCall(c, "aborted", "aborted"),
    deadline = limitTimer(o.timeoutMs, () => stopCall(c, "timeout", "timed out after " + o.timeoutMs + " ms")),
    c: Conn = {
      base: root.href.replace(/\/+$/, "") + app.prefix,
      origin: root.origin,
      headers: { ...o.headers, ...(token && { "x-hf-authorization": "Bearer " + token }) },
      secret: !!token || Object.keys(o.headers || {}).length > 0,
      fetch: o.fetch || fetch,
      idle: o.idleTimeoutMs ?? 6e4,
      ctl,
      end: () => {
        clearTimeout(deadline);
        signal?.removeEventListener("abort", onAbort);
      },
    };
  signal?.addEventListener("abort", onAbort);
  if (signal?.aborted) onAbort();
  return c;
}

/** A name or a server's string (an event id) as one URL path segment: it cannot add a segment, a query or a "..". */
export /* internal */ function pathSegment(s: unknown): string {
  if (typeof s != "string" || /^\.{0,2}$/.test(s)) throw ["protocol", "refused an empty or dot path segment"];
  return encodeURIComponent(s);
}

/**
 * Awaits the server within the idle limit (past it, the call stops with kind "timeout"). A rejection the stop did
 * not cause is the transport's: kind "network".
 */
export /* internal */ async function awaitServer<T>(c: Conn, p: Promise<T>, what = "no data"): Promise<T> {
  const t = limitTimer(c.idle, () => stopCall(c, "timeout", what + " for " + c.idle + " ms"));
  try {
    return await p;
  } catch (e: any) {
    throw c.why || ["network", "network error (" + (e?.cause?.code || e) + ")", { cause: e }];
  } finally {
    clearTimeout(t);
  }
}

/** The reader of a body that must be there (a stream, an answer). */
export /* internal */ function bodyReader(r: Response): ReadableStreamDefaultReader<Uint8Array> {
  if (!r.body) throw ["protocol", "an answer without a body"];
  return r.body.getReader();
}

/** A body, read within the idle limit; more than `cap` bytes (declared or arriving) is a protocol error. */
export /* internal */ async function readBody(c: Conn, r: Response, cap: number): Promise<Uint8Array[]> {
  if (+r.headers.get("content-length")! > cap) {
    r.body?.cancel().catch(() => {});
    throw ["protocol", "an answer over " + cap + " bytes"];
  }
  const rd = bodyReader(r),
    chunks: Uint8Array[] = [];
  try {
    for (let size = 0; ; ) {
      const { done, value } = await awaitServer(c, rd.read());
      if (done) return chunks;
      chunks.push(value);
      if ((size += value.length) > cap) throw ["protocol", "an answer over " + cap + " bytes"];
    }
  } finally {
    rd.cancel().catch(() => {});
  }
}

/** The text of a body's chunks. */
export /* internal */ function decodeChunks(chunks: Uint8Array[]): string {
  const d = new TextDecoder();
  return chunks.map((b) => d.decode(b, { stream: true })).join("") + d.decode();
}

/** The start of an error body: at most 64 KiB, what arrives within the idle limit; it never fails. */
export /* internal */ async function errorText(c: Conn, r: Response): Promise<string> {
  const rd = r.body?.getReader(),
    d = new TextDecoder();
  let t: any,
    s = "";
  const stall = new Promise<undefined>((done) => (t = limitTimer(c.idle, () => done(undefined))));
  try {
    while (rd && s.length < 65536) {
      const next = await Promise.race([rd.read(), stall]);
      if (!next || next.done) break;
      s += d.decode(next.value, { stream: true });
    }
  } catch {}
  clearTimeout(t);
  rd?.cancel().catch(() => {});
  return s.slice(0, 65536);
}

/** The message of an error payload: a string, or an object's `error` string. */
export /* internal */ function errorMessage(d: any): string | undefined {
  return typeof d == "string" ? d : typeof d?.error == "string" ? d.error : undefined;
}

/** The failure of a non-2xx answer: its kind by status, its message from the body (422 details, a detail, or its start). */
export /* internal */ async function httpError(c: Conn, r: Response): Promise<Failure> {
  const x = r.status,
    t = await errorText(c, r),
    str = (v: any) => (typeof v == "string" ? v : undefined);
  let d: any;
  try {
    d = JSON.parse(t).detail;
  } catch {}
  const v: { parameter?: string; message: string }[] = (Array.isArray(d) ? d : [])
    .filter((e) => e && typeof e == "object" && !e.is_valid)
    .map((e) => {
      const parameter = str(e.parameter_name) ?? (Array.isArray(e.loc) ? e.loc.join(".") : undefined);
      return { ...(parameter !== undefined && { parameter }), message: str(e.message) ?? str(e.msg) ?? "invalid" };
    });
  return [
    x == 503 ? "queue_full" : x == 422 ? "validation" : x == 401 || x == 403 ? "unauthorized" : "http",
    "HTTP " + x + " " + (v.length ? v.map((e) => (e.parameter ? e.parameter + ": " : "") + e.message).join("; ") : errorMessage(d) || (/^\s*</.test(t) ? r.statusText : t.slice(0, 200))),
    { status: x, validation: v.length ? v : undefined },
  ];
}

/**
 * One request to the app: `path` under the API base, on the app's origin, with the app's headers. With `anywhere`,
 * a download of another app's file instead: `path` is its URL, sent with none of the caller's headers.
 * Redirects are followed here, at most 5, and only within the app's origin (a redirect elsewhere, or from https
 * to http, is refused: nothing is sent there). Browsers hide a redirect's target (an "opaqueredirect" answer):
 * a request that carries nothing of the caller's is repeated for the browser to follow, and its answer is used only
 * if it ended on the app's origin; one with the token or the caller's headers is refused. Every wait is bounded by
 * the idle limit; a non-2xx answer throws its failure.
 */
export /* internal */ async function sendRequest(
  c: Conn,
  path: string,
  init: RequestParts = {},
  signal = c.ctl.signal,
  anywhere?: boolean,
): Promise<Response> {
  let to = anywhere ? path : c.base + path,
    method = init.method,
    body = init.body,
    headers = anywhere ? {} : { ...c.headers, ...init.h };
  const f = c.fetch,
    mine = (u: string) => anywhere || parseUrl(u)?.origin == c.origin;
  for (let hops = 0; ; hops++) {
    if (!mine(to)) throw ["protocol", "refused a URL outside the app's origin"];
    const req: any = { method, body, headers, signal };
    let r = await awaitServer(c, f(to, { ...req, redirect: "manual" }), "no answer");
    if (r.type == "opaqueredirect") {
      if (c.secret && !anywhere) throw ["http", "the app answered with a redirect, which a browser hides: not followed with the token or headers"];
      r = await awaitServer(c, f(to, { ...req, redirect: "follow" }), "no answer");
      if (r.redirected && !mine(r.url)) {
        r.body?.cancel().catch(() => {});
        throw ["http", "refused a redirect to another origin", { status: r.status }];
      }
    }
    const x = r.status,
      location = x > 299 && x < 400 && r.headers.get("location");
    if (!location) {
      if (r.ok) return r;
      throw await httpError(c, r);
    }
    r.body?.cancel().catch(() => {});
    const next = parseUrl(location, to);
    if (!next || !/^https?:$/.test(next.protocol)) throw ["protocol", "a redirect to something that is not an http(s) URL", { status: x }];
    if (!mine(next.href)) throw ["http", "refused a redirect to another origin", { status: x }];
    if (hops == 5) throw ["http", "a redirect loop (more than 5 redirects)", { status: x }];
    // 303, and 301/302 after a POST, continue as a GET without a body (as fetch does)
    if (x == 303 || (x < 303 && method == "POST")) {
      method = body = undefined;
      headers = anywhere ? {} : c.headers;
    }
    to = next.href;
  }
}

/** A JSON answer of the app (at most 1 MiB). */
export /* internal */ async function jsonAnswer(c: Conn, path: string, init: RequestParts): Promise<any> {
  return parseJson(decodeChunks(await readBody(c, await sendRequest(c, path, init), 2 ** 20)));
}

/** A JSON POST body. */
export /* internal */ function jsonPost(body: unknown, h?: Record<string, string>): RequestParts {
  return { method: "POST", body: JSON.stringify(body), h: { "content-type": "application/json", ...h } };
}

/** A copy of `v` with each file position along the plan replaced by `f(value)`; a missing file is null. */
export /* internal */ function mapFiles(v: any, p: FilePlan | 0 | undefined, f: (file: any) => any): any {
  if (!p) return v;
  if (v == null) return null;
  if (p === 1) return f(v);
  if (Array.isArray(v)) return v.map((x) => mapFiles(x, p.i, f));
  if (typeof v != "object") return v;
  const props = new Map(p.p);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapFiles(x, props.has(k) ? props.get(k) : p.a, f)]));
}

/**
 * File inputs, bundled only by endpoints that have some: each wire value walked along its slot's file plan.
 * Blobs become FileData to upload, URLs and paths become FileData (copies, never mutates); another app's
 * FileData (a server path there, its url on another origin) is downloaded and uploaded here. Everything to
 * upload goes in one POST {prefix}/upload, and the paths it answers are filled in.
 */
export /* internal */ async function uploadFiles(c: Conn, values: any[], slots: InputSlot[]): Promise<any[]> {
  const M = { _type: "gradio.FileData" },
    files: [Blob | string, any][] = [],
    H = /^https?:\/\//i,
    file = (v: any): any =>
      (typeof Blob != "undefined" && v instanceof Blob) || (v.path && !H.test(v.path) && H.test(v.url) && parseUrl(v.url)?.origin != c.origin)
        ? (files.push([
            v.url || v,
            (v = { path: "", orig_name: v.orig_name || v.name || (v.url ? v.url.split("/").pop() : "blob"), size: v.size, mime_type: v.mime_type || v.type || null, meta: M }),
          ]),
          v)
        : v.path || v.url
          ? { ...v, meta: v.meta || M }
          : typeof v == "object" && !(v instanceof URL)
            ? v
            : ((v = String(v)), { path: v, meta: M, ...(H.test(v) && { url: v, orig_name: parseUrl(v)?.pathname.split("/").pop() }) });
  const data = values.map((v, i) => mapFiles(v, slots[i]?.f, file));
  if (files.length) {
    // another app's file passes through memory: at most 1 GiB
    for (const f of files) if (typeof f[0] == "string") f[0] = new Blob((await readBody(c, await sendRequest(c, f[0], {}, undefined, true), 2 ** 30)) as any[]);
    const fd = new FormData();
    for (const [b, f] of files) fd.append("files", b as Blob, f.orig_name);
    const paths = await jsonAnswer(c, "/upload", { method: "POST", body: fd });
    if (!Array.isArray(paths) || paths.length != files.length || !paths.every((p) => typeof p == "string"))
      throw ["protocol", "the upload did not answer one path per file"];
    files.forEach(([, f], i) => (f.path = paths[i]));
  }
  return data;
}

/** JSON.parse; malformed text is a protocol error. */
export /* internal */ function parseJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    throw ["protocol", "malformed JSON"];
  }
}

/** The full positional data of a call: the input's values by key, defaults, null for hidden slots. */
export /* internal */ function wireData(spec: EndpointSpec, input: any): any[] {
  const inp = input || {};
  return spec.i.map((sl) => sl && (Object.hasOwn(inp, sl.k) ? inp[sl.k] : "d" in sl ? sl.d : null));
}

/** Every FileData of an output gets an absolute url; Gradio 4.x (no prefix) sends broken ones: rebuilt from path. */
export /* internal */ function fileUrls(app: AppSpec, base: string, v: any, depth = 0): any {
  if (v && typeof v == "object") {
    if (depth > 1e3) throw ["protocol", "a value nested deeper than 1000 levels"];
    for (const k in v) fileUrls(app, base, v[k], depth + 1);
    if (v.meta?._type == "gradio.FileData" && typeof v.path == "string" && v.path && !(v.url && (app.prefix || /^https?:/.test(v.path))))
      v.url = base + "/file=" + v.path;
  }
  return v;
}

/** What a call returns of a result: its visible outputs in the endpoint's shape, file urls absolute. */
export /* internal */ function callResult(c: Conn, app: AppSpec, spec: EndpointSpec, values: unknown): any {
  if (!Array.isArray(values) || values.length != spec.o.length)
    throw ["protocol", "a result of " + (Array.isArray(values) ? values.length : "no") + " values for " + spec.o.length + " outputs"];
  const visible = fileUrls(app, c.base, values.filter((_, j) => spec.o[j]));
  return spec.s > 1 ? visible : spec.s ? visible[0] : undefined;
}

/** The failure of a failed job's payload: a gr.Error, a ZeroGPU quota message, or a hidden error. */
export /* internal */ function appError(a: any): Failure {
  const m = errorMessage(a) || "the app raised an error (verbose errors are off)",
    q = m.match(/([\d.]+)s requested vs\.? ([\d.]+)s left/);
  if (m.length > 65536) return ["protocol", "an error message over 64 KiB"];
  return [/GPU quota/i.test(m) ? "quota" : "app", m, { title: typeof a?.title == "string" ? a.title : undefined, quota: q ? { requested: +q[1]!, remaining: +q[2]! } : undefined }];
}

/**
 * The SpaceError of a failed call, from a failure or anything else thrown (transport failures are already
 * failures of kind "network", so anything else comes from what the server sent: protocol). No secret of the call
 * appears in any of its strings.
 */
export /* internal */ function spaceError(e: any, ep: string, id: string | undefined, secrets: string[]): SpaceError {
  const [k, m, d = {}]: Failure = Array.isArray(e) ? (e as Failure) : ["protocol", "unexpected error (" + e + ")", { cause: e }],
    r = (s: string | undefined) => s && redactSecrets(s, secrets);
  return new SpaceError(k, r(ep + " failed: " + m)!.replace(/\s+/g, " "), {
    ...d,
    endpoint: ep,
    eventId: r(id),
    title: r(d.title),
    validation: d.validation?.map((v: { parameter?: string; message: string }) => ({ ...v, message: r(v.message)!, ...(v.parameter !== undefined && { parameter: r(v.parameter)! }) })),
  });
}

/** One call: uploads, submits, streams; yields each value; cleans up on every exit path. */
export /* internal */ async function* run(
  app: AppSpec,
  spec: EndpointSpec,
  input: any,
  o: CallOptions,
  withFiles?: typeof uploadFiles,
): AsyncGenerator<any, void> {
  const ep = "/" + spec.n;
  let c: Conn | undefined,
    id: string | undefined,
    rd: ReadableStreamDefaultReader<Uint8Array> | undefined,
    fin = false;
  try {
    c = openCall(app, o);
    if (c.why) throw c.why;
    const name = "/call/" + pathSegment(spec.n);
    let data = wireData(spec, input);
    if (withFiles) data = await withFiles(c, data, spec.i);
    id = (await jsonAnswer(c, name, jsonPost({ data })))?.event_id;
    if (typeof id != "string") throw ["protocol", "no event_id"];
    rd = bodyReader(await sendRequest(c, name + "/" + pathSegment(id)));
    const p = sse();
    for (;;) {
      const { done, value } = await awaitServer(c, rd.read());
      if (done) throw ["protocol", "the stream ended early"];
      for (const [t, s] of p(value)) {
        if (t == "error") {
          fin = true;
          throw appError(parseJson(s));
        }
        if (t == "complete" || t == "generating") {
          const a = parseJson(s);
          if (a === null) throw ["aborted", "cancelled on the server"];
          fin = t == "complete";
          yield callResult(c, app, spec, a);
          if (fin) return;
        }
      }
    }
  } catch (e: any) {
    throw spaceError(c?.why || e, ep, id, secretsOf(o));
  } finally {
    if (c) {
      const conn = c;
      conn.end();
      if (fin && rd) {
        // the job is over and the server is ending its stream: read the end in the background (for 500 ms at
        // most) rather than abort, so the connection is reused by the next call instead of torn down
        const end = rd,
          bound = setTimeout(() => conn.ctl.abort(), 500),
          drain = (): Promise<void> => end.read().then((r) => (r.done ? clearTimeout(bound) : drain()), () => clearTimeout(bound));
        drain();
      } else conn.ctl.abort();
      // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, best effort and bounded
      if (!fin && id && app.cancel && spec.x >= 0) {
        const cc = new AbortController(),
          t = limitTimer(Math.min(3e3, conn.idle), () => cc.abort());
        try {
          (await sendRequest(conn, "/cancel", jsonPost({ session_hash: id, fn_index: spec.x, event_id: id }), cc.signal)).body?.cancel().catch(() => {});
        } catch {}
        clearTimeout(t);
      }
    }
  }
}

/** An endpoint with file inputs. */
export /* internal */ function endpoint<I, O>(app: AppSpec, spec: EndpointSpec, defaults: ClientOptions = {}): Endpoint<I, O> {
  return bareEndpoint(app, spec, defaults, uploadFiles);
}

/** An endpoint without file inputs: uploadFiles is not referenced, so bundlers leave it out. */
export /* internal */ function bareEndpoint<I, O>(
  app: AppSpec,
  spec: EndpointSpec,
  defaults: ClientOptions = {},
  withFiles?: typeof uploadFiles,
): Endpoint<I, O> {
  const st = (i?: any, o?: CallOptions) => run(app, spec, i, mo(defaults, o), withFiles);
  return Object.assign(
    async (i?: any, o?: CallOptions) => {
      let v: any;
      for await (v of st(i, o));
      return v;
    },
    { stream: st, _: [app, spec, defaults, withFiles] },
  ) as any;
}

/** The same endpoint with options bound (used by createClient). */
export /* internal */ function bind<I, O>(ep: Endpoint<I, O>, options: ClientOptions): Endpoint<I, O> {
  const [a, s, d, w] = (ep as any)._;
  return bareEndpoint(a, s, mo(d, options), w);
}

// #endregion runtime
