// Live status and sessions: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below. It talks Gradio's queue protocol (POST {prefix}/queue/join + GET {prefix}/queue/data),
// which reports queue position, ETA, progress and logs and keeps a session_hash. Plain calls never reference it,
// so bundlers drop all of it when an app imports neither `live` nor `createSession`.
//
// Same rules as the runtime: no imports in the region, no side effects, no console output.

import {
  apiBase,
  appError,
  bareEndpoint,
  fileUrls,
  finalValue,
  mo,
  parseJson,
  request,
  SpaceError,
  spaceError,
  sse,
  tokenOf,
  wireData,
  type AppSpec,
  type CallOptions,
  type ClientOptions,
  type Endpoint,
  type EndpointSpec,
  type SpaceErrorKind,
  type uploadFiles,
} from "./runtime.ts";

// #region queue

/** One `gr.Progress` bar: a fraction (`progress`), or a step count (`index` of `length` `unit`), and its text. */
export interface ProgressUnit {
  progress: number | null;
  index: number | null;
  length: number | null;
  unit: string | null;
  desc: string | null;
}

/** What a live call reports while it runs. */
export type CallStatus =
  /** waiting in the queue: `position` 0 is next; `eta` in seconds when the server estimates one */
  | { type: "queue"; position: number; size: number | null; eta: number | null }
  /** the job started; `eta` = expected duration in seconds, when known */
  | { type: "start"; eta: number | null }
  /** `gr.Progress` updates (one entry per nested bar) */
  | { type: "progress"; progress: ProgressUnit[] }
  /** `gr.Info` / `gr.Warning` (level "info" / "warning") */
  | { type: "log"; level: string; message: string; title: string | null; duration: number | null };

/** Options of a live or session call: the call options, and `onStatus`. */
export interface LiveOptions extends CallOptions {
  /** Called with every status the server reports (queue position, start, progress, logs). */
  onStatus?: (status: CallStatus) => void;
  /** Run the call in this session (gr.State persists across its calls); default: a session of its own. */
  session?: Session;
}

type LiveArgs<I> = {} extends I ? [input?: I, options?: LiveOptions] : [input: I, options?: LiveOptions];

/** An endpoint called through the queue protocol: the same call and `.stream()`, with `onStatus` and `session`. */
export interface LiveEndpoint<I, O> {
  (...args: LiveArgs<I>): Promise<O>;
  stream(...args: LiveArgs<I>): AsyncIterable<O>;
}

/**
 * One server session (one `session_hash`): gr.State persists across its calls, which run one at a time, in order.
 * It keeps Gradio's heartbeat stream open from its first call until `close()`, so close it when done (or use
 * a `finally`): closing ends the session on the server (its state is dropped, `unload` handlers run).
 */
export interface Session {
  readonly sessionHash: string;
  /** Calls an endpoint of this app in the session; resolves its final value. */
  call<I, O>(endpoint: Endpoint<I, O>, ...args: LiveArgs<I>): Promise<O>;
  /** Every value of a call in the session (generators yield several); `break` cancels the job. */
  stream<I, O>(endpoint: Endpoint<I, O>, ...args: LiveArgs<I>): AsyncIterable<O>;
  /** Ends the session: closes the heartbeat stream; later calls reject with kind "aborted". */
  close(): Promise<void>;
}

/**
 * Applies one output's sse_v2+ generator diff (`[[action, path, value], ...]`, actions replace, append, add,
 * delete) to its previous value; returns the new value and leaves the previous one untouched.
 */
export /* internal */ function applyDiff(value: any, diff: [string, (string | number)[], any][]): any {
  const edit = (target: any, path: (string | number)[], action: string, v: any): any => {
    if (!path.length) return action == "append" ? target + v : v;
    const [key, ...rest] = path as [any, ...any[]],
      copy = Array.isArray(target) ? [...target] : { ...target };
    if (rest.length) copy[key] = edit(copy[key], rest, action, v);
    else if (action == "append") copy[key] += v;
    else if (action == "add" && Array.isArray(copy)) copy.splice(key, 0, v);
    // deletes in a list are always its tail: truncate (Gradio 4.x does not shift the later indices, 6.x does)
    else if (action == "delete") Array.isArray(copy) ? (copy.length = Math.min(copy.length, key)) : delete copy[key];
    else copy[key] = v;
    return copy;
  };
  for (const [action, path, v] of diff) value = edit(value, path, action, v);
  return value;
}

/** A new random session hash. */
export /* internal */ function sessionHash(): string {
  return (Math.random().toString(36) + Math.random().toString(36)).replace(/0\./g, "");
}

