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

/**
 * What an output slot holds when the app returned a component (`gr.Textbox(interactive=False)`,
 * `gr.Audio(value=…, label=…)`) or `gr.update(…)` instead of a value: the component's new properties
 * (`visible`, `label`, `choices`, …), and `value` when it sets one. Tell it from a value with isUpdate().
 */
export interface ComponentUpdate<T> {
  __type__: "update";
  value?: T | null;
  [property: string]: unknown;
}

/**
 * The value of any output slot: a value, null (a cleared component: the app returned None), or a component update.
 * `U` is the value an update may set: wider than `T` where T is a list of choices (an update may set new ones).
 */
export type OutputValue<T, U = T> = T | ComponentUpdate<U> | null;

/** Whether an output value is a component update rather than a value: `if (isUpdate(v)) v.value; else v`. */
export function isUpdate<T, U>(value: T | ComponentUpdate<U> | null): value is ComponentUpdate<U> {
  return typeof value == "object" && value !== null && (value as any).__type__ == "update";
}

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
  /** Whole-call deadline in milliseconds; rejects with kind "timeout". */
  timeoutMs?: number;
  /** Hugging Face token; defaults to process.env.HF_TOKEN where `process` exists. Sent only to the app's origin. */
  token?: string;
  /** Extra headers for every request to the app (e.g. `x-ip-token` for ZeroGPU, a Gradio login cookie). */
  headers?: Record<string, string>;
  /** Another deployment of the same app: a duplicated Space, a local server. */
  baseUrl?: string;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch;
  /** Fail with kind "timeout" when the result stream sends no bytes for this long (default 60000; Gradio heartbeats every 15 s). */
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
 * Where files sit inside a value: 1 = this value is a file; `i` = inside each array item;
 * `p` = inside these object properties (pairs, so a key such as "__proto__" stays data).
 */
export /* internal */ type FilePlan = 1 | { i?: FilePlan; p?: [string, FilePlan][] };

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

/** Merges options: b over a, headers merged. */
export /* internal */ function mo(a: CallOptions, b: CallOptions = {}): CallOptions {
  return { ...a, ...b, headers: { ...a.headers, ...b.headers } };
}

/**
 * File inputs, bundled only by endpoints that have some: each wire value walked along its slot's file plan.
 * Blobs become FileData to upload, URLs and paths become FileData (copies, never mutates); another app's
 * FileData (a server path there, its url on another origin) is downloaded and uploaded here. Everything to
 * upload goes in one POST {prefix}/upload, and the paths it answers are filled in.
 */
export /* internal */ async function uploadFiles(
  values: any[],
  slots: InputSlot[],
  base: string,
  download: (url: string) => Promise<Response>,
  upload: (body: FormData) => Promise<any>,
): Promise<any[]> {
  const M = { _type: "gradio.FileData" },
    files: [Blob | string, any][] = [],
    H = /^https?:\/\//i,
    walk = (v: any, p?: FilePlan): any =>
      !p
        ? v
        : v == null
          ? null
          : p === 1
            ? (typeof Blob != "undefined" && v instanceof Blob) ||
              (v.path && !H.test(v.path) && H.test(v.url) && new URL(v.url).origin != new URL(base).origin)
              ? (files.push([
                  v.url || v,
                  (v = { path: "", orig_name: v.orig_name || v.name || (v.url ? v.url.split("/").pop() : "blob"), size: v.size, mime_type: v.mime_type || v.type || null, meta: M }),
                ]),
                v)
              : v.path || v.url
                ? { ...v, meta: v.meta || M }
                : typeof v == "object" && !(v instanceof URL)
                  ? v
                  : ((v = String(v)),
                    { path: v, meta: M, ...(H.test(v) && { url: v, orig_name: new URL(v).pathname.split("/").pop() }) })
            : Array.isArray(v)
              ? v.map((x) => walk(x, p.i))
              : typeof v == "object"
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, new Map(p.p).get(k))]))
                : v;
  const data = values.map((v, i) => walk(v, slots[i]?.f));
  if (files.length) {
    const fd = new FormData();
    for (const f of files)
      if (typeof f[0] == "string") {
        const r = await download(f[0]);
        if (!r.ok) throw ["http", "HTTP " + r.status + " downloading " + f[0], { status: r.status }];
        f[0] = await r.blob();
      }
    for (const [b, f] of files) fd.append("files", b as Blob, f.orig_name);
    const ps = await upload(fd);
    files.forEach(([, f], i) => (f.path = ps[i]));
  }
  return data;
}

