// Issue 7, part 3: network faults beyond test/runtime/call.test.ts — slow servers, servers that never
// close (before or after the final event), servers that never answer, and 100 MB of heartbeats.
// Each is bounded by the call options (timeoutMs, idleTimeoutMs); the memory-heavy ones run the
// bundled runtime in a child process so that its memory is measured alone.

import { spawn } from "node:child_process";
import { once } from "node:events";
import type http from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { endpoint, SpaceError, type CallOptions } from "../../templates/runtime.ts";
import { dribble, frame, gradioApp, sleep, startServer, type TestServer } from "../runtime/server.ts";
import { repoRoot } from "../support/paths.ts";

let srv: TestServer;
let dir: string;
const savedToken = process.env.HF_TOKEN;
const report: string[] = [];

beforeAll(async () => {
  delete process.env.HF_TOKEN;
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "spacegen-faults-"));
  const res = await build({ entryPoints: [resolve(repoRoot, "templates/runtime.ts")], bundle: true, format: "esm", platform: "neutral", write: false });
  writeFileSync(join(dir, "runtime.mjs"), res.outputFiles[0]!.text);
  writeFileSync(join(dir, "child.mjs"), CHILD);
});
afterAll(async () => {
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  await srv.close();
  console.log(`faults:\n${report.join("\n")}`);
});

const ep = () => endpoint<{ x: string }, string>({ url: srv.url, prefix: "/gradio_api", cancel: true }, { n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 0 });

/** Settles the call; returns the value or the SpaceError kind, and how long it took. */
async function settle(options: CallOptions): Promise<{ value?: string; kind?: string; ms: number }> {
  const started = performance.now();
  try {
    const value = await ep()({ x: "in" }, options);
    return { value, ms: performance.now() - started };
  } catch (error) {
    expect(error).toBeInstanceOf(SpaceError);
    return { kind: (error as SpaceError).kind, ms: performance.now() - started };
  }
}

const COMPLETE = frame("complete", ["done"]);
const HEARTBEAT = frame("heartbeat", null);

function stream(play: (res: http.ServerResponse) => Promise<void>) {
  return gradioApp([], {
    "GET /gradio_api/call/predict/ev1": async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      await play(res);
    },
  });
}

const log = (kind: string, r: { value?: string; kind?: string; ms: number }, extra = "") =>
  report.push(
    `  ${kind.padEnd(44)} → ${r.value !== undefined ? `value ${JSON.stringify(r.value)}` : `SpaceError ${r.kind}`} in ${Math.round(r.ms)} ms${extra}`,
  );

describe("slow and silent servers, bounded by the options", () => {
  test("byte by byte (20 ms apart): completes, the idle timer is reset by every byte", async () => {
    srv.handle(stream(async (res) => void (await dribble(res, HEARTBEAT + COMPLETE, 20))));
    const r = await settle({ idleTimeoutMs: 400 });
    log("slow bytes, complete (idleTimeoutMs 400)", r);
    expect(r.value).toBe("done");
    expect(r.ms).toBeGreaterThan((HEARTBEAT + COMPLETE).length * 20 * 0.8);
  });

  test("byte by byte forever: timeoutMs bounds the call", async () => {
    srv.handle(stream(async (res) => void (await dribble(res, HEARTBEAT.repeat(1000), 10))));
    const r = await settle({ timeoutMs: 800, idleTimeoutMs: 400 });
    log("slow bytes forever (timeoutMs 800)", r);
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeGreaterThan(750);
    expect(r.ms).toBeLessThan(2000);
  });

  test("headers, then silence with the connection open: idleTimeoutMs bounds the call", async () => {
    srv.handle(stream(async () => {}));
    const r = await settle({ idleTimeoutMs: 300 });
    log("silent before complete (idleTimeoutMs 300)", r);
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeLessThan(1500);
  });

  test("heartbeats forever, never complete, never close: timeoutMs bounds the call", async () => {
    srv.handle(
      stream(async (res) => {
        while (!res.destroyed) {
          res.write(HEARTBEAT);
          await sleep(50);
        }
      }),
    );
    const r = await settle({ timeoutMs: 700, idleTimeoutMs: 300 });
    log("heartbeats forever (timeoutMs 700)", r);
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeLessThan(2000);
  });

  test("complete, then the connection never closes: resolves at once and closes it", async () => {
    let closed: Promise<void> | undefined;
    srv.handle(
      gradioApp([], {
        "GET /gradio_api/call/predict/ev1": (_req, res, rec) => {
          closed = rec.closed;
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(COMPLETE); // and never end
        },
      }),
    );
    const r = await settle({});
    log("never closes after complete (no options)", r);
    expect(r.value).toBe("done");
    expect(r.ms).toBeLessThan(1000);
    await Promise.race([closed, sleep(2000).then(() => Promise.reject(new Error("the client left the connection open")))]);
  });

  test("POST /call never answers: timeoutMs bounds the call", async () => {
    srv.handle(gradioApp([], { "POST /gradio_api/call/predict": () => {} }));
    const r = await settle({ timeoutMs: 500 });
    log("POST never answers (timeoutMs 500)", r);
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeLessThan(1500);
  });

  test("the stream's headers never come: timeoutMs bounds the call", async () => {
    srv.handle(gradioApp([], { "GET /gradio_api/call/predict/ev1": () => {} }));
    const r = await settle({ timeoutMs: 500 });
    log("stream headers never sent (timeoutMs 500)", r);
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeLessThan(1500);
  });
});

