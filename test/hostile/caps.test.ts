// Issue 13, point 11: what a Space sends cannot make the generator crash, hang or blow up (src/shared/limits.ts).
// Live /config and /info are capped in size and in time (a trickled body, a server that never answers);
// $ref expansion is capped per document; the work is bounded in endpoints and parameters. Past a cap: one
// line that names it, exit 2, nothing written. Under the caps: a module at most a few hundred times its
// document's size, in under a minute.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const config = {
  version: "6.31.0",
  api_prefix: "/gradio_api",
  components: [
    { id: 1, type: "textbox" },
    { id: 2, type: "textbox" },
  ],
  dependencies: [{ id: 0, api_name: "predict", inputs: [1], outputs: [2], types: { generator: false }, api_visibility: "public" }],
};
const param = (name: string, type: unknown = { type: "string" }, extra: Record<string, unknown> = {}) => ({
  label: name,
  parameter_name: name,
  parameter_has_default: false,
  type,
  python_type: { type: "str", description: "" },
  component: "Textbox",
  ...extra,
});
const endpoint = (parameters: unknown[]) => ({
  parameters,
  returns: [{ label: "out", type: { type: "string" }, component: "Textbox" }],
  api_visibility: "public",
  description: "",
});
const info = { named_endpoints: { "/predict": endpoint([param("text")]) } };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let infoHandler: Handler = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(info));
let server: Server;
let appUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    res.on("error", () => {});
    if (req.url === "/config") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(config));
    if (req.url?.startsWith("/gradio_api/info")) return infoHandler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-caps-"));
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HF_TOKEN: "",
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  SPACEGEN_RETRY_BASE_MS: "20",
  ...extra,
});

async function timed(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }) {
  const started = Date.now();
  const r = await runCli(args, { env: env(options.env), cwd: options.cwd, timeout: options.timeout ?? 60_000 });
  return { ...r, ms: Date.now() - started };
}

