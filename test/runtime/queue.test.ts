// templates/queue.ts against a node:http server replaying Gradio's queue protocol (sse_v3): POST /queue/join,
// GET /queue/data?session_hash= (data-only SSE, one stream per session), /cancel, /heartbeat/{hash}.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { applyDiff, createSession, live, queued, type CallStatus } from "../../templates/queue.ts";
import { bareEndpoint, bind, endpoint, uploadFiles, type AppSpec, type EndpointSpec } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { json, sleep, startServer, type Rec, type TestServer } from "./server.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let srv: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  srv = await startServer();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await srv.close();
});
afterEach(async () => {
  await sleep(20);
  expect(unhandled).toEqual([]);
});

/** One queue message as Gradio writes it (no `event:` field). */
const msg = (m: Record<string, unknown>) => `data: ${JSON.stringify(m)}\n\n`;
/** Text to write, a pause, or how the stream stops ("hang" or "end"). */
type Script = (eventId: string) => (string | { wait: number })[];

/**
 * A queue-protocol app: each join answers ev1, ev2, …; the data stream of the session plays the script of every
 * join not yet played (in order), then `close_stream` unless the script hangs or ends the stream itself.
 */
function queueApp(script: Script, opts: { prefix?: string } = {}) {
  const prefix = opts.prefix ?? "/gradio_api";
  let n = 0;
  const pending: string[] = [];
  const heartbeats: Rec[] = [];
  srv.handle(async (_req, res, rec) => {
    const p = rec.url.split("?")[0]!;
    if (rec.method === "POST" && p === prefix + "/queue/join") {
      const id = `ev${++n}`;
      pending.push(id);
      return json(res, 200, { event_id: id });
    }
    if (rec.method === "POST" && p === prefix + "/cancel") return json(res, 200, { success: true });
    if (rec.method === "POST" && p === prefix + "/upload") return json(res, 200, ["/tmp/gradio/up/a.txt"]);
    if (rec.method === "GET" && p.startsWith(prefix + "/heartbeat/")) {
      heartbeats.push(rec);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: ALIVE\n\n");
      return;
    }
    if (rec.method === "GET" && p === prefix + "/queue/data") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      while (pending.length) {
        const id = pending.shift()!;
        for (const s of script(id)) {
          if (res.destroyed) return;
          if (typeof s === "object") await sleep(s.wait);
          else if (s === "hang") return;
          else if (s === "end") return void res.end();
          else res.write(s);
        }
      }
      return void res.end(msg({ msg: "close_stream", event_id: null }));
    }
    res.writeHead(404).end();
  });
  return { heartbeats };
}

const app = (over: Partial<AppSpec> = {}): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true, ...over });
const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({ n: "predict", i: [{ k: "x" }, null], o: [1], s: 1, x: 7, ...over });
const ep = (s: Partial<EndpointSpec> = {}, a: Partial<AppSpec> = {}) => bareEndpoint<Record<string, unknown>, any>(app(a), spec(s));
const joins = () => srv.recs.filter((r) => r.url.endsWith("/queue/join")).map((r) => JSON.parse(r.body));
const cancels = () => srv.recs.filter((r) => r.url.endsWith("/cancel")).map((r) => JSON.parse(r.body));
const completed = (id: string, data: unknown[]) =>
  msg({ msg: "process_completed", event_id: id, output: { data, is_generating: false }, success: true, title: null });
const generating = (id: string, data: unknown[]) =>
  msg({ msg: "process_generating", event_id: id, output: { data, is_generating: true }, success: true, time_limit: null });

