// A generator that raised must not spoil the next one (issues 14 and 15). Before Gradio 6.27 the queue keeps a
// streaming run's last values per session under `id(iterator)` and forgets them only when the run completes, so
// after a run that raised, a later run in the same session whose iterator lands on the freed address has its first
// value sent as a diff against the dead run's (gradio-app/gradio#13811, the fix in 6.27.0). It shows on a client's
// shared session (the multiplexed queue transport, where runs overlap) and in a session of the user's own
// (createSession) alike, so on those versions a module asks the queue for whole values (`simple_format`, as Gradio's
// /call route gets them; quirks.ts wholeGeneratorValues) and there is no diff to spoil.
//
// The control replays the attack on a shared session through the runtime without that, to show that the load here
// does make Gradio send stale diffs (so the first two tests could fail): on 6.27+ it must not.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCall, type AppSpec, type Channel, type EndpointSpec } from "../../templates/runtime.ts";
import { versionAtLeast } from "../../src/shared/gradio-version.ts";
import { runCli } from "../support/cli.ts";
import { gradioVersion, hasGradio, REPO_ROOT, startApp, type RunningApp } from "../support/gradio.mjs";

const version = gradioVersion();
const fixedInGradio = versionAtLeast(version, "6.27");
const DIR = join(REPO_ROOT, "test", "e2e", ".generated", version);
// 16 overlapping callers × 20 rounds of (a generator that raises, one that counts): 640 streams. Before 6.27 a shared
// session got stale diffs in 1 to 2% of them here (10 to 14 in a run of 640), so a run of the control without any is
// a chance below e^-6; 16 sessions of the user's own, calls one at a time, got 0 to 6 in 640 on 4.44.1.
const CALLERS = 16;
const ROUNDS = 20;
// a call that hangs fails the test with its timeout error among the wrong streams, not the test's own timeout
const CALL_TIMEOUT_MS = 30_000;
const FAILING = ["failing 0", "failing 1"];
const COUNTING = ["0", "0 1"];

type Stream = (endpoint: "fail_after" | "count") => AsyncIterable<unknown>;

/** Every value a stream yields, and the kind of the error that ended it, if one did. */
async function collect(stream: AsyncIterable<unknown>): Promise<{ values: unknown[]; error?: string }> {
  const values: unknown[] = [];
  try {
    for await (const v of stream) values.push(v);
    return { values };
  } catch (e) {
    return { values, error: (e as { kind?: string }).kind ?? String(e) };
  }
}

/** CALLERS overlapping loops of ROUNDS × (fail_after, count), each n = 2; the streams that went wrong. */
async function replay(stream: Stream): Promise<unknown[]> {
  const wrong: unknown[] = [];
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const failed = await collect(stream("fail_after"));
        if (JSON.stringify(failed) !== JSON.stringify({ values: FAILING, error: "app" })) wrong.push(failed);
        const counted = await collect(stream("count"));
        if (JSON.stringify(counted) !== JSON.stringify({ values: COUNTING })) wrong.push(counted);
      }
    }),
  );
  return wrong;
}

describe.skipIf(!hasGradio(version))(`a generator after one that raised, gradio ${version}`, () => {
  let app: RunningApp;
  let mod: Record<"failAfter" | "count", { stream(input: { n: number }, options: { timeoutMs: number }): AsyncIterable<unknown> }> & {
    createSession(): { stream(endpoint: unknown, input: unknown, options: { timeoutMs: number }): AsyncIterable<unknown>; close(): Promise<void> };
  };
  let fnIndex: Record<string, number>;
  let prefix: string;
  beforeAll(async () => {
    app = await startApp("streams", { version });
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, "streams.ts");
    const generated = await runCli([app.url, "-o", file, "--quiet"], { timeout: 120_000 });
    if (generated.code !== 0) throw new Error(`spacegen exited ${generated.code}: ${generated.stderr}`);
    mod = await import(file);
    const config = (await (await fetch(app.url + "/config")).json()) as { api_prefix?: string; dependencies: { id: number; api_name: string }[] };
    fnIndex = Object.fromEntries(config.dependencies.map((d) => [d.api_name, d.id]));
    prefix = config.api_prefix ?? "";
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  it(`through the module's calls (one client, overlapping): every stream is right`, async () => {
    const wrong = await replay((name) => (name === "count" ? mod.count : mod.failAfter).stream({ n: 2 }, { timeoutMs: CALL_TIMEOUT_MS }));
    expect(wrong).toEqual([]);
  }, 120_000);

  it(`in sessions of the user's own (createSession, 16 at once), every stream is right`, async () => {
    const sessions = Array.from({ length: CALLERS }, () => mod.createSession());
    const wrong: unknown[] = [];
    try {
      await Promise.all(
        sessions.map(async (session) => {
          for (let round = 0; round < ROUNDS; round++) {
            const failed = await collect(session.stream(mod.failAfter, { n: 2 }, { timeoutMs: CALL_TIMEOUT_MS }));
            if (JSON.stringify(failed) !== JSON.stringify({ values: FAILING, error: "app" })) wrong.push(failed);
            const counted = await collect(session.stream(mod.count, { n: 2 }, { timeoutMs: CALL_TIMEOUT_MS }));
            if (JSON.stringify(counted) !== JSON.stringify({ values: COUNTING })) wrong.push(counted);
          }
        }),
      );
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it(`control: the same calls on one shared session get stale diffs ${fixedInGradio ? "never (fixed in Gradio)" : "from Gradio"}`, async () => {
    const shared: AppSpec = { url: app.url, prefix, cancel: true, queue: true };
    const sessions: Channel[] = [];
    const spec = (name: string): EndpointSpec => ({ n: name, i: [{ k: "n", d: 2 }], o: [1], s: 1, x: fnIndex[name]! });
    const wrong = await replay((name) => runCall(shared, spec(name), { n: 2 }, { transport: "queue", timeoutMs: CALL_TIMEOUT_MS }, undefined, { sessions }));
    if (fixedInGradio) expect(wrong).toEqual([]);
    else expect(wrong.length).toBeGreaterThan(0);
  }, 120_000);
});
