// The failures of test/runtime/call.test.ts, replayed for the queue transport: the same kinds, messages, statuses
// and event ids when the join, the session's stream or the job fails, and the job left behind cancelled.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { endpoint, SpaceError, type AppSpec, type CallOptions, type EndpointSpec, type SpaceErrorKind } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { json, sleep, startServer, type Handler, type Step, type TestServer } from "./server.ts";

let srv: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
const savedToken = process.env.HF_TOKEN;

beforeAll(async () => {
  delete process.env.HF_TOKEN;
  process.on("unhandledRejection", onUnhandled);
  srv = await startServer();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  await srv.close();
});
afterEach(async () => {
  await sleep(20);
  expect(unhandled).toEqual([]);
});

const app = (over: Partial<AppSpec> = {}): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true, queue: true, ...over });
const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({ n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 3, ...over });
const ep = (a: Partial<AppSpec> = {}) => endpoint<Record<string, unknown>, unknown>(app(a), spec());

/** One message of the queue (data only, no event field). */
const msg = (m: Record<string, unknown>) => `data: ${JSON.stringify(m)}\n\n`;
const done = (output: unknown, success = true) => msg({ msg: "process_completed", event_id: "ev1", output, success });
const heartbeat = msg({ msg: "heartbeat", event_id: null });

/** A queue app: the join answers ev1, the session's stream plays `steps`, /cancel and /upload answer. */
function queueApp(steps: Step[], routes: Record<string, Handler> = {}): Handler {
  return async (req, res, rec) => {
    const path = rec.url.split("?")[0]!;
    const key = `${rec.method} ${path}`;
    if (routes[key]) return routes[key](req, res, rec);
    if (key === "POST /gradio_api/queue/join") return json(res, 200, { event_id: "ev1" });
    if (key === "POST /gradio_api/cancel") return json(res, 200, { success: true });
    if (key === "GET /gradio_api/queue/data") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      for (const s of steps) {
        if (res.destroyed) return;
        if (typeof s === "object") await sleep(s.wait);
        else if (s === "destroy") return void res.socket?.destroy();
        else if (s === "end") return void res.end();
        else if (s === "hang") return;
        else res.write(s);
      }
      return void res.end(msg({ msg: "close_stream", event_id: null }));
    }
    res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
  };
}

const HTML = "<!DOCTYPE html><html><head><title>502</title></head><body>" + "x".repeat(5000) + "</body></html>";
const onJoin = (h: Handler) => ({ "POST /gradio_api/queue/join": h });

type Fail = {
  name: string;
  steps?: Step[];
  routes?: Record<string, Handler>;
  opts?: CallOptions;
  kind: SpaceErrorKind;
  status?: number;
  msg?: RegExp;
  eventId?: boolean;
  check?: (e: SpaceError) => void;
};

