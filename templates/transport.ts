// The multiplexed queue transport: emitted into every module after the runtime (templates/runtime.ts), between the
// #region markers below.
//
// Gradio's queue protocol: POST {prefix}/queue/join answers an event id, and ONE stream per session,
// GET {prefix}/queue/data?session_hash=, carries the messages of every event of that session. The server ends the
// stream (close_stream) when none of its events is pending, and the client opens it again for the next one. So the
// calls of a client share one session and one stream (a `Connection`): a call joins, waits for the messages of
// its event, and leaves; the stream opens on demand and closes when nothing is in flight. Endpoints with hidden
// gr.State get a connection of their own per call, so no call sees another's state.
//
// Same rules as the runtime: no imports in the region, no side effects, no console output.

import {
  apiBase,
  appError,
  fileUrls,
  parseJson,
  request,
  spaceError,
  sse,
  tokenOf,
  wireData,
  type AppSpec,
  type CallOptions,
  type EndpointSpec,
  type SpaceErrorDetails,
  type SpaceErrorKind,
  type uploadFiles,
} from "./runtime.ts";

// #region transport

/** A failure on its way to becoming a SpaceError (spaceError() adds the endpoint and event id). */
export /* internal */ type Failure = [kind: SpaceErrorKind, message: string, details?: SpaceErrorDetails | undefined];

/** Stops the call with a failure of this kind: a misspelt kind does not compile. */
export /* internal */ function fail(kind: SpaceErrorKind, message: string, details?: SpaceErrorDetails): never {
  throw [kind, message, details] satisfies Failure;
}

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

/** One message of the queue protocol, as Gradio sends it on GET {prefix}/queue/data (fields by `msg`). */
export /* internal */ interface QueueMessage {
  msg?: unknown;
  event_id?: unknown;
  /** process_generating, process_streaming, process_completed: the outputs, or (success: false) the error */
  output?: { data?: unknown; error?: unknown; title?: string } | null;
  success?: boolean;
  /** estimation */
  rank?: number;
  queue_size?: number | null;
  rank_eta?: number | null;
  /** process_starts */
  eta?: number | null;
  /** progress */
  progress_data?: ProgressUnit[] | null;
  /** log */
  log?: string;
  level?: string;
  title?: string | null;
  duration?: number | null;
  /** unexpected_error */
  message?: string;
  session_not_found?: boolean;
}

/** What a call waiting on the stream is handed: a message of its event, or the failure of the whole stream. */
export /* internal */ type Delivery = { message: QueueMessage } | { failure: unknown };

/** One session on one app: its stream, and the calls waiting on it. */
export /* internal */ interface Connection {
  /** the API base of every request: root URL and API prefix */
  base: string;
  /** the options its requests are made with (headers, fetch, token) */
  options: CallOptions;
  token: string | undefined;
  sessionHash: string;
  /** the client's connections, when this one is shared (it leaves them when it closes) */
  pool: Connection[] | undefined;
  /** the calls using it, from their start to their end */
  users: number;
  /** the calls waiting for messages, by event id */
  waiting: Map<string, (delivery: Delivery) => void>;
  /** events of calls that ended early: their later messages are dropped */
  forgotten: Set<string>;
  /**
   * calls in flight per fn_index, and the jobs left behind to cancel. Gradio's /cancel stops every running job of
   * that fn_index in the session, so a job is cancelled only once no other call of its endpoint is in flight, and
   * calls of that endpoint wait for the cancel before they join
   */
  running: Map<number, number>;
  leftBehind: Map<number, string[]>;
  cancelling: Map<number, Promise<void>>;
  /** joins not answered yet: messages of unknown events are kept for them meanwhile */
  joining: number;
  early: Map<string, QueueMessage[]>;
  earlyCount: number;
  /** the open stream */
  stream: AbortController | undefined;
  /** Date.now() when the stream last sent bytes (every waiting call's idle timeout reads it) */
  lastBytes: number;
  /** streams in a row that ended without a message for any waiting call */
  fruitless: number;
  /** closes the stream when nothing has been in flight for a moment */
  closing: ReturnType<typeof setTimeout> | undefined;
  /**
   * cookies the app's origin set on this connection's answers (a load balancer pins a session to one replica
   * with one): sent back with its later requests, and only to that origin
   */
  cookies: Map<string, string>;
  /** the first request was sent; until it is answered (`firstAnswer`), the others wait, since the answer may pin the session */
  started: boolean;
  firstAnswer: Promise<void> | undefined;
}

