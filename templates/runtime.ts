// The runtime emitted into every generated module.
//
// This file is ordinary TypeScript: it is type-checked and unit-tested as itself (test/runtime/).
// The emitter copies everything between the `#region runtime` markers into each module, and turns
// `export /* internal */ ` into nothing, so internal helpers are visible to tests but not exported
// by generated modules. Every top-level name declared here is reserved by the name allocator
// (src/normalize/names.ts), so endpoint functions never shadow it.
//
// Rules for this file (the generated module's contract):
// - no import/require, no top-level side effects, no console output;
// - only fetch, Blob, FormData, URL, AbortSignal/AbortController, ReadableStream, TextDecoder;
// - `process` only behind a `typeof` check.
//
// How a call runs (runCall, the one lifecycle of every call): open it (where it goes, its token, its deadline,
// the caller's signal), upload its files, submit it, then read the messages of its job from a stream until the
// job completes or fails; every exit path ends the same way (timers and listeners removed, a job left behind
// cancelled on the server). Two transports submit and stream:
// - "queue" (the default where the module knows the endpoint's fn_index): POST {prefix}/queue/join, and the
//   messages of every job of the session on ONE stream, GET {prefix}/queue/data?session_hash=. The calls of a
//   client share a session and its stream (a Channel); an endpoint with hidden gr.State gets a session per call.
// - "call": POST {prefix}/call/{api_name}, then that job's own stream, GET {prefix}/call/{api_name}/{event_id},
//   whose named events (generating, complete, error) are read as the queue's messages.

// #region runtime

// ---- the public types ------------------------------------------------------------------------------------------

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

/**
 * What a file input accepts: bytes to upload, a public URL, a FileData (e.g. another call's output), or, in Node,
 * Deno and Bun, a local path (read and uploaded).
 */
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
  return (
    typeof value == "object" &&
    value !== null &&
    (value as { __type__?: unknown }).__type__ == "update"
  );
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

/**
 * How a call reaches the app: "queue" joins Gradio's queue and shares one stream between the calls of a client
 * (the default when the module was generated from the app's URL, so it knows each endpoint's fn_index); "call" posts
 * to /call/{api_name} and reads that call's own stream (the default for a module generated from a bare /info).
 */
export type Transport = "call" | "queue";

/** Options of a call, or of every call of a client (createClient); an option set to undefined is one not given. */
export interface CallOptions {
  /** Aborts the upload, the call and its stream, and cancels the job on the server. */
  signal?: AbortSignal | undefined;
  /** Whole-call deadline in milliseconds; rejects with kind "timeout". Infinity (or 2^31 and more): no deadline. */
  timeoutMs?: number | undefined;
  /**
   * Hugging Face token, sent as `X-HF-Authorization` to the app's origin only, never over plain http except to a
   * loopback address (refused with kind "validation"). Without it, HF_TOKEN from the environment (where `process`
   * exists) goes to https://*.hf.space apps only.
   */
  token?: string | undefined;
  /** Extra headers for every request to the app's origin (e.g. `x-ip-token` for ZeroGPU, a Gradio login cookie); never sent elsewhere. */
  headers?: Record<string, string> | undefined;
  /** Another deployment of the same app: a duplicated Space, a local server (an http(s) URL). */
  baseUrl?: string | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch | undefined;
  /**
   * Fail with kind "timeout" when a wait for the server lasts this long: an answer, its headers, the next bytes of
   * a body or of the result stream (default 60000; Gradio heartbeats every 15 s). Infinity (or 2^31 and more): no limit.
   */
  idleTimeoutMs?: number | undefined;
  /** How the call reaches the app (see Transport); default "queue" where the module knows the endpoint's fn_index. */
  transport?: Transport | undefined;
}

export type ClientOptions = CallOptions;

// `{} extends I`: every property of the input is optional, so the input may be left out
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the empty type is the point of the test
export /* internal */ type CallArgs<I, Options = CallOptions> = {} extends I
  ? [input?: I, options?: Options]
  : [input: I, options?: Options];

/** One endpoint of the app: call it for the final value, or `.stream()` for every value. */
export interface Endpoint<I, O> {
  (...args: CallArgs<I>): Promise<O>;
  stream(...args: CallArgs<I>): AsyncIterable<O>;
}

// ---- what the generator writes: the app and its endpoints ------------------------------------------------------

/**
 * Where files sit inside a value: 1 = this value is a file; `i` = inside each array item; `p` = inside these object
 * properties (pairs, so a key such as "__proto__" stays data; 0 = a declared property without files, listed so that
 * `a` skips it); `a` = inside every other own property (a schema's additionalProperties).
 */
export /* internal */ type FilePlan =
  1 | { i?: FilePlan; p?: [string, FilePlan | 0][]; a?: FilePlan };

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
  /** dependency id (fn_index) from /config, for the queue and /cancel; -1 when unknown */
  x: number;
  /** 1 when the dependency has a gr.State input or output: every call then gets a session of its own */
  h?: 1;
}

/** The app the module was generated from. */
export /* internal */ interface AppSpec {
  /** root URL of the app, without a trailing slash */
  url: string;
  /** "/gradio_api" on Gradio 5+, "" on 4.x */
  prefix: string;
  /** whether POST {prefix}/cancel exists (Gradio >= 4.31) */
  cancel: boolean;
  /** whether the app speaks the sse_v3 queue protocol (Gradio >= 4.22) and the module knows its fn_indexes */
  queue?: boolean;
  /**
   * whether to ask the queue for generator values whole (Gradio's `simple_format`, what /call gets) rather than as
   * diffs: before Gradio 6.27 a run that raised leaves its last values in its session, and a later run of that
   * session can be diffed against them (gradio-app/gradio#13811)
   */
  wholeValues?: boolean;
  /** the sessions of the module's own endpoints (createClient makes its own), made on the first call */
  sessions?: Channel[];
}

// ---- failures ----------------------------------------------------------------------------------------------------

/** Extra fields of a SpaceError. */
export interface SpaceErrorDetails {
  status?: number | undefined;
  endpoint?: string | undefined;
  eventId?: string | undefined;
  title?: string | undefined;
  quota?: { requested: number; remaining: number } | undefined;
  validation?: { parameter?: string; message: string }[] | undefined;
  cause?: unknown;
}

/**
 * Every failure of a call. `kind` says what happened; the other fields are set when known.
 *
 * Every generated module carries its own copy of this class, so `instanceof` checks a brand rather than the
 * prototype chain: an app that imports several modules catches the errors of all of them with any one SpaceError.
 */
export class SpaceError extends Error {
  /** true for a SpaceError of any generated module: the brand is found through the global symbol registry */
  static override [Symbol.hasInstance](value: unknown): value is SpaceError {
    return typeof value == "object" && value !== null && Symbol.for("spacegen.SpaceError") in value;
  }
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
    Object.defineProperty(this, Symbol.for("spacegen.SpaceError"), { value: true });
    Object.assign(
      this,
      Object.fromEntries(
        Object.entries({ ...details, kind }).filter(([, value]) => value !== undefined),
      ),
    );
  }
}

/**
 * Stops the call with a failure: inside the runtime a SpaceError carries the kind, the message and the details, and
 * the call's end makes it the caller's (the endpoint and event id added, secrets redacted). A misspelt kind does
 * not compile.
 */
export /* internal */ function fail(
  kind: SpaceErrorKind,
  message: string,
  details?: SpaceErrorDetails,
): never {
  throw new SpaceError(kind, message, details);
}

/** The message of an error payload: a string, or an object's `error` string. */
export /* internal */ function errorMessage(payload: unknown): string | undefined {
  if (typeof payload == "string") return payload;
  const error = (payload as { error?: unknown } | null)?.error;
  return typeof error == "string" ? error : undefined;
}

/**
 * The failure of a failed job's payload: a gr.Error, a ZeroGPU quota message, or a hidden error. A bare null
 * is what /call sends before Gradio 6.13 for every error, shown or not (6.13+ sends an object; the queue, which
 * modules generated from the app's URL use, carries the message on every version).
 */
