// Issue 13, point 9: generator diffs of the queue protocol (live, createSession) come from the server, so an edit
// that points past a list's end, into a value that is not a container, at __proto__/constructor/prototype, or
// that grows the value past the size limit is a protocol error. The heap-growth replays run in a child process
// with a small heap, so that a runtime without the bounds aborts the child, not the test runner.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSession, live } from "../../templates/queue.ts";
import { bareEndpoint, SpaceError } from "../../templates/runtime.ts";
import { repoRoot } from "../support/paths.ts";
import { json, startServer, type TestServer } from "./server.ts";

let srv: TestServer;
let dir: string;
beforeAll(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "spacegen-diffs-"));
  const res = await build({
    stdin: {
      contents: 'export { bareEndpoint } from "./templates/runtime.ts"; export { live } from "./templates/queue.ts";',
      resolveDir: repoRoot,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
  });
  writeFileSync(join(dir, "runtime.mjs"), res.outputFiles[0]!.text);
  writeFileSync(join(dir, "child.mjs"), CHILD);
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

const msg = (m: Record<string, unknown>) => `data: ${JSON.stringify(m)}\n\n`;
const generating = (data: unknown[]) => msg({ msg: "process_generating", event_id: "ev1", output: { data, is_generating: true }, success: true });
const completed = (data: unknown[]) => msg({ msg: "process_completed", event_id: "ev1", output: { data, is_generating: false }, success: true });

/** A queue app whose session stream plays `frames` (written as given, one write each) and then hangs. */
function queueApp(frames: () => Iterable<string>) {
  srv.handle(async (_q, res, rec) => {
    if (rec.url.endsWith("/queue/join")) return json(res, 200, { event_id: "ev1" });
    if (rec.url.endsWith("/cancel")) return json(res, 200, { success: true });
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const f of frames()) {
      if (res.destroyed) return;
      if (!res.write(f)) await new Promise((r) => (res.once("drain", r), res.once("close", r)));
    }
  });
}

const ep = () => bareEndpoint<Record<string, unknown>, unknown>({ url: srv.url, prefix: "/gradio_api", cancel: true }, { n: "gen", i: [], o: [1], s: 1, x: 0 });

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    expect(e).toBeInstanceOf(SpaceError);
    return (e as SpaceError).kind;
  }
}

// One live call with the bundled runtime; prints its outcome and its heap growth.
const CHILD = `
import { bareEndpoint, live } from "./runtime.mjs";
const ep = bareEndpoint({ url: process.argv[2], prefix: "/gradio_api", cancel: true }, { n: "gen", i: [], o: [1], s: 1, x: 0 });
const before = process.memoryUsage().heapUsed;
let out;
try { out = { value: typeof (await live(ep)({}, { timeoutMs: 60000 })) }; } catch (e) { out = { kind: e.kind, message: e.message }; }
process.stdout.write(JSON.stringify({ ...out, heapGrowthMb: Math.round((process.memoryUsage().heapUsed - before) / 1048576) }) + "\\n");
`;

function child(heapMb: number): Promise<{ out: string; code: number | null; signal: string | null }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, join(dir, "child.mjs"), srv.url], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    p.stderr.resume();
    const timer = setTimeout(() => p.kill("SIGKILL"), 90_000);
    p.on("error", fail);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ out: out.trim(), code, signal });
    });
  });
}

describe("replays in a child process with a 160 MB heap", () => {
  test("one ~100-byte message with index 2e8 is a protocol error, not a 2.3 GB heap and a V8 abort", async () => {
    queueApp(() => [generating([[]]), generating([[["replace", [2e8], 1]]])]);
    const r = await child(160);
    expect(r.signal).toBeNull();
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(r.out).kind).toBe("protocol");
  }, 100_000);

  test("appends that grow a value past 64 MiB are a protocol error (within a 512 MB heap)", async () => {
    const eight = "x".repeat(8 << 20);
    queueApp(function* () {
      yield generating([""]);
      for (let i = 0; i < 10; i++) yield generating([[["append", [], eight]]]);
      yield completed(["done"]);
    });
    const r = await child(512);
    expect(r.code, r.out).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.kind).toBe("protocol");
    expect(out.message).toMatch(/64 MiB/);
  }, 100_000);
});