/** A new random session hash. */
export /* internal */ function sessionHash(): string {
  return (Math.random().toString(36) + Math.random().toString(36)).replace(/0\./g, "");
}

/** A connection for these options: a pooled one with the same base, token, headers and fetch, or a new one. */
export /* internal */ function connectionFor(pool: Connection[] | undefined, base: string, options: CallOptions, hash = sessionHash()): Connection {
  const token = tokenOf(options);
  const headers = JSON.stringify(options.headers);
  const shared = pool?.find(
    (c) => c.base == base && c.token === token && c.options.fetch === options.fetch && JSON.stringify(c.options.headers) == headers,
  );
  if (shared) return shared;
  const connection: Connection = {
    base,
    options: { ...(options.headers && { headers: options.headers }), ...(options.fetch && { fetch: options.fetch }) },
    token,
    sessionHash: hash,
    pool,
    users: 0,
    waiting: new Map(),
    forgotten: new Set(),
    running: new Map(),
    leftBehind: new Map(),
    cancelling: new Map(),
    joining: 0,
    early: new Map(),
    earlyCount: 0,
    stream: undefined,
    lastBytes: 0,
    fruitless: 0,
    closing: undefined,
    cookies: new Map(),
    started: false,
    firstAnswer: undefined,
  };
  pool?.push(connection);
  return connection;
}

/** Messages of events not joined yet are kept, at most this many, while a join is unanswered. */
export /* internal */ const EARLY_LIMIT = 1000;

/** Hands a message to the call waiting for its event; a failure of the server fails every waiting call. */
export /* internal */ function dispatch(connection: Connection, message: QueueMessage): boolean {
  const id = message?.event_id;
  if (typeof id != "string") {
    if (message?.msg == "unexpected_error")
      failWaiting(
        connection,
        message.session_not_found
          ? ["protocol", "the server does not know this session (" + message.message + "): behind several replicas, calls need sticky sessions"]
          : ["protocol", "the server failed: " + message.message],
      );
    return false;
  }
  const deliver = connection.waiting.get(id);
  if (deliver) {
    deliver({ message });
    return true;
  }
  // a join may not have answered yet: its event's first messages can come before its event id
  if (connection.joining && !connection.forgotten.has(id)) {
    if (++connection.earlyCount > EARLY_LIMIT) failWaiting(connection, ["protocol", "too many messages for unknown events"]);
    else connection.early.set(id, [...(connection.early.get(id) ?? []), message]);
  }
  return false;
}

export /* internal */ function failWaiting(connection: Connection, failure: unknown): void {
  for (const deliver of connection.waiting.values()) deliver({ failure });
  connection.waiting.clear();
  connection.stream?.abort();
}

/** Opens the session's stream unless it is open: reads it, hands out its messages, reopens it while calls wait. */
export /* internal */ function openStream(connection: Connection): void {
  clearTimeout(connection.closing);
  connection.closing = undefined;
  if (connection.stream) return;
  const stream = (connection.stream = new AbortController());
  const read = async () => {
    let delivered = false;
    try {
      const response = await connectionRequest(connection, "/queue/data?session_hash=" + encodeURIComponent(connection.sessionHash), {}, stream.signal);
      const reader = response.body!.getReader();
      const parse = sse();
      connection.lastBytes = Date.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        connection.lastBytes = Date.now();
        for (const [, text] of parse(value)) if (dispatch(connection, parseJson(text))) delivered = true;
      }
    } catch (error) {
      if (!stream.signal.aborted) failWaiting(connection, error);
    }
    if (connection.stream == stream) connection.stream = undefined;
    if (stream.signal.aborted || !connection.waiting.size) return idle(connection);
    // the server ended the stream (close_stream) while calls still wait: their events come on the next one
    connection.fruitless = delivered ? 0 : connection.fruitless + 1;
    if (connection.fruitless > 4) failWaiting(connection, ["protocol", "the stream ended early"]);
    else openStream(connection);
  };
  read();
}