export /* internal */ function appError(payload: unknown): SpaceError {
  const hidden =
    payload === null
      ? "the app raised an error (Gradio < 6.13 sends no message over /call: generate the module from the app's URL)"
      : "the app raised an error (verbose errors are off)";
  const message = errorMessage(payload) || hidden;
  if (message.length > 65536) return new SpaceError("protocol", "an error message over 64 KiB");
  const quota = message.match(/([\d.]+)s requested vs\.? ([\d.]+)s left/);
  const title = (payload as { title?: unknown } | null)?.title;
  return new SpaceError(/GPU quota/i.test(message) ? "quota" : "app", message, {
    title: typeof title == "string" ? title : undefined,
    quota: quota ? { requested: +quota[1]!, remaining: +quota[2]! } : undefined,
  });
}

/**
 * The SpaceError a caller gets: from a failure of the runtime, or from anything else thrown (transport failures are
 * already failures of kind "network", so anything else comes from what the server sent: protocol). No secret of the
 * call appears in any of its strings.
 */
export /* internal */ function spaceError(
  error: unknown,
  endpoint: string,
  eventId: string | undefined,
  secrets: string[],
): SpaceError {
  const failure =
    error instanceof SpaceError
      ? error
      : new SpaceError("protocol", "unexpected error (" + String(error) + ")", {
          cause: error,
        });
  const redact = (s: string | undefined) => s && redactSecrets(s, secrets);
  return new SpaceError(
    failure.kind,
    redact(endpoint + " failed: " + failure.message)!.replace(/\s+/g, " "),
    {
      status: failure.status,
      quota: failure.quota,
      cause: failure.cause,
      endpoint,
      eventId: redact(eventId),
      title: redact(failure.title),
      validation: failure.validation?.map((v) => ({
        ...v,
        message: redact(v.message)!,
        ...(v.parameter !== undefined && { parameter: redact(v.parameter)! }),
      })),
    },
  );
}

/**
 * What a Blob is made of, named through the Blob constructor so it is right for every lib a user compiles with
 * (DOM or @types/node, TypeScript 4.8 to 7: `Uint8Array` became generic in 5.7).
 */
type BlobParts = NonNullable<ConstructorParameters<typeof Blob>[0]>;

declare const process:
  | {
      env: Record<string, string | undefined>;
      /** Node 20.16+, Deno, Bun */
      getBuiltinModule?: (id: "node:fs/promises") => {
        readFile(path: string | URL): Promise<BlobParts[number]>;
      };
    }
  | undefined;

// ---- reading streams ---------------------------------------------------------------------------------------------

/**
 * An incremental text/event-stream parser (the WHATWG EventSource rules): feed it byte chunks split anywhere,
 * get back the [event, data] pairs completed by each chunk. A leading BOM is dropped.
 *
 * Lines end at LF, CR or CRLF, and are read as ranges of the chunk's text. A chunk without a line end is only
 * appended to the unfinished line, so a long line split over many chunks costs linear time; a line or an event
 * beyond 2^26 characters (64 Mi) is refused rather than buffered without bound.
 */
export /* internal */ function sse(): (chunk: Uint8Array) => [string, string][] {
  const LF = 10;
  const SPACE = 32;
  const LIMIT = 1 << 26;
  // BOMs are kept by the decoder and the first one is dropped here, so that a chunk can be decoded on its own
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let atStart = true;
  // the decoder holds the first bytes of a character split across chunks
  let splitCharacter = false;
  // the start of a line whose end has not arrived yet
  let unfinishedLine = "";
  // the last chunk ended with a CR: an LF that starts the next one belongs to the same line end
  let skipLF = false;
  // the event being read
  let eventType = "";
  let data: string | undefined;

  return (chunk) => {
    const events: [string, string][] = [];
    if (!chunk.length) return events;
    // A chunk that ends with an ASCII byte (the usual: a line end) ends with a whole character, so it is decoded
    // on its own, which is about twice as fast as a streaming decode; otherwise the decoder keeps the split bytes.
    const endsWhole = chunk[chunk.length - 1]! < 0x80;
    let text =
      splitCharacter || !endsWhole
        ? decoder.decode(chunk, { stream: true })
        : decoder.decode(chunk);
    splitCharacter = !endsWhole;
    if (!text) return events;
    if (atStart) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let position = 0;
    if (skipLF) {
      skipLF = false;
      if (text.charCodeAt(0) === LF) position = 1;
    }
    let nextLF = text.indexOf("\n", position);
    let nextCR = text.indexOf("\r", position);
    if (nextLF < 0 && nextCR < 0) {
      unfinishedLine += position ? text.slice(position) : text;
      if (unfinishedLine.length > LIMIT) fail("protocol", "an event line over 64 MiB");
      return events;
    }
    if (unfinishedLine) {
      // (no skipped LF here: a CR at the end of the last chunk ended its line)
      const before = unfinishedLine.length;
      text = unfinishedLine + text;
      unfinishedLine = "";
      if (nextLF >= 0) nextLF += before;
      if (nextCR >= 0) nextCR += before;
    }
    const length = text.length;
    let type = eventType;
    let lines = data;
    for (;;) {
      const end = nextCR < 0 || (nextLF >= 0 && nextLF < nextCR) ? nextLF : nextCR;
      if (end < 0) break;
      if (position === end) {
        // a blank line: dispatch
        if (lines !== undefined) events.push([type || "message", lines]);
        type = "";
        lines = undefined;
      } else {
        const first = text.charCodeAt(position);
        if (first === 100 && text.startsWith("data:", position)) {
          const value = text.slice(
            text.charCodeAt(position + 5) === SPACE ? position + 6 : position + 5,
            end,
          );
          if (lines === undefined && end === nextLF && text.charCodeAt(end + 1) === LF) {
            // the usual event: one data line, then the blank line
            events.push([type || "message", value]);
            type = "";
            position = end + 2;
            nextLF = text.indexOf("\n", position);
            continue;
          }
          lines = lines === undefined ? value : lines + "\n" + value;
          if (lines.length > LIMIT) fail("protocol", "an event over 64 MiB");
        } else if (first === 101 && text.startsWith("event:", position)) {
          type = text.slice(
            text.charCodeAt(position + 6) === SPACE ? position + 7 : position + 6,
            end,
          );
        } else if (first !== 58) {
          // any other field (a line starting with ":" is a comment): the field name is up to the first colon
          let colon = text.indexOf(":", position);
          if (colon < 0 || colon > end) colon = end;
          const field = text.slice(position, colon);
          if (field === "data") lines = lines === undefined ? "" : lines + "\n";
          else if (field === "event") type = "";
        }
      }
      position = end + 1;
      if (end === nextCR) {
        if (position === length) skipLF = true;
        else if (text.charCodeAt(position) === LF) position++;
        nextCR = text.indexOf("\r", position);
      }
      if (nextLF >= 0 && nextLF < position) nextLF = text.indexOf("\n", position);
    }
    eventType = type;
    data = lines;
    if (position < length) {
      unfinishedLine = text.slice(position);
      if (unfinishedLine.length > LIMIT) fail("protocol", "an event line over 64 MiB");
    }
    return events;
  };
}

// ---- options, limits, secrets --------------------------------------------------------------------------------------

/**
 * Merges options: `over` wins, headers merged. An option set to undefined is one not given, so a call's
 * `{ timeoutMs: config.timeout }` with no timeout configured keeps the client's deadline (and its token).
 */
export /* internal */ function mergeOptions(
  base: CallOptions,
  over: CallOptions = {},
): CallOptions {
  const given = Object.fromEntries(Object.entries(over).filter(([, value]) => value !== undefined));
  return { ...base, ...given, headers: { ...base.headers, ...over.headers } };
}

/** setTimeout for a limit in ms; a limit setTimeout cannot hold (Infinity, 2^31 and more, NaN, negative) means none. */
export /* internal */ function limitTimer(
  ms: number | undefined,
  f: () => void,
): ReturnType<typeof setTimeout> | undefined {
  return ms! >= 0 && ms! < 2 ** 31 ? setTimeout(f, ms) : undefined;
}