/**
 * One call through the queue protocol in session `hash`: uploads, joins the queue, reads the session's stream,
 * reports statuses, yields each (diff-applied) value and returns the final one (as run() does, the completed value
 * is yielded only when no generator value came before it); cancels the job on the server on every early exit.
 */
export /* internal */ async function* queueRun(ep: Endpoint<any, any>, input: any, options: LiveOptions, hash: string): AsyncGenerator<any, any> {
  const [app, spec, defaults, withFiles] = (ep as any)._ as [AppSpec, EndpointSpec, ClientOptions, typeof uploadFiles | undefined],
    o: LiveOptions = mo(defaults, options),
    name = "/" + spec.n,
    ctl = new AbortController(),
    signal = o.signal,
    idleMs = o.idleTimeoutMs ?? 6e4,
    base = apiBase(app, o),
    token = tokenOf(o),
    req = (path: string, init: any = {}, s: AbortSignal = ctl.signal) => request(base, o, token, path, init, s),
    post = (path: string, body: any, s?: AbortSignal) =>
      req(path, { method: "POST", h: { "content-type": "application/json", "x-gradio-user": "api" }, body: JSON.stringify(body) }, s),
    stop = (kind: SpaceErrorKind, message: string) => {
      why ||= [kind, message];
      ctl.abort();
    },
    onAbort = () => stop("aborted", "aborted"),
    // the visible outputs, with absolute file urls, in the endpoint's result shape
    shape = (values: any[]) => {
      const visible = fileUrls(app, base, values.filter((_, j) => spec.o[j]));
      return spec.s > 1 ? visible : spec.s ? visible[0] : undefined;
    };
  let eventId: string | undefined,
    why: any,
    finished = false,
    deadline: any,
    idle: any,
    reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    signal?.addEventListener("abort", onAbort);
    if (signal?.aborted) onAbort();
    if (o.timeoutMs! >= 0) deadline = setTimeout(stop, o.timeoutMs, "timeout", "timed out after " + o.timeoutMs + " ms");
    if (spec.x < 0) throw ["protocol", "the dependency id (fn_index) is unknown: generate the module from the app's URL"];
    let data = wireData(spec, input);
    if (withFiles)
      data = await withFiles(
        data,
        spec.i,
        base,
        (url) => (o.fetch || fetch)(url, { signal: ctl.signal }),
        async (body) => parseJson(await (await req("/upload", { method: "POST", body })).text()),
      );
    eventId = parseJson(
      await (await post("/queue/join", { data, fn_index: spec.x, session_hash: hash, event_data: null, trigger_id: null })).text(),
    )?.event_id;
    if (typeof eventId != "string") throw ["protocol", "no event_id"];
    // full output values so far: later generator messages are diffs against them
    let values: any[] | undefined;
    // the session's stream carries every event of the session and ends (close_stream) when none is pending;
    // it is reopened while this event is not finished
    for (let opened = 0; ; opened++) {
      if (opened > 4) throw ["protocol", "the stream ended early"];
      reader = (await req("/queue/data?session_hash=" + encodeURIComponent(hash))).body!.getReader();
      const parse = sse();
      for (;;) {
        idle = setTimeout(stop, idleMs, "timeout", "no data for " + idleMs + " ms");
        const { done, value } = await reader.read();
        clearTimeout(idle);
        if (done) break;
        for (const [, text] of parse(value)) {
          const m = parseJson(text),
            kind = m?.msg,
            out = m?.output;
          if (kind == "unexpected_error") throw ["protocol", "the server failed: " + m.message];
          if (m?.event_id != eventId) continue;
          const status: CallStatus | undefined =
            kind == "estimation"
              ? { type: "queue", position: m.rank, size: m.queue_size ?? null, eta: m.rank_eta ?? null }
              : kind == "process_starts"
                ? { type: "start", eta: m.eta ?? null }
                : kind == "progress"
                  ? { type: "progress", progress: m.progress_data || [] }
                  : kind == "log"
                    ? { type: "log", level: m.level, message: m.log, title: m.title ?? null, duration: m.duration ?? null }
                    : undefined;
          if (status) o.onStatus?.(status);
          else if (kind == "process_completed") {
            finished = true;
            if (!m.success) throw appError(out);
            if (!Array.isArray(out?.data)) throw ["aborted", "cancelled on the server"];
            const final = shape(out.data);
            if (!values) yield final;
            return final;
          } else if (kind == "process_generating" || kind == "process_streaming") {
            if (!Array.isArray(out?.data)) throw ["protocol", "unexpected data"];
            values = values ? values.map((v, j) => applyDiff(v, out.data[j])) : out.data;
            yield shape(JSON.parse(JSON.stringify(values)));
          }
        }
      }
    }
  } catch (e: any) {
    throw spaceError(why || e, name, eventId);
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
    signal?.removeEventListener("abort", onAbort);
    ctl.abort();
    // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, best effort and bounded
    if (!finished && eventId && app.cancel) {
      const c = new AbortController(),
        t = setTimeout(() => c.abort(), 3e3);
      try {
        await (await post("/cancel", { session_hash: hash, fn_index: spec.x, event_id: eventId }, c.signal)).text();
      } catch {}
      clearTimeout(t);
    }
  }
}

