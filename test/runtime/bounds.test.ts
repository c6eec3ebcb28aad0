// Issue 13, points 10, 12 and 16 (runtime): every wait for bytes is bounded by idleTimeoutMs; limits of
// Infinity or >= 2^31 mean none; what a server sends is classified by what it is (http, protocol), never as a
// network failure; error bodies and error events are capped; files under additionalProperties are uploaded.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { live } from "../../templates/queue.ts";
import { bareEndpoint, endpoint, SpaceError, type AppSpec, type CallOptions, type EndpointSpec } from "../../templates/runtime.ts";
import { frame, gradioApp, json, sleep, startServer, type Handler, type TestServer } from "./server.ts";

let srv: TestServer;
let other: TestServer;
const unhandled: unknown[] = [];
const warnings: Error[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
const onWarning = (w: Error) => warnings.push(w);
const savedToken = process.env.HF_TOKEN;

beforeAll(async () => {
  delete process.env.HF_TOKEN;
  process.on("unhandledRejection", onUnhandled);
  process.on("warning", onWarning);
  srv = await startServer();
  other = await startServer();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  process.off("warning", onWarning);
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  await srv.close();
  await other.close();
});
afterEach(async () => {
  await sleep(20);
  expect(unhandled).toEqual([]);
});

const app = (over: Partial<AppSpec> = {}): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true, ...over });
const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({ n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 3, ...over });
const ep = (s: Partial<EndpointSpec> = {}, a: Partial<AppSpec> = {}) => endpoint<Record<string, unknown>, unknown>(app(a), spec(s));

/** Settles a call: its value or its SpaceError, and how long it took. */
async function settle(p: Promise<unknown>): Promise<{ value?: unknown; error?: SpaceError; ms: number }> {
  const t0 = performance.now();
  try {
    return { value: await p, ms: performance.now() - t0 };
  } catch (e) {
    expect(e).toBeInstanceOf(SpaceError);
    return { error: e as SpaceError, ms: performance.now() - t0 };
  }
}

// a backstop, so that a runtime that ignores idleTimeoutMs fails the test instead of hanging it
const IDLE: CallOptions = { idleTimeoutMs: 300, timeoutMs: 8000 };
const bounded = async (p: Promise<unknown>, within = 2500) => {
  const r = await settle(p);
  expect(r.error?.kind, r.error?.message).toBe("timeout");
  expect(r.ms).toBeLessThan(within);
  return r;
};