/** The URL, or undefined when it is not one. */
export /* internal */ function parseUrl(s: unknown, base?: string): URL | undefined {
  try {
    return new URL(s as string, base);
  } catch {
    // not a URL: the answer is undefined
  }
  return undefined;
}

/** Whether a URL's hostname is this machine: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost. URL has normalized its spellings. */
export /* internal */ function isLoopback(hostname: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]|localhost\.?)$/i.test(
    hostname,
  );
}

/** HF_TOKEN from the environment, where there is one. */
export /* internal */ function envToken(): string | undefined {
  if (typeof process != "undefined")
    try {
      return process.env["HF_TOKEN"];
    } catch {
      // a runtime that guards the environment (Deno without --allow-env): no ambient token
    }
  return undefined;
}

/** What must never appear in an error: the token (given or ambient) and the values of the caller's headers. */
export /* internal */ function secretsOf(o: CallOptions): string[] {
  return [o.token, envToken(), ...Object.values(o.headers || {})].filter(
    (s): s is string => typeof s == "string" && s.length > 7,
  );
}

/** A server's text without any 8 characters in a row of a secret: a server may echo the token back. */
export /* internal */ function redactSecrets(text: string, secrets: string[]): string {
  const hidden: boolean[] = [];
  for (const s of secrets)
    for (let i = 0; i + 8 <= s.length; i++)
      for (
        let at = text.indexOf(s.slice(i, i + 8));
        at >= 0;
        at = text.indexOf(s.slice(i, i + 8), at + 1)
      )
        for (let j = at; j < at + 8; j++) hidden[j] = true;
  if (!hidden.length) return text;
  let out = "";
  for (let j = 0; j < text.length; j++)
    out += !hidden[j] ? text[j] : hidden[j - 1] ? "" : "[redacted]";
  return out;
}

/** The app's root for a call (`baseUrl`, else the module's url): an http(s) URL without credentials, query or fragment. */
export /* internal */ function appRoot(app: AppSpec, o: CallOptions): URL {
  const u = parseUrl(o.baseUrl || app.url);
  if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash)
    fail(
      o.baseUrl ? "validation" : "protocol",
      (o.baseUrl ? "baseUrl" : "the app's url") +
        " is not an http(s) URL without credentials, query or fragment",
    );
  return u;
}

// ---- requests ------------------------------------------------------------------------------------------------------

/**
 * What the app's origin pinned on a session: the cookies its answers set (a load balancer pins a session to one
 * replica with one, as Hugging Face's does for a Space with replicas), sent back with the session's later requests,
 * and only to that origin. The session's first request goes alone: the others wait for its answer, which may pin.
 */
export /* internal */ interface Pin {
  cookies: Map<string, string>;
  /** the first request was sent; `firstAnswer` settles when it is answered */
  started: boolean;
  firstAnswer: Promise<void> | undefined;
}

export /* internal */ function newPin(): Pin {
  return { cookies: new Map(), started: false, firstAnswer: undefined };
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
  why?: SpaceError;
  /** the session's cookies, once the call has one */
  pin?: Pin | undefined;
  /** removes the call's timer and its listener on the caller's signal */
  end(): void;
}

/** Stops a call: the first reason wins. */
export /* internal */ function stopCall(c: Conn, kind: SpaceErrorKind, message: string): void {
  c.why ||= new SpaceError(kind, message);
  c.ctl.abort();
}

/**
 * Opens a call: checks where it goes (the API prefix comes from the app's /config, so it may only be "" or
 * /segments), picks its token, and starts its deadline and its listener on the caller's signal.
 */
export /* internal */ function openCall(
  app: AppSpec,
  o: CallOptions,
  ctl = new AbortController(),
): Conn {
  const root = appRoot(app, o);
  const secure = root.protocol == "https:" || isLoopback(root.hostname);
  if (!/^(\/(?!\.\.?(\/|$))[\w.~-]+)*$/.test(app.prefix))
    fail("protocol", "the app's API prefix is not a plain path");
  // the ambient token is for Hugging Face Spaces; an explicit one for the app's origin, never in clear over a network
  const token =
    o.token ??
    (root.protocol == "https:" && root.hostname.endsWith(".hf.space") ? envToken() : undefined);
  if (o.token && !secure)
    fail(
      "validation",
      "refusing to send the token over plain http to " +
        root.host +
        ": use https (or a loopback address)",
    );
  const signal = o.signal;
  const onAbort = () => stopCall(c, "aborted", "aborted");
  const deadline = limitTimer(o.timeoutMs, () =>
    stopCall(c, "timeout", "timed out after " + o.timeoutMs + " ms"),
  );
  const c: Conn = {
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
  if (typeof s != "string" || /^\.{0,2}$/.test(s))
    fail("protocol", "refused an empty or dot path segment");
  return encodeURIComponent(s);
}

/** A rejection that is not the runtime's own failure: the transport failed (kind "network"). */
export /* internal */ function networkError(error: unknown): SpaceError {
  if (error instanceof SpaceError) return error;
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return new SpaceError("network", "network error (" + String(code || error) + ")", {
    cause: error,
  });
}

/**
 * Awaits the server within the idle limit (past it, the call stops with kind "timeout"). A rejection the stop did
 * not cause is the transport's: kind "network".
 */
export /* internal */ async function awaitServer<T>(
  c: Conn,
  p: Promise<T>,
  what = "no data",
): Promise<T> {
  const t = limitTimer(c.idle, () => stopCall(c, "timeout", what + " for " + c.idle + " ms"));
  try {
    return await p;
  } catch (error) {
    throw c.why || networkError(error);
  } finally {
    clearTimeout(t);
  }
}

/** Waits for `p`, unless the call stops first. */
export /* internal */ function unlessStopped<T>(c: Conn, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // the stop sets `why` before it aborts
    const stopped = () => reject(c.why!);
    if (c.ctl.signal.aborted) stopped();
    c.ctl.signal.addEventListener("abort", stopped, { once: true });
    p.then(resolve, reject).finally(() => c.ctl.signal.removeEventListener("abort", stopped));
  });
}

/** The reader of a body that must be there (a stream, an answer). */
export /* internal */ function bodyReader(r: Response): ReadableStreamDefaultReader<Uint8Array> {
  if (!r.body) fail("protocol", "an answer without a body");
  return r.body.getReader();
}

