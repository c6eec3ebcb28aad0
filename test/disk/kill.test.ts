// Issue 7, part 5: outputs are written atomically (src/output/write.ts: temporary file + rename), so a
// generation killed at any moment leaves each output exactly old or exactly new; --check never writes.
// The CLI is SIGKILLed at random moments across its run (seeded), many times, on a document big
// enough that the kill lands anywhere from start-up to the renames.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliPath } from "../support/paths.ts";
import { runCli } from "../support/cli.ts";

const ITERATIONS = Number(process.env.SPACEGEN_KILL_RUNS ?? 30);

function doc(version: number) {
  const named: Record<string, unknown> = {};
  for (let i = 0; i < 150; i++)
    named[`/e${i}`] = {
      parameters: [
        {
          label: "x",
          parameter_name: "x",
          parameter_has_default: true,
          parameter_default: `v${version}`,
          type: { type: "string" },
          python_type: { type: "str", description: "" },
          component: "Textbox",
        },
      ],
      returns: [{ label: "y", type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox" }],
      api_visibility: "public",
      description: `version ${version} `.repeat(20),
    };
  return JSON.stringify({ named_endpoints: named, unnamed_endpoints: {} });
}

/** A seeded PRNG (mulberry32), so a failing kill point can be replayed with SPACEGEN_KILL_SEED. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs the CLI and SIGKILLs it after `ms`, or (watch) right when a file appears in `watchDir` (its
 * first temporary file), plus `ms` — so that those kills land in the middle of the writes.
 */
function killAfter(args: string[], cwd: string, ms: number, watchDir?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: "ignore" });
    let timer: NodeJS.Timeout | undefined;
    const watcher = watchDir
      ? watch(watchDir, (_event, file) => {
          if (String(file).endsWith(".tmp") && timer === undefined) timer = setTimeout(() => child.kill("SIGKILL"), ms);
        })
      : undefined;
    if (!watcher) timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      done({ code, signal });
    });
  });
}

describe("a generation killed at any moment leaves each output old or new", () => {
  const dir = mkdtempSync(join(tmpdir(), "spacegen-kill-"));
  writeFileSync(join(dir, "old.json"), doc(1));
  writeFileSync(join(dir, "new.json"), doc(2));
  const module = join(dir, "out", "app.ts");
  const snapshot = join(dir, "out", "app.schema.json");
  const args = (source: string) => [source, "-o", "out/app.ts", "-q"];

  it(`SIGKILL at random points, ${ITERATIONS} times`, async () => {
    // the new bytes, then the old ones in place; a warm run's duration sets the kill window
    expect((await runCli(args("new.json"), { cwd: dir })).code).toBe(0);
    const started = Date.now();
    expect((await runCli(args("new.json"), { cwd: dir })).code).toBe(0);
    const fullMs = Date.now() - started;
    const next = { module: readFileSync(module), snapshot: readFileSync(snapshot) };
    expect((await runCli(args("old.json"), { cwd: dir })).code).toBe(0);
    const old = { module: readFileSync(module), snapshot: readFileSync(snapshot) };
    expect(old.module.equals(next.module)).toBe(false);

    const seed = Number(process.env.SPACEGEN_KILL_SEED ?? Date.now() % 100_000);
    const random = prng(seed);
    const outcomes = { old: 0, new: 0, mixed: 0, completed: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      writeFileSync(module, old.module);
      writeFileSync(snapshot, old.snapshot);
      // odd iterations: anywhere in the run; even ones: 0-3 ms after the first temporary file appears
      const watching = i % 2 === 0;
      const at = watching ? Math.floor(random() * 4) : Math.round(fullMs * (0.1 + 0.9 * random()));
      const r = await killAfter(args("new.json"), dir, at, watching ? join(dir, "out") : undefined);
      if (r.signal === null) outcomes.completed++;
      const m = readFileSync(module);
      const s = readFileSync(snapshot);
      const state = (b: Buffer, o: Buffer, n: Buffer) => (b.equals(o) ? "old" : b.equals(n) ? "new" : "torn");
      const ms = state(m, old.module, next.module);
      const ss = state(s, old.snapshot, next.snapshot);
      expect({ iteration: i, seed, watching, at, module: ms, snapshot: ss }).toMatchObject({
        module: expect.stringMatching(/^(old|new)$/),
        snapshot: expect.stringMatching(/^(old|new)$/),
      });
      // the snapshot is written first: a new module never sits beside an old snapshot
      if (ms === "new") expect(ss).toBe("new");
      if (ms === ss) outcomes[ms as "old" | "new"]++;
      else outcomes.mixed++;
    }
    const leftovers = readdirSync(join(dir, "out")).filter((f) => f !== "app.ts" && f !== "app.schema.json");
    // temporary files a killed run leaves behind are never outputs: <output>.<pid>.<random>.tmp
    for (const f of leftovers) expect(f).toMatch(/^app\.(ts|schema\.json)\.\d+\.[0-9a-f]+\.tmp$/);
    console.log(
      `kill test: ${ITERATIONS} SIGKILLs (seed ${seed}, full run ${fullMs} ms): ${outcomes.old} left old, ${outcomes.new} new, ` +
        `${outcomes.mixed} new snapshot + old module, ${outcomes.completed} finished before the kill; 0 torn; ${leftovers.length} stray .tmp files`,
    );
    // The next complete run removes what killed runs left behind (their processes are gone).
    expect((await runCli(args("new.json"), { cwd: dir })).code).toBe(0);
    expect(readdirSync(join(dir, "out")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 300_000);

  it("--check writes nothing, even when killed", async () => {
    const before = readdirSync(join(dir, "out")).map((f) => [f, statSync(join(dir, "out", f)).mtimeMs, readFileSync(join(dir, "out", f)).toString("base64")]);
    const r = await runCli([...args("old.json"), "--check"], { cwd: dir });
    expect([0, 1]).toContain(r.code);
    const r2 = await runCli([...args("new.json"), "--check"], { cwd: dir });
    expect(r2.code).toBe(r.code === 0 ? 1 : r2.code);
    for (const at of [200, 400, 600]) await killAfter([...args("new.json"), "--check"], dir, at);
    const after = readdirSync(join(dir, "out")).map((f) => [f, statSync(join(dir, "out", f)).mtimeMs, readFileSync(join(dir, "out", f)).toString("base64")]);
    expect(after).toEqual(before);
  }, 120_000);
});
