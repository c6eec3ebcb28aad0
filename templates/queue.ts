// Live status and sessions: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below. Both run calls through the runtime's queue transport (runCall): `live` hands the caller
// the statuses the queue reports (queue position, ETA, progress, logs); a session keeps one session_hash for its
// calls, so gr.State persists across them. Plain calls never reference this code, so bundlers drop all of it when
// an app imports neither `live` nor `createSession`.
//
// Same rules as the runtime: no imports in the region, no side effects, no console output.

import {
  bareEndpoint,
  bodyReader,
  finalValue,
  mergeOptions,
  openCall,
  partsOf,
  pathSegment,
  runCall,
  sendRequest,
  sessionHash,
  SpaceError,
  type AppSpec,
  type CallArgs,
  type CallOptions,
  type CallRoute,
  type ClientOptions,
  type Endpoint,
  type EndpointSpec,
  type QueueMessage,
  type uploadFiles,
} from "./runtime.ts";

// for tests: applyDiff lives in the runtime, which applies the queue's generator diffs
export { applyDiff } from "./runtime.ts";

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
  onStatus?: ((status: CallStatus) => void) | undefined;
  /** Run the call in this session (gr.State persists across its calls); default: a session of its own. */
  session?: Session | undefined;
}

type LiveArgs<I> = CallArgs<I, LiveOptions>;

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

/** The status a queue message reports, if it is one. */
export /* internal */ function statusOf(message: QueueMessage): CallStatus | undefined {
  const kind = message.msg;
  const asNumber = (v: unknown) => (typeof v == "number" ? v : null);
  const asText = (v: unknown) => (typeof v == "string" ? v : null);
  if (kind == "estimation")
    return {
      type: "queue",
      position: asNumber(message.rank) ?? 0,
      size: asNumber(message.queue_size),
      eta: asNumber(message.rank_eta),
    };
  if (kind == "process_starts") return { type: "start", eta: asNumber(message.eta) };
  if (kind == "progress")
    return {
      type: "progress",
      progress: Array.isArray(message.progress_data)
        ? (message.progress_data as ProgressUnit[])
        : [],
    };
  if (kind == "log")
    return {
      type: "log",
      level: String(message.level),
      message: String(message.log),
      title: asText(message.title),
      duration: asNumber(message.duration),
    };
  return undefined;
}

/**
 * Runs a call of `endpoint` through the queue transport, statuses to `onStatus`: in `hash`'s session, or in a session
 * of its own.
 */
export /* internal */ function queueCall<O>(
  endpoint: Endpoint<unknown, O>,
  input: unknown,
  options: LiveOptions,
  hash?: string,
): AsyncGenerator<O, O> {
  const parts = partsOf(endpoint)!;
  const onStatus = options.onStatus;
  const route: CallRoute = {
    transport: "queue",
    ...(hash ? { sessionHash: hash } : { ownSession: true }),
    ...(onStatus && {
      onMessage: (message: QueueMessage) => {
        const status = statusOf(message);
        if (status) onStatus(status);
      },
    }),
  };
  return runCall(
    parts.app,
    parts.spec,
    input,
    mergeOptions(parts.defaults, options),
    parts.withFiles,
    route,
  ) as AsyncGenerator<O, O>;
}

/**
 * An endpoint whose plain calls each join the queue in a session of their own (what a /call does on the server):
 * the queue transport without the client's shared session; bind() keeps it. (Issue 14 emitted these for apps on
 * Gradio < 6.13, whose /call drops error messages; modules now take the queue transport on every version.)
 */
export /* internal */ function queued<I, O>(
  app: AppSpec,
  spec: EndpointSpec,
  withFiles?: typeof uploadFiles,
): Endpoint<I, O> {
  return bareEndpoint<I, O>(app, spec, {}, withFiles, undefined, {
    transport: "queue",
    ownSession: true,
  });
}

/**
 * Calls `endpoint` through Gradio's queue protocol, with live status:
 *
 *     const value = await live(predict)({ prompt }, { onStatus: (s) => console.log(s) });
 *     for await (const partial of live(generate).stream(input, { onStatus, signal })) …
 *
 * `onStatus` receives queue positions and ETA, the job's start, `gr.Progress` updates and `gr.Info`/`gr.Warning`
 * logs. Generator values arrive whole (diffs are applied). Each call has a session of its own; pass `session` to run
 * in one (see createSession).
 */
export function live<I, O>(endpoint: Endpoint<I, O>): LiveEndpoint<I, O> {
  const stream = (input?: I, options: LiveOptions = {}): AsyncIterable<O> =>
    options.session
      ? options.session.stream(endpoint, ...([input, options] as LiveArgs<I>))
      : queueCall(endpoint as Endpoint<unknown, O>, input, options);
  const call = (input?: I, options?: LiveOptions) => finalValue(stream(input, options));
  return Object.assign(call, { stream });
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
  const hash = sessionHash();
  const beat = new AbortController();
  let turn: Promise<unknown> = Promise.resolve();
  let closed = false;
  let beating = false;
  const heartbeat = (endpoint: Endpoint<unknown, unknown>, callOptions: CallOptions) => {
    // Gradio drops the session's state when this stream closes: it stays open until close()
    if (beating) return;
    beating = true;
    const { app, defaults } = partsOf(endpoint)!;
    const merged = mergeOptions(defaults, callOptions);
    // the session's stream, not one call's: neither a call's deadline nor its signal ends it
    delete merged.signal;
    delete merged.timeoutMs;
    (async () => {
      const reader = bodyReader(
        await sendRequest(openCall(app, merged, beat), "/heartbeat/" + pathSegment(hash)),
      );
      while (!(await reader.read()).done);
    })().catch(() => {});
  };
  const stream = <O>(
    endpoint: Endpoint<unknown, O>,
    input?: unknown,
    callOptions?: LiveOptions,
  ): AsyncIterable<O> => ({
    async *[Symbol.asyncIterator]() {
      const previous = turn;
      let release!: () => void;
      turn = new Promise<void>((r) => (release = r));
      try {
        await previous;
        if (closed)
          throw new SpaceError(
            "aborted",
            "/" + partsOf(endpoint)!.spec.n + " failed: the session is closed",
          );
        const merged = mergeOptions(options, callOptions);
        heartbeat(endpoint, merged);
        return yield* queueCall(endpoint, input, merged, hash);
      } finally {
        release();
      }
    },
  });
  return {
    sessionHash: hash,
    call: <I, O>(endpoint: Endpoint<I, O>, ...args: LiveArgs<I>) =>
      finalValue(stream(endpoint as Endpoint<unknown, O>, ...args)),
    stream: <I, O>(endpoint: Endpoint<I, O>, ...args: LiveArgs<I>) =>
      stream(endpoint as Endpoint<unknown, O>, ...args),
    close: () => {
      closed = true;
      beat.abort();
      return Promise.resolve();
    },
  };
}

// #endregion queue
