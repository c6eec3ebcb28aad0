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

export class SpaceError extends Error {
  override name = "SpaceError";
  constructor(
    readonly kind: SpaceErrorKind,
    message: string,
    readonly details: {
      status?: number;
      endpoint?: string;
      eventId?: string;
      title?: string;
      /** ZeroGPU quota: seconds requested and left */
      quota?: { requested: number; remaining: number };
      /** per-parameter validation messages (HTTP 422) */
      validation?: { parameter?: string; message: string }[];
      cause?: unknown;
    } = {},
  ) {
    super(message);
  }
}

export /* internal */ function endpoint<I, O>(app: AppSpec, spec: EndpointSpec, defaults?: ClientOptions): Endpoint<I, O> {
  throw new SpaceError("protocol", "not implemented: " + app.url + spec.n + String(defaults));
}

/** The same endpoint with options bound (used by createClient). */
export /* internal */ function bind<I, O>(ep: Endpoint<I, O>, options: ClientOptions): Endpoint<I, O> {
  throw new SpaceError("protocol", "not implemented" + String(ep) + String(options));
}

// #endregion runtime
