// The runtime against a local Gradio-like server: the call, outputs, files, options, and every failure kind.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { bind, endpoint, SpaceError, type AppSpec, type CallOptions, type EndpointSpec, type SpaceErrorKind } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { frame, gradioApp, json, sleep, startServer, type Handler, type Step, type TestServer } from "./server.ts";

let srv: TestServer;
let other: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
const savedToken = process.env.HF_TOKEN;

beforeAll(async () => {
  delete process.env.HF_TOKEN;
  process.on("unhandledRejection", onUnhandled);
  srv = await startServer();
  other = await startServer();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  await srv.close();
  await other.close();
});
afterEach(async () => {
  // give stray promises a chance to surface
  await sleep(20);
  expect(unhandled).toEqual([]);
});

const app = (over: Partial<AppSpec> = {}): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true, ...over });
const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({ n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 3, ...over });
const ep = (s: Partial<EndpointSpec> = {}, a: Partial<AppSpec> = {}, d?: CallOptions) => endpoint<Record<string, unknown>, unknown>(app(a), spec(s), d);
const calls = () => srv.recs.filter((r) => r.method === "POST" && r.url.includes("/call/"));
const sent = () => JSON.parse(calls()[0]!.body).data;

describe("call and stream", () => {
  test("posts the data, reads the stream, resolves the final value", async () => {
    srv.handle(gradioApp([frame("heartbeat", null), frame("complete", ["Hello, world!"])]));
    expect(await ep()({ x: "world" })).toBe("Hello, world!");
    expect(srv.recs.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /gradio_api/call/predict", "GET /gradio_api/call/predict/ev1"]);
    expect(calls()[0]!.headers["content-type"]).toBe("application/json");
    expect(sent()).toEqual(["world"]);
  });

  test("a generator: .stream() yields each generating value once, not the complete that repeats the last", async () => {
    // Gradio's /call sends `generating` per yield, then `complete` with the last value again
    const steps = ["0", "1", "2"].map((v) => frame("generating", [v]));
    srv.handle(gradioApp([...steps, frame("complete", ["2"])]));
    const seen: unknown[] = [];
    for await (const v of ep().stream({ x: 1 })) seen.push(v);
    expect(seen).toEqual(["0", "1", "2"]);
    expect(await ep()({ x: 1 })).toBe("2");
  });

  test("a generator: the call resolves with the complete value even where it differs from the last yield", async () => {
    // streamed media outputs finish with a value of their own; gradio_client's result() is that value too
    const steps = ["Hello, w!", "Hello, wo!", "Hello, wor!"].map((v) => frame("generating", [v]));
    srv.handle(gradioApp([...steps, frame("complete", ["Hello, world!"])]));
    const seen: unknown[] = [];
    for await (const v of ep().stream({ x: 1 })) seen.push(v);
    expect(seen).toEqual(["Hello, w!", "Hello, wo!", "Hello, wor!"]);
    expect(await ep()({ x: 1 })).toBe("Hello, world!");
  });

  test("Python's NaN and infinities in /call data are read as null (a Dataframe with an empty cell)", async () => {
    srv.handle(gradioApp(['event: complete\ndata: [{"headers": ["a"], "data": [[NaN], [Infinity], [-Infinity]], "metadata": null}, "NaN"]\n\n']));
    expect(await ep({ o: [1, 1], s: 2 })({ x: 1 })).toEqual([{ headers: ["a"], data: [[null], [null], [null]], metadata: null }, "NaN"]);
  });

  test("a non-generator: .stream() yields once", async () => {
    srv.handle(gradioApp([frame("complete", [42])]));
    const seen: unknown[] = [];
    for await (const v of ep().stream({ x: 1 })) seen.push(v);
    expect(seen).toEqual([42]);
  });

  test("stops at the first complete (later events are ignored)", async () => {
    srv.handle(gradioApp([frame("complete", [1]), frame("error", "late"), "hang"]));
    expect(await ep()({ x: 1 })).toBe(1);
  });

  test("unknown events are ignored, even with non-JSON data", async () => {
    srv.handle(gradioApp(["event: log\ndata: not json\n\n", "data: {}\n\n", frame("complete", [7])]));
    expect(await ep()({ x: 1 })).toBe(7);
  });

  test.each([
    { name: "shape 0", s: { i: [], o: [], s: 0 as const }, input: undefined, out: [], sent: [], want: undefined },
    {
      name: "shape 1 with a hidden output",
      s: { i: [{ k: "a" }, null], o: [0, 1] as (0 | 1)[], s: 1 as const },
      input: { a: 1 },
      out: [null, "v"],
      sent: [1, null],
      want: "v",
    },
    {
      name: "shape 2, hidden input and output slots",
      s: { i: [{ k: "a" }, null, { k: "b" }, null], o: [1, 0, 1] as (0 | 1)[], s: 2 as const },
      input: { b: "B", a: "A" },
      out: ["x", null, "y"],
      sent: ["A", null, "B", null],
      want: ["x", "y"],
    },
    {
      name: "shape 0 with hidden outputs",
      s: { i: [null], o: [0, 0] as (0 | 1)[], s: 0 as const },
      input: {},
      out: [null, { __type__: "update" }],
      sent: [null],
      want: undefined,
    },
  ])("hidden slots and shapes: $name", async (c) => {
    srv.handle(gradioApp([frame("complete", c.out)]));
    expect(await ep(c.s)(c.input)).toEqual(c.want);
    expect(sent()).toEqual(c.sent);
  });

  test.each([
    { name: "omitted key with a default sends the default", slot: { k: "x", d: "hello" }, input: {}, want: ["hello"] },
    { name: "omitted key with a null default sends null", slot: { k: "x", d: null }, input: {}, want: [null] },
    { name: "omitted key without a default sends null", slot: { k: "x" }, input: {}, want: [null] },
    { name: "a given value wins over the default", slot: { k: "x", d: "hello" }, input: { x: "hi" }, want: ["hi"] },
    { name: "a given null wins over the default", slot: { k: "x", d: 5 }, input: { x: null }, want: [null] },
    { name: "an object default is sent as is", slot: { k: "x", d: { text: "", files: [] } }, input: {}, want: [{ text: "", files: [] }] },
    { name: "own __proto__ key is data", slot: { k: "__proto__" }, input: JSON.parse('{"__proto__": 7}'), want: [7] },
    { name: "inherited __proto__ is not a key", slot: { k: "__proto__", d: "dflt" }, input: {}, want: ["dflt"] },
    { name: "inherited toString is not a key", slot: { k: "toString" }, input: {}, want: [null] },
  ])("inputs: $name", async ({ slot, input, want }) => {
    srv.handle(gradioApp([frame("complete", [null])]));
    await ep({ i: [slot] })(input);
    expect(sent()).toEqual(want);
  });

  test("an endpoint without inputs takes no argument", async () => {
    srv.handle(gradioApp([frame("complete", ["a", "b"])]));
    expect(await ep({ i: [], o: [1, 1], s: 2 })()).toEqual(["a", "b"]);
    expect(sent()).toEqual([]);
  });

  test("the api name is encoded into one path segment", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    await ep({ n: "a b?c" })({ x: 1 });
    expect(srv.recs[0]!.url).toBe("/gradio_api/call/a%20b%3Fc");
  });

  test("Gradio 4.x: no prefix", async () => {
    srv.handle(gradioApp([frame("complete", [1])], {}, { prefix: "" }));
    expect(await ep({}, { prefix: "" })({ x: 1 })).toBe(1);
    expect(srv.recs[0]!.url).toBe("/call/predict");
  });

  test("baseUrl replaces the app url (trailing slash removed)", async () => {
    other.handle(gradioApp([frame("complete", ["other"])]));
    srv.handle(gradioApp([frame("complete", ["main"])]));
    expect(await ep()({ x: 1 }, { baseUrl: other.url + "/" })).toBe("other");
    expect(other.recs[0]!.url).toBe("/gradio_api/call/predict");
    expect(srv.recs).toEqual([]);
  });

  test("output FileData without url gets base + prefix + /file=path; absolute urls are kept", async () => {
    const fd = (path: string, url?: string) => ({ path, ...(url ? { url } : {}), meta: { _type: "gradio.FileData" } });
    srv.handle(gradioApp([frame("complete", [[fd("/tmp/a.png"), { image: fd("/tmp/b.png", "https://x/b.png"), other: { path: "p" } }]])]));
    expect(await ep()({ x: 1 })).toEqual([
      { ...fd("/tmp/a.png"), url: `${srv.url}/gradio_api/file=/tmp/a.png` },
      { image: fd("/tmp/b.png", "https://x/b.png"), other: { path: "p" } },
    ]);
  });

  test("Gradio 4.x (no prefix): output urls are rebuilt from path (4.44 sends truncated roots); external urls are kept", async () => {
    const fd = (path: string, url: string) => ({ path, url, meta: { _type: "gradio.FileData" } });
    srv.handle(
      gradioApp(
        [frame("complete", [[fd("/tmp/a.png", "http://127.0.0.1:5/call/file=/tmp/a.png"), fd("https://h/x.png", "https://h/x.png")]])],
        {},
        { prefix: "" },
      ),
    );
    expect(await ep({}, { prefix: "" })({ x: 1 })).toEqual([fd("/tmp/a.png", `${srv.url}/file=/tmp/a.png`), fd("https://h/x.png", "https://h/x.png")]);
  });
});