/**
 * Python's JSON with its NaN, Infinity and -Infinity tokens (outside strings) written as null, as Gradio's queue
 * route writes them; its /call route writes Python's json.dumps, so a Dataframe with an empty cell sends NaN.
 * One pass over the text, strings skipped whole (linear whatever the text is).
 */
export /* internal */ function nonFiniteAsNull(s: string): string {
  let out = "",
    from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c == '"') {
      // a string, skipped up to its closing quote (one not escaped)
      while (++i < s.length && s[i] != '"') if (s[i] == "\\") i++;
    } else {
      const token = c == "N" ? "NaN" : c == "I" ? "Infinity" : c == "-" ? "-Infinity" : "";
      if (token && s.startsWith(token, i)) {
        out += s.slice(from, i) + "null";
        from = i + token.length;
        i = from - 1;
      }
    }
  }
  return out + s.slice(from);
}

/** JSON.parse, reading Python's non-finite numbers as null (nonFiniteAsNull); malformed text is a protocol error. */
export /* internal */ function parseJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    try {
      return JSON.parse(nonFiniteAsNull(s));
    } catch {
      throw ["protocol", "malformed JSON"];
    }
  }
}

/** The message of an error payload: a string, or an object's `error`. */
export /* internal */ function errorMessage(d: any): string | undefined {
  return typeof d == "string" ? d : d?.error;
}

/** The API base of a call: the app's (or `baseUrl`'s) root and the API prefix. */
export /* internal */ function apiBase(app: AppSpec, o: CallOptions): string {
  return (o.baseUrl ? o.baseUrl.replace(/\/+$/, "") : app.url) + app.prefix;
}

/** The token of a call: the option, else HF_TOKEN where `process` exists. */
export /* internal */ function tokenOf(o: CallOptions): string | undefined {
  let tok = o.token;
  if (tok === undefined && typeof process != "undefined")
    try {
      tok = process.env.HF_TOKEN;
    } catch {}
  return tok;
}

/** The full positional data of a call: the input's values by key, defaults, null for hidden slots. */
export /* internal */ function wireData(spec: EndpointSpec, input: any): any[] {
  const inp = input || {};
  return spec.i.map((sl) => sl && (Object.hasOwn(inp, sl.k) ? inp[sl.k] : "d" in sl ? sl.d : null));
}

/**
 * fetch with the headers and the token; with a token, redirects are followed here, within the app's origin only;
 * a non-2xx answer throws an error tuple.
 */
export /* internal */ async function request(
  base: string,
  o: CallOptions,
  tok: string | undefined,
  p: string,
  init: any,
  s: AbortSignal | undefined,
): Promise<Response> {
  for (let u = base + p, i = 0; ; ) {
    const r = await (o.fetch || fetch)(u, {
        ...init,
        headers: { ...o.headers, ...init.h, ...(tok && { "x-hf-authorization": "Bearer " + tok }) },
        signal: s,
        redirect: tok ? "manual" : "follow",
      }),
      x = r.status,
      l = tok && x > 299 && x < 400 && r.headers.get("location");
    if (l) {
      if (new URL((u = new URL(l, u).href)).origin != new URL(base).origin || i++ > 4)
        throw ["http", "refused a redirect to another origin", { status: x }];
      if (x < 304) init = {};
    } else {
      if (r.ok) return r;
      const t = await r.text();
      let d: any;
      try {
        d = parseJson(t).detail;
      } catch {}
      const v =
        Array.isArray(d) &&
        d.filter((e) => !e.is_valid).map((e) => ({ parameter: e.parameter_name ?? e.loc?.join("."), message: e.message ?? e.msg }));
      throw [
        x == 503 ? "queue_full" : x == 422 ? "validation" : x == 401 || x == 403 ? "unauthorized" : "http",
        "HTTP " + x + " " + (v ? v.map((e) => e.parameter + ": " + e.message).join("; ") : errorMessage(d) || (/^\s*</.test(t) ? r.statusText : t.slice(0, 200))),
        { status: x, validation: v || undefined },
      ];
    }
  }
}