/** A body, read within the idle limit; more than `cap` bytes (declared or arriving) is a protocol error. */
export /* internal */ async function readBody(
  c: Conn,
  r: Response,
  cap: number,
): Promise<Uint8Array[]> {
  if (Number(r.headers.get("content-length")) > cap) {
    r.body?.cancel().catch(() => {});
    fail("protocol", "an answer over " + cap + " bytes");
  }
  const reader = bodyReader(r);
  const chunks: Uint8Array[] = [];
  try {
    for (let size = 0; ;) {
      const { done, value } = await awaitServer(c, reader.read());
      if (done) return chunks;
      chunks.push(value);
      if ((size += value.length) > cap) fail("protocol", "an answer over " + cap + " bytes");
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The text of a body's chunks. */
export /* internal */ function decodeChunks(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder();
  return chunks.map((b) => decoder.decode(b, { stream: true })).join("") + decoder.decode();
}

/** The start of an error body: at most 64 KiB, what arrives within the idle limit; it never fails. */
export /* internal */ async function errorText(c: Conn, r: Response): Promise<string> {
  const reader = r.body?.getReader();
  const decoder = new TextDecoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let text = "";
  const stall = new Promise<undefined>(
    (done) => (timer = limitTimer(c.idle, () => done(undefined))),
  );
  try {
    while (reader && text.length < 65536) {
      const next = await Promise.race([reader.read(), stall]);
      if (!next || next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
  } catch {
    // the body failed midway: the message is what came before
  }
  clearTimeout(timer);
  reader?.cancel().catch(() => {});
  return text.slice(0, 65536);
}

/** The failure of a non-2xx answer: its kind by status, its message from the body (422 details, a detail, or its start). */
export /* internal */ async function httpError(c: Conn, r: Response): Promise<SpaceError> {
  const status = r.status;
  const text = await errorText(c, r);
  const str = (v: unknown) => (typeof v == "string" ? v : undefined);
  let detail: unknown;
  try {
    detail = (JSON.parse(text) as { detail?: unknown } | null)?.detail;
  } catch {
    // not JSON: no detail, the message is the body's start
  }
  type Entry = {
    is_valid?: unknown;
    parameter_name?: unknown;
    loc?: unknown;
    message?: unknown;
    msg?: unknown;
  };
  const validation = (Array.isArray(detail) ? (detail as unknown[]) : [])
    .filter((e): e is Entry => !!e && typeof e == "object" && !(e as Entry).is_valid)
    .map((e) => {
      const parameter =
        str(e.parameter_name) ?? (Array.isArray(e.loc) ? e.loc.join(".") : undefined);
      return {
        ...(parameter !== undefined && { parameter }),
        message: str(e.message) ?? str(e.msg) ?? "invalid",
      };
    });
  let kind: SpaceErrorKind = "http";
  if (status == 503) kind = "queue_full";
  else if (status == 422) kind = "validation";
  else if (status == 401 || status == 403) kind = "unauthorized";
  let message = errorMessage(detail) || (/^\s*</.test(text) ? r.statusText : text.slice(0, 200));
  if (validation.length)
    message = validation.map((e) => (e.parameter ? e.parameter + ": " : "") + e.message).join("; ");
  return new SpaceError(kind, "HTTP " + status + " " + message, {
    status,
    validation: validation.length ? validation : undefined,
  });
}

/** What a request sends besides the app's headers: its method, its body, and headers of its own (`h`). */
export /* internal */ type RequestParts = {
  method?: string | undefined;
  body?: RequestInit["body"] | undefined;
  h?: Record<string, string>;
};

/** Keeps the cookies an answer of the app's origin sets. */
export /* internal */ function rememberCookies(pin: Pin, r: Response): void {
  // getSetCookie: Node 19.7+, Deno, Bun, browsers since 2023 (a browser never shows Set-Cookie to code; older
  // libs do not declare it)
  for (const line of (r.headers as { getSetCookie?: () => string[] }).getSetCookie?.() ?? []) {
    const pair = line.split(";", 1)[0]!;
    const equals = pair.indexOf("=");
    if (equals > 0) pin.cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
}

/**
 * One request to the app: `path` under the API base, on the app's origin, with the app's headers (and the
 * session's cookies). With `anywhere`, a download of another app's file instead: `path` is its URL, sent with none
 * of the caller's headers or cookies.
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
  const pin = anywhere ? undefined : c.pin;
  // a session's first request goes alone: its answer may pin the session (a cookie)
  if (pin?.firstAnswer) await unlessStopped(c, pin.firstAnswer);
  const appHeaders = (own?: Record<string, string>): Record<string, string> => {
    if (anywhere) return {};
    const headers = { ...c.headers, ...own };
    if (pin?.cookies.size) {
      // one cookie header: the caller's (a Gradio login cookie, say) and the app's
      const name = Object.keys(headers).find((key) => key.toLowerCase() == "cookie") ?? "cookie";
      headers[name] = [headers[name], ...[...pin.cookies].map(([key, value]) => key + "=" + value)]
        .filter(Boolean)
        .join("; ");
    }
    return headers;
  };
  let to = anywhere ? path : c.base + path;
  let method = init.method;
  let body = init.body;
  let headers = appHeaders(init.h);
  const mine = (u: string) => anywhere || parseUrl(u)?.origin == c.origin;
  // (called on its own: a browser's fetch refuses to be called as a method of another object)
  const send = c.fetch;
  const first = pin && !pin.started;
  let settle: (() => void) | undefined;
  if (pin && first) {
    pin.started = true;
    pin.firstAnswer = new Promise<void>((resolve) => (settle = resolve));
  }
  try {
    for (let hops = 0; ; hops++) {
      if (!mine(to)) fail("protocol", "refused a URL outside the app's origin");
      const request: RequestInit = { method, body, headers, signal } as RequestInit;
      let r = await awaitServer(c, send(to, { ...request, redirect: "manual" }), "no answer");
      if (r.type == "opaqueredirect") {
        if (c.secret && !anywhere)
          fail(
            "http",
            "the app answered with a redirect, which a browser hides: not followed with the token or headers",
          );
        r = await awaitServer(c, send(to, { ...request, redirect: "follow" }), "no answer");
        if (r.redirected && !mine(r.url)) {
          r.body?.cancel().catch(() => {});
          fail("http", "refused a redirect to another origin", { status: r.status });
        }
      }
      if (pin) rememberCookies(pin, r);
      const status = r.status;
      const location = status > 299 && status < 400 && r.headers.get("location");
      if (!location) {
        if (r.ok) return r;
        throw await httpError(c, r);
      }
      r.body?.cancel().catch(() => {});
      const next = parseUrl(location, to);
      if (!next || !/^https?:$/.test(next.protocol))
        fail("protocol", "a redirect to something that is not an http(s) URL", { status });
      if (!mine(next.href)) fail("http", "refused a redirect to another origin", { status });
      if (hops == 5) fail("http", "a redirect loop (more than 5 redirects)", { status });
      // 303, and 301/302 after a POST, continue as a GET without a body (as fetch does)
      if (status == 303 || (status < 303 && method == "POST")) {
        method = body = undefined;
        headers = appHeaders();
      }
      to = next.href;
    }
  } finally {
    if (settle) {
      pin!.firstAnswer = undefined;
      settle();
    }
  }
}

/** A JSON answer of the app (at most 1 MiB). */
export /* internal */ async function jsonAnswer(
  c: Conn,
  path: string,
  init: RequestParts,
): Promise<unknown> {
  return parseJson(decodeChunks(await readBody(c, await sendRequest(c, path, init), 2 ** 20)));
}

/** A JSON POST body. */
export /* internal */ function jsonPost(body: unknown, h?: Record<string, string>): RequestParts {
  return {
    method: "POST",
    body: JSON.stringify(body),
    h: { "content-type": "application/json", ...h },
  };
}

/**
 * Python's JSON with its NaN, Infinity and -Infinity tokens (outside strings) written as null, as Gradio's queue
 * route writes them; its /call route writes Python's json.dumps, so a Dataframe with an empty cell sends NaN.
 * One pass over the text, strings skipped whole (linear whatever the text is).
 */
export /* internal */ function nonFiniteAsNull(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c == '"') {
      // a string, skipped up to its closing quote (one not escaped)
      while (++i < text.length && text[i] != '"') if (text[i] == "\\") i++;
    } else {
      const token = c == "N" ? "NaN" : c == "I" ? "Infinity" : c == "-" ? "-Infinity" : "";
      if (token && text.startsWith(token, i)) {
        out += text.slice(from, i) + "null";
        from = i + token.length;
        i = from - 1;
      }
    }
  }
  return out + text.slice(from);
}

/** JSON.parse, reading Python's non-finite numbers as null (nonFiniteAsNull); malformed text is a protocol error. */
export /* internal */ function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(nonFiniteAsNull(text));
    } catch {
      fail("protocol", "malformed JSON");
    }
  }
}

// ---- files ---------------------------------------------------------------------------------------------------------

/** A copy of `v` with each file position along the plan replaced by `f(value)`; a missing file is null. */
export /* internal */ function mapFiles(
  v: unknown,
  p: FilePlan | 0 | undefined,
  f: (file: unknown) => unknown,
): unknown {
  if (!p) return v;
  if (v == null) return null;
  if (p === 1) return f(v);
  if (Array.isArray(v)) return v.map((x) => mapFiles(x, p.i, f));
  if (typeof v != "object") return v;
  const props = new Map(p.p);
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, mapFiles(x, props.has(k) ? props.get(k) : p.a, f)]),
  );
}

/** A file input given as an object: a FileData, or something like one (a File-like object with `name` and `type`). */
type GivenFile = Partial<FileData> & { name?: string; type?: string };

/** Where the bytes of a file to upload come from. */
type UploadSource = Blob | { download: string } | { local: string };