describe("files", () => {
  const FD = { _type: "gradio.FileData" };

  test("blobs of one call are uploaded in ONE request, in order, as multipart `files`", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    const a = new File(["hello bytes"], "a.txt", { type: "text/plain" });
    const b = new Blob([new Uint8Array([1, 2, 3])]);
    await ep({
      i: [
        { k: "one", f: 1 },
        { k: "two", f: { i: 1 } },
      ],
    })({ one: a, two: [b, "https://h.example/dir/cat.png?x=1"] });
    const uploads = srv.recs.filter((r) => r.url === "/gradio_api/upload");
    expect(uploads.length).toBe(1);
    const up = uploads[0]!;
    expect(up.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(up.body).toContain('name="files"; filename="a.txt"');
    expect(up.body).toContain("hello bytes");
    expect(up.body).toContain('name="files"; filename="blob"');
    expect(up.body.indexOf("a.txt")).toBeLessThan(up.body.indexOf('filename="blob"'));
    expect(up.raw.includes(Buffer.from([1, 2, 3]))).toBe(true);
    expect(srv.recs.map((r) => r.url)[0]).toBe("/gradio_api/upload");
    expect(sent()).toEqual([
      { path: "/tmp/gradio/h0/a.txt", orig_name: "a.txt", size: 11, mime_type: "text/plain", meta: FD },
      [
        { path: "/tmp/gradio/h1/blob", orig_name: "blob", size: 3, mime_type: null, meta: FD },
        { path: "https://h.example/dir/cat.png?x=1", url: "https://h.example/dir/cat.png?x=1", orig_name: "cat.png", meta: FD },
      ],
    ]);
  });

  test("no upload request when there is no blob", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    await ep({ i: [{ k: "f", f: 1 }] })({ f: "https://h.example/a.wav" });
    expect(srv.recs.some((r) => r.url.includes("upload"))).toBe(false);
  });

  test.each([
    {
      name: "URL object",
      v: new URL("https://h.example/x/y.png"),
      want: { path: "https://h.example/x/y.png", url: "https://h.example/x/y.png", orig_name: "y.png", meta: FD },
    },
    {
      name: "http URL string",
      v: "http://h.example/a.mp3",
      want: { path: "http://h.example/a.mp3", url: "http://h.example/a.mp3", orig_name: "a.mp3", meta: FD },
    },
    { name: "FileData without meta gets meta", v: { path: "/tmp/x.png", orig_name: "x.png" }, want: { path: "/tmp/x.png", orig_name: "x.png", meta: FD } },
    { name: "FileData with only url gets meta", v: { url: "https://h/x.png" }, want: { url: "https://h/x.png", meta: FD } },
    { name: "FileData with meta passes", v: { path: "p", url: "u", meta: FD, size: 3 }, want: { path: "p", url: "u", meta: FD, size: 3 } },
    { name: "null", v: null, want: null },
    { name: "undefined", v: undefined, want: null },
  ])("a file input given as $name", async ({ v, want }) => {
    srv.handle(gradioApp([frame("complete", [null])]));
    await ep({ i: [{ k: "f", f: 1 }] })({ f: v });
    expect(sent()).toEqual([want]);
  });

  test("nested plans: Gallery {i:{p:[[image,1]]}} and MultimodalTextbox {p:[[files,{i:1}]]}, without mutating the input", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    const blob = new Blob(["img"], { type: "image/png" });
    const gallery = [
      { image: blob, caption: "one" },
      { image: "https://h.example/g/two.webp", caption: null },
      { image: { path: "/tmp/three.png" }, caption: "three" },
    ];
    const mm = { text: "look", files: [new File(["f"], "f.png"), { path: "/tmp/keep.png", meta: FD }], extra: "files" };
    const input = Object.freeze({ gallery: Object.freeze(gallery.map((g) => Object.freeze(g))), mm: Object.freeze(mm) });
    const before = JSON.stringify(input);
    await ep({
      i: [
        { k: "gallery", f: { i: { p: [["image", 1]] } } },
        { k: "mm", f: { p: [["files", { i: 1 }]] } },
      ],
    })(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(input.gallery[0]!.image).toBe(blob);
    expect(sent()).toEqual([
      [
        { image: { path: "/tmp/gradio/h0/blob", orig_name: "blob", size: 3, mime_type: "image/png", meta: FD }, caption: "one" },
        { image: { path: "https://h.example/g/two.webp", url: "https://h.example/g/two.webp", orig_name: "two.webp", meta: FD }, caption: null },
        { image: { path: "/tmp/three.png", meta: FD }, caption: "three" },
      ],
      {
        text: "look",
        files: [
          { path: "/tmp/gradio/h1/f.png", orig_name: "f.png", size: 1, mime_type: null, meta: FD },
          { path: "/tmp/keep.png", meta: FD },
        ],
        extra: "files",
      },
    ]);
  });

  test("a plan property applies only where the object has that own key (and __proto__ stays data)", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    const v = JSON.parse('{"__proto__": "https://h.example/p.png", "text": "t"}');
    await ep({
      i: [
        {
          k: "v",
          f: {
            p: [
              ["__proto__", 1],
              ["missing", 1],
            ],
          },
        },
      ],
    })({ v });
    const body = JSON.parse(calls()[0]!.body);
    expect(Object.keys(body.data[0])).toEqual(["__proto__", "text"]);
    expect(Object.getOwnPropertyDescriptor(body.data[0], "__proto__")!.value).toEqual({
      path: "https://h.example/p.png",
      url: "https://h.example/p.png",
      orig_name: "p.png",
      meta: FD,
    });
  });

  test("a default holding files is walked too, and the spec's default is not mutated", async () => {
    srv.handle(gradioApp([frame("complete", [null])]));
    const d = { text: "", files: [{ path: "/tmp/d.png" }] };
    const s = spec({ i: [{ k: "mm", d, f: { p: [["files", { i: 1 }]] } }] });
    await endpoint(app(), s)({});
    expect(sent()).toEqual([{ text: "", files: [{ path: "/tmp/d.png", meta: FD }] }]);
    expect(d).toEqual({ text: "", files: [{ path: "/tmp/d.png" }] });
  });

  test("upload failure (413) is an http error and nothing is submitted", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/upload": (_q, res) =>
          res.writeHead(413, { "content-type": "text/plain" }).end("File size exceeded maximum allowed size of 10 bytes."),
      }),
    );
    const e = await failure(ep({ i: [{ k: "f", f: 1 }] })({ f: new Blob(["0123456789abc"]) }));
    expect(e.kind).toBe("http");
    expect(e.status).toBe(413);
    expect(e.message).toContain("File size exceeded");
    expect(calls()).toEqual([]);
  });
});

