// Issue 5: real Gradio apps mounted at a sub-path and launched with auth= (test/apps/mounted.py, login.py).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { agentsText, front, hubEnv, hubStandIn, spacegen, TOKEN, type Hub, type Running } from "./support.ts";

const PASSWORD = "s3cret:pw"; // test/apps/login.py; a colon inside the password on purpose

describe.skipIf(!hasGradio())("a Gradio app mounted at a sub-path", () => {
  let app: RunningApp;
  let host: Running;
  let hub: Hub;
  beforeAll(async () => {
    app = await startApp("mounted");
    host = await front(app.url);
    hub = await hubStandIn({ "ns/mounted": { host: host.url } });
    hub.spaces.get("ns/mounted")!.agents = agentsText("ns/mounted", `${host.url}/sub`);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hub?.close(), host?.close()]);
    await app?.stop();
  });

  it.each(["/sub", "/sub/", "/sub/?__theme=dark", "/sub/gradio_api/info"])(
    "the URL %s reads /sub/config and /sub/gradio_api/info",
    async (path) => {
      const r = await spacegen([`${app.url}${path}`, "-o", "m.ts"], hubEnv(hub.url));
      expect(r.stderr).toBe("");
      expect(r.code, r.stderr).toBe(0);
      const code = readFileSync(join(r.cwd, "m.ts"), "utf8");
      expect(code).toContain(`url: "${app.url}/sub"`);
      expect(code).toMatch(/export const greet/);
    },
    60_000,
  );

  it("an agents.md whose schema URL has the sub-path gives that app root", async () => {
    const r = await spacegen([`${hub.url}/spaces/ns/mounted/agents.md`, "-o", "m.ts"], hubEnv(hub.url, { HF_TOKEN: TOKEN }));
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.cwd, "m.ts"), "utf8")).toContain(`url: "${host.url}/sub"`);
    expect(host.seen.map((s) => s.url.split("?")[0])).toEqual(expect.arrayContaining(["/sub/config", "/sub/gradio_api/info"]));
    // to the app as X-HF-Authorization (the Spaces proxy strips it), never as Authorization
    for (const s of host.seen) expect([s.hfAuthorization, s.authorization]).toEqual([`Bearer ${TOKEN}`, undefined]);
  }, 60_000);

  it("--auth on an app without a login: a warning, then it generates", async () => {
    const r = await spacegen([`${app.url}/sub`, "-o", "m.ts", "--auth", "alice:pw"], hubEnv(hub.url));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^spacegen: warning: .*: http:\/\/127\.0\.0\.1:\d+\/sub has no Gradio login \(POST \/login answered 30\d\); ignoring --auth$/,
    );
  }, 60_000);
});

describe.skipIf(!hasGradio())("a Gradio app launched with auth=", () => {
  let app: RunningApp;
  let host: Running;
  let root = "";
  beforeAll(async () => {
    app = await startApp("login");
    host = await front(app.url);
    root = `${host.url}/app`;
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await app?.stop();
  });
  const env = (extra: NodeJS.ProcessEnv = {}) => hubEnv("http://127.0.0.1:9", extra);

  it("without credentials: exit 2, one line saying to use --auth", async () => {
    const r = await spacegen([root], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/answered 401: the app requires login or a token \(use --auth user:pass for a Gradio login/);
  }, 60_000);

  it("--auth logs in at {root}/login and sends the cookies on /config and /info; the module works with them", async () => {
    const before = host.seen.length;
    const r = await spacegen([root, "-o", "m.ts", "--auth", `alice:${PASSWORD}`], env());
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
    const seen = host.seen.slice(before);
    expect(seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).toEqual(["POST /app/login", "GET /app/config", "GET /app/gradio_api/info"]);
    expect(seen[0]!.cookie).toBeUndefined();
    expect(seen[1]!.cookie).toMatch(/access-token-[\w-]+=[\w-]+; access-token-unsecure-[\w-]+=[\w-]+/);
    expect(seen[2]!.cookie).toBe(seen[1]!.cookie);
    const file = join(r.cwd, "m.ts");
    const code = readFileSync(file, "utf8");
    expect(code).toMatch(/export const whoami/);
    expect(code).not.toContain(PASSWORD);
    expect(code).not.toContain("access-token");
    // The generated module takes the session cookie through its options (headers).
    const login = await fetch(`${app.url}/app/login`, { method: "POST", body: new URLSearchParams({ username: "alice", password: PASSWORD }) });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const mod = (await import(file)) as { createClient(o: { headers: Record<string, string> }): { whoami(i: { text: string }): Promise<string> } };
    await expect(mod.createClient({ headers: { cookie } }).whoami({ text: "hi" })).resolves.toBe("alice: hi");
  }, 60_000);

  it("SPACEGEN_AUTH works like --auth", async () => {
    const r = await spacegen([root, "-o", "m.ts"], env({ SPACEGEN_AUTH: `alice:${PASSWORD}` }));
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it.each([
    [["--auth", "alice:wrong"], {}, "--auth"],
    [[], { SPACEGEN_AUTH: "mallory:wrong" }, "SPACEGEN_AUTH"],
  ])(
    "wrong credentials %j: exit 2, one line, no password",
    async (args, extra, from) => {
      const r = await spacegen([root, ...args], env(extra));
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(
        new RegExp(`^spacegen: error: .*${root.replace(/[./]/g, "\\$&")}/login refused the login from ${from} \\(HTTP 400\\): wrong user name or password$`),
      );
      expect(r.stderr).not.toContain("wrong:");
      expect(r.stderr).not.toMatch(/:wrong/);
    },
    60_000,
  );

  it("--auth without a colon: exit 2, one line, the value not echoed", async () => {
    const r = await spacegen([root, "--auth", "alice-secret"], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^spacegen: error: .*--auth expects user:password$/);
    expect(r.stderr).not.toContain("alice-secret");
  }, 60_000);
});