describe("10. every wait for bytes is bounded by idleTimeoutMs", () => {
  test("the POST's answer never comes", async () => {
    srv.handle(gradioApp([], { "POST /gradio_api/call/predict": () => {} }));
    await bounded(ep()({ x: 1 }, IDLE));
  });

  test("the POST's answer: headers, then a body that never ends", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res) =>
          void res.writeHead(200, { "content-type": "application/json", "content-length": "40" }).write('{"event_id":'),
      }),
    );
    await bounded(ep()({ x: 1 }, IDLE));
  });

  test("the stream's headers never come", async () => {
    srv.handle(gradioApp([], { "GET /gradio_api/call/predict/ev1": () => {} }));
    await bounded(ep()({ x: 1 }, IDLE));
  });

  test("the upload's answer never comes", async () => {
    srv.handle(gradioApp([], { "POST /gradio_api/upload": () => {} }));
    await bounded(ep({ i: [{ k: "x", f: 1 }] })({ x: new Blob(["abc"]) }, IDLE));
  });

  test("another app's file: its headers never come, or its body stalls", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    const fd = { path: "/tmp/a.png", url: `${other.url}/gradio_api/file=/tmp/a.png`, meta: { _type: "gradio.FileData" } };
    other.handle(() => {});
    await bounded(ep({ i: [{ k: "x", f: 1 }] })({ x: fd }, IDLE));
    other.handle((_q, res) => void res.writeHead(200, { "content-length": "1000" }).write("png"));
    await bounded(ep({ i: [{ k: "x", f: 1 }] })({ x: fd }, IDLE));
    expect(srv.recs.filter((r) => r.url.includes("/call/"))).toEqual([]);
  });

  test("live: the join's answer and the data stream's headers", async () => {
    srv.handle(() => {});
    await bounded(live(bareEndpoint(app(), spec()))({ x: 1 }, IDLE));
    srv.handle((_q, res, rec) => (rec.url.endsWith("/queue/join") ? json(res, 200, { event_id: "ev1" }) : undefined));
    await bounded(live(bareEndpoint(app(), spec()))({ x: 1 }, IDLE));
  });

  test("a slowloris server: response headers one byte every 100 ms, for ever", async () => {
    const sockets = new Set<net.Socket>();
    const slow = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      const dribble = async () => {
        const head = "HTTP/1.1 200 OK\r\n" + "x-slow: " + "a".repeat(10_000);
        for (const ch of head) {
          if (socket.destroyed) return;
          socket.write(ch);
          await sleep(100);
        }
      };
      socket.once("data", () => void dribble());
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      await bounded(ep({}, { url })({ x: 1 }, { idleTimeoutMs: 500, timeoutMs: 8000 }), 3000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => slow.close(r));
    }
  });

  test("an error body that never ends: the call fails as http with what arrived, within idleTimeoutMs", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res) => void res.writeHead(500, { "content-type": "text/plain" }).write("Internal Server Error: partial"),
      }),
    );
    const r = await settle(ep()({ x: 1 }, IDLE));
    expect([r.error?.kind, r.error?.status]).toEqual(["http", 500]);
    expect(r.error?.message).toContain("partial");
    expect(r.ms).toBeLessThan(2500);
  });

  test("a 100 MB error body: at most 64 KiB of it is read, and the connection is dropped", async () => {
    let written = 0;
    let closed: Promise<void> | undefined;
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": async (_q, res, rec) => {
          closed = rec.closed;
          res.writeHead(500, { "content-type": "text/plain" });
          const chunk = Buffer.alloc(65_536, "e");
          while (written < 100 * 1024 * 1024 && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) await new Promise((r) => (res.once("drain", r), res.once("close", r)));
          }
          res.end();
        },
      }),
    );
    const r = await settle(ep()({ x: 1 }, IDLE));
    expect([r.error?.kind, r.error?.status]).toEqual(["http", 500]);
    expect(r.error!.message.length).toBeLessThan(400);
    await closed;
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  test("an abandoned job's /cancel that never answers does not hold the call past idleTimeoutMs", async () => {
    srv.handle(gradioApp([frame("heartbeat", null), "hang"], { "POST /gradio_api/cancel": () => {} }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await settle(ep()({ x: 1 }, { signal: ac.signal, idleTimeoutMs: 300 }));
    expect(r.error?.kind).toBe("aborted");
    expect(r.ms).toBeLessThan(1500);
  });
});