describe("edits that do not fit the value", () => {
  test.each([
    { name: "add past the end of a list", start: [[1]], diff: [["add", [5], 2]] },
    { name: "replace past the end of a list", start: [[1]], diff: [["replace", [2], 2]] },
    { name: "replace at a negative index", start: [[1]], diff: [["replace", [-1], 2]] },
    { name: "replace at a fractional index", start: [[1, 2]], diff: [["replace", [0.5], 2]] },
    { name: "a string key into a list", start: [[1]], diff: [["replace", ["length"], 1e9]] },
    { name: "a path through a string", start: ["text"], diff: [["replace", [0, "a"], 1]] },
    { name: "a path through null", start: [{ a: null }], diff: [["replace", ["a", "b"], 1]] },
    { name: "a path through a missing key", start: [{}], diff: [["replace", ["a", "b", "c"], 1]] },
    { name: "__proto__", start: [{}], diff: [["replace", ["__proto__"], { polluted: true }]] },
    { name: "__proto__ deeper", start: [{ a: {} }], diff: [["add", ["a", "__proto__", "polluted"], true]] },
    { name: "constructor.prototype", start: [{}], diff: [["replace", ["constructor", "prototype", "polluted"], true]] },
    { name: "an unknown action", start: [[1]], diff: [["explode", [0], 1]] },
    { name: "append to a number", start: [1], diff: [["append", [], 2]] },
    { name: "append an object to a string", start: ["a"], diff: [["append", [], { b: 1 }]] },
    { name: "a path that is not a list", start: [{ a: 1 }], diff: [["replace", "a", 2]] },
    { name: "a diff that is not a list", start: [{ a: 1 }], diff: { replace: 1 } },
    { name: "a diff for a missing output", start: [1], diffs: [[], [["replace", [], 2]]] },
  ])("$name → protocol", async (c) => {
    queueApp(() => [generating(c.start), generating(c.diffs ?? [c.diff]), completed(c.start)]);
    expect(await kindOf(live(ep())({}))).toBe("protocol");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("the same refusal in a session", async () => {
    queueApp(() => [generating([[]]), generating([[["add", [3], 1]]]), completed([[1]])]);
    const session = createSession();
    try {
      expect(await kindOf(session.call(ep(), {}))).toBe("protocol");
    } finally {
      await session.close();
    }
  });

  test("edits that fit are applied: add at the end, replace inside, delete, append to a string, new object keys", async () => {
    queueApp(() => [
      generating([{ l: [1], s: "a", o: {} }]),
      generating([
        [
          ["add", ["l", 1], 2],
          ["replace", ["l", 0], 0],
          ["append", ["s"], "b"],
          ["add", ["o", "k"], [1]],
          ["delete", ["l", 1], null],
        ],
      ]),
      completed([{ l: [0], s: "ab", o: { k: [1] } }]),
    ]);
    const seen: unknown[] = [];
    for await (const v of live(ep()).stream({})) seen.push(v);
    // the closing process_completed repeats the last value: not yielded again (issue 14)
    expect(seen).toEqual([
      { l: [1], s: "a", o: {} },
      { l: [0], s: "ab", o: { k: [1] } },
    ]);
  });
});

describe("whole values (wholeValues: Gradio before 6.27, where a dead run's diff state can spoil a later run's)", () => {
  const wholeEp = () =>
    bareEndpoint<Record<string, unknown>, unknown>(
      { url: srv.url, prefix: "/gradio_api", cancel: true, wholeValues: true },
      { n: "gen", i: [], o: [1], s: 1, x: 0 },
    );

  test("the join asks for simple_format, and each message is the value itself, even one shaped like a diff", async () => {
    queueApp(() => [generating(["a"]), generating([[["append", [], "b"]]]), completed([[["append", [], "b"]]])]);
    const from = srv.recs.length;
    const seen: unknown[] = [];
    for await (const v of live(wholeEp()).stream({})) seen.push(v);
    expect(seen).toEqual(["a", [["append", [], "b"]]]);
    const join = srv.recs.slice(from).find((r) => r.url.endsWith("/queue/join"))!;
    expect(JSON.parse(join.body).simple_format).toBe(true);
  });

  test("without it the join leaves simple_format out and the messages after the first are diffs", async () => {
    queueApp(() => [generating(["a"]), generating([[["append", [], "b"]]]), completed(["ab"])]);
    const from = srv.recs.length;
    const seen: unknown[] = [];
    for await (const v of live(ep()).stream({})) seen.push(v);
    expect(seen).toEqual(["a", "ab"]);
    const join = srv.recs.slice(from).find((r) => r.url.endsWith("/queue/join"))!;
    expect("simple_format" in JSON.parse(join.body)).toBe(false);
  });
});