const HTML = "<!DOCTYPE html><html><head><title>502</title></head><body>" + "x".repeat(5000) + "</body></html>";

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
  within?: number;
};
const onPost = (h: Handler) => ({ "POST /gradio_api/call/predict": h });

const failures: Fail[] = [
  {
    name: "5xx HTML page on POST",
    routes: onPost((_q, res) => res.writeHead(502, { "content-type": "text/html" }).end(HTML)),
    kind: "http",
    status: 502,
    check: (e) => expect(e.message).not.toMatch(/<|xxxx/),
  },
  {
    name: "500 plain text on POST",
    routes: onPost((_q, res) => res.writeHead(500).end("Internal Server Error")),
    kind: "http",
    status: 500,
    msg: /Internal Server Error/,
  },
  { name: "404 JSON detail", routes: onPost((_q, res) => json(res, 404, { detail: "Not Found" })), kind: "http", status: 404, msg: /HTTP 404 Not Found/ },
  {
    name: "503 queue full",
    routes: onPost((_q, res) => json(res, 503, { detail: "Queue is full. Max size is 1 and size is 1." })),
    kind: "queue_full",
    status: 503,
    msg: /Queue is full/,
  },
  {
    name: "422 Gradio validator",
    routes: onPost((_q, res) =>
      json(res, 422, {
        detail: [
          { __type__: "validate", is_valid: false, message: "must be positive", parameter_name: "x" },
          { __type__: "validate", is_valid: true, message: "" },
        ],
      }),
    ),
    kind: "validation",
    status: 422,
    msg: /x: must be positive/,
    check: (e) => expect(e.validation).toEqual([{ parameter: "x", message: "must be positive" }]),
  },
  {
    name: "422 FastAPI",
    routes: onPost((_q, res) => json(res, 422, { detail: [{ type: "missing", loc: ["body", "data"], msg: "Field required", input: {} }] })),
    kind: "validation",
    status: 422,
    msg: /Field required/,
    check: (e) => expect(e.validation).toEqual([{ parameter: "body.data", message: "Field required" }]),
  },
  {
    name: "401",
    routes: onPost((_q, res) => json(res, 401, { detail: { error: "Not authenticated", auth_message: null } })),
    kind: "unauthorized",
    status: 401,
    msg: /Not authenticated/,
  },
  { name: "403", routes: onPost((_q, res) => res.writeHead(403).end("Forbidden")), kind: "unauthorized", status: 403 },
  { name: "POST answer without event_id", routes: onPost((_q, res) => json(res, 200, { id: 1 })), kind: "protocol" },
  { name: "POST answer not JSON", routes: onPost((_q, res) => res.writeHead(200).end("<html>")), kind: "protocol" },
  {
    name: "GET answers 404",
    routes: { "GET /gradio_api/call/predict/ev1": (_q, res) => json(res, 404, { detail: "Not Found" }) },
    kind: "http",
    status: 404,
    eventId: true,
  },
  {
    name: "reset mid-stream",
    steps: [frame("generating", [1]), { wait: 20 }, "destroy"],
    kind: "network",
    eventId: true,
    check: (e) => expect(e.cause).toBeDefined(),
  },
  { name: "stream ends without complete", steps: [frame("generating", [1]), "end"], kind: "protocol", eventId: true },
  { name: "stream ends mid-event", steps: ["event: complete\ndata: [1]\n", "end"], kind: "protocol", eventId: true },
  { name: "malformed JSON in data", steps: ["event: complete\ndata: [1, oops\n\n", "hang"], kind: "protocol", eventId: true },
  { name: "complete with non-array data", steps: [frame("complete", { a: 1 }), "hang"], kind: "protocol", eventId: true },
  { name: "complete with null (cancelled on the server)", steps: [frame("complete", null)], kind: "aborted", eventId: true },
  {
    name: "heartbeats only until timeoutMs",
    steps: [
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      { wait: 50 },
      frame("heartbeat", null),
      "hang",
    ],
    opts: { timeoutMs: 250, idleTimeoutMs: 200 },
    kind: "timeout",
    msg: /timed out after 250 ms/,
    eventId: true,
  },
  { name: "idle stream until the idle timeout", steps: ["hang"], opts: { idleTimeoutMs: 150 }, kind: "timeout", msg: /no data for 150 ms/, eventId: true },
  { name: "timeoutMs while the POST hangs", routes: onPost(() => {}), opts: { timeoutMs: 150 }, kind: "timeout" },
  // a module generated from the app's URL calls Gradio < 6.13 through the queue; without a dependency id it cannot
  {
    name: "error event: null (4.20-6.12)",
    steps: [frame("error", null)],
    kind: "app",
    msg: /the app raised an error \(Gradio < 6\.13 sends no message over \/call: generate the module from the app's URL\)$/,
    eventId: true,
  },
  {
    name: "error event: {error: null} (6.13+)",
    steps: [frame("generating", [1]), frame("error", { error: null })],
    kind: "app",
    msg: /verbose errors/,
    eventId: true,
  },
  { name: "error event: string", steps: [frame("error", "404: Not Found")], kind: "app", msg: /404: Not Found/, eventId: true },
  {
    name: "error event: gr.Error object",
    steps: [frame("error", { error: "Custom user-facing error message", duration: 10, visible: true, title: "Oops" })],
    kind: "app",
    msg: /^\/predict failed: Custom user-facing error message$/,
    eventId: true,
    check: (e) => expect(e.title).toBe("Oops"),
  },
  {
    name: "error event: ZeroGPU quota",
    steps: [frame("error", { error: "You have exceeded your GPU quota (60s requested vs. 56s left). Try again in 0:01:04", title: "ZeroGPU quota exceeded" })],
    kind: "quota",
    msg: /GPU quota/,
    eventId: true,
    check: (e) => expect(e.quota).toEqual({ requested: 60, remaining: 56 }),
  },
  {
    name: "error event: Pro quota with decimals, multi-line",
    steps: [frame("error", "You have exceeded your Pro GPU quota (60.5s requested vs. 6.25s left).\nTry again in 0:00:12")],
    kind: "quota",
    eventId: true,
    check: (e) => {
      expect(e.quota).toEqual({ requested: 60.5, remaining: 6.25 });
      expect(e.message).not.toContain("\n");
    },
  },
  {
    name: "error event: quota text without numbers",
    steps: [frame("error", "ZeroGPU quota exceeded")],
    kind: "quota",
    eventId: true,
    check: (e) => expect(e.quota).toBeUndefined(),
  },
];

describe("failures", () => {
  test.each(failures)("$name → $kind", async (f) => {
    srv.handle(gradioApp(f.steps ?? [frame("complete", [1])], f.routes ?? {}));
    const t0 = Date.now();
    const e = await failure(ep()({ x: 1 }, f.opts));
    expect(Date.now() - t0).toBeLessThan(f.within ?? 3000);
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
    const e = await failure(ep({}, { url })({ x: 1 }));
    expect(e.kind).toBe("network");
    expect(e.cause).toBeDefined();
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.eventId).toBeUndefined();
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

  test("a stream failure cancels the job on the server; a finished job is not cancelled", async () => {
    srv.handle(gradioApp([frame("generating", [1]), "end"]));
    await failure(ep()({ x: 1 }));
    expect(srv.recs.filter((r) => r.url === "/gradio_api/cancel").length).toBe(1);
    srv.handle(gradioApp([frame("error", null)]));
    await failure(ep()({ x: 1 }));
    srv.handle(gradioApp([frame("complete", [1])]));
    await ep()({ x: 1 });
    expect(srv.recs.filter((r) => r.url === "/gradio_api/cancel")).toEqual([]);
  });
});

describe("abort, early break, cancel", () => {
  const cancels = () => srv.recs.filter((r) => r.url === "/gradio_api/cancel");

  test("abort mid-stream rejects `aborted`, closes the stream and POSTs /cancel with the right body", async () => {
    srv.handle(gradioApp([frame("generating", [1]), frame("heartbeat", null), "hang"]));
    const ac = new AbortController();
    const t0 = Date.now();
    const seen: unknown[] = [];
    const e = await failure(
      (async () => {
        for await (const v of ep().stream({ x: 1 }, { signal: ac.signal })) {
          seen.push(v);
          setTimeout(() => ac.abort(), 30);
        }
      })(),
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(seen).toEqual([1]);
    expect(e.kind).toBe("aborted");
    expect(e.eventId).toBe("ev1");
    expect(cancels().length).toBe(1);
    expect(JSON.parse(cancels()[0]!.body)).toEqual({ session_hash: "ev1", fn_index: 3, event_id: "ev1" });
    expect(cancels()[0]!.headers["content-type"]).toBe("application/json");
    await srv.recs.find((r) => r.method === "GET")!.closed;
  });

  test("abort of the plain call while waiting", async () => {
    srv.handle(gradioApp([frame("heartbeat", null), "hang"]));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await failure(ep()({ x: 1 }, { signal: ac.signal }));
    expect(e.kind).toBe("aborted");
    expect(cancels().length).toBe(1);
  });

  test("an already-aborted signal rejects without a job", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    const e = await failure(ep()({ x: 1 }, { signal: AbortSignal.abort() }));
    expect(e.kind).toBe("aborted");
    expect(calls()).toEqual([]);
  });

  test("abort during the upload", async () => {
    const ac = new AbortController();
    srv.handle(gradioApp([], { "POST /gradio_api/upload": () => void ac.abort() }));
    const e = await failure(ep({ i: [{ k: "f", f: 1 }] })({ f: new Blob(["x"]) }, { signal: ac.signal }));
    expect(e.kind).toBe("aborted");
    expect(calls()).toEqual([]);
  });

  test("no /cancel when the app has none or the fn_index is unknown (the stream is still closed)", async () => {
    for (const [a, s] of [
      [{ cancel: false }, {}],
      [{}, { x: -1 }],
    ] as const) {
      srv.handle(gradioApp([frame("heartbeat", null), "hang"]));
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      expect((await failure(ep(s, a)({ x: 1 }, { signal: ac.signal }))).kind).toBe("aborted");
      expect(cancels()).toEqual([]);
      await srv.recs.find((r) => r.method === "GET")!.closed;
    }
  });

  test("a failing /cancel is swallowed", async () => {
    srv.handle(gradioApp([frame("heartbeat", null), "hang"], { "POST /gradio_api/cancel": (_q, res) => res.socket?.destroy() }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect((await failure(ep()({ x: 1 }, { signal: ac.signal }))).kind).toBe("aborted");
  });

  test("early break out of .stream() closes the stream and cancels the job", async () => {
    srv.handle(gradioApp([frame("generating", [1]), frame("generating", [2]), "hang"]));
    const seen: unknown[] = [];
    for await (const v of ep().stream({ x: 1 })) {
      seen.push(v);
      break;
    }
    expect(seen).toEqual([1]);
    expect(JSON.parse(cancels()[0]!.body)).toEqual({ session_hash: "ev1", fn_index: 3, event_id: "ev1" });
    await srv.recs.find((r) => r.method === "GET")!.closed;
  });

  test("breaking after the complete value cancels nothing", async () => {
    srv.handle(gradioApp([frame("complete", [1]), "hang"]));
    for await (const v of ep().stream({ x: 1 })) {
      expect(v).toBe(1);
      break;
    }
    expect(cancels()).toEqual([]);
  });

  test("the caller's signal gets no listener left behind", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    const ac = new AbortController();
    let added = 0;
    let removed = 0;
    const sig = ac.signal;
    const add = sig.addEventListener.bind(sig);
    const rem = sig.removeEventListener.bind(sig);
    sig.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
    sig.removeEventListener = ((...a: Parameters<typeof rem>) => (removed++, rem(...a))) as typeof rem;
    await ep()({ x: 1 }, { signal: sig });
    expect([added, removed]).toEqual([1, 1]);
  });
});

describe("options", () => {
  test("token goes to the app origin on every request (upload, call, stream, cancel) as X-HF-Authorization", async () => {
    srv.handle(gradioApp([frame("generating", [1]), "hang"]));
    for await (const _ of ep({ i: [{ k: "f", f: 1 }] }).stream({ f: new Blob(["x"]) }, { token: "hf_abc" })) break;
    expect(srv.recs.map((r) => r.url)).toEqual(["/gradio_api/upload", "/gradio_api/call/predict", "/gradio_api/call/predict/ev1", "/gradio_api/cancel"]);
    for (const r of srv.recs) expect(r.headers["x-hf-authorization"]).toBe("Bearer hf_abc");
    // the Spaces proxy strips X-HF-Authorization; Authorization would reach the Space's own code
    for (const r of srv.recs) expect(r.headers.authorization).toBeUndefined();
  });

  test("HF_TOKEN is not sent to a local app (only to https://*.hf.space: trust.test.ts); an explicit token is; no token → no header", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    process.env.HF_TOKEN = "hf_env";
    try {
      await ep()({ x: 1 });
      expect(srv.recs[0]!.headers["x-hf-authorization"]).toBeUndefined();
      srv.handle(gradioApp([frame("complete", [1])]));
      await ep()({ x: 1 }, { token: "hf_opt" });
      expect(srv.recs[0]!.headers["x-hf-authorization"]).toBe("Bearer hf_opt");
    } finally {
      delete process.env.HF_TOKEN;
    }
    srv.handle(gradioApp([frame("complete", [1])]));
    await ep()({ x: 1 });
    expect(srv.recs[0]!.headers["x-hf-authorization"]).toBeUndefined();
  });

  test("an option set to undefined is one not given: the client's token and deadline stay", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    await ep({}, {}, { token: "hf_client" })({ x: 1 }, { token: undefined });
    expect(srv.recs[0]!.headers["x-hf-authorization"]).toBe("Bearer hf_client");
    srv.handle(gradioApp(["hang"]));
    const started = Date.now();
    expect(await failure(ep({}, {}, { timeoutMs: 300 })({ x: 1 }, { timeoutMs: undefined, signal: undefined }))).toMatchObject({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("with a token, a redirect to another origin is refused and the other origin never sees the token", async () => {
    other.handle((_q, res) => json(res, 200, { event_id: "ev1" }));
    srv.handle(
      gradioApp(
        [],
        onPost((_q, res) => res.writeHead(307, { location: `${other.url}/gradio_api/call/predict` }).end()),
      ),
    );
    const e = await failure(ep()({ x: 1 }, { token: "hf_secret" }));
    expect(e.kind).toBe("http");
    expect(e.status).toBe(307);
    expect(e.message).not.toContain("hf_secret");
    for (const r of other.recs) expect(r.headers["x-hf-authorization"]).toBeUndefined();
    expect(other.recs).toEqual([]);
  });

  test("with a token, same-origin redirects are followed (bounded) with the token", async () => {
    const moved = gradioApp([frame("complete", ["moved"])], {}, { prefix: "/v2" });
    srv.handle((req, res, rec) => {
      if (rec.url.startsWith("/gradio_api/"))
        return void res.writeHead(rec.method === "POST" ? 308 : 302, { location: rec.url.replace("/gradio_api/", "/v2/") }).end();
      return moved(req, res, rec);
    });
    expect(await ep()({ x: 1 }, { token: "hf_t" })).toBe("moved");
    expect(srv.recs.map((r) => `${r.method} ${r.url} ${String(r.headers["x-hf-authorization"])}`)).toEqual([
      "POST /gradio_api/call/predict Bearer hf_t",
      "POST /v2/call/predict Bearer hf_t",
      "GET /gradio_api/call/predict/ev1 Bearer hf_t",
      "GET /v2/call/predict/ev1 Bearer hf_t",
    ]);
    expect(JSON.parse(srv.recs[1]!.body)).toEqual({ data: [1] });

    srv.handle((_q, res) => void res.writeHead(302, { location: "/loop" }).end());
    const e = await failure(ep()({ x: 1 }, { token: "hf_t" }));
    expect(e.kind).toBe("http");
    expect(srv.recs.length).toBeLessThan(10);
  });

  test("headers go on every request; client defaults merge with call options", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    const client = bind(ep(), { headers: { "x-ip-token": "ip", "x-a": "client" }, token: "hf_c" });
    await client({ x: 1 }, { headers: { "x-a": "call" } });
    for (const r of srv.recs) {
      expect(r.headers["x-ip-token"]).toBe("ip");
      expect(r.headers["x-a"]).toBe("call");
      expect(r.headers["x-hf-authorization"]).toBe("Bearer hf_c");
      expect(r.headers["x-gradio-user"]).toBeUndefined();
    }
  });

  test("bind keeps the endpoint's defaults and binds again over them", async () => {
    other.handle(gradioApp([frame("complete", ["other"])]));
    const a = bind(ep(), { baseUrl: other.url, headers: { "x-1": "1" } });
    const b = bind(a, { headers: { "x-2": "2" } });
    expect(await b({ x: 1 })).toBe("other");
    expect(other.recs[0]!.headers["x-1"]).toBe("1");
    expect(other.recs[0]!.headers["x-2"]).toBe("2");
  });

  test("a custom fetch replaces the global one", async () => {
    srv.handle(gradioApp([frame("complete", [5])]));
    const urls: string[] = [];
    const f: typeof fetch = (u, init) => (urls.push(u instanceof Request ? u.url : String(u)), fetch(u, init));
    expect(await ep()({ x: 1 }, { fetch: f })).toBe(5);
    expect(urls).toEqual([`${srv.url}/gradio_api/call/predict`, `${srv.url}/gradio_api/call/predict/ev1`]);
  });

  test("nothing happens until the stream is iterated", async () => {
    srv.handle(gradioApp([frame("complete", [1])]));
    ep().stream({ x: 1 });
    await sleep(50);
    expect(srv.recs).toEqual([]);
  });
});
