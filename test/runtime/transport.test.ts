// The multiplexed queue transport (runCall in templates/runtime.ts) against a queue server that behaves like Gradio's
// (queue-server.ts): calls of a client share one session and one stream, the stream opens on demand and closes
// when nothing is in flight, and no call sees another's messages, state or cancel.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { statusOf, type CallStatus } from "../../templates/queue.ts";
import { runCall, SpaceError, uploadFiles, type AppSpec, type CallOptions, type Channel, type EndpointSpec } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { completed, generating, QueueServer, sseData, type Job, type JobStep, type QueueServerOptions } from "./queue-server.ts";
import { json, sleep, startServer, type TestServer } from "./server.ts";

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
let pool: Channel[];
beforeEach(() => {
  pool = [];
});
afterEach(async () => {
  await sleep(20);
  expect(unhandled).toEqual([]);
});

type Spec = EndpointSpec;
const app = (over: Partial<AppSpec> = {}): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true, queue: true, ...over });
const spec = (over: Partial<Spec> = {}): Spec => ({ n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 7, ...over });

function stream(input: unknown, options: CallOptions = {}, s: Spec = spec(), onStatus?: (s: CallStatus) => void, files?: typeof uploadFiles) {
  const onMessage = (m: Parameters<typeof statusOf>[0]) => {
    const status = statusOf(m);
    if (status) onStatus?.(status);
  };
  return runCall(app(), s, input, options, files, { sessions: pool, onMessage });
}
async function call(input: unknown, options: CallOptions = {}, s: Spec = spec(), onStatus?: (s: CallStatus) => void): Promise<unknown> {
  let last: unknown;
  for await (const v of stream(input, options, s, onStatus)) last = v;
  return last;
}
const echo = (delay = 0): QueueServerOptions => ({
  script: (job) => [{ wait: delay }, completed(job.id, [`echo ${JSON.stringify(job.data[0])}`])],
});
/** Until the server has the job whose first input is `x` (no fixed sleep: the machine may be loaded). */
const joined = (q: QueueServer, x: unknown) => vi.waitFor(() => expect(q.jobs.some((j) => j.data[0] === x)).toBe(true), { timeout: 5000 });
/** A job that says it started, then runs until cancelled. */
const startsAndHangs = (job: Job): JobStep[] => [{ msg: "process_starts", event_id: job.id, eta: null }, "hang"];
/** Hears a call's start: its call then knows its event id (the join has answered). */
function startHeard(): { onStatus: (s: CallStatus) => void; heard: Promise<void> } {
  let onStatus: (s: CallStatus) => void = () => {};
  const heard = new Promise<void>((resolve) => (onStatus = (s) => s.type === "start" && resolve()));
  return { onStatus, heard };
}
const hashes = (q: QueueServer) => new Set(q.joins.map((j) => JSON.parse(j.body).session_hash));