/**
 * File inputs, bundled only by endpoints that have some: each wire value walked along its slot's file plan.
 * Blobs become FileData to upload; http(s) URLs become FileData the app downloads; a string that is not an http(s)
 * URL is a local path, read (Node, Deno, Bun) and uploaded; another app's FileData (a server path there, its url on
 * another origin) is downloaded here and uploaded. Never mutates the input. Everything to upload goes in one POST
 * {prefix}/upload, and the paths it answers are filled in.
 */
export /* internal */ async function uploadFiles(
  c: Conn,
  values: unknown[],
  slots: InputSlot[],
): Promise<unknown[]> {
  const meta = { _type: "gradio.FileData" as const };
  const isWeb = (s: unknown): s is string => typeof s == "string" && /^https?:\/\//i.test(s);
  // each file to upload: where its bytes come from, its name, and the FileData sent for it (its path filled in later)
  const uploads: { source: UploadSource; name: string; sent: FileData }[] = [];
  const toUpload = (
    source: UploadSource,
    name: string,
    size: number | null | undefined,
    type: string | null | undefined,
  ): FileData => {
    const sent: FileData = {
      path: "",
      orig_name: name,
      ...(size !== undefined && { size }),
      mime_type: type || null,
      meta,
    };
    uploads.push({ source, name, sent });
    return sent;
  };
  const file = (v: unknown): unknown => {
    if (typeof Blob != "undefined" && v instanceof Blob)
      return toUpload(v, (v as { name?: string }).name || "blob", v.size, v.type);
    if (v && typeof v == "object" && !(v instanceof URL)) {
      const given = v as GivenFile;
      // another app's file: its server path means nothing here, so its bytes are downloaded from its url
      if (
        given.path &&
        !isWeb(given.path) &&
        isWeb(given.url) &&
        parseUrl(given.url)?.origin != c.origin
      )
        return toUpload(
          { download: given.url },
          given.orig_name || given.name || given.url.split("/").pop() || "file",
          given.size,
          given.mime_type || given.type,
        );
      return given.path || given.url ? { ...given, meta: given.meta || meta } : given;
    }
    const text = String(v);
    if (isWeb(text))
      return { path: text, meta, url: text, orig_name: parseUrl(text)?.pathname.split("/").pop() };
    // not an http(s) URL: a local path (or a file: URL)
    const local = /^file:/i.test(text) ? decodeURIComponent(new URL(text).pathname) : text;
    return toUpload({ local: text }, local.split(/[\\/]/).pop() || "file", undefined, undefined);
  };
  const data = values.map((v, i) => mapFiles(v, slots[i]?.f, file));
  if (uploads.length) {
    const form = new FormData();
    for (const { source, name, sent } of uploads) {
      let blob: Blob;
      if (source instanceof Blob) blob = source;
      else if ("download" in source) {
        // another app's file passes through memory: at most 1 GiB (a fetched body's chunks are never on a SharedArrayBuffer)
        const chunks = await readBody(
          c,
          await sendRequest(c, source.download, {}, undefined, true),
          2 ** 30,
        );
        blob = new Blob(chunks as BlobParts);
      } else {
        blob = await readLocalFile(source.local);
        sent.size = blob.size;
      }
      form.append("files", blob, name);
    }
    const paths = await jsonAnswer(c, "/upload", { method: "POST", body: form });
    if (
      !Array.isArray(paths) ||
      paths.length != uploads.length ||
      !paths.every((p) => typeof p == "string")
    )
      fail("protocol", "the upload did not answer one path per file");
    uploads.forEach(({ sent }, i) => (sent.path = paths[i] as string));
  }
  return data;
}

/**
 * A local file as a Blob, in Node, Deno and Bun: read through process.getBuiltinModule, so the module imports
 * nothing. Elsewhere (a browser) a local path is a validation error that says what to pass instead.
 */
export /* internal */ async function readLocalFile(path: string): Promise<Blob> {
  const fileSystem =
    typeof process != "undefined" ? process.getBuiltinModule?.("node:fs/promises") : undefined;
  if (!fileSystem)
    fail(
      "validation",
      "the file " +
        JSON.stringify(path) +
        " is not a URL, and local files can be read only in Node (20.16+), Deno and Bun: pass a Blob or File, an http(s) URL, or a FileData",
    );
  try {
    return new Blob([await fileSystem.readFile(/^file:/i.test(path) ? new URL(path) : path)]);
  } catch (error) {
    fail(
      "validation",
      "cannot read the local file " +
        JSON.stringify(path) +
        " (" +
        String((error as { code?: unknown } | null)?.code || error) +
        ")",
    );
  }
}

// ---- results -------------------------------------------------------------------------------------------------------

/** The full positional data of a call: the input's values by key, defaults, null for hidden slots. */
export /* internal */ function wireData(spec: EndpointSpec, input: unknown): unknown[] {
  const given = (input || {}) as Record<string, unknown>;
  return spec.i.map((slot) => {
    if (!slot) return null;
    if (Object.hasOwn(given, slot.k)) return given[slot.k];
    return "d" in slot ? slot.d : null;
  });
}

/** Every FileData of an output gets an absolute url; Gradio 4.x (no prefix) sends broken ones: rebuilt from path. */
export /* internal */ function fileUrls(
  app: AppSpec,
  base: string,
  v: unknown,
  depth = 0,
): unknown {
  if (v && typeof v == "object") {
    if (depth > 1e3) fail("protocol", "a value nested deeper than 1000 levels");
    const record = v as Record<string, unknown> & Partial<FileData>;
    for (const k in record) fileUrls(app, base, record[k], depth + 1);
    if (
      record.meta?._type == "gradio.FileData" &&
      typeof record.path == "string" &&
      record.path &&
      !(record.url && (app.prefix || /^https?:/.test(record.path)))
    )
      record.url = base + "/file=" + record.path;
  }
  return v;
}

/** What a call returns of a result: its visible outputs in the endpoint's shape, file urls absolute. */
export /* internal */ function callResult(
  c: Conn,
  app: AppSpec,
  spec: EndpointSpec,
  values: unknown,
): unknown {
  if (!Array.isArray(values) || values.length != spec.o.length)
    fail(
      "protocol",
      "a result of " +
        (Array.isArray(values) ? values.length : "no") +
        " values for " +
        spec.o.length +
        " outputs",
    );
  const visible = fileUrls(
    app,
    c.base,
    values.filter((_, j) => spec.o[j]),
  ) as unknown[];
  return spec.s > 1 ? visible : spec.s ? visible[0] : undefined;
}

/**
 * Applies one output's sse_v2+ generator diff (`[[action, path, value], ...]`, actions replace, append, add,
 * delete) to its previous value; returns the new value and leaves the previous one untouched. The diff comes
 * from the server: an edit that does not fit the value (a path through a non-container or past a list's end, a
 * key such as __proto__, an append that is not string to string) is a protocol error.
 */
export /* internal */ function applyDiff(value: unknown, diff: unknown): unknown {
  const misfit: () => never = () =>
    fail("protocol", "a generator diff that does not fit the value");
  const append = (before: unknown, v: unknown) =>
    typeof before == "string" && typeof v == "string" ? before + v : misfit();
  const edit = (target: unknown, path: unknown[], action: unknown, v: unknown): unknown => {
    if (!path.length)
      return action == "replace" ? v : action == "append" ? append(target, v) : misfit();
    const [key, ...rest] = path;
    if (Array.isArray(target)) {
      // a list index up to its length (an add at the end); a delete may point past it (Gradio 4.x does not shift
      // the later indices): deletes in a list are always its tail, so it is truncated
      if (!Number.isInteger(key) || (key as number) < 0) misfit();
      const index = key as number;
      if (index > target.length && !(action == "delete" && !rest.length)) misfit();
      const copy = [...(target as unknown[])];
      if (rest.length) {
        if (index >= copy.length) misfit();
        copy[index] = edit(copy[index], rest, action, v);
      } else if (action == "append") copy[index] = append(copy[index], v);
      else if (action == "add") copy.splice(index, 0, v);
      else if (action == "delete") copy.length = Math.min(copy.length, index);
      else if (action == "replace") copy[index] = v;
      else misfit();
      return copy;
    }
    // an object's key that cannot reach a prototype
    if (
      !target ||
      typeof target != "object" ||
      typeof key != "string" ||
      /^(__proto__|constructor|prototype)$/.test(key)
    )
      misfit();
    const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
    if (rest.length) {
      if (!Object.hasOwn(copy, key)) misfit();
      copy[key] = edit(copy[key], rest, action, v);
    } else if (action == "append") copy[key] = append(copy[key], v);
    else if (action == "delete") delete copy[key];
    else if (action == "replace" || action == "add") copy[key] = v;
    else misfit();
    return copy;
  };
  if (!Array.isArray(diff)) misfit();
  for (const e of diff as unknown[]) {
    if (!Array.isArray(e) || !Array.isArray(e[1])) misfit();
    const [action, path, v] = e as [unknown, unknown[], unknown];
    value = edit(value, path, action, v);
  }
  return value;
}