describe("10. with default options, nothing waits past the documented 60 s", () => {
  // a fetch that never answers (as a server that never sends its headers), on a fake clock
  const silent = (async (_u: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((_, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))) as typeof fetch;

  test.each([
    ["a plain call", () => ep()({ x: 1 }, { fetch: silent })],
    ["a live call", () => live(bareEndpoint(app(), spec()))({ x: 1 }, { fetch: silent })],
  ])("%s fails with kind timeout at 60 s, not before", async (_name, start) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let outcome: unknown;
      start().then(
        (v) => (outcome = v),
        (e: SpaceError) => (outcome = e),
      );
      await vi.advanceTimersByTimeAsync(59_900);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(200);
      expect(outcome).toBeInstanceOf(SpaceError);
      expect([(outcome as SpaceError).kind, (outcome as SpaceError).message]).toEqual(["timeout", "/predict failed: no answer for 60000 ms"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("10. limits of Infinity or >= 2^31 mean no limit", () => {
  test.each([
    { timeoutMs: Infinity },
    { idleTimeoutMs: Infinity },
    { timeoutMs: 2 ** 31 },
    { idleTimeoutMs: 2 ** 31 },
    { timeoutMs: 2 ** 40, idleTimeoutMs: Number.MAX_SAFE_INTEGER },
  ])("%j: the call completes, with no timer warning", async (o) => {
    srv.handle(gradioApp([{ wait: 150 }, frame("complete", ["slow"])]));
    warnings.length = 0;
    expect(await ep()({ x: 1 }, o)).toBe("slow");
    srv.handle(gradioApp([{ wait: 150 }, frame("complete", ["slow"])]));
    expect(await live(bareEndpoint(app(), spec()))({ x: 1 }, o).catch((e: SpaceError) => e.kind)).not.toBe("timeout");
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});

type Kind = { name: string; routes?: Record<string, Handler>; steps?: string[]; s?: Partial<EndpointSpec>; input?: unknown; kind: string; status?: number };
const onPost = (h: Handler) => ({ "POST /gradio_api/call/predict": h });
const deep = "[".repeat(200_000) + "]".repeat(200_000);

describe("12. the right kind, never network for what a server said", () => {
  test.each<Kind>([
    { name: "5xx", routes: onPost((_q, res) => res.writeHead(500).end("boom")), kind: "http", status: 500 },
    { name: "an error event whose error is not a string", steps: [frame("error", { error: { nested: [1] }, title: 7 })], kind: "app" },
    { name: "an error event that is a number", steps: [frame("error", 42)], kind: "app" },
    {
      name: "a 500 JSON whose detail.error is an object",
      routes: onPost((_q, res) => json(res, 500, { detail: { error: { x: 1 } } })),
      kind: "http",
      status: 500,
    },
    {
      name: "a 422 whose detail is a list of non-objects",
      routes: onPost((_q, res) => json(res, 422, { detail: [null, 1, "x", [2]] })),
      kind: "validation",
      status: 422,
    },
    { name: "a 422 whose detail is a string", routes: onPost((_q, res) => json(res, 422, { detail: "bad input" })), kind: "validation", status: 422 },
    {
      name: "a 422 whose entries have odd fields",
      routes: onPost((_q, res) =>
        json(res, 422, {
          detail: [
            { loc: "x", msg: { a: 1 } },
            { parameter_name: 5, message: null },
          ],
        }),
      ),
      kind: "validation",
      status: 422,
    },
    { name: "a 204 stream", routes: { "GET /gradio_api/call/predict/ev1": (_q, res) => res.writeHead(204).end() }, kind: "protocol" },
    { name: "a POST answer of 204", routes: onPost((_q, res) => res.writeHead(204).end()), kind: "protocol" },
    { name: "an event_id that is not a string", routes: onPost((_q, res) => json(res, 200, { event_id: { a: 1 } })), kind: "protocol" },
    { name: "a POST answer that is JSON null", routes: onPost((_q, res) => json(res, 200, null)), kind: "protocol" },
    {
      name: "an upload answer without paths",
      routes: { "POST /gradio_api/upload": (_q, res) => json(res, 200, { files: [] }) },
      s: { i: [{ k: "x", f: 1 }] },
      input: new Blob(["a"]),
      kind: "protocol",
    },
    {
      name: "an upload answer with fewer paths",
      routes: { "POST /gradio_api/upload": (_q, res) => json(res, 200, ["/tmp/a"]) },
      s: { i: [{ k: "x", f: { i: 1 } }] },
      input: [new Blob(["a"]), new Blob(["b"])],
      kind: "protocol",
    },
    {
      name: "an upload answer with non-string paths",
      routes: { "POST /gradio_api/upload": (_q, res) => json(res, 200, [{ path: "/tmp/a" }]) },
      s: { i: [{ k: "x", f: 1 }] },
      input: new Blob(["a"]),
      kind: "protocol",
    },
    { name: "a result nested 200,000 deep", steps: [`event: complete\ndata: [${deep}]\n\n`], kind: "protocol" },
    { name: "a result with too many values", steps: [frame("complete", [1, 2])], kind: "protocol" },
    { name: "a result with too few values", steps: [frame("complete", [])], kind: "protocol" },
    { name: "a generating event with the wrong number of values", steps: [frame("generating", [1, 2, 3]), frame("complete", [1])], kind: "protocol" },
    { name: "an error event of 1 MB", steps: [frame("error", { error: "e".repeat(1_000_000) })], kind: "protocol" },
  ])("$name → $kind", async (c) => {
    srv.handle(gradioApp(c.steps ?? [frame("complete", [1])], c.routes ?? {}));
    const r = await settle(ep(c.s)({ x: c.input ?? 1 }, { idleTimeoutMs: 3000 }));
    expect(r.error?.kind, r.error?.message).toBe(c.kind);
    expect(r.error?.status).toBe(c.status);
    expect(r.error!.message.length).toBeLessThan(1000);
    expect(r.error!.message).not.toMatch(/TypeError|RangeError|\[object Object\]/);
  });

  test("an answer over 1 MiB, declared or arriving, is a protocol error, and is not read to its end", async () => {
    let closed: Promise<void> | undefined;
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res, rec) => (
          (closed = rec.closed),
          void res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * 2 ** 20) }).write('{"event_id":"')
        ),
      }),
    );
    let r = await settle(ep()({ x: 1 }, { timeoutMs: 8000 }));
    expect(r.error?.kind, r.error?.message).toBe("protocol");
    expect(r.ms).toBeLessThan(2500);
    await closed;
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res) =>
          void res.writeHead(200, { "content-type": "application/json" }).end(`{"event_id":"ev1","pad":"${"x".repeat(2 * 2 ** 20)}"}`),
      }),
    );
    r = await settle(ep()({ x: 1 }, { timeoutMs: 8000 }));
    expect(r.error?.kind, r.error?.message).toBe("protocol");
    expect(r.error!.message).toMatch(/over 1048576 bytes/);
    expect(srv.recs.map((x) => x.method)).toEqual(["POST"]);
  });

  test("another app's file declared over 1 GiB is refused before it is read; nothing is submitted", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    other.handle((_q, res) => void res.writeHead(200, { "content-type": "video/mp4", "content-length": String(2 ** 31) }).write("ftyp"));
    const fd = { path: "/tmp/a.mp4", url: `${other.url}/gradio_api/file=/tmp/a.mp4`, meta: { _type: "gradio.FileData" } };
    const r = await settle(ep({ i: [{ k: "x", f: 1 }] })({ x: fd }, { timeoutMs: 8000 }));
    expect(r.error?.kind, r.error?.message).toBe("protocol");
    expect(r.ms).toBeLessThan(2500);
    expect(srv.recs).toEqual([]);
  });

  test("live: a result with the wrong number of values, and a nested 200,000 deep one, completed or generating", async () => {
    for (const msg of ["process_completed", "process_generating"])
      for (const data of ["[1, 2]", `[${deep}]`]) {
        srv.handle((_q, res, rec) => {
          if (rec.url.endsWith("/queue/join")) return json(res, 200, { event_id: "ev1" });
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(`data: {"msg":"${msg}","event_id":"ev1","success":true,"output":{"data":${data}}}\n\n`);
        });
        const r = await settle(live(bareEndpoint(app(), spec()))({ x: 1 }));
        expect(r.error?.kind).toBe("protocol");
        expect(r.error!.message).not.toMatch(/TypeError|RangeError/);
      }
  });

  test("only a real transport failure is network", async () => {
    srv.handle(
      gradioApp(
        [],
        onPost((_q, res) => res.socket?.destroy()),
      ),
    );
    const r = await settle(ep()({ x: 1 }));
    expect(r.error?.kind).toBe("network");
  });
});