/** Every FileData of an output gets an absolute url; Gradio 4.x (no prefix) sends broken ones: rebuilt from path. */
export /* internal */ function fileUrls(app: AppSpec, base: string, v: any): any {
  if (v && typeof v == "object") {
    for (const k in v) fileUrls(app, base, v[k]);
    if (v.meta?._type == "gradio.FileData" && v.path && !(v.url && (app.prefix || /^https?:/.test(v.path))))
      v.url = base + "/file=" + v.path;
  }
  return v;
}

/**
 * The error tuple of a failed job's payload: a gr.Error, a ZeroGPU quota message, or a hidden error. A bare null
 * is what /call sends before Gradio 6.13 for every error, shown or not (6.13+ sends an object).
 */
export /* internal */ function appError(a: any): [SpaceErrorKind, string, any] {
  const m =
      errorMessage(a) ||
      (a === null
        ? "the app raised an error (Gradio < 6.13 sends no message over /call: generate the module from the app's URL)"
        : "the app raised an error (verbose errors are off)"),
    q = m.match(/([\d.]+)s requested vs\.? ([\d.]+)s left/);
  return [/GPU quota/i.test(m) ? "quota" : "app", m, { title: a?.title, quota: q ? { requested: +q[1]!, remaining: +q[2]! } : undefined }];
}

/** The SpaceError of a failed call, from an error tuple or anything thrown (a network failure). */
export /* internal */ function spaceError(e: any, ep: string, id: string | undefined): SpaceError {
  const [k, m, d] = Array.isArray(e) ? e : ["network", "network error (" + (e?.cause?.code || e) + ")", { cause: e }];
  return new SpaceError(k, (ep + " failed: " + m).replace(/\s+/g, " "), { ...d, endpoint: ep, eventId: id });
}

/**
 * One call: uploads, submits, streams; yields each value and returns the final one; cleans up on every exit path.
 * A generator's closing `complete` repeats its last value: it is yielded only when no value came before it
 * (gradio_client's rule), and returned either way: the call resolves with it (see finalValue).
 */