const failures: Fail[] = [
  {
    name: "5xx HTML page on the join",
    routes: onJoin((_q, res) => res.writeHead(502, { "content-type": "text/html" }).end(HTML)),
    kind: "http",
    status: 502,
    check: (e) => expect(e.message).not.toMatch(/<|xxxx/),
  },
  {
    name: "500 plain text on the join",
    routes: onJoin((_q, res) => res.writeHead(500).end("Internal Server Error")),
    kind: "http",
    status: 500,
    msg: /Internal Server Error/,
  },
  {
    name: "503 queue full",
    routes: onJoin((_q, res) => json(res, 503, { detail: "Queue is full. Max size is 1 and size is 1." })),
    kind: "queue_full",
    status: 503,
    msg: /Queue is full/,
  },
  {
    name: "422 Gradio validator",
    routes: onJoin((_q, res) =>
      json(res, 422, {
        detail: [
          { __type__: "validate", is_valid: false, message: "must be positive", parameter_name: "x" },
          { is_valid: true, message: "" },
        ],
      }),
    ),
    kind: "validation",
    status: 422,
    msg: /x: must be positive/,
    check: (e) => expect(e.validation).toEqual([{ parameter: "x", message: "must be positive" }]),
  },
  {
    name: "401",
    routes: onJoin((_q, res) => json(res, 401, { detail: { error: "Not authenticated", auth_message: null } })),
    kind: "unauthorized",
    status: 401,
    msg: /Not authenticated/,
  },
  { name: "403", routes: onJoin((_q, res) => res.writeHead(403).end("Forbidden")), kind: "unauthorized", status: 403 },
  { name: "join answer without event_id", routes: onJoin((_q, res) => json(res, 200, { id: 1 })), kind: "protocol" },
  { name: "join answer not JSON", routes: onJoin((_q, res) => res.writeHead(200).end("<html>")), kind: "protocol" },
  {
    name: "the stream answers 404",
    routes: { "GET /gradio_api/queue/data": (_q, res) => json(res, 404, { detail: "Not Found" }) },
    kind: "http",
    status: 404,
    eventId: true,
  },
  {
    name: "reset mid-stream",
    steps: [msg({ msg: "process_generating", event_id: "ev1", output: { data: [1] }, success: true }), { wait: 20 }, "destroy"],
    kind: "network",
    eventId: true,
    check: (e) => expect(e.cause).toBeDefined(),
  },
  {
    name: "the stream ends, again and again, without the job's end",
    steps: [msg({ msg: "process_starts", event_id: "ev1" }), "end"],
    kind: "protocol",
    msg: /ended early/,
    eventId: true,
  },
  { name: "malformed JSON in a message", steps: ["data: {oops\n\n", "hang"], kind: "protocol", eventId: true },
  { name: "completed with non-array data", steps: [done({ data: { a: 1 } }), "hang"], kind: "protocol", eventId: true },
  { name: "completed without data (cancelled on the server)", steps: [done({})], kind: "aborted", eventId: true },
  {
    name: "heartbeats only until timeoutMs",
    steps: [
      heartbeat,
      { wait: 50 },
      heartbeat,
      { wait: 50 },
      heartbeat,
      { wait: 50 },
      heartbeat,
      { wait: 50 },
      heartbeat,
      { wait: 50 },
      heartbeat,
      { wait: 50 },
      heartbeat,
      "hang",
    ],
    opts: { timeoutMs: 250, idleTimeoutMs: 200 },
    kind: "timeout",
    msg: /timed out after 250 ms/,
    eventId: true,
  },
  { name: "idle stream until the idle timeout", steps: ["hang"], opts: { idleTimeoutMs: 150 }, kind: "timeout", msg: /no data for 150 ms/, eventId: true },
  { name: "timeoutMs while the join hangs", routes: onJoin(() => {}), opts: { timeoutMs: 150 }, kind: "timeout" },
  { name: "a failed job: error null (hidden errors)", steps: [done({ error: null }, false)], kind: "app", msg: /verbose errors/, eventId: true },
  { name: "a failed job: a string", steps: [done("404: Not Found", false)], kind: "app", msg: /404: Not Found/, eventId: true },
  {
    name: "a failed job: gr.Error",
    steps: [done({ error: "Custom user-facing error message", duration: 10, visible: true, title: "Oops" }, false)],
    kind: "app",
    msg: /^\/predict failed: Custom user-facing error message$/,
    eventId: true,
    check: (e) => expect(e.title).toBe("Oops"),
  },
  {
    name: "a failed job: ZeroGPU quota",
    steps: [done({ error: "You have exceeded your GPU quota (60s requested vs. 56s left). Try again in 0:01:04", title: "ZeroGPU quota exceeded" }, false)],
    kind: "quota",
    msg: /GPU quota/,
    eventId: true,
    check: (e) => expect(e.quota).toEqual({ requested: 60, remaining: 56 }),
  },
  {
    name: "a failed job: Pro quota with decimals, multi-line",
    steps: [done({ error: "You have exceeded your Pro GPU quota (60.5s requested vs. 6.25s left).\nTry again in 0:00:12" }, false)],
    kind: "quota",
    eventId: true,
    check: (e) => {
      expect(e.quota).toEqual({ requested: 60.5, remaining: 6.25 });
      expect(e.message).not.toContain("\n");
    },
  },
  {
    name: "unexpected_error",
    steps: [msg({ msg: "unexpected_error", event_id: null, message: "Server stopped unexpectedly.", success: false })],
    kind: "protocol",
    msg: /Server stopped unexpectedly/,
    eventId: true,
  },
];