describe("live calls", () => {
  test("joins the queue, reports every status, resolves the final value", async () => {
    queueApp((id) => [
      msg({ msg: "estimation", event_id: id, rank: 2, queue_size: 3, rank_eta: 4.5 }),
      msg({ msg: "estimation", event_id: id, rank: 1, queue_size: 2, rank_eta: null }),
      msg({ msg: "heartbeat", event_id: null }),
      msg({ msg: "process_starts", event_id: id, eta: 1.5 }),
      msg({ msg: "progress", event_id: id, progress_data: [{ index: 1, length: 3, unit: "steps", progress: null, desc: "d" }] }),
      msg({ msg: "log", event_id: id, log: "hello", level: "info", duration: 10, visible: true, title: "Info" }),
      msg({ msg: "log", event_id: id, log: "careful", level: "warning", duration: null, visible: true, title: "Warning" }),
      completed(id, ["done"]),
    ]);
    const statuses: CallStatus[] = [];
    expect(await live(ep())({ x: "hi" }, { onStatus: (s) => statuses.push(s) })).toBe("done");
    expect(statuses).toEqual([
      { type: "queue", position: 2, size: 3, eta: 4.5 },
      { type: "queue", position: 1, size: 2, eta: null },
      { type: "start", eta: 1.5 },
      { type: "progress", progress: [{ index: 1, length: 3, unit: "steps", progress: null, desc: "d" }] },
      { type: "log", level: "info", message: "hello", title: "Info", duration: 10 },
      { type: "log", level: "warning", message: "careful", title: "Warning", duration: null },
    ]);
    const [body] = joins();
    expect(body).toEqual({ data: ["hi", null], fn_index: 7, session_hash: expect.any(String), event_data: null, trigger_id: null });
    const join = srv.recs.find((r) => r.url.endsWith("/queue/join"))!;
    expect(join.headers["x-gradio-user"]).toBe("api");
    expect(srv.recs.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /gradio_api/queue/join",
      `GET /gradio_api/queue/data?session_hash=${body.session_hash}`,
    ]);
  });

  test("each live call without a session has a session of its own", async () => {
    queueApp((id) => [completed(id, [1])]);
    await live(ep())({});
    await live(ep())({});
    const [a, b] = joins();
    expect(a.session_hash).not.toBe(b.session_hash);
  });

  test("generator diffs are applied: every yielded value is whole and stays as yielded", async () => {
    queueApp((id) => [
      generating(id, ["H", [{ a: 1 }], null]),
      generating(id, [[["append", [], "ello"]], [["add", [1], { a: 2 }]], []]),
      generating(id, [
        [["append", [], "!"]],
        [
          ["replace", [0, "a"], 9],
          ["add", [0, "b"], true],
        ],
        [["replace", [], 5]],
      ]),
      generating(id, [[], [["delete", [1], null]], []]),
      completed(id, ["Hello!", [{ a: 9, b: true }], 5]),
    ]);
    const seen: unknown[] = [];
    for await (const v of live(ep({ o: [1, 1, 0], s: 2 })).stream({})) seen.push(v);
    expect(seen).toEqual([
      ["H", [{ a: 1 }]],
      ["Hello", [{ a: 1 }, { a: 2 }]],
      ["Hello!", [{ a: 9, b: true }, { a: 2 }]],
      ["Hello!", [{ a: 9, b: true }]],
    ]);
  });

  test("a generator's process_completed is not yielded again; the call resolves with it", async () => {
    queueApp((id) => [generating(id, ["0"]), generating(id, [[["replace", [], "1"]]]), completed(id, ["done"])]);
    const seen: unknown[] = [];
    for await (const v of live(ep()).stream({})) seen.push(v);
    expect(seen).toEqual(["0", "1"]);
    expect(await live(ep())({})).toBe("done");
    const session = createSession();
    try {
      expect(await session.call(ep(), {})).toBe("done");
      const inSession: unknown[] = [];
      for await (const v of session.stream(ep(), {})) inSession.push(v);
      expect(inSession).toEqual(["0", "1"]);
    } finally {
      await session.close();
    }
  });

  test("output FileData get absolute urls (rebuilt from path on Gradio 4.x)", async () => {
    const file = { path: "/tmp/x.png", url: "http://broken/call/file=/tmp/x.png", meta: { _type: "gradio.FileData" } };
    queueApp((id) => [completed(id, [file])], { prefix: "" });
    const out = await live(ep({}, { prefix: "" }))({});
    expect(out.url).toBe(`${srv.url}/file=/tmp/x.png`);
    expect(srv.recs[0]!.url).toBe("/queue/join");
  });

  test("file inputs are uploaded first (endpoint with files)", async () => {
    queueApp((id) => [completed(id, ["ok"])]);
    const withFiles = endpoint<Record<string, unknown>, string>(app(), spec({ i: [{ k: "x", f: 1 }] }));
    expect(await live(withFiles)({ x: new Blob(["abc"], { type: "text/plain" }) })).toBe("ok");
    expect(srv.recs.map((r) => r.url.split("?")[0])).toEqual(["/gradio_api/upload", "/gradio_api/queue/join", "/gradio_api/queue/data"]);
    expect(joins()[0].data[0]).toMatchObject({ path: "/tmp/gradio/up/a.txt", meta: { _type: "gradio.FileData" } });
  });

  test("messages of other events are ignored; a stream closed before the end is reopened", async () => {
    let gets = 0;
    srv.handle((_q, res, rec) => {
      if (rec.url.endsWith("/queue/join")) return json(res, 200, { event_id: "mine" });
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (++gets === 1) return void res.end(completed("old", ["not mine"]) + msg({ msg: "close_stream", event_id: null }));
      res.end(completed("mine", ["second stream"]) + msg({ msg: "close_stream", event_id: null }));
    });
    expect(await live(ep())({})).toBe("second stream");
    expect(gets).toBe(2);
    // a stream that keeps closing without the event is a protocol error, not a loop
    srv.handle((_q, res, rec) => {
      if (rec.url.endsWith("/queue/join")) return json(res, 200, { event_id: "mine" });
      res.writeHead(200, { "content-type": "text/event-stream" }).end(msg({ msg: "close_stream", event_id: null }));
    });
    const e = await failure(live(ep())({}));
    expect([e.kind, e.message]).toEqual(["protocol", "/predict failed: the stream ended early"]);
  });

  test("a gr.Error, a hidden error and a ZeroGPU quota error", async () => {
    const failing = (output: unknown, title = "Error") => queueApp((id) => [msg({ msg: "process_completed", event_id: id, output, success: false, title })]);
    failing({ error: "boom", duration: 10, visible: true, title: "Oops" });
    let e = await failure(live(ep())({}));
    expect([e.kind, e.message, e.title, e.endpoint, e.eventId]).toEqual(["app", "/predict failed: boom", "Oops", "/predict", "ev1"]);
    failing({ error: null });
    e = await failure(live(ep())({}));
    expect([e.kind, e.message]).toEqual(["app", "/predict failed: the app raised an error (verbose errors are off)"]);
    failing({ error: "You have exceeded your GPU quota (60s requested vs. 12s left)." });
    e = await failure(live(ep())({}));
    expect([e.kind, e.quota]).toEqual(["quota", { requested: 60, remaining: 12 }]);
  });

  test("unexpected_error is a protocol error; a job cancelled on the server is aborted", async () => {
    queueApp(() => [msg({ msg: "unexpected_error", event_id: null, message: "404: Not Found", session_not_found: true, success: false })]);
    let e = await failure(live(ep())({}));
    expect([e.kind, e.message]).toEqual([
      "protocol",
      "/predict failed: the server failed: 404: Not Found (it does not know this session: behind several replicas, calls need sticky sessions)",
    ]);
    queueApp((id) => [msg({ msg: "process_completed", event_id: id, output: {}, success: true })]);
    e = await failure(live(ep())({}));
    expect(e.kind).toBe("aborted");
  });

  test("HTTP errors of the join keep their kinds (queue full, validation)", async () => {
    srv.handle((_q, res) => json(res, 503, { detail: "Queue is full. Max size is 2 and size is 2." }));
    let e = await failure(live(ep())({}));
    expect([e.kind, e.status]).toEqual(["queue_full", 503]);
    srv.handle((_q, res) => json(res, 422, { detail: [{ is_valid: false, parameter_name: "x", message: "bad" }] }));
    e = await failure(live(ep())({}));
    expect(e.validation).toEqual([{ parameter: "x", message: "bad" }]);
  });

  test("an unknown fn_index is refused before any request", async () => {
    queueApp((id) => [completed(id, [1])]);
    const e = await failure(live(ep({ x: -1 }))({}));
    expect(e.kind).toBe("protocol");
    expect(srv.recs).toEqual([]);
  });

  test("abort cancels the job on the server with the session hash, fn_index and event id", async () => {
    queueApp((id) => [msg({ msg: "estimation", event_id: id, rank: 0, queue_size: 1, rank_eta: null }), "hang"]);
    const ac = new AbortController();
    const p = live(ep())({}, { signal: ac.signal, onStatus: () => ac.abort() });
    const e = await failure(p);
    expect(e.kind).toBe("aborted");
    const [join] = joins();
    expect(cancels()).toEqual([{ session_hash: join.session_hash, fn_index: 7, event_id: "ev1" }]);
  });

  test("an early break from a stream cancels the job; a finished one is not cancelled", async () => {
    queueApp((id) => [generating(id, [1]), "hang"]);
    for await (const v of live(ep()).stream({})) {
      expect(v).toBe(1);
      break;
    }
    expect(cancels()).toEqual([{ session_hash: joins()[0].session_hash, fn_index: 7, event_id: "ev1" }]);
    queueApp((id) => [completed(id, [1])]);
    await live(ep())({});
    expect(cancels()).toEqual([]);
  });

  test("idle and whole-call timeouts", async () => {
    queueApp(() => ["hang"]);
    let e = await failure(live(ep())({}, { idleTimeoutMs: 200 }));
    expect([e.kind, e.message]).toEqual(["timeout", "/predict failed: no data for 200 ms"]);
    expect(cancels().length).toBe(1);
    queueApp((id) => [
      msg({ msg: "heartbeat", event_id: null }),
      { wait: 100 },
      msg({ msg: "heartbeat", event_id: null }),
      { wait: 100 },
      msg({ msg: "heartbeat", event_id: id }),
      "hang",
    ]);
    e = await failure(live(ep())({}, { timeoutMs: 150 }));
    expect(e.kind).toBe("timeout");
  });
});