export /* internal */ async function* run(
  app: AppSpec,
  spec: EndpointSpec,
  input: any,
  o: CallOptions,
  withFiles?: typeof uploadFiles,
): AsyncGenerator<any, any> {
  const ep = "/" + spec.n,
    n = "/call/" + encodeURIComponent(spec.n),
    ctl = new AbortController(),
    sig = o.signal,
    I = o.idleTimeoutMs ?? 6e4,
    J = parseJson,
    stop = (k: SpaceErrorKind, m: string) => {
      why ||= [k, m];
      ctl.abort();
    },
    onAb = () => stop("aborted", "aborted"),
    req = (p: string, init: any = {}, s = ctl.signal) => request(base, o, tok, p, init, s),
    rj = async (p: string, init: any) => J(await (await req(p, init)).text()),
    post = (p: string, b: any, s?: AbortSignal) =>
      req(p, { method: "POST", h: { "content-type": "application/json" }, body: JSON.stringify(b) }, s),
    fx = (v: any): any => fileUrls(app, base, v);
  let id: string | undefined,
    rd: ReadableStreamDefaultReader<Uint8Array> | undefined,
    why: any,
    fin: any,
    t1: any,
    t2: any,
    base = "",
    tok: string | undefined,
    yielded = false;
  try {
    sig?.addEventListener("abort", onAb);
    if (sig?.aborted) onAb();
    if (o.timeoutMs! >= 0) t1 = setTimeout(stop, o.timeoutMs, "timeout", "timed out after " + o.timeoutMs + " ms");
    tok = tokenOf(o);
    base = apiBase(app, o);
    let data = wireData(spec, input);
    if (withFiles)
      data = await withFiles(
        data,
        spec.i,
        base,
        (url) => (o.fetch || fetch)(url, { signal: ctl.signal }),
        (body) => rj("/upload", { method: "POST", body }),
      );
    id = J(await (await post(n, { data })).text())?.event_id;
    if (typeof id != "string") throw ["protocol", "no event_id"];
    rd = (await req(n + "/" + id)).body!.getReader();
    const p = sse();
    for (;;) {
      t2 = setTimeout(stop, I, "timeout", "no data for " + I + " ms");
      const { done, value } = await rd.read();
      clearTimeout(t2);
      if (done) throw ["protocol", "the stream ended early"];
      for (const [t, s] of p(value)) {
        const c = t == "complete",
          g = c || t == "generating";
        if (g || t == "error") {
          const a = J(s);
          if (!g) {
            fin = 1;
            throw appError(a);
          }
          if (!Array.isArray(a)) throw a === null ? ["aborted", "cancelled on the server"] : ["protocol", "unexpected data"];
          fin = c;
          const w = fx(a.filter((_, j) => spec.o[j])),
            v = spec.s > 1 ? w : spec.s ? w[0] : undefined;
          if (!c || !yielded) yield v;
          yielded = true;
          if (c) return v;
        }
      }
    }
  } catch (e: any) {
    throw spaceError(why || e, ep, id);
  } finally {
    clearTimeout(t1);
    clearTimeout(t2);
    sig?.removeEventListener("abort", onAb);
    if (fin && rd) {
      // the job is over and the server is ending its stream: read the end in the background (for 500 ms at
      // most) rather than abort, so the connection is reused by the next call instead of torn down
      const reader = rd,
        bound = setTimeout(() => ctl.abort(), 500),
        drain = (): Promise<void> => reader.read().then((r) => (r.done ? clearTimeout(bound) : drain()), () => clearTimeout(bound));
      drain();
    } else ctl.abort();
    // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, best effort and bounded
    if (!fin && id && app.cancel && spec.x >= 0) {
      const c = new AbortController(),
        t = setTimeout(() => c.abort(), 3e3);
      try {
        await (await post("/cancel", { session_hash: id, fn_index: spec.x, event_id: id }, c.signal)).text();
      } catch {}
      clearTimeout(t);
    }
  }
}

/** What a call resolves with: its stream's return value, the completed value (yielded or not). */
export /* internal */ async function finalValue(stream: AsyncIterable<any>): Promise<any> {
  for (const it = stream[Symbol.asyncIterator](); ; ) {
    const r = await it.next();
    if (r.done) return r.value;
  }
}

/** An endpoint with file inputs. */
export /* internal */ function endpoint<I, O>(app: AppSpec, spec: EndpointSpec, defaults: ClientOptions = {}): Endpoint<I, O> {
  return bareEndpoint(app, spec, defaults, uploadFiles);
}

/**
 * An endpoint without file inputs: uploadFiles is not referenced, so bundlers leave it out. `transport` makes one
 * call: run() (the /call route), or the queue protocol for apps whose /call drops error messages (queued()).
 */
export /* internal */ function bareEndpoint<I, O>(
  app: AppSpec,
  spec: EndpointSpec,
  defaults: ClientOptions = {},
  withFiles?: typeof uploadFiles,
  transport: typeof run = run,
): Endpoint<I, O> {
  const st = (i?: any, o?: CallOptions) => transport(app, spec, i, mo(defaults, o), withFiles);
  return Object.assign(async (i?: any, o?: CallOptions) => finalValue(st(i, o)), { stream: st, _: [app, spec, defaults, withFiles, transport] }) as any;
}

/** The same endpoint with options bound (used by createClient). */
export /* internal */ function bind<I, O>(ep: Endpoint<I, O>, options: ClientOptions): Endpoint<I, O> {
  const [a, s, d, w, t] = (ep as any)._;
  return bareEndpoint(a, s, mo(d, options), w, t);
}

// #endregion runtime