/** Nothing in flight: the stream is closed after a moment (a call may follow at once), and a pooled connection leaves its pool. */
export /* internal */ function idle(connection: Connection): void {
  if (connection.users || connection.cancelling.size) return;
  connection.early.clear();
  connection.earlyCount = 0;
  connection.forgotten.clear();
  if (!connection.stream) {
    clearTimeout(connection.closing);
    connection.closing = undefined;
    return leave(connection);
  }
  // the server ends the stream itself (close_stream) once its last event is over; reading it to its end lets the
  // TCP connection be reused, so it is cut only when the server keeps it open
  connection.closing ??= setTimeout(() => {
    connection.closing = undefined;
    if (connection.users) return;
    connection.stream?.abort();
    leave(connection);
  }, 500);
}

/** A pooled connection with nothing in flight and no stream leaves its pool: the next call starts a new session. */
export /* internal */ function leave(connection: Connection): void {
  const pool = connection.pool;
  const at = pool ? pool.indexOf(connection) : -1;
  if (at >= 0 && !connection.users && !connection.stream) pool!.splice(at, 1);
}

/** Called with every status the server reports for a call. */
export /* internal */ type StatusListener = (status: CallStatus) => void;

/** The status a queue message reports, if it is one. */
export /* internal */ function statusOf(message: QueueMessage): CallStatus | undefined {
  const kind = message.msg;
  if (kind == "estimation") return { type: "queue", position: message.rank ?? 0, size: message.queue_size ?? null, eta: message.rank_eta ?? null };
  if (kind == "process_starts") return { type: "start", eta: message.eta ?? null };
  if (kind == "progress") return { type: "progress", progress: message.progress_data || [] };
  if (kind == "log")
    return { type: "log", level: String(message.level), message: String(message.log), title: message.title ?? null, duration: message.duration ?? null };
  return undefined;
}

/**
 * Applies one output's sse_v2+ generator diff (`[[action, path, value], ...]`, actions replace, append, add,
 * delete) to its previous value; returns the new value and leaves the previous one untouched.
 */
export /* internal */ function applyEdits(value: unknown, diff: [string, (string | number)[], unknown][]): unknown {
  type Container = Record<string | number, unknown> | unknown[];
  const edit = (target: unknown, path: (string | number)[], action: string, v: unknown): unknown => {
    if (!path.length) return action == "append" ? (target as string) + (v as string) : v;
    const [key, ...rest] = path as [string | number, ...(string | number)[]];
    const copy: Container = Array.isArray(target) ? [...target] : { ...(target as object) };
    const record = copy as Record<string | number, unknown>;
    if (rest.length) record[key] = edit(record[key], rest, action, v);
    else if (action == "append") record[key] = (record[key] as string) + (v as string);
    else if (action == "add" && Array.isArray(copy)) copy.splice(Number(key), 0, v);
    // deletes in a list are always its tail: truncate (Gradio 4.x does not shift the later indices, 6.x does)
    else if (action == "delete") {
      if (Array.isArray(copy)) copy.length = Math.min(copy.length, Number(key));
      else delete record[key];
    } else record[key] = v;
    return copy;
  };
  for (const [action, path, v] of diff) value = edit(value, path, action, v);
  return value;
}

/**
 * A request of the connection: its headers, token and cookies go with it; the cookies its answer sets are kept
 * when the answer comes from the app's own origin.
 */
export /* internal */ async function connectionRequest(
  connection: Connection,
  path: string,
  init: { method?: string; h?: Record<string, string>; body?: BodyInit },
  signal: AbortSignal,
): Promise<Response> {
  if (connection.firstAnswer) {
    const first = connection.firstAnswer;
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      first.then(resolve);
    });
  }
  const headers = { ...init.h };
  if (connection.cookies.size) {
    // one cookie header: the caller's (a Gradio login cookie, say) and the app's
    const callerHeaders = connection.options.headers ?? {};
    const name = Object.keys(callerHeaders).find((key) => key.toLowerCase() == "cookie") ?? "cookie";
    const pairs = [...connection.cookies].map(([key, value]) => key + "=" + value);
    headers[name] = [callerHeaders[name], ...pairs].filter(Boolean).join("; ");
  }
  const answer = request(connection.base, connection.options, connection.token, path, { ...init, h: headers }, signal).then((response) => {
    rememberCookies(connection, response);
    return response;
  });
  if (!connection.started) {
    connection.started = true;
    const settled = () => {
      connection.firstAnswer = undefined;
    };
    connection.firstAnswer = answer.then(settled, settled);
  }
  return answer;
}