describe("failures through the queue", () => {
  test.each(failures)("$name → $kind", async (f) => {
    srv.handle(queueApp(f.steps ?? [done({ data: [1] })], f.routes ?? {}));
    const t0 = Date.now();
    const e = await failure(ep()({ x: 1 }, f.opts));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e.kind).toBe(f.kind);
    expect(e.name).toBe("SpaceError");
    expect(e.endpoint).toBe("/predict");
    expect(e.message.startsWith("/predict failed: ")).toBe(true);
    expect(e.message).not.toMatch(/\n/);
    expect(e.message.length).toBeLessThan(300);
    if (f.status !== undefined) expect(e.status).toBe(f.status);
    else expect(e.status).toBeUndefined();
    if (f.eventId) expect(e.eventId).toBe("ev1");
    if (f.msg) expect(e.message).toMatch(f.msg);
    f.check?.(e);
    expect(Object.entries(e).filter(([, v]) => v === undefined)).toEqual([]);
  });

  test("connection refused → network, with cause", async () => {
    const dead = await startServer();
    const url = dead.url;
    await dead.close();
    const e = await failure(ep({ url })({ x: 1 }));
    expect(e.kind).toBe("network");
    expect(e.cause).toBeDefined();
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  test("a custom fetch that throws a TypeError → network", async () => {
    const e = await failure(
      ep()(
        { x: 1 },
        {
          fetch: async () => {
            throw new TypeError("boom");
          },
        },
      ),
    );
    expect(e.kind).toBe("network");
    expect(e.cause).toBeInstanceOf(TypeError);
  });

  test("a stream failure cancels the job on the server; a finished or failed job is not cancelled", async () => {
    const cancels = () => srv.recs.filter((r) => r.url === "/gradio_api/cancel").map((r) => JSON.parse(r.body));
    srv.handle(queueApp([msg({ msg: "process_generating", event_id: "ev1", output: { data: [1] }, success: true }), { wait: 20 }, "destroy"]));
    await failure(ep()({ x: 1 }));
    const join = JSON.parse(srv.recs.find((r) => r.url.endsWith("/queue/join"))!.body);
    expect(cancels()).toEqual([{ session_hash: join.session_hash, fn_index: 3, event_id: "ev1" }]);
    srv.handle(queueApp([done({ error: null }, false)]));
    await failure(ep()({ x: 1 }));
    srv.handle(queueApp([done({ data: [1] })]));
    await ep()({ x: 1 });
    expect(cancels()).toEqual([]);
  });

  test("an already-aborted signal rejects without a request", async () => {
    srv.handle(queueApp([done({ data: [1] })]));
    const e = await failure(ep()({ x: 1 }, { signal: AbortSignal.abort() }));
    expect(e.kind).toBe("aborted");
    expect(srv.recs).toEqual([]);
  });

  test("the caller's signal gets no listener left behind", async () => {
    srv.handle(queueApp([done({ data: [1] })]));
    const sig = new AbortController().signal;
    let added = 0;
    let removed = 0;
    const add = sig.addEventListener.bind(sig);
    const rem = sig.removeEventListener.bind(sig);
    sig.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
    sig.removeEventListener = ((...a: Parameters<typeof rem>) => (removed++, rem(...a))) as typeof rem;
    await ep()({ x: 1 }, { signal: sig });
    expect([added, removed]).toEqual([1, 1]);
  });

  test("transport: 'call' takes the call transport on a module that defaults to the queue", async () => {
    srv.handle((_q, res, rec) => {
      if (rec.url === "/gradio_api/call/predict") return json(res, 200, { event_id: "c1" });
      res.writeHead(200, { "content-type": "text/event-stream" }).end(`event: complete\ndata: ["via call"]\n\n`);
    });
    expect(await ep()({ x: 1 }, { transport: "call" })).toBe("via call");
    expect(srv.recs.map((r) => r.url)).toEqual(["/gradio_api/call/predict", "/gradio_api/call/predict/c1"]);
  });

  test("transport: 'queue' on a module without fn_index is refused before any request", async () => {
    srv.handle(queueApp([done({ data: [1] })]));
    const e = await failure(endpoint(app({ queue: false }), spec({ x: -1 }))({ x: 1 }, { transport: "queue" }));
    expect(e.kind).toBe("protocol");
    expect(e.message).toMatch(/fn_index/);
    expect(srv.recs).toEqual([]);
  });
});