describe("sessions", () => {
  test("one session_hash for every call, calls serialized, heartbeat open until close()", async () => {
    const { heartbeats } = queueApp((id) => [{ wait: 80 }, completed(id, [id])]);
    const session = createSession({ headers: { "x-test": "1" } });
    const e = ep();
    const [a, b, c] = await Promise.all([session.call(e, { x: 1 }), session.call(e, { x: 2 }), live(e)({ x: 3 }, { session })]);
    expect([a, b, c]).toEqual(["ev1", "ev2", "ev3"]);
    const bodies = joins();
    expect(new Set(bodies.map((j) => j.session_hash))).toEqual(new Set([session.sessionHash]));
    expect(bodies.map((j) => j.data[0])).toEqual([1, 2, 3]);
    // serialized: each join comes after the previous call's stream
    expect(srv.recs.filter((r) => !r.url.includes("heartbeat")).map((r) => r.url.split("?")[0]!.split("/").pop())).toEqual([
      "join",
      "data",
      "join",
      "data",
      "join",
      "data",
    ]);
    expect(heartbeats.map((h) => h.url)).toEqual([`/gradio_api/heartbeat/${session.sessionHash}`]);
    expect(heartbeats[0]!.headers["x-test"]).toBe("1");
    let closed = false;
    void heartbeats[0]!.closed.then(() => (closed = true));
    await sleep(50);
    expect(closed).toBe(false);
    await session.close();
    await heartbeats[0]!.closed;
    const err = await failure(session.call(e, {}));
    expect(err.kind).toBe("aborted");
  });

  test("a failed call does not block the next one in the session", async () => {
    let n = 0;
    queueApp((id) => (++n === 1 ? [msg({ msg: "process_completed", event_id: id, output: { error: "x" }, success: false })] : [completed(id, ["ok"])]));
    const session = createSession();
    try {
      expect((await failure(session.call(ep(), {}))).kind).toBe("app");
      expect(await session.call(ep(), {})).toBe("ok");
    } finally {
      await session.close();
    }
  });

  test("session streams yield values; break cancels with the session's hash", async () => {
    queueApp((id) => [generating(id, ["a"]), generating(id, [[["append", [], "b"]]]), "hang"]);
    const session = createSession();
    const seen: string[] = [];
    for await (const v of session.stream(ep(), {})) {
      seen.push(v);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["a", "ab"]);
    expect(cancels()).toEqual([{ session_hash: session.sessionHash, fn_index: 7, event_id: "ev1" }]);
    await session.close();
  });
});