// ---- sessions and their streams ------------------------------------------------------------------------------------

/**
 * One message of the queue protocol, as Gradio sends it on GET {prefix}/queue/data (its fields depend on `msg`).
 * The call transport's named events are read into the same shape.
 */
export /* internal */ interface QueueMessage {
  msg?: unknown;
  event_id?: unknown;
  /** process_generating, process_streaming, process_completed: the outputs, or (success: false) the error */
  output?: { data?: unknown; error?: unknown; title?: unknown } | null | undefined;
  success?: unknown;
  /** unexpected_error */
  message?: unknown;
  session_not_found?: unknown;
  /** estimation: the place in the queue, the queue's length, the expected wait in seconds */
  rank?: unknown;
  queue_size?: unknown;
  rank_eta?: unknown;
  /** process_starts: the expected duration in seconds */
  eta?: unknown;
  /** progress: the gr.Progress bars */
  progress_data?: unknown;
  /** log: gr.Info and gr.Warning */
  level?: unknown;
  log?: unknown;
  title?: unknown;
  duration?: unknown;
}

/** What a call waiting on a stream is handed: a message of its event, or the failure of the whole stream. */
export /* internal */ type Delivery = { message: QueueMessage } | { failure: SpaceError };

/**
 * One session on the app, and the stream its jobs' messages come on. A queue channel is the session of a client
 * (shared by its calls) or of one call; a call channel carries one /call job.
 */
export /* internal */ interface Channel {
  /** how the stream's requests are made: the session's headers, token, fetch and cookies (never a call's deadline) */
  conn: Conn;
  sessionHash: string;
  /** the client's channels, when this one is shared */
  pool: Channel[] | undefined;
  /** "queue": the session's stream, with diffs, reopened while calls wait; "call": one job's stream of named events */
  transport: Transport;
  /** the stream's path under the API base */
  streamPath: string;
  /** the calls using the channel, from their start to their end */
  users: number;
  /** the calls waiting for messages, by event id */
  waiting: Map<string, (delivery: Delivery) => void>;
  /** events of calls that left early: their later messages are dropped */
  forgotten: Set<string>;
  /** joins not answered yet: messages of unknown events are kept for them meanwhile (at most EARLY_LIMIT) */
  joining: number;
  early: Map<string, QueueMessage[]>;
  earlyCount: number;
  /**
   * calls in flight per fn_index, and the jobs left behind to cancel. Gradio's /cancel stops every running job of
   * that fn_index in the session, so a job is cancelled only once no other call of its endpoint is in flight, and
   * calls of that endpoint wait for the cancel before they join
   */
  running: Map<number, number>;
  leftBehind: Map<number, string[]>;
  cancelling: Map<number, Promise<void>>;
  /** the open stream */
  stream: AbortController | undefined;
  /** Date.now() when the stream last sent bytes: the idle timeout of every waiting call reads it */
  lastBytes: number;
  /** streams in a row that ended while calls waited, without a job's end for any of them */
  fruitless: number;
  /** closes the stream when nothing has been in flight for a moment */
  closing: ReturnType<typeof setTimeout> | undefined;
}

/** Messages of events not joined yet are kept, at most this many, while a join is unanswered. */
export /* internal */ const EARLY_LIMIT = 1000;

/** A client keeps at most this many sessions (one per set of headers, base URL and fetch); idle ones go first. */
export /* internal */ const POOL_LIMIT = 8;

/** A new random session hash. */
export /* internal */ function sessionHash(): string {
  return (Math.random().toString(36) + Math.random().toString(36)).replace(/0\./g, "");
}

/** A channel: its stream's requests are made like the call's, with no deadline or signal of the call's own. */
export /* internal */ function newChannel(
  call: Conn,
  transport: Transport,
  hash: string,
  pool?: Channel[],
): Channel {
  const conn: Conn = {
    ...call,
    idle: Infinity,
    ctl: new AbortController(),
    pin: newPin(),
    end: () => {},
  };
  delete conn.why;
  const channel: Channel = {
    conn,
    sessionHash: hash,
    pool,
    transport,
    streamPath: "/queue/data?session_hash=" + encodeURIComponent(hash),
    users: 0,
    waiting: new Map(),
    forgotten: new Set(),
    joining: 0,
    early: new Map(),
    earlyCount: 0,
    running: new Map(),
    leftBehind: new Map(),
    cancelling: new Map(),
    stream: undefined,
    lastBytes: 0,
    fruitless: 0,
    closing: undefined,
  };
  if (pool) {
    // calls with ever new headers must not grow the pool for ever: its idle channels make room
    for (let i = 0; pool.length >= POOL_LIMIT && i < pool.length;) {
      const old = pool[i]!;
      if (!old.users && !old.stream && !old.cancelling.size) pool.splice(i, 1);
      else i++;
    }
    pool.push(channel);
  }
  return channel;
}

/** The client's shared channel for a call: one whose requests carry the same base, headers and fetch, or a new one. */
export /* internal */ function sharedChannel(pool: Channel[], call: Conn): Channel {
  const headers = JSON.stringify(call.headers);
  const same = (c: Channel) =>
    c.conn.base == call.base &&
    c.conn.fetch == call.fetch &&
    JSON.stringify(c.conn.headers) == headers;
  return pool.find(same) ?? newChannel(call, "queue", sessionHash(), pool);
}

/** Hands a message to the call waiting for its event; a failure of the server fails every waiting call. */
export /* internal */ function dispatch(channel: Channel, message: QueueMessage): boolean {
  const id = message?.event_id;
  if (typeof id != "string") {
    if (message?.msg == "unexpected_error") {
      const problem = String(message.message);
      failWaiting(
        channel,
        new SpaceError(
          "protocol",
          "the server failed: " +
            problem +
            (message.session_not_found
              ? " (it does not know this session: behind several replicas, calls need sticky sessions)"
              : ""),
        ),
      );
    }
    return false;
  }
  const deliver = channel.waiting.get(id);
  if (deliver) {
    deliver({ message });
    return true;
  }
  // a join may not have answered yet: its event's first messages can come before its event id
  if (channel.joining && !channel.forgotten.has(id)) {
    if (++channel.earlyCount > EARLY_LIMIT)
      failWaiting(channel, new SpaceError("protocol", "too many messages for unknown events"));
    else channel.early.set(id, [...(channel.early.get(id) ?? []), message]);
  }
  return false;
}

/** Fails every call waiting on the channel, and closes its stream. */
export /* internal */ function failWaiting(channel: Channel, failure: SpaceError): void {
  for (const deliver of channel.waiting.values()) deliver({ failure });
  channel.waiting.clear();
  channel.stream?.abort();
}

/** The call transport's named events, read as the queue's messages of its one event. */
export /* internal */ function callEvent(
  eventId: string,
  event: string,
  data: string,
): QueueMessage | undefined {
  if (event == "generating")
    return { msg: "process_generating", event_id: eventId, output: { data: parseJson(data) } };
  if (event == "complete")
    return {
      msg: "process_completed",
      event_id: eventId,
      success: true,
      output: { data: parseJson(data) },
    };
  if (event == "error")
    return {
      msg: "process_completed",
      event_id: eventId,
      success: false,
      output: parseJson(data) as QueueMessage["output"],
    };
  return undefined; // heartbeats, and events of later Gradio versions
}