describe("16. files under additionalProperties are uploaded", () => {
  test("a Blob under an additionalProperties file schema is uploaded; declared properties are left alone", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    const input = { named: { first: new File(["one"], "one.txt"), second: new Blob(["two"]), label: "keep", list: "https://h.example/x.png" } };
    await ep({ i: [{ k: "named", f: { p: [["label", 0]], a: 1 } }] })(input);
    const up = srv.recs.find((r) => r.url === "/gradio_api/upload")!;
    expect(up.body).toContain('filename="one.txt"');
    expect(up.body).toContain("two");
    const [named] = JSON.parse(srv.recs.find((r) => r.url === "/gradio_api/call/predict")!.body).data;
    expect(named.first).toMatchObject({ path: "/tmp/gradio/h0/one.txt", orig_name: "one.txt" });
    expect(named.second).toMatchObject({ path: "/tmp/gradio/h1/blob" });
    expect(named.label).toBe("keep");
    expect(named.list).toMatchObject({ url: "https://h.example/x.png" });
  });

  test("nested: every extra property holds a list of files", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    await ep({ i: [{ k: "v", f: { a: { i: 1 } } }] })({ v: { a: [new Blob(["1"])], b: [] } });
    const [v] = JSON.parse(srv.recs.find((r) => r.url === "/gradio_api/call/predict")!.body).data;
    expect(v).toEqual({ a: [{ path: "/tmp/gradio/h0/blob", orig_name: "blob", size: 1, mime_type: null, meta: { _type: "gradio.FileData" } }], b: [] });
  });
});