describe("plain calls through the queue (Gradio < 6.13: its /call drops error messages)", () => {
  const q = (s: Partial<EndpointSpec> = {}) => queued<Record<string, unknown>, any>(app(), spec(s));

  test("a call joins the queue in a session of its own, and gets the gr.Error's message", async () => {
    queueApp((id) =>
      id === "ev1"
        ? [completed(id, ["ok"])]
        : [msg({ msg: "process_completed", event_id: id, output: { error: "gr.Error says: boom", title: "Error" }, success: false })],
    );
    expect(await q()({ x: "hi" })).toBe("ok");
    const e = await failure(q()({ x: "boom" }));
    expect([e.kind, e.message, e.title]).toEqual(["app", "/predict failed: gr.Error says: boom", "Error"]);
    const [a, b] = joins();
    expect(a).toEqual({ data: ["hi", null], fn_index: 7, session_hash: expect.any(String), event_data: null, trigger_id: null });
    expect(a.session_hash).not.toBe(b.session_hash);
    expect(srv.recs.some((r) => r.url.includes("/call/"))).toBe(false);
  });

  test(".stream() yields each generator value once; createClient options and live() keep the transport", async () => {
    queueApp((id) => [generating(id, ["a"]), generating(id, [[["append", [], "b"]]]), completed(id, ["ab"])]);
    const seen: unknown[] = [];
    for await (const v of q().stream({})) seen.push(v);
    expect(seen).toEqual(["a", "ab"]);
    const bound = bind(q(), { headers: { "x-test": "bound" } });
    expect(await bound({})).toBe("ab");
    const join = srv.recs.filter((r) => r.url.endsWith("/queue/join")).pop()!;
    expect(join.headers["x-test"]).toBe("bound");
    expect(await live(bound)({})).toBe("ab");
    expect(srv.recs.some((r) => r.url.includes("/call/"))).toBe(false);
  });

  test("file inputs are uploaded first", async () => {
    queueApp((id) => [completed(id, ["done"])]);
    const withFiles = queued<Record<string, unknown>, any>(app(), spec({ i: [{ k: "f", f: 1 }] }), uploadFiles);
    expect(await withFiles({ f: new Blob(["hi"]) })).toBe("done");
    expect(joins()[0].data).toEqual([{ path: "/tmp/gradio/up/a.txt", orig_name: "blob", size: 2, mime_type: null, meta: { _type: "gradio.FileData" } }]);
  });
});