/**
 * Opens the channel's stream unless it is open: reads it, hands out its messages, and opens it again while calls
 * still wait (the server ends a session's stream when none of its events is pending: close_stream).
 */
export /* internal */ function openStream(channel: Channel): void {
  clearTimeout(channel.closing);
  channel.closing = undefined;
  if (channel.stream) return;
  const stream = (channel.stream = new AbortController());
  const read = async () => {
    // a job's end came on this stream: the stream ending afterwards is the server's close_stream race, not a fault
    let progressed = false;
    try {
      const reader = bodyReader(
        await sendRequest(channel.conn, channel.streamPath, {}, stream.signal),
      );
      const parse = sse();
      channel.lastBytes = Date.now();
      for (;;) {
        const chunk = await reader.read().catch((error: unknown) => {
          throw networkError(error);
        });
        if (chunk.done) break;
        channel.lastBytes = Date.now();
        for (const [event, data] of parse(chunk.value)) {
          const message =
            channel.transport == "queue"
              ? (parseJson(data) as QueueMessage)
              : callEvent(channel.sessionHash, event, data);
          if (message && dispatch(channel, message) && message.msg == "process_completed")
            progressed = true;
        }
      }
    } catch (error) {
      if (!stream.signal.aborted) failWaiting(channel, networkError(error));
    }
    if (channel.stream == stream) channel.stream = undefined;
    if (stream.signal.aborted || !channel.waiting.size) return idle(channel);
    // the stream ended while calls wait: a call's job stream may not be read again; a session's is opened again
    channel.fruitless = progressed ? 0 : channel.fruitless + 1;
    if (channel.transport == "call" || channel.fruitless > 4)
      failWaiting(channel, new SpaceError("protocol", "the stream ended early"));
    else openStream(channel);
  };
  void read(); // it never rejects: a failure goes to the calls that wait
}

/**
 * Nothing in flight: the stream is closed after a moment (a call may follow at once). A shared channel stays in its
 * pool, so the client's next call is in the same session.
 */
export /* internal */ function idle(channel: Channel): void {
  if (channel.users || channel.cancelling.size) return;
  channel.early.clear();
  channel.earlyCount = 0;
  channel.forgotten.clear();
  if (!channel.stream) {
    clearTimeout(channel.closing);
    channel.closing = undefined;
    return;
  }
  // the server ends the stream itself once its last event is over; reading it to its end lets the TCP connection
  // be reused, so it is cut only when the server keeps it open
  channel.closing ??= setTimeout(() => {
    channel.closing = undefined;
    if (!channel.users) channel.stream?.abort();
  }, 500);
}

/**
 * Cancels the jobs left behind by calls of one endpoint, once no call of it is in flight on the channel: best
 * effort and bounded; calls of that endpoint wait for it before they join.
 */
export /* internal */ function cancelLeftBehind(
  channel: Channel,
  fnIndex: number,
  idleMs: number,
): Promise<void> | undefined {
  const eventIds = channel.leftBehind.get(fnIndex);
  if (!eventIds || channel.running.get(fnIndex)) return channel.cancelling.get(fnIndex);
  channel.leftBehind.delete(fnIndex);
  const bound = new AbortController();
  const timer = limitTimer(Math.min(3e3, idleMs), () => bound.abort());
  const cancels = eventIds.map(async (eventId) => {
    try {
      const body = jsonPost({
        session_hash: channel.sessionHash,
        fn_index: fnIndex,
        event_id: eventId,
      });
      (await sendRequest(channel.conn, "/cancel", body, bound.signal)).body
        ?.cancel()
        .catch(() => {});
    } catch {
      // a cancel that fails leaves the job to the server's own end: the call has already failed or finished
    }
  });
  const done = Promise.all(cancels).then(() => {
    clearTimeout(timer);
    channel.cancelling.delete(fnIndex);
    idle(channel);
  });
  channel.cancelling.set(fnIndex, done);
  return done;
}

/** A job of the channel's session that no call waits for any more: cancelLeftBehind cancels it. */
export /* internal */ function leaveBehind(
  channel: Channel,
  fnIndex: number,
  eventId: string,
): void {
  channel.leftBehind.set(fnIndex, [...(channel.leftBehind.get(fnIndex) ?? []), eventId]);
}

/**
 * A call stopped while its join (or /call POST) was unanswered: its job may already run on the server. The answer
 * is awaited a little longer (at most 3 s), then the job is cancelled like any job left behind.
 */
export /* internal */ function cancelWhenJoined(
  channel: Channel,
  fnIndex: number,
  join: Conn,
  joining: Promise<unknown>,
): void {
  const timer = limitTimer(Math.min(3e3, join.idle), () => join.ctl.abort());
  joining
    .then((answer) => {
      const id = (answer as { event_id?: unknown } | null)?.event_id;
      if (typeof id != "string") return;
      // a /call job is its own session: its event id is the session hash /cancel needs
      if (channel.transport == "call") channel.sessionHash = id;
      leaveBehind(channel, fnIndex, id);
      return cancelLeftBehind(channel, fnIndex, join.idle);
    })
    .catch(() => {})
    .finally(() => clearTimeout(timer));
}

// ---- the call ------------------------------------------------------------------------------------------------------

/** How a call is run besides its options: in which session, and who else hears its messages. */
export /* internal */ interface CallRoute {
  /** the client's shared sessions (the queue transport); default: the module's own */
  sessions?: Channel[];
  /** run the call in this session (createSession): its hash, and no other call's */
  sessionHash?: string;
  /** run the call in a session of its own, not the client's (live(), queued()) */
  ownSession?: boolean;
  /** the transport whatever the options say (live() and sessions: "queue") */
  transport?: Transport;
  /** every message of the call's job that is not a result (queue statuses: estimation, progress, logs) */
  onMessage?: (message: QueueMessage) => void;
}

/**
 * One call, the lifecycle every transport shares: opens it (where it goes, its token, its deadline, the caller's
 * signal), uploads its files, submits it, then waits for its job's messages on its channel's stream and yields each
 * value in the endpoint's shape until the job completes; returns the final value. Every exit path (completion,
 * failure, abort, deadline, idle timeout, an early break) ends the same way: timers and listeners removed, the
 * channel left, and a job left behind cancelled on the server.
 */
