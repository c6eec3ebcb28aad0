// Issue 10 end to end: live status and sessions through a module generated from a real Gradio app
// (test/apps/live.py) on the version in SPACEGEN_GRADIO (default 6.31.0); and (issue 15) the queue transport of
// plain calls: shared sessions, one stream, cancels that spare the session's other jobs.
import { mkdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { versionAtLeast } from "../../src/shared/gradio-version.ts";
import { runCli } from "../support/cli.ts";
import { gradioVersion, hasGradio, REPO_ROOT, startApp, type RunningApp } from "../support/gradio.mjs";

const version = gradioVersion();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let app: RunningApp;
let m: any;

describe.skipIf(!hasGradio(version))(`live status and sessions on Gradio ${version}`, () => {
  beforeAll(async () => {
    app = await startApp("live", { version });
    const dir = join(REPO_ROOT, "test", "e2e", ".generated", version, "queue");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "live.ts");
    const r = await runCli([app.url, "-o", file], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    m = await import(file);
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
  });

  test("waiting calls report decreasing queue positions, then their start", async () => {
    const statuses: any[][] = [[], [], []];
    const calls: Promise<string>[] = [];
    for (let i = 0; i < 3; i++) {
      calls.push(m.live(m.slow)({ seconds: 2, tag: `c${i}` }, { onStatus: (s: any) => statuses[i]!.push(s) }));
      await sleep(400);
    }
    expect(await Promise.all(calls)).toEqual(["c0 done", "c1 done", "c2 done"]);
    const positions = statuses.map((ss) => ss.filter((s) => s.type === "queue").map((s) => s.position));
    // the call that waited longest saw its position go down to 0 (next), never up
    const waited = positions.reduce((a, b) => (Math.max(-1, ...b) > Math.max(-1, ...a) ? b : a));
    expect(Math.max(...waited)).toBeGreaterThanOrEqual(1);
    expect(waited.at(-1)).toBe(0);
    for (let i = 1; i < waited.length; i++) expect(waited[i]).toBeLessThanOrEqual(waited[i - 1]);
    for (const ss of statuses) expect(ss.some((s) => s.type === "start")).toBe(true);
    const size = statuses
      .flat()
      .filter((s) => s.type === "queue")
      .map((s) => s.size);
    expect(Math.max(...size)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  test("a gr.Progress loop reports every step", async () => {
    const progress: any[] = [];
    const out = await m.live(m.steps)({ n: 4 }, { onStatus: (s: any) => s.type === "progress" && progress.push(...s.progress) });
    expect(out).toBe("4 steps");
    const stepped = progress.filter((p) => p.index != null);
    expect(new Set(stepped.map((p) => p.index))).toEqual(new Set([1, 2, 3, 4]));
    expect(stepped.every((p) => p.length === 4 && p.desc === "stepping")).toBe(true);
  }, 60_000);

  test("gr.Info and gr.Warning arrive as logs", async () => {
    const logs: any[] = [];
    expect(await m.live(m.notify)({ text: "hi" }, { onStatus: (s: any) => s.type === "log" && logs.push(s) })).toBe("HI");
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ["info", "info: hi"],
      ["warning", "warning: hi"],
    ]);
  }, 60_000);

  test("a session keeps gr.State across calls; another session starts over", async () => {
    const one = m.createSession();
    const two = m.createSession();
    try {
      expect(await one.call(m.add, { n: 2 })).toBe(2);
      expect(await one.call(m.add, { n: 3 })).toBe(5);
      expect(await two.call(m.add, { n: 1 })).toBe(1);
      // calls of one session are serialized: both land, in order
      const [a, b] = await Promise.all([one.call(m.add, { n: 10 }), m.live(m.add)({ n: 100 }, { session: one })]);
      expect([a, b]).toEqual([15, 115]);
      expect(await two.call(m.add, { n: 1 })).toBe(2);
      // without a session, each call has a fresh state
      expect(await m.live(m.add)({ n: 7 })).toBe(7);
      expect(await m.live(m.add)({ n: 7 })).toBe(7);
    } finally {
      await one.close();
      await two.close();
    }
    await expect(one.call(m.add, { n: 1 })).rejects.toMatchObject({ kind: "aborted" });
  }, 90_000);

  const stopsOnServer = async (label: string) => {
    await sleep(1500);
    const after = await m.ticks({ label });
    await sleep(2000);
    expect(await m.ticks({ label })).toBe(after);
    expect(after).toBeLessThan(30);
  };

  test("abort stops the server-side generator (its side effect stops)", async () => {
    const label = `abort${Date.now()}`;
    const ac = new AbortController();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const v of m.live(m.ticker).stream({ label }, { signal: ac.signal })) {
          seen.push(v);
          if (seen.length === 3) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ kind: "aborted" });
    expect(seen).toEqual([`${label} 0`, `${label} 1`, `${label} 2`]);
    await stopsOnServer(label);
  }, 60_000);

  test("breaking out of a live stream stops the server-side generator", async () => {
    const label = `break${Date.now()}`;
    const session = m.createSession();
    try {
      for await (const v of session.stream(m.ticker, { label })) if (v === `${label} 2`) break;
      await stopsOnServer(label);
      // the session is usable after the cancelled job
      expect(await session.call(m.add, { n: 4 })).toBe(4);
    } finally {
      await session.close();
    }
  }, 60_000);

  // before 6.27 the module asks for whole values (simple_format: a failed run's diff state spoils later runs there)
  const diffs = versionAtLeast(version, "6.27");
  test(
    diffs ? "generator values are rebuilt whole from the diffs" : "generator values arrive whole (simple_format), not as diffs",
    async () => {
      const values: any[] = [];
      // what the server sent, read (without waiting for its end) through a fetch that tees the session stream
      let raw = "";
      const tee = async (url: any, init: any) => {
        const r = await fetch(url, init);
        if (String(url).includes("/queue/data")) {
          const reader = r.clone().body!.getReader();
          const text = new TextDecoder();
          void (async () => {
            for (let c = await reader.read(); !c.done; c = await reader.read()) raw += text.decode(c.value, { stream: true });
          })().catch(() => {});
        }
        return r;
      };
      for await (const v of m.live(m.grow).stream({ n: 5 }, { fetch: tee })) values.push(v);
      if (diffs) expect(raw).toMatch(/\["append", ?\[\], ?"w1 "\]/);
      else {
        expect(raw).toMatch(/"data": ?\["w0 w1 ", ?\[\{"i": ?0\}, ?\{"i": ?1\}\]\]/);
        expect(raw).not.toMatch(/"append"/);
      }
      const want = (k: number) => [Array.from({ length: k }, (_, i) => `w${i} `).join(""), Array.from({ length: k }, (_, i) => ({ i }))];
      expect(values[0]).toEqual(want(1));
      expect(values.at(-1)).toEqual(want(5));
      for (const v of values.slice(0, -1)) expect(want(v[1].length)).toEqual(v);
      // the same values as the plain /call stream
      const plain: any[] = [];
      for await (const v of m.grow.stream({ n: 5 })) plain.push(v);
      expect(plain.at(-1)).toEqual(values.at(-1));
    },
    60_000,
  );

  test("endpoints bound by createClient work live", async () => {
    const client = m.createClient({ headers: { "x-test": "1" } });
    expect(await m.live(client.notify)({ text: "b" })).toBe("B");
  }, 60_000);

  test("an aborted call among calls of its endpoint in the client's session: the others complete", async () => {
    // /slow runs one job at a time, so `a` runs while `b` and `c` wait. Gradio's /cancel stops every running job of
    // the endpoint in the session: cancelling `c` at once would kill `a` too (seen on 6.31), so it waits for them
    const client = m.createClient();
    const ac = new AbortController();
    const a = client.slow({ seconds: 1, tag: "a" });
    const b = client.slow({ seconds: 1, tag: "b" });
    const c = client.slow({ seconds: 1, tag: "c" }, { signal: ac.signal }).catch((e: any) => e);
    await sleep(400);
    ac.abort();
    expect((await c).kind).toBe("aborted");
    expect(await Promise.all([a, b])).toEqual(["a done", "b done"]);
  }, 60_000);

  test("plain calls of an endpoint with hidden gr.State run in sessions of their own: no state crosses calls", async () => {
    expect(await m.add({ n: 7 })).toBe(7);
    expect(await m.add({ n: 7 })).toBe(7);
    expect(await Promise.all([1, 2, 3, 4].map((n) => m.add({ n })))).toEqual([1, 2, 3, 4]);
  }, 60_000);

  test("a client's concurrent calls share one session; another client has another", async () => {
    const hashes: string[][] = [[], []];
    const recorder = (into: string[]) => async (url: any, init: any) => {
      if (String(url).endsWith("/queue/join")) into.push(JSON.parse(init.body).session_hash);
      return fetch(url, init);
    };
    const one = m.createClient({ fetch: recorder(hashes[0]!) });
    const two = m.createClient({ fetch: recorder(hashes[1]!) });
    const labels = ["p", "q", "r", "s", "t"];
    expect(await Promise.all(labels.map((label) => one.ticks({ label })))).toEqual([0, 0, 0, 0, 0]);
    expect(await Promise.all(labels.map((label) => two.ticks({ label })))).toEqual([0, 0, 0, 0, 0]);
    expect(new Set(hashes[0]).size).toBe(1);
    expect(new Set(hashes[1]).size).toBe(1);
    expect(hashes[0]![0]).not.toBe(hashes[1]![0]);
  }, 60_000);

  test("30 sequential calls: 2 requests each over a few TCP connections (the stream closes between them)", async () => {
    const target = new URL(app.url);
    let connections = 0;
    const proxy = net.createServer((client) => {
      connections++;
      const upstream = net.connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const baseUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    let requests = 0;
    const counting = async (url: any, init: any) => (requests++, fetch(url, init));
    try {
      for (let i = 0; i < 30; i++) expect(await m.ticks({ label: `seq${i}` }, { baseUrl, fetch: counting })).toBe(0);
      expect(requests).toBe(60);
      expect(connections).toBeLessThanOrEqual(4);
    } finally {
      proxy.close();
    }
  }, 60_000);
});