/**
 * Plain calls through the queue protocol, each in a session of its own (what /call does): the generator emits
 * endpoints this way for apps on Gradio before 6.13, whose /call stream sends no error message (data: null) while
 * the queue carries it on every version. Needs the dependency id, so only endpoints whose fn_index is known.
 */
export /* internal */ function queued<I, O>(app: AppSpec, spec: EndpointSpec, withFiles?: typeof uploadFiles): Endpoint<I, O> {
  return bareEndpoint(app, spec, {}, withFiles, (a, s, input, o, w) => queueRun({ _: [a, s, {}, w] } as any, input, o, sessionHash()));
}

/**
 * Calls `endpoint` through Gradio's queue protocol, with live status:
 *
 *     const value = await live(predict)({ prompt }, { onStatus: (s) => console.log(s) });
 *     for await (const partial of live(generate).stream(input, { onStatus, signal })) …
 *
 * `onStatus` receives queue positions and ETA, the job's start, `gr.Progress` updates and `gr.Info`/`gr.Warning`
 * logs. Generator values arrive whole (diffs are applied). Pass `session` to run in a session (see createSession).
 */
export function live<I, O>(endpoint: Endpoint<I, O>): LiveEndpoint<I, O> {
  const stream = (input?: any, options: LiveOptions = {}): AsyncIterable<any> =>
    options.session ? options.session.stream(endpoint, input, options) : queueRun(endpoint, input, options, sessionHash());
  return Object.assign(async (input?: any, options?: LiveOptions) => finalValue(stream(input, options)), { stream }) as any;
}

/**
 * A server session: one `session_hash` for all its calls, so gr.State persists across them (on every Gradio
 * version: calls go through the queue protocol). Calls run one at a time, in the order they were made.
 *
 *     const session = createSession({ token });
 *     try {
 *       await session.call(add, { n: 2 });
 *       const total = await session.call(read, {}, { onStatus });
 *     } finally {
 *       await session.close();
 *     }
 *
 * Options apply to every call of the session (call options win). Close the session when done: `close()` ends it on
 * the server, and until then its heartbeat stream keeps the connection (and a Node process) alive.
 */
export function createSession(options: ClientOptions = {}): Session {
  const hash = sessionHash(),
    beat = new AbortController();
  let turn: Promise<unknown> = Promise.resolve(),
    closed = false,
    beating = false;
  const heartbeat = (endpoint: Endpoint<any, any>, o: CallOptions) => {
      // Gradio drops the session's state when this stream closes: it stays open until close()
      if (beating) return;
      beating = true;
      const [app, , defaults] = (endpoint as any)._ as [AppSpec, EndpointSpec, ClientOptions],
        merged = mo(defaults, o);
      request(apiBase(app, merged), merged, tokenOf(merged), "/heartbeat/" + encodeURIComponent(hash), {}, beat.signal)
        .then(async (r) => {
          const reader = r.body!.getReader();
          while (!(await reader.read()).done);
        })
        .catch(() => {});
    },
    stream = <O>(endpoint: Endpoint<any, O>, input?: any, callOptions?: LiveOptions): AsyncIterable<O> => ({
      async *[Symbol.asyncIterator]() {
        const previous = turn;
        let release!: () => void;
        turn = new Promise<void>((r) => (release = r));
        try {
          await previous;
          if (closed) throw new SpaceError("aborted", "/" + (endpoint as any)._[1].n + " failed: the session is closed");
          const o = mo(options, callOptions);
          heartbeat(endpoint, o);
          return yield* queueRun(endpoint, input, o, hash);
        } finally {
          release();
        }
      },
    }),
    close = async (): Promise<void> => {
      closed = true;
      beat.abort();
    };
  return {
    sessionHash: hash,
    call: (endpoint: Endpoint<any, any>, input?: any, callOptions?: LiveOptions) => finalValue(stream(endpoint, input, callOptions)),
    stream,
    close,
  };
}

// #endregion queue