export /* internal */ async function* runCall(
  app: AppSpec,
  spec: EndpointSpec,
  input: unknown,
  options: CallOptions,
  withFiles?: typeof uploadFiles,
  route: CallRoute = {},
): AsyncGenerator<unknown, unknown> {
  const endpointName = "/" + spec.n;
  const fnIndex = spec.x;
  // messages of this call's event, handed over by the stream; `wake` resumes the call when one comes (or it stops)
  const inbox: QueueMessage[] = [];
  let wake: (() => void) | undefined;
  // set by the stream's callback (the `as` keeps TypeScript from narrowing it to undefined in this function)
  let streamFailure = undefined as SpaceError | undefined;
  let call: Conn | undefined;
  let channel: Channel | undefined;
  let eventId: string | undefined;
  // the join (or /call POST) on a request of its own, and its answer
  let join: Conn | undefined;
  let joining: Promise<unknown> | undefined;
  let counted = false;
  let finished = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  try {
    call = openCall(app, options);
    const c = call;
    c.ctl.signal.addEventListener("abort", () => wake?.());
    if (c.why) throw c.why;
    const transport =
      route.transport ?? options.transport ?? (app.queue && fnIndex >= 0 ? "queue" : "call");
    const queue = transport == "queue";
    if (queue && fnIndex < 0)
      fail(
        "protocol",
        "the dependency id (fn_index) is unknown: generate the module from the app's URL",
      );
    // the session: the client's shared one, or one of this call's own (hidden gr.State, createSession, /call)
    if (!queue) channel = newChannel(c, "call", "");
    else if (route.sessionHash) channel = newChannel(c, "queue", route.sessionHash);
    else if (spec.h || route.ownSession) channel = newChannel(c, "queue", sessionHash());
    else channel = sharedChannel(route.sessions ?? (app.sessions ??= []), c);
    const ch = channel;
    ch.users++;
    clearTimeout(ch.closing);
    ch.closing = undefined;
    c.pin = ch.conn.pin;

    let data = wireData(spec, input);
    if (withFiles) data = await withFiles(c, data, spec.i);
    if (queue) await unlessStopped(c, cancelLeftBehind(ch, fnIndex, c.idle) ?? Promise.resolve());
    ch.running.set(fnIndex, (ch.running.get(fnIndex) ?? 0) + 1);
    counted = true;
    ch.joining++;
    let answer: unknown;
    const name = "/call/" + pathSegment(spec.n);
    // The join is not cut when the call stops: the server may have started the job already, and only its event id
    // can cancel it. The caller is released at once; the answer is awaited in the background (cancelWhenJoined).
    join = { ...c, ctl: new AbortController() };
    try {
      joining = queue
        ? jsonAnswer(
            join,
            "/queue/join",
            jsonPost(
              {
                data,
                fn_index: fnIndex,
                session_hash: ch.sessionHash,
                event_data: null,
                trigger_id: null,
                ...(app.wholeValues && { simple_format: true }),
              },
              { "x-gradio-user": "api" },
            ),
          )
        : jsonAnswer(join, name, jsonPost({ data }));
      answer = await unlessStopped(c, joining);
    } finally {
      ch.joining--;
    }
    const id = (answer as { event_id?: unknown } | null)?.event_id;
    if (typeof id != "string") fail("protocol", "no event_id");
    eventId = id;
    if (!queue) {
      // a /call job is its own session: its event id is the session hash /cancel needs
      ch.sessionHash = id;
      ch.streamPath = name + "/" + pathSegment(id);
    }
    ch.waiting.set(id, (delivery) => {
      if ("failure" in delivery) streamFailure = delivery.failure;
      else inbox.push(delivery.message);
      wake?.();
    });
    const early = ch.early.get(id);
    if (early) {
      inbox.push(...early);
      ch.early.delete(id);
    }
    openStream(ch);

    // the idle timeout: no bytes on the stream for idleTimeoutMs, since this call began to wait or last got a message
    let waitingSince = Date.now();
    const checkIdle = () => {
      const quiet = Date.now() - Math.max(ch.lastBytes, waitingSince);
      if (quiet >= c.idle) stopCall(c, "timeout", "no data for " + c.idle + " ms");
      else watchdog = limitTimer(c.idle - quiet, checkIdle);
    };
    watchdog = limitTimer(c.idle, checkIdle);
    // full output values so far: the queue's later generator messages are diffs against them
    let values: unknown[] | undefined;
    let last: unknown;
    let yielded = false;
    for (;;) {
      const message = inbox.shift();
      if (!message) {
        // a stop sets `why` while the call awaits; TypeScript keeps the check above's narrowing (to undefined)
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a SpaceError, the type is narrowed wrongly
        if (c.why) throw c.why;
        if (streamFailure) throw streamFailure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      waitingSince = Date.now();
      const kind = message.msg;
      const output = message.output;
      if (kind == "process_completed") {
        finished = true;
        if (!message.success) throw appError(output);
        // a job cancelled on the server completes without data (the call transport's complete event says null)
        if (output?.data == null) fail("aborted", "cancelled on the server");
        last = callResult(c, app, spec, output.data);
        if (!yielded) yield last;
        return last;
      } else if (kind == "process_generating" || kind == "process_streaming") {
        const outputs = output?.data;
        if (!Array.isArray(outputs) || outputs.length != spec.o.length)
          fail("protocol", "unexpected data");
        const previous = values;
        values =
          previous && queue && !app.wholeValues
            ? previous.map((v, j) => applyDiff(v, outputs[j]))
            : outputs;
        // a copy for the caller, which is also the size check: diffs may not grow a value without bound
        let whole = "";
        try {
          whole = JSON.stringify(values);
        } catch {
          fail("protocol", "a generator value nested too deep");
        }
        if (whole.length > 2 ** 26) fail("protocol", "a generator value over 64 MiB");
        last = callResult(c, app, spec, JSON.parse(whole));
        yielded = true;
        yield last;
      } else if (kind == "unexpected_error")
        fail("protocol", "the server failed: " + String(message.message));
      else route.onMessage?.(message);
    }
  } catch (error) {
    throw spaceError(call?.why || error, endpointName, eventId, secretsOf(options));
  } finally {
    clearTimeout(watchdog);
    call?.end();
    if (!finished) call?.ctl.abort();
    if (channel) {
      channel.users--;
      if (eventId) {
        channel.waiting.delete(eventId);
        if (!finished) channel.forgotten.add(eventId);
      }
      if (counted) channel.running.set(fnIndex, channel.running.get(fnIndex)! - 1);
      // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, once no other
      // call of its endpoint is in flight on the channel; the stream stays open, since closing it would cancel
      // every job of the session
      if (!finished && eventId && app.cancel && fnIndex >= 0)
        leaveBehind(channel, fnIndex, eventId);
      else if (!finished && !eventId && joining) {
        if (app.cancel && fnIndex >= 0) cancelWhenJoined(channel, fnIndex, join!, joining);
        else join!.ctl.abort();
      }
      if (!finished && channel.transport == "call") channel.stream?.abort();
      if (counted) await cancelLeftBehind(channel, fnIndex, call!.idle);
      idle(channel);
    }
  }
}

// ---- endpoints -----------------------------------------------------------------------------------------------------

/** What an endpoint function carries for bind(), live(), sessions and tools: its app, spec, options and files. */
export /* internal */ interface EndpointParts {
  app: AppSpec;
  spec: EndpointSpec;
  defaults: ClientOptions;
  withFiles: typeof uploadFiles | undefined;
  /** the client's sessions (createClient), or undefined for the module's own */
  sessions: Channel[] | undefined;
  /** how its calls run when not the default way (queued(): the queue, a session per call); bind() keeps it */
  route: CallRoute | undefined;
}

/** What a call resolves with: its stream's return value, the completed value (yielded or not). */
export /* internal */ async function finalValue<O>(values: AsyncIterable<O>): Promise<O> {
  const run = values[Symbol.asyncIterator]();
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value as O;
  }
}

/** The parts of an endpoint function (an object of another kind has none). */
export /* internal */ function partsOf(endpoint: unknown): EndpointParts | undefined {
  return (endpoint as { _?: EndpointParts } | null)?._;
}

/** An endpoint with file inputs. */
export /* internal */ function endpoint<I, O>(
  app: AppSpec,
  spec: EndpointSpec,
  defaults: ClientOptions = {},
): Endpoint<I, O> {
  return bareEndpoint(app, spec, defaults, uploadFiles);
}

/** An endpoint without file inputs: uploadFiles is not referenced, so bundlers leave it out. */
export /* internal */ function bareEndpoint<I, O>(
  app: AppSpec,
  spec: EndpointSpec,
  defaults: ClientOptions = {},
  withFiles?: typeof uploadFiles,
  sessions?: Channel[],
  route?: CallRoute,
): Endpoint<I, O> {
  const parts: EndpointParts = { app, spec, defaults, withFiles, sessions, route };
  const callRoute: CallRoute = { ...route, ...(sessions && { sessions }) };
  const stream = (input?: I, options?: CallOptions) =>
    runCall(app, spec, input, mergeOptions(defaults, options), withFiles, callRoute);
  const call = (input?: I, options?: CallOptions) =>
    finalValue(stream(input, options) as AsyncGenerator<O, O>);
  return Object.assign(call, { stream, _: parts }) as Endpoint<I, O>;
}

/** The same endpoint with options bound, calling in the client's sessions (used by createClient). */
export /* internal */ function bind<I, O>(
  ep: Endpoint<I, O>,
  options: ClientOptions,
  sessions: Channel[] = [],
): Endpoint<I, O> {
  const { app, spec, defaults, withFiles, route } = partsOf(ep)!;
  return bareEndpoint(app, spec, mergeOptions(defaults, options), withFiles, sessions, route);
}

// #endregion runtime
