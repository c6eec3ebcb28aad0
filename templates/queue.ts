// Live status and sessions: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below. It talks Gradio's queue protocol (POST {prefix}/queue/join + GET {prefix}/queue/data),
// which reports queue position, ETA, progress and logs and keeps a session_hash. Plain calls never reference it,
// so bundlers drop all of it when an app imports neither `live` nor `createSession`.
//
// Same rules as the runtime: no imports in the region, no side effects, no console output.

import {
  appError,
  bodyReader,
  callResult,
  jsonAnswer,
  jsonPost,
  limitTimer,
  mo,
  openCall,
  parseJson,
  pathSegment,
  secretsOf,
  sendRequest,
  SpaceError,
  spaceError,
  sse,
  awaitServer,
  wireData,
  type AppSpec,
  type CallOptions,
  type ClientOptions,
  type Conn,
  type Endpoint,
  type EndpointSpec,
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
 * delete) to its previous value; returns the new value and leaves the previous one untouched. The diff comes
 * from the server: an edit that does not fit the value (a path through a non-container or past a list's end, a
 * key such as __proto__, an append that is not string to string) is a protocol error.
 */
export /* internal */ function applyDiff(value: any, diff: unknown): any {
  const misfit = ["protocol", "a generator diff that does not fit the value"],
    edit = (target: any, path: unknown[], action: unknown, v: any): any => {
      if (!path.length) {
        if (action == "replace") return v;
        if (action == "append" && typeof target == "string" && typeof v == "string") return target + v;
        throw misfit;
      }
      const [key, ...rest] = path as [any, ...unknown[]],
        list = Array.isArray(target);
      // a list index up to its length (an add at the end; a delete may point past it: Gradio 4.x does not shift
      // the later indices), or an object's key that cannot reach a prototype
      if (
        !(list
          ? Number.isInteger(key) && key >= 0 && (key <= target.length || (action == "delete" && !rest.length))
          : target && typeof target == "object" && typeof key == "string" && !/^(__proto__|constructor|prototype)$/.test(key))
      )
        throw misfit;
      const copy = list ? [...target] : { ...target };
      if (rest.length) {
        if (!Object.hasOwn(copy, key)) throw misfit;
        copy[key] = edit(copy[key], rest, action, v);
      } else if (action == "append") {
        if (typeof copy[key] != "string" || typeof v != "string") throw misfit;
        copy[key] += v;
      } else if (action == "add" && list) copy.splice(key, 0, v);
      // deletes in a list are always its tail: truncate
      else if (action == "delete") list ? (copy.length = Math.min(copy.length, key)) : delete copy[key];
      else if (action == "replace" || action == "add") copy[key] = v;
      else throw misfit;
      return copy;
    };
  if (!Array.isArray(diff)) throw misfit;
  for (const e of diff) {
    if (!Array.isArray(e) || !Array.isArray(e[1])) throw misfit;
    value = edit(value, e[1], e[0], e[2]);
  }
  return value;
}

/** A new random session hash. */
export /* internal */ function sessionHash(): string {
  return (Math.random().toString(36) + Math.random().toString(36)).replace(/0\./g, "");
}

/**
 * One call through the queue protocol in session `hash`: uploads, joins the queue, reads the session's stream,
 * reports statuses, yields each (diff-applied) value; cancels the job on the server on every early exit.
 */
export /* internal */ async function* queueRun(ep: Endpoint<any, any>, input: any, options: LiveOptions, hash: string): AsyncGenerator<any, void> {
  const [app, spec, defaults, withFiles] = (ep as any)._ as [AppSpec, EndpointSpec, ClientOptions, typeof uploadFiles | undefined],
    o: LiveOptions = mo(defaults, options),
    name = "/" + spec.n,
    post = (body: unknown) => jsonPost(body, { "x-gradio-user": "api" });
  let c: Conn | undefined,
    eventId: string | undefined,
    finished = false;
  try {
    c = openCall(app, o);
    if (c.why) throw c.why;
    if (spec.x < 0) throw ["protocol", "the dependency id (fn_index) is unknown: generate the module from the app's URL"];
    let data = wireData(spec, input);
    if (withFiles) data = await withFiles(c, data, spec.i);
    eventId = (await jsonAnswer(c, "/queue/join", post({ data, fn_index: spec.x, session_hash: hash, event_data: null, trigger_id: null })))?.event_id;
    if (typeof eventId != "string") throw ["protocol", "no event_id"];
    // full output values so far: later generator messages are diffs against them
    let values: any[] | undefined;
    // the session's stream carries every event of the session and ends (close_stream) when none is pending;
    // it is reopened while this event is not finished
    for (let opened = 0; ; opened++) {
      if (opened > 4) throw ["protocol", "the stream ended early"];
      const reader = bodyReader(await sendRequest(c, "/queue/data?session_hash=" + encodeURIComponent(hash))),
        parse = sse();
      for (;;) {
        const { done, value } = await awaitServer(c, reader.read());
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
            yield callResult(c, app, spec, out.data);
            return;
          } else if (kind == "process_generating" || kind == "process_streaming") {
            const d = out?.data;
            if (!Array.isArray(d) || d.length != spec.o.length) throw ["protocol", "unexpected data"];
            values = values ? values.map((v, j) => applyDiff(v, d[j])) : d;
            // a copy for the caller, which is also the size check: diffs may not grow a value without bound
            let whole: string;
            try {
              whole = JSON.stringify(values);
            } catch {
              throw ["protocol", "a generator value nested too deep"];
            }
            if (whole.length > 2 ** 26) throw ["protocol", "a generator value over 64 MiB"];
            yield callResult(c, app, spec, JSON.parse(whole));
          }
        }
      }
    }
  } catch (e: any) {
    throw spaceError(c?.why || e, name, eventId, secretsOf(o));
  } finally {
    if (c) {
      c.end();
      c.ctl.abort();
      // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, best effort and bounded
      if (!finished && eventId && app.cancel) {
        const cc = new AbortController(),
          t = limitTimer(Math.min(3e3, c.idle), () => cc.abort());
        try {
          (await sendRequest(c, "/cancel", post({ session_hash: hash, fn_index: spec.x, event_id: eventId }), cc.signal)).body?.cancel().catch(() => {});
        } catch {}
        clearTimeout(t);
      }
    }
  }
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
  return Object.assign(
    async (input?: any, options?: LiveOptions) => {
      let v: any;
      for await (v of stream(input, options));
      return v;
    },
    { stream },
  ) as any;
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
      // the session's stream, not one call's: neither a call's deadline nor its signal ends it
      delete merged.signal;
      delete merged.timeoutMs;
      (async () => {
        const reader = bodyReader(await sendRequest(openCall(app, merged, beat), "/heartbeat/" + pathSegment(hash)));
        while (!(await reader.read()).done);
      })().catch(() => {});
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
          yield* queueRun(endpoint, input, o, hash);
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
    async call(endpoint: Endpoint<any, any>, input?: any, callOptions?: LiveOptions) {
      let v: any;
      for await (v of stream(endpoint, input, callOptions));
      return v;
    },
    stream,
    close,
  };
}

// #endregion queue
