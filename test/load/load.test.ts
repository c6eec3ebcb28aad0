// Issue 7, part 4: 500 calls at concurrency 50 through a generated module against a real Gradio app
// (test/apps/load.py, default_concurrency_limit=64). Every output must match its own input (0 lost,
// 0 crossed), and the heap (after GC) must stay flat across the run. The calls run in a child with
// --expose-gc so the heap measured is the client's alone. Issue 15: through each transport, the queue (one
// session and one shared stream for the 50 calls in flight) and /call.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradioVersion, hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { runCli } from "../support/cli.ts";

const CALLS = 500;
const CONCURRENCY = 50;
const version = gradioVersion();

const CHILD = `
import { createHash } from "node:crypto";
import { endpoints } from "./load.mjs";
const [calls, width] = process.argv.slice(2, 4).map(Number);
const transport = process.argv[4];
const echo = endpoints["/echo"];
const mb = (n) => Math.round((n / 1048576) * 100) / 100;
const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
let lost = 0, crossed = 0, done = 0, next = 0;
const samples = [];
const errors = [];
async function one(i) {
  const id = "call-" + i + "-" + Math.random().toString(36).slice(2);
  try {
    const [gotId, hash] = await echo({ call_id: id, n: i }, { timeoutMs: 60000, transport });
    const want = createHash("sha256").update(id + ":" + i).digest("hex");
    if (gotId !== id || hash !== want) crossed++;
  } catch (e) {
    lost++;
    if (errors.length < 5) errors.push(String(e.message));
  }
}
// warm-up (connections, JIT), then the measured run
await Promise.all(Array.from({ length: width }, (_, i) => one(-1 - i)));
const started = performance.now();
samples.push(heap());
await Promise.all(Array.from({ length: width }, async () => {
  while (next < calls) {
    await one(next++);
    if (++done % 100 === 0) samples.push(heap());
  }
}));
samples.push(heap());
process.stdout.write(JSON.stringify({ calls: done, lost, crossed, errors, ms: Math.round(performance.now() - started), heapMb: samples.map(mb) }) + "\\n");
`;

describe.skipIf(!hasGradio(version))(`load: ${CALLS} calls at concurrency ${CONCURRENCY} on gradio ${version}`, () => {
  let app: RunningApp;
  let dir: string;
  beforeAll(async () => {
    app = await startApp("load", { version });
    dir = mkdtempSync(join(tmpdir(), "spacegen-load-"));
    const gen = await runCli([app.url, "-o", join(dir, "load.ts"), "-q"]);
    expect(gen.code, gen.stderr).toBe(0);
    const out = await build({ entryPoints: [join(dir, "load.ts")], bundle: true, format: "esm", platform: "node", write: false });
    writeFileSync(join(dir, "load.mjs"), out.outputFiles[0]!.text);
    writeFileSync(join(dir, "child.mjs"), CHILD);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it.each(["queue", "call"])(
    "transport %s: every output matches its own input, memory flat",
    async (transport) => {
      const result = await new Promise<{ calls: number; lost: number; crossed: number; errors: string[]; ms: number; heapMb: number[] }>((done, fail) => {
        const p = spawn(process.execPath, ["--expose-gc", join(dir, "child.mjs"), String(CALLS), String(CONCURRENCY), transport], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        p.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        const timer = setTimeout(() => p.kill("SIGKILL"), 170_000);
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
      const heap = result.heapMb;
      console.log(
        `load (transport ${transport}): ${result.calls} calls, concurrency ${CONCURRENCY}, ${result.ms} ms, lost ${result.lost}, crossed ${result.crossed}; ` +
          `heap after GC (MB) start ${heap[0]} → end ${heap.at(-1)} (samples ${heap.join(", ")})`,
      );
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ calls: CALLS, lost: 0, crossed: 0 });
      expect(heap.at(-1)! - heap[0]!).toBeLessThan(5);
      expect(Math.max(...heap) - heap[0]!).toBeLessThan(10);
    },
    180_000,
  );
});
