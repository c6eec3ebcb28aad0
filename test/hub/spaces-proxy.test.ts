// Issue 13, point 1: the token reaches apps as X-HF-Authorization, which the Spaces proxy consumes and strips,
// never as Authorization, which it passes through to the Space's own code. A real Gradio app sits behind the
// stand-in proxy (support.ts `front`), a private Space on a stand-in Hub; `forwarded` is what the app received.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { errorLines, front, hubEnv, hubStandIn, spacegen, TOKEN, type Front, type Hub, type Seen } from "./support.ts";

/** Every header value of every request, so a token in any header (or any piece of a cookie) shows. */
const headerValues = (seen: Seen[]) => seen.flatMap((s) => Object.values(s.headers).flatMap((v) => (Array.isArray(v) ? v : [String(v)])));

interface Basic {
  ping(input?: Record<string, never>): Promise<string>;
  unicodeLabels(input: { text: string }): Promise<string>;
}

describe.skipIf(!hasGradio())("a private Space behind a stand-in for the Spaces proxy", () => {
  let app: RunningApp;
  let proxy: Front;
  let hub: Hub;
  let moduleFile = "";
  beforeAll(async () => {
    app = await startApp("basic");
    proxy = await front(app.url, { requireToken: true });
    hub = await hubStandIn({ "ns/private": { host: proxy.url, private: true } });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hub?.close(), proxy?.close()]);
    await app?.stop();
  });

  it.each([
    ["HF_TOKEN", [], { HF_TOKEN: TOKEN }],
    ["--token", ["--token", TOKEN], {}],
  ])(
    "generating with %s works through the proxy; the app never sees the token in any header",
    async (_how, args, extra) => {
      const marks = { seen: proxy.seen.length, forwarded: proxy.forwarded.length };
      const r = await spacegen(["ns/private", "-o", "m.ts", ...args], hubEnv(hub.url, extra));
      expect(r.stderr).toBe("");
      expect(r.code, r.stderr).toBe(0);
      moduleFile = join(r.cwd, "m.ts");
      expect(readFileSync(moduleFile, "utf8")).toMatch(/export const unicodeLabels/);
      const seen = proxy.seen.slice(marks.seen);
      expect(seen.map((s) => s.url.split("?")[0])).toEqual(["/config", "/gradio_api/info"]);
      for (const s of seen) {
        expect(s.hfAuthorization).toBe(`Bearer ${TOKEN}`);
        expect(s.authorization).toBeUndefined();
      }
      const forwarded = proxy.forwarded.slice(marks.forwarded);
      expect(forwarded).toHaveLength(2);
      for (const value of headerValues(forwarded)) expect(value).not.toContain(TOKEN);
    },
    60_000,
  );

  it("the proxy refuses the generator without the token, as the real one does for a private Space", async () => {
    // The app URL itself (not the Space id): an ambient HF_TOKEN does not go to a URL that is not *.hf.space.
    const r = await spacegen([`${proxy.url}/`], hubEnv(hub.url, { HF_TOKEN: TOKEN }));
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/\/config answered 401: the app requires login or a token/);
    // --token is the user's explicit choice: it goes to this loopback app
    const ok = await spacegen([`${proxy.url}/`, "-o", "u.ts", "--token", TOKEN], hubEnv(hub.url));
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);

  it("a module generated that way, called with the token through the proxy, works; the app never sees the token", async () => {
    const mod = (await import(moduleFile)) as { createClient(o: { token?: string; headers?: Record<string, string> }): Basic };
    const marks = { seen: proxy.seen.length, forwarded: proxy.forwarded.length };
    const client = mod.createClient({ token: TOKEN });
    await expect(client.unicodeLabels({ text: "abc" })).resolves.toBe("cba");
    await expect(client.ping()).resolves.toBe("pong");
    const seen = proxy.seen.slice(marks.seen);
    expect(seen.length).toBeGreaterThanOrEqual(4); // POST /call/… and GET /call/…/{event_id}, twice
    for (const s of seen) expect(s.hfAuthorization).toBe(`Bearer ${TOKEN}`);
    for (const value of headerValues(proxy.forwarded.slice(marks.forwarded))) expect(value).not.toContain(TOKEN);
    // and without it, the proxy refuses the call
    await expect(mod.createClient({ token: "" }).ping()).rejects.toMatchObject({ kind: "unauthorized" });
  }, 60_000);

  it("a ZeroGPU-style header the caller passes (x-ip-token) still reaches the app", async () => {
    const mod = (await import(moduleFile)) as { createClient(o: { token?: string; headers?: Record<string, string> }): Basic };
    const mark = proxy.forwarded.length;
    await expect(mod.createClient({ token: TOKEN, headers: { "x-ip-token": "zerogpu-ip-token-1234" } }).ping()).resolves.toBe("pong");
    const forwarded = proxy.forwarded.slice(mark);
    expect(forwarded.length).toBeGreaterThanOrEqual(2);
    for (const s of forwarded) {
      expect(s.headers["x-ip-token"]).toBe("zerogpu-ip-token-1234");
      expect(s.hfAuthorization).toBeUndefined();
    }
  }, 60_000);
});