describe("one session, one stream", () => {
  test("a cold call costs 2 requests: join, then the session's stream", async () => {
    const q = new QueueServer(srv, echo());
    expect(await call({ x: "hi" })).toBe('echo "hi"');
    expect(srv.recs.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual(["POST /gradio_api/queue/join", "GET /gradio_api/queue/data"]);
    const join = q.joins[0]!;
    expect(JSON.parse(join.body)).toEqual({ data: ["hi"], fn_index: 7, session_hash: expect.any(String), event_data: null, trigger_id: null });
    expect(join.headers["x-gradio-user"]).toBe("api");
    expect(join.headers["content-type"]).toBe("application/json");
    expect(q.streams[0]!.url).toBe(`/gradio_api/queue/data?session_hash=${JSON.parse(join.body).session_hash}`);
  });

  test("with an upload, 3 requests", async () => {
    new QueueServer(srv, echo());
    const s = spec({ i: [{ k: "x", f: 1 }] });
    let last: unknown;
    for await (const v of stream({ x: new Blob(["abc"]) }, {}, s, undefined, uploadFiles)) last = v;
    expect(last).toBe('echo {"path":"/tmp/gradio/up/a.txt","orig_name":"blob","size":3,"mime_type":null,"meta":{"_type":"gradio.FileData"}}');
    expect(srv.recs.map((r) => r.url.split("?")[0])).toEqual(["/gradio_api/upload", "/gradio_api/queue/join", "/gradio_api/queue/data"]);
  });

  test("50 concurrent calls share one session and one stream; every value is its own", async () => {
    const q = new QueueServer(srv, { script: (job) => [{ wait: 5 + ((job.data[0] as number) % 7) * 3 }, completed(job.id, [(job.data[0] as number) * 2])] });
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => call({ x: i })));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(hashes(q).size).toBe(1);
    expect(q.maxConcurrentStreams).toBe(1);
    // the stream closes when no event is pending and is reopened for the next joins: a few, not one per call
    expect(q.streams.length).toBeLessThan(10);
  });

  test("messages of an event that come before its join answers are kept for it", async () => {
    // the first call holds the stream open; the second's whole job runs before its join is answered
    const q = new QueueServer(srv, {
      joinDelay: (job) => (job.id === "ev2" ? 80 : 0),
      script: (job) =>
        job.id === "ev1"
          ? [{ wait: 200 }, completed(job.id, ["first"])]
          : [generating(job.id, ["a"]), generating(job.id, [[["append", [], "b"]]]), completed(job.id, ["ab"])],
    });
    const first = call({ x: 1 });
    await sleep(30);
    const seen: unknown[] = [];
    for await (const v of stream({ x: 2 })) seen.push(v);
    // (the closing process_completed repeats the last value: it is not yielded again)
    expect(seen).toEqual(["a", "ab"]);
    expect(await first).toBe("first");
    expect(q.streams.length).toBe(1);
  });

  test("a stream closed (close_stream) while a join is in flight is opened again for it", async () => {
    const q = new QueueServer(srv, {
      joinDelay: (job) => (job.id === "ev2" ? 60 : 0),
      script: (job) => [{ wait: job.id === "ev1" ? 20 : 0 }, completed(job.id, [job.id])],
    });
    const [a, b] = await Promise.all([call({ x: 1 }), sleep(5).then(() => call({ x: 2 }))]);
    expect([a, b]).toEqual(["ev1", "ev2"]);
    expect(hashes(q).size).toBe(1);
  });

  test("30 sequential calls: 2 requests each, over a few TCP connections, in one session whose stream closes between them", async () => {
    const q = new QueueServer(srv, echo());
    for (let i = 0; i < 30; i++) expect(await call({ x: i })).toBe(`echo ${i}`);
    expect(srv.recs.length).toBe(60);
    expect(q.sockets.size).toBeLessThanOrEqual(4);
    expect(hashes(q).size).toBe(1);
    expect(q.streams.length).toBe(30);
    await q.streams.at(-1)!.closed;
    await sleep(20);
    expect(pool.map((c) => [c.users, c.stream])).toEqual([[0, undefined]]);
  });

  test("a client keeps at most POOL_LIMIT sessions: calls with ever new headers do not grow it for ever", async () => {
    const q = new QueueServer(srv, echo());
    for (let i = 0; i < 20; i++) await call({ x: i }, { headers: { "x-request": String(i) } });
    expect(hashes(q).size).toBe(20);
    expect(pool.length).toBeLessThanOrEqual(8);
  });

  test("an endpoint with hidden gr.State gets a session of its own per call", async () => {
    const q = new QueueServer(srv, echo(20));
    await Promise.all(Array.from({ length: 5 }, (_, i) => call({ x: i }, {}, spec({ h: 1 }))));
    expect(hashes(q).size).toBe(5);
    expect(q.streams.length).toBe(5);
  });

  test("calls with other headers, token or baseUrl get other sessions; the same options share one", async () => {
    const q = new QueueServer(srv, echo(20));
    await Promise.all([
      call({ x: 1 }, { headers: { a: "1" } }),
      call({ x: 2 }, { headers: { a: "1" } }),
      call({ x: 3 }, { headers: { a: "2" } }),
      call({ x: 4 }, { token: "hf_x" }),
      call({ x: 5 }, { baseUrl: srv.url + "/" }),
    ]);
    const byX = new Map(q.joins.map((j) => [JSON.parse(j.body).data[0], JSON.parse(j.body).session_hash]));
    expect(byX.get(1)).toBe(byX.get(2));
    // {1, 2}, {3}, {4} and {5}: a trailing slash on baseUrl is the same base
    expect(new Set(byX.values()).size).toBe(4);
    for (const s of q.streams) {
      const hash = new URLSearchParams(s.url.split("?")[1]).get("session_hash");
      const x = [...byX].find(([, h]) => h === hash)![0];
      expect(s.headers.a).toBe(x === 3 ? "2" : x <= 2 ? "1" : undefined);
      if (x === 4) expect(s.headers["x-hf-authorization"]).toBe("Bearer hf_x");
    }
  });

  test("statuses and generator diffs reach only their own call", async () => {
    new QueueServer(srv, {
      script: (job) => [
        { msg: "estimation", event_id: job.id, rank: 0, queue_size: 2, rank_eta: null },
        { msg: "process_starts", event_id: job.id, eta: 1 },
        generating(job.id, [`${String(job.data[0])}:`]),
        { wait: 10 },
        generating(job.id, [[["append", [], "x"]]]),
        generating(job.id, [[["append", [], "y"]]]),
        completed(job.id, [`${String(job.data[0])}:xy`]),
      ],
    });
    const run = async (x: string) => {
      const statuses: string[] = [];
      const seen: unknown[] = [];
      for await (const v of stream({ x }, {}, spec(), (s) => statuses.push(s.type))) seen.push(v);
      return { statuses, seen };
    };
    const [a, b] = await Promise.all([run("a"), run("b")]);
    expect(a).toEqual({ statuses: ["queue", "start"], seen: ["a:", "a:x", "a:xy"] });
    expect(b).toEqual({ statuses: ["queue", "start"], seen: ["b:", "b:x", "b:xy"] });
  });
});