// A child process: one call with the bundled runtime, sampling its own memory every 20 ms.
const CHILD = `
import { endpoint } from "./runtime.mjs";
const [url, opts] = [process.argv[2], JSON.parse(process.argv[3])];
const ep = endpoint({ url, prefix: "/gradio_api", cancel: false }, { n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: -1 });
globalThis.gc?.();
const base = process.memoryUsage();
let maxRss = base.rss, maxHeap = base.heapUsed, maxBuffers = base.arrayBuffers;
const sample = () => { const m = process.memoryUsage(); maxRss = Math.max(maxRss, m.rss); maxHeap = Math.max(maxHeap, m.heapUsed); maxBuffers = Math.max(maxBuffers, m.arrayBuffers); };
const timer = setInterval(sample, 20);
const started = performance.now();
let result;
try { result = { value: await ep({ x: "in" }, opts) }; } catch (e) { result = { kind: e.kind, message: e.message }; }
sample();
clearInterval(timer);
const mb = (n) => Math.round(n / 1048576 * 10) / 10;
process.stdout.write(JSON.stringify({ ...result, ms: Math.round(performance.now() - started), baseRssMb: mb(base.rss), rssGrowthMb: mb(maxRss - base.rss), heapGrowthMb: mb(maxHeap - base.heapUsed), buffersGrowthMb: mb(maxBuffers - base.arrayBuffers) }) + "\\n");
`;

function child(
  opts: CallOptions,
): Promise<{ value?: string; kind?: string; message?: string; ms: number; rssGrowthMb: number; heapGrowthMb: number; buffersGrowthMb: number }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["--expose-gc", join(dir, "child.mjs"), srv.url, JSON.stringify(opts)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("error", fail);
    p.on("close", (code) => {
      clearTimeout(timer);
      try {
        done(JSON.parse(out));
      } catch {
        fail(new Error(`child exited ${code}: ${out}`));
      }
    });
  });
}

/** Streams `total` bytes of `unit` repeated, respecting backpressure, then `tail`; stops if the client leaves. */
function flood(unit: string, total: number, tail: string | null, sent: { bytes: number }) {
  const chunk = Buffer.from(unit.repeat(Math.ceil(65_536 / unit.length)));
  return stream(async (res) => {
    while (sent.bytes < total && !res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
    if (tail !== null && !res.destroyed) res.end(tail);
  });
}

const HUNDRED_MB = 100 * 1024 * 1024;

describe("100 MB streams, memory bounded", () => {
  test("100 MB of heartbeats, then complete: the value, with flat memory", async () => {
    const sent = { bytes: 0 };
    srv.handle(flood(HEARTBEAT, HUNDRED_MB, COMPLETE, sent));
    const r = await child({ idleTimeoutMs: 5000 });
    log("100 MB heartbeats then complete", r, ` (${Math.round(sent.bytes / 1048576)} MB sent; RSS +${r.rssGrowthMb} MB, heap +${r.heapGrowthMb} MB)`);
    expect(r.value).toBe("done");
    expect(sent.bytes).toBeGreaterThanOrEqual(HUNDRED_MB);
    expect(r.rssGrowthMb).toBeLessThan(128);
    expect(r.heapGrowthMb).toBeLessThan(32);
  }, 60_000);

  test("heartbeats without end: timeoutMs stops it, memory flat", async () => {
    const sent = { bytes: 0 };
    srv.handle(flood(HEARTBEAT, Infinity, null, sent));
    const r = await child({ timeoutMs: 2000 });
    log(
      "heartbeats flood without end (timeoutMs 2000)",
      r,
      ` (${Math.round(sent.bytes / 1048576)} MB sent; RSS +${r.rssGrowthMb} MB, heap +${r.heapGrowthMb} MB)`,
    );
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeLessThan(4000);
    expect(r.rssGrowthMb).toBeLessThan(128);
  }, 60_000);

  test("100 MB in one line that never ends (no newline): refused at the 64 MiB line cap, never an unbounded buffer", async () => {
    const sent = { bytes: 0 };
    srv.handle(flood("data: " + "x".repeat(1018), HUNDRED_MB, null, sent));
    const r = await child({ timeoutMs: 5000 });
    log(
      "100 MB line without newline (timeoutMs 5000)",
      r,
      ` (${Math.round(sent.bytes / 1048576)} MB sent; RSS +${r.rssGrowthMb} MB, heap +${r.heapGrowthMb} MB)`,
    );
    // sse() scans only new text for line ends (linear) and refuses a line or event beyond 2^26 characters:
    // Gradio events can legitimately be tens of MB (inline base64 outputs), so the cap is generous.
    expect(r.kind).toBe("protocol");
    expect(r.ms).toBeLessThan(8000);
    expect(r.rssGrowthMb).toBeLessThan(256);
  }, 60_000);
});