describe("applyDiff", () => {
  test("replace, append, add, delete (Gradio 6 shifted and Gradio 4 unshifted list deletes)", () => {
    const before = { s: "ab", l: [1, 2, 3, 4, 5], o: { k: 1, gone: 2 } };
    const after = applyDiff(before, [
      ["append", ["s"], "c"],
      ["replace", ["o", "k"], 5],
      ["delete", ["o", "gone"], null],
      ["add", ["o", "new"], [1]],
    ]);
    expect(after).toEqual({ s: "abc", l: [1, 2, 3, 4, 5], o: { k: 5, new: [1] } });
    expect(before).toEqual({ s: "ab", l: [1, 2, 3, 4, 5], o: { k: 1, gone: 2 } });
    expect(
      applyDiff(
        [1, 2, 3, 4, 5],
        [
          ["delete", [2], null],
          ["delete", [2], null],
          ["delete", [2], null],
        ],
      ),
    ).toEqual([1, 2]);
    expect(
      applyDiff(
        [1, 2, 3, 4, 5],
        [
          ["delete", [2], null],
          ["delete", [3], null],
          ["delete", [4], null],
        ],
      ),
    ).toEqual([1, 2]);
    expect(
      applyDiff(
        [1],
        [
          ["add", [1], 2],
          ["add", [2], 3],
        ],
      ),
    ).toEqual([1, 2, 3]);
    expect(applyDiff("x", [["replace", [], { a: 1 }]])).toEqual({ a: 1 });
  });
});

test("tree-shaking: a bundle of plain endpoints carries none of live() and sessions (the queue transport is the runtime's)", async () => {
  const bundle = async (contents: string) =>
    (await build({ stdin: { contents, resolveDir: repoRoot, loader: "ts" }, bundle: true, minify: true, format: "esm", write: false, logLevel: "silent" }))
      .outputFiles[0]!.text;
  const plain = await bundle('import { bareEndpoint } from "./templates/runtime.ts"; import "./templates/queue.ts"; globalThis.x = bareEndpoint;');
  expect(plain).toContain("queue/join");
  expect(plain).not.toContain("heartbeat/");
  expect(plain).not.toContain("process_starts");
  const withLive = await bundle('import { live, createSession } from "./templates/queue.ts"; globalThis.x = [live, createSession];');
  expect(withLive).toContain("heartbeat/");
  expect(withLive).toContain("process_starts");
});