describe("leaving early: abort, timeout, break", () => {
  test("an aborted call's job is cancelled only after the other calls of its endpoint are done, which are not harmed", async () => {
    const q = new QueueServer(srv, { script: (job) => (job.data[0] === "c" ? startsAndHangs(job) : [{ wait: 150 }, completed(job.id, [job.data[0]])]) });
    const ac = new AbortController();
    const others = Promise.all([call({ x: "a" }), call({ x: "b" })]);
    const c = startHeard();
    const aborted = failure(call({ x: "c" }, { signal: ac.signal }, spec(), c.onStatus));
    await c.heard;
    ac.abort();
    expect((await aborted).kind).toBe("aborted");
    expect(q.cancels).toEqual([]);
    expect(await others).toEqual(["a", "b"]);
    const job = q.jobs.find((j) => j.data[0] === "c")!;
    await vi.waitFor(() => expect(q.cancels).toEqual([{ session_hash: job.session, fn_index: 7, event_id: job.id }]));
    expect(q.jobs.filter((j) => j.killed).map((j) => j.data[0])).toEqual(["c"]);
  });

  test("a call aborted while its join is unanswered: the job is cancelled once the join answers", async () => {
    const q = new QueueServer(srv, { joinDelay: 300, script: () => ["hang"] });
    const ac = new AbortController();
    const aborted = failure(call({ x: "c" }, { signal: ac.signal }));
    await joined(q, "c");
    ac.abort();
    expect((await aborted).kind).toBe("aborted");
    const c = q.jobs[0]!;
    await vi.waitFor(() => expect(q.cancels).toEqual([{ session_hash: c.session, fn_index: 7, event_id: c.id }]), { timeout: 5000 });
    expect(c.killed).toBe(true);
  });

  test("the same through the /call transport: the job is cancelled by the event id its POST answers", async () => {
    let answerPost = () => {};
    const posted = new Promise<void>((resolve) => (answerPost = resolve));
    const cancels: string[] = [];
    srv.handle(async (_q, res, rec) => {
      if (rec.url.endsWith("/cancel")) return (cancels.push(rec.body), json(res, 200, { success: true }));
      answerPost();
      await sleep(300);
      json(res, 200, { event_id: "late-id" });
    });
    const ac = new AbortController();
    const aborted = failure(call({ x: "c" }, { signal: ac.signal, transport: "call" }));
    await posted;
    ac.abort();
    expect((await aborted).kind).toBe("aborted");
    await vi.waitFor(() => expect(cancels.map((b) => JSON.parse(b))).toEqual([{ session_hash: "late-id", fn_index: 7, event_id: "late-id" }]), {
      timeout: 5000,
    });
  });

  test("calls of another endpoint do not hold the cancel back", async () => {
    const q = new QueueServer(srv, { script: (job) => (job.fnIndex === 8 ? [{ wait: 300 }, completed(job.id, [job.data[0]])] : startsAndHangs(job)) });
    const other = call({ x: "other" }, {}, spec({ n: "other", x: 8 }));
    const ac = new AbortController();
    const c = startHeard();
    const aborted = failure(call({ x: "c" }, { signal: ac.signal }, spec(), c.onStatus));
    await c.heard;
    ac.abort();
    expect((await aborted).kind).toBe("aborted");
    expect(q.cancels.map((c) => c.fn_index)).toEqual([7]);
    expect(await other).toBe("other");
  });

  test("a call of the endpoint started while its cancel is posted joins after it", async () => {
    let cancelAnswered = 0;
    const q = new QueueServer(srv, { script: (job) => (job.data[0] === "slow" ? startsAndHangs(job) : [completed(job.id, [job.data[0]])]) });
    const ac = new AbortController();
    const slow = startHeard();
    const aborted = failure(call({ x: "slow" }, { signal: ac.signal }, spec(), slow.onStatus));
    await slow.heard;
    ac.abort();
    const next = call({ x: "next" }).then((v) => ((cancelAnswered = q.cancels.length), v));
    expect((await aborted).kind).toBe("aborted");
    expect(await next).toBe("next");
    expect(cancelAnswered).toBe(1);
    const order = srv.recs.map((r) => r.url.split("?")[0]!.split("/").pop());
    expect(order.indexOf("cancel")).toBeLessThan(order.lastIndexOf("join"));
  });

  test("an early break cancels the job; the stream is closed once nothing is in flight", async () => {
    const q = new QueueServer(srv, { script: (job) => [generating(job.id, [1]), "hang"] });
    for await (const v of stream({ x: 1 })) {
      expect(v).toBe(1);
      break;
    }
    const job = q.jobs[0]!;
    expect(q.cancels).toEqual([{ session_hash: job.session, fn_index: 7, event_id: job.id }]);
    await q.streams[0]!.closed;
    await sleep(20);
    expect(pool.map((c) => c.stream)).toEqual([undefined]);
  });

  test("no /cancel when the app has none; the stream is still closed", async () => {
    const q = new QueueServer(srv, { script: () => ["hang"] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    let last: unknown;
    const e = await failure(
      (async () => {
        for await (const v of runCall(app({ cancel: false }), spec(), { x: 1 }, { signal: ac.signal }, undefined, { sessions: pool })) last = v;
      })(),
    );
    expect([e.kind, last]).toEqual(["aborted", undefined]);
    expect(q.cancels).toEqual([]);
    await q.streams[0]!.closed;
  });

  test("the idle timeout of one call does not end the others", async () => {
    new QueueServer(srv, { script: (job) => (job.data[0] === "silent" ? ["hang"] : [{ wait: 300 }, completed(job.id, ["late"])]) });
    const [silent, late] = await Promise.allSettled([call({ x: "silent" }, { idleTimeoutMs: 150 }), call({ x: "other" })]);
    expect(silent.status === "rejected" && (silent.reason as SpaceError).kind).toBe("timeout");
    // the stream stayed silent for 300 ms too, but the other call has the default idle timeout
    expect(late).toEqual({ status: "fulfilled", value: "late" });
  });
});

describe("a broken stream fails every call waiting on it, and nothing hangs", () => {
  const broken = (answer: (res: import("node:http").ServerResponse) => void) => {
    let n = 0;
    srv.handle((_q, res, rec) => {
      if (rec.url.endsWith("/queue/join")) return json(res, 200, { event_id: `ev${++n}` });
      if (rec.url.endsWith("/cancel")) return json(res, 200, { success: true });
      answer(res);
    });
  };

  test.each([
    { name: "HTTP 500", answer: (res: import("node:http").ServerResponse) => json(res, 500, { detail: "boom" }), kind: "http" },
    {
      name: "reset",
      answer: (res: import("node:http").ServerResponse) => (
        res.writeHead(200, { "content-type": "text/event-stream" }),
        res.write(": x\n\n"),
        setTimeout(() => res.socket?.destroy(), 30)
      ),
      kind: "network",
    },
    { name: "malformed JSON", answer: (res: import("node:http").ServerResponse) => res.writeHead(200).end("data: {oops\n\n"), kind: "protocol" },
    {
      name: "unexpected_error: session not found (a replica without the session)",
      answer: (res: import("node:http").ServerResponse) =>
        res.writeHead(200).end(sseData({ msg: "unexpected_error", event_id: null, message: "404: Not Found", session_not_found: true, success: false })),
      kind: "protocol",
      msg: /sticky sessions/,
    },
    {
      name: "closes without the events, again and again",
      answer: (res: import("node:http").ServerResponse) => res.writeHead(200).end(sseData({ msg: "close_stream", event_id: null })),
      kind: "protocol",
      msg: /ended early/,
    },
  ])("$name → $kind for every call", async ({ answer, kind, msg }) => {
    broken(answer);
    const errors = await Promise.all([1, 2, 3].map((x) => failure(call({ x }))));
    for (const e of errors) {
      expect(e.kind).toBe(kind);
      expect(e.endpoint).toBe("/predict");
      expect(e.eventId).toMatch(/^ev\d$/);
      if (msg) expect(e.message).toMatch(msg);
    }
  });

  test("a flood of messages for unknown events while a join is unanswered is refused, not buffered", async () => {
    let n = 0;
    let secondJoinArrived = () => {};
    const secondJoin = new Promise<void>((resolve) => (secondJoinArrived = resolve));
    srv.handle(async (_q, res, rec) => {
      if (rec.url.endsWith("/cancel")) return json(res, 200, { success: true });
      if (rec.url.endsWith("/queue/join")) {
        if (++n === 2) {
          secondJoinArrived();
          await sleep(400);
          return json(res, 200, { event_id: "late" });
        }
        return json(res, 200, { event_id: "first" });
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      await secondJoin; // the flood comes while that join is unanswered, however loaded the machine
      for (let i = 0; i < 2000 && !res.destroyed; i++) {
        res.write(sseData({ msg: "process_generating", event_id: `other-${i}`, output: { data: [i] }, success: true }));
        if (i % 100 === 0) await sleep(5);
      }
      res.end();
    });
    const first = failure(call({ x: 1 }));
    await sleep(20);
    const second = failure(call({ x: 2 }));
    expect((await first).message).toMatch(/too many messages/);
    // the join answered after the flood; its event never comes: the reopened streams end without it
    expect((await second).message).toMatch(/too many messages|ended early/);
  });

  test("join failures keep their kinds (queue full, validation) and open no stream", async () => {
    srv.handle((_q, res) => json(res, 503, { detail: "Queue is full. Max size is 2 and size is 2." }));
    let e = await failure(call({ x: 1 }));
    expect([e.kind, e.status]).toEqual(["queue_full", 503]);
    srv.handle((_q, res) => json(res, 422, { detail: [{ is_valid: false, parameter_name: "x", message: "bad" }] }));
    e = await failure(call({ x: 1 }));
    expect(e.validation).toEqual([{ parameter: "x", message: "bad" }]);
    expect(srv.recs.filter((r) => r.url.includes("queue/data"))).toEqual([]);
    expect(pool.map((c) => [c.users, c.stream])).toEqual([[0, undefined]]);
  });
});