function expectRefused(r: { code: number | null; stderr: string }, dir: string, message: RegExp) {
  expect(r.code, r.stderr.slice(0, 300)).toBe(2);
  // one error line (a raw /info also gets the warning that it does not say where its app runs)
  const lines = r.stderr
    .trim()
    .split("\n")
    .filter((l) => !/^spacegen: warning: .*a raw \/info does not say where its app runs/.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^spacegen: error: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(readdirSync(dir)).toEqual([]);
}

describe("live answers, capped in size and time", () => {
  it.each([
    ["announced with Content-Length", true],
    ["chunked, no length", false],
  ])("a 40 MB /info (%s): refused at 16 MiB, one line, nothing written", async (_how, announce) => {
    const chunk = Buffer.alloc(1024 * 1024, " ");
    infoHandler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", ...(announce ? { "content-length": String(40 * chunk.length + 20) } : {}) });
      res.write('{"named_endpoints": {"/a": {"description": "');
      let sent = 0;
      const more = () => {
        while (sent < 40) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end('"}}}');
      };
      more();
    };
    const dir = tmp();
    const r = await timed([appUrl, "-o", join(dir, "m.ts")], { cwd: dir });
    expectRefused(r, dir, /\/gradio_api\/info \(the app's \/info\) is larger than 16 MiB \(spacegen's limit for this answer\)/);
  });

  it("a trickled /info (one byte every 100 ms, for ever): ends at the request deadline with one line", async () => {
    const timers: NodeJS.Timeout[] = [];
    infoHandler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"named_endpoints": {"/a": {"description": "');
      timers.push(setInterval(() => res.write("x"), 100));
    };
    const dir = tmp();
    const r = await timed([appUrl, "-o", join(dir, "m.ts")], { cwd: dir, env: { SPACEGEN_HTTP_DEADLINE_MS: "2000" }, timeout: 30_000 });
    for (const t of timers) clearInterval(t);
    expectRefused(r, dir, /\/gradio_api\/info did not finish answering within 2 s \(spacegen's limit for one request\)/);
    expect(r.ms).toBeLessThan(15_000);
  });

  it("a server that never sends its headers: ends at the request deadline, not after three 30 s waits", async () => {
    infoHandler = () => {};
    const dir = tmp();
    const r = await timed([appUrl, "-o", join(dir, "m.ts")], { cwd: dir, env: { SPACEGEN_HTTP_DEADLINE_MS: "2000" }, timeout: 30_000 });
    expectRefused(r, dir, /did not finish answering within 2 s/);
    expect(r.ms).toBeLessThan(15_000);
  });
});

/** A fan of $refs: each level's object has four properties that all refer to the next level. */
function refFan(levels: number, params: number) {
  const defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/$defs/A${i + 1}` };
    defs[`A${i}`] = { properties: { a: next, b: next, c: next, d: next } };
  }
  defs[`A${levels}`] = { type: "string" };
  const type = { $defs: defs, $ref: "#/$defs/A0" };
  return { named_endpoints: { "/x": endpoint(Array.from({ length: params }, (_, i) => param(`p${i}`, type))) } };
}

describe("documents, bounded in expansion and work", () => {
  function write(doc: unknown): { dir: string; file: string; bytes: number } {
    const dir = tmp();
    const file = join(mkdtempSync(join(tmpdir(), "spacegen-caps-src-")), "info.json");
    const text = JSON.stringify(doc);
    writeFileSync(file, text);
    return { dir, file, bytes: text.length };
  }

  it("a 1 KB fan of $refs (4^7 paths): refused, one line naming the limit", async () => {
    const { dir, file, bytes } = write(refFan(7, 1));
    expect(bytes).toBeLessThan(1500);
    const r = await timed([file, "-o", join(dir, "m.ts")], { cwd: dir });
    expectRefused(r, dir, /its schemas expand to more than 5000 nodes through \$ref \(spacegen's limit for a document of 1 KiB\)/);
  });

  it("the same fan under the limit (4^5 paths): a module at most a few hundred times the document, in under a minute", async () => {
    const { dir, file, bytes } = write(refFan(5, 1));
    const r = await timed([file, "-o", join(dir, "m.ts")], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(60_000);
    expect(statSync(join(dir, "m.ts")).size / bytes).toBeLessThan(400);
  });

  it("200,000 parameters: refused quickly, one line naming the limit", async () => {
    const named: Record<string, unknown> = {};
    for (let e = 0; e < 2000; e++) named[`/e${e}`] = { parameters: Array.from({ length: 100 }, (_, i) => ({ parameter_name: `p${i}` })), returns: [] };
    const { dir, file } = write({ named_endpoints: named });
    const r = await timed([file, "-o", join(dir, "m.ts")], { cwd: dir });
    expectRefused(r, dir, /the app has 200000 parameters and returns, more than 20000 \(spacegen's limit for one app\)/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("5,001 endpoints: refused, one line naming the limit", async () => {
    const named: Record<string, unknown> = {};
    for (let e = 0; e < 5001; e++) named[`/e${e}`] = { parameters: [], returns: [] };
    const { dir, file } = write({ named_endpoints: named });
    expectRefused(await timed([file, "-o", join(dir, "m.ts")], { cwd: dir }), dir, /the app has 5001 endpoints, more than 5000/);
  });

  it("a snapshot whose /config lists 50,001 event listeners: refused", async () => {
    const dependencies = Array.from({ length: 50_001 }, (_, id) => ({ id, api_name: null, inputs: [], outputs: [], generator: false, visibility: "public" }));
    const snapshot = {
      spacegen: 1,
      source: { space: null, url: "http://127.0.0.1:7860", name: "app" },
      gradioVersion: "6.31.0",
      config: { ...config, dependencies },
      apiPrefix: null,
      info,
      notes: [],
    };
    const { dir, file } = write(snapshot);
    expectRefused(await timed([file, "-o", join(dir, "m.ts")], { cwd: dir }), dir, /the app has 50001 event listeners, more than 50000/);
  });

  it("a document file larger than 16 MiB: refused before it is read", async () => {
    const { dir, file } = write({ named_endpoints: { "/a": endpoint([]) }, padding: "x".repeat(17 * 1024 * 1024) });
    expectRefused(await timed([file, "-o", join(dir, "m.ts")], { cwd: dir }), dir, /is larger than 16 MiB \(spacegen's limit for an API document\)/);
  });

  it("under the size cap, a 6 MB string and a 300,000-item default: generated in under a minute, the module not much bigger than the document", async () => {
    const big = Array.from({ length: 300_000 }, (_, k) => ({ k, v: "abcdef" }));
    const doc = {
      named_endpoints: {
        "/a": { ...endpoint([param("table", { type: "array" }, { parameter_has_default: true, parameter_default: big })]), description: "d".repeat(6e6) },
      },
    };
    const { dir, file, bytes } = write(doc);
    const r = await timed([file, "-o", join(dir, "m.ts")], { cwd: dir, timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(60_000);
    expect(statSync(join(dir, "m.ts")).size / bytes).toBeLessThan(3);
  }, 130_000);
});