/** Keeps the cookies an answer sets, when it comes from the app's own origin. */
export /* internal */ function rememberCookies(connection: Connection, response: Response): void {
  if (response.url && new URL(response.url).origin != new URL(connection.base).origin) return;
  for (const line of response.headers.getSetCookie?.() ?? []) {
    const pair = line.split(";", 1)[0]!;
    const equals = pair.indexOf("=");
    if (equals > 0) connection.cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
}

/** POST {prefix}{path} with a JSON body, with the connection's headers, token and cookies. */
export /* internal */ function postJson(connection: Connection, path: string, body: unknown, signal: AbortSignal): Promise<Response> {
  const init = { method: "POST", h: { "content-type": "application/json", "x-gradio-user": "api" }, body: JSON.stringify(body) };
  return connectionRequest(connection, path, init, signal);
}

/**
 * Cancels the jobs left behind by calls of one endpoint, once no call of it is in flight on the connection:
 * best effort, bounded, and calls of that endpoint wait for it before they join.
 */
export /* internal */ function cancelLeftBehind(connection: Connection, fnIndex: number): Promise<void> | undefined {
  const eventIds = connection.leftBehind.get(fnIndex);
  if (!eventIds || connection.running.get(fnIndex)) return connection.cancelling.get(fnIndex);
  connection.leftBehind.delete(fnIndex);
  const bound = new AbortController();
  const timer = setTimeout(() => bound.abort(), 3e3);
  const cancels = eventIds.map(async (eventId) => {
    try {
      const body = { session_hash: connection.sessionHash, fn_index: fnIndex, event_id: eventId };
      await (await postJson(connection, "/cancel", body, bound.signal)).text();
    } catch {}
  });
  const done = Promise.all(cancels).then(() => {
    clearTimeout(timer);
    connection.cancelling.delete(fnIndex);
    idle(connection);
  });
  connection.cancelling.set(fnIndex, done);
  return done;
}

/**
 * One call through the queue protocol on a connection: uploads, joins, waits for its event's messages on the
 * session's stream, reports statuses, yields each (diff-applied) value in the endpoint's shape. Every exit path
 * (abort, deadline, idle timeout, early break, failure) leaves the connection and cancels the job on the server.
 *
 * `pool` is the client's connections (shared sessions); without it, or for an endpoint with hidden gr.State
 * (`spec.h`), the call gets a session of its own. `hash` runs it in that session (createSession).
 */
export /* internal */ async function* queueCall(
  app: AppSpec,
  spec: EndpointSpec & { h?: 1 },
  input: unknown,
  options: CallOptions,
  withFiles: typeof uploadFiles | undefined,
  pool: Connection[] | undefined,
  onStatus?: StatusListener,
  hash?: string,
): AsyncGenerator<unknown, void> {
  const endpointName = "/" + spec.n;
  const fnIndex = spec.x;
  const base = apiBase(app, options);
  const call = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 6e4;
  // messages of this call's event, handed over by the stream; `wake` resumes the call when one comes
  const inbox: QueueMessage[] = [];
  let wake: (() => void) | undefined;
  let streamFailure: unknown;
  let stopped: Failure | undefined;
  const stop = (kind: SpaceErrorKind, message: string) => {
    stopped ||= [kind, message];
    call.abort();
    wake?.();
  };
  const onAbort = () => stop("aborted", "aborted");
  const throwIfStopped = () => {
    if (stopped) fail(...stopped);
  };
  const connection = connectionFor(pool && !spec.h && !hash ? pool : undefined, base, options, hash);
  connection.users++;
  clearTimeout(connection.closing);
  connection.closing = undefined;
  // the visible outputs, with absolute file urls, in the endpoint's result shape
  const shape = (values: unknown[]) => {
    const visible = fileUrls(app, base, values.filter((_, j) => spec.o[j]));
    return spec.s > 1 ? visible : spec.s ? visible[0] : undefined;
  };
  let eventId: string | undefined;
  let counted = false;
  let finished = false;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  try {
    options.signal?.addEventListener("abort", onAbort);
    if (options.signal?.aborted) onAbort();
    if (options.timeoutMs! >= 0) deadline = setTimeout(stop, options.timeoutMs, "timeout", "timed out after " + options.timeoutMs + " ms");
    if (fnIndex < 0) fail("protocol", "the dependency id (fn_index) is unknown: generate the module from the app's URL");
    let data = wireData(spec, input);
    if (withFiles)
      data = await withFiles(
        data,
        spec.i,
        base,
        (url) => (options.fetch || fetch)(url, { signal: call.signal }),
        async (body) => parseJson(await (await connectionRequest(connection, "/upload", { method: "POST", body }, call.signal)).text()),
      );
    await cancelLeftBehind(connection, fnIndex);
    throwIfStopped();
    connection.running.set(fnIndex, (connection.running.get(fnIndex) ?? 0) + 1);
    counted = true;
    connection.joining++;
    let answer: unknown;
    try {
      const join = { data, fn_index: fnIndex, session_hash: connection.sessionHash, event_data: null, trigger_id: null };
      answer = parseJson(await (await postJson(connection, "/queue/join", join, call.signal)).text());
    } finally {
      connection.joining--;
    }
    const id = (answer as { event_id?: unknown } | null)?.event_id;
    if (typeof id != "string") fail("protocol", "no event_id");
    eventId = id;
    connection.waiting.set(id, (delivery) => {
      if ("failure" in delivery) streamFailure = delivery.failure;
      else inbox.push(delivery.message);
      wake?.();
    });
    const early = connection.early.get(id);
    if (early) {
      inbox.push(...early);
      connection.early.delete(id);
    }
    openStream(connection);
    // idle timeout: the session's stream sends heartbeats, so no bytes for idleMs (since this call began to
    // wait or last got a message) means the server is gone
    let waitingSince = Date.now();
    const checkIdle = () => {
      const quiet = Date.now() - Math.max(connection.lastBytes, waitingSince);
      if (quiet >= idleMs) stop("timeout", "no data for " + idleMs + " ms");
      else watchdog = setTimeout(checkIdle, idleMs - quiet);
    };
    watchdog = setTimeout(checkIdle, idleMs);
    // full output values so far: later generator messages are diffs against them
    let values: unknown[] | undefined;
    for (;;) {
      const message = inbox.shift();
      if (!message) {
        throwIfStopped();
        if (streamFailure !== undefined) throw streamFailure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      waitingSince = Date.now();
      const kind = message.msg;
      const output = message.output;
      const status = statusOf(message);
      if (status) onStatus?.(status);
      else if (kind == "process_completed") {
        finished = true;
        if (!message.success) throw appError(output);
        if (!Array.isArray(output?.data)) fail("aborted", "cancelled on the server");
        yield shape(output.data);
        return;
      } else if (kind == "process_generating" || kind == "process_streaming") {
        const outputs = output?.data;
        if (!Array.isArray(outputs)) fail("protocol", "unexpected data");
        values = values ? values.map((v, j) => applyEdits(v, outputs[j] as [string, (string | number)[], unknown][])) : outputs;
        yield shape(structuredCopy(values));
      } else if (kind == "unexpected_error") fail("protocol", "the server failed: " + message.message);
    }
  } catch (error) {
    throw spaceError(stopped || error, endpointName, eventId);
  } finally {
    clearTimeout(deadline);
    clearTimeout(watchdog);
    options.signal?.removeEventListener("abort", onAbort);
    call.abort();
    connection.users--;
    if (eventId) {
      connection.waiting.delete(eventId);
      if (!finished) connection.forgotten.add(eventId);
    }
    if (counted) connection.running.set(fnIndex, connection.running.get(fnIndex)! - 1);
    // a job left behind (abort, timeout, early break, failed stream) is cancelled on the server, once no other
    // call of its endpoint is in flight here; the stream stays open, since closing it would cancel every job
    // of the session
    if (!finished && eventId && app.cancel) connection.leftBehind.set(fnIndex, [...(connection.leftBehind.get(fnIndex) ?? []), eventId]);
    if (counted) await cancelLeftBehind(connection, fnIndex);
    idle(connection);
  }
}

/** A deep copy of JSON data: every yielded value is the caller's, never a later diff's. */
export /* internal */ function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

// #endregion transport
