// Issue 5: Space id → host → status → app, against a stand-in Hub with a real Gradio app as every Space's host.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { agentsText, closedPort, errorLines, front, hubEnv, hubStandIn, recordingServer, spacegen, TOKEN, type Hub, type Running } from "./support.ts";

let app: RunningApp;
let host: Running; // public front of the app (what *.hf.space is to a Space)
let privateHost: Running; // the same app behind a front that wants the token
let other: Running; // an unrelated server that must never see the token
let hub: Hub;
let asleep = true;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.skipIf(!hasGradio())("Space resolution against a stand-in Hub", () => {
  beforeAll(async () => {
    app = await startApp("basic");
    host = await front(app.url);
    privateHost = await front(app.url, { requireToken: true });
    other = await recordingServer();
    hub = await hubStandIn({
      "ns/running": { host: host.url },
      "ns/running-building": { host: host.url, stages: ["RUNNING_BUILDING"] },
      "ns/building": { host: host.url, stages: ["BUILDING", "BUILDING", "BUILDING", "RUNNING"] },
      "ns/starting": { host: host.url, stages: ["APP_STARTING", "APP_STARTING", "RUNNING"] },
      "ns/forever": { host: host.url, stages: ["BUILDING"] },
      "ns/sleeping": { host: host.url, stages: () => (asleep ? "SLEEPING" : "RUNNING") },
      "ns/paused": { host: host.url, stages: ["PAUSED"], subdomain: "ns-paused" },
      "ns/build-error": { host: host.url, stages: ["BUILD_ERROR"] },
      "ns/runtime-error": { host: host.url, stages: ["RUNTIME_ERROR"] },
      "ns/config-error": { host: host.url, stages: ["CONFIG_ERROR"] },
      "ns/no-app-file": { host: host.url, stages: ["NO_APP_FILE"] },
      "ns/streamlit": { host: host.url, sdk: "streamlit" },
      "ns/private": { host: privateHost.url, private: true },
      "ns/flaky": {
        host: host.url,
        hostFailures: [
          { status: 503, retryAfter: "1" },
          { status: 429, retryAfter: "0" },
        ],
      },
      "ns/evil-agents": { host: host.url, agents: agentsText("ns/evil-agents", "OTHER") },
      "ns/no-schema": { host: host.url, agents: "To use this application:\nCall endpoint: POST x\n" },
      "ns/query-schema": { host: host.url, agents: "API schema: GET HOST/gradio_api/info?x=1\n" },
      "ns/cred-schema": { host: host.url, agents: "API schema: GET http://user:pw@HOSTPART/gradio_api/info\n" },
    });
    // agents.md texts that need the servers' addresses
    hub.spaces.get("ns/evil-agents")!.agents = agentsText("ns/evil-agents", other.url);
    hub.spaces.get("ns/query-schema")!.agents = `API schema: GET ${host.url}/gradio_api/info?x=1\n`;
    hub.spaces.get("ns/cred-schema")!.agents = `API schema: GET http://user:pw@${new URL(host.url).host}/gradio_api/info\n`;
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hub?.close(), host?.close(), privateHost?.close(), other?.close()]);
    await app?.stop();
  });

  const env = (extra: NodeJS.ProcessEnv = {}) => hubEnv(hub.url, extra);

  it("a RUNNING Space: the Hub's host is used and the module is written to <out>/ns/repo.ts", async () => {
    const r = await spacegen(["ns/running"], env());
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote generated\/ns\/running\.ts/);
    const code = readFileSync(join(r.cwd, "generated/ns/running.ts"), "utf8");
    expect(code).toContain(`url: "${host.url}"`);
    expect(code).toMatch(/npx spacegen ns\/running -o generated\/ns\/running\.ts/);
    const paths = hub.seen.map((s) => s.url);
    expect(paths).toContain("/api/spaces/ns/running/host");
    expect(paths).toContain("/api/spaces/ns/running");
    for (const s of hub.seen) expect(s.authorization).toBeUndefined();
  }, 60_000);

  it("RUNNING_BUILDING runs (the old version serves while the new one builds)", async () => {
    const r = await spacegen(["ns/running-building", "-o", "m.ts"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
  }, 60_000);

  it.each([
    ["ns/building", "BUILDING", "waiting for it to start"],
    ["ns/starting", "APP_STARTING", "waiting for it to start"],
  ])(
    "%s: waits with a progress line while %s, then generates",
    async (id, stage, doing) => {
      const r = await spacegen([id, "-o", "m.ts"], env());
      expect(r.code, r.stderr).toBe(0);
      const progress = r.stderr.split("\n").filter(Boolean);
      // not a terminal: one plain line per stage, not one per poll
      expect(progress).toHaveLength(1);
      expect(progress[0]).toMatch(new RegExp(`^spacegen: ${id} is ${stage}, ${doing} \\(\\d+s of at most 300s\\)$`));
      expect(hub.polls(id)).toBeGreaterThanOrEqual(stage === "BUILDING" ? 4 : 3);
    },
    60_000,
  );

  it("a SLEEPING Space is woken by a request to its host, then used once RUNNING", async () => {
    const before = host.seen.length;
    let finished = false;
    const waking = spacegen(["ns/sleeping", "-o", "m.ts"], env()).finally(() => (finished = true));
    // the Hub says RUNNING once the host has been asked for something (as a real Space wakes on a request)
    const deadline = Date.now() + 40_000;
    while (host.seen.length === before && !finished && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    asleep = false;
    const r = await waking;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^spacegen: ns\/sleeping is SLEEPING, waking it up \(\d+s of at most 300s\)$/m);
    expect(host.seen[before]!.url).toBe("/config");
  }, 60_000);

  it("--wait bounds the wait: still BUILDING → exit 2 with one error line", async () => {
    const r = await spacegen(["ns/forever", "--wait", "1"], env());
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      expect.stringMatching(/^spacegen: error: ns\/forever: the Space is still BUILDING after \d+s; try again later, or wait longer with --wait <seconds>$/),
    ]);
    const now = await spacegen(["ns/forever", "--wait", "0"], env());
    expect(now.code).toBe(2);
    expect(now.stderr.trim()).toBe("spacegen: error: ns/forever: the Space is BUILDING; pass --wait <seconds> to wait for it to start");
    const bad = await spacegen(["ns/forever", "--wait", "soon"], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("spacegen: error: --wait expects a number of seconds");
  }, 60_000);

  it.each([
    ["ns/paused", /the Space is PAUSED: it was paused by its owner; restart it on 127\.0\.0\.1:\d+\/spaces\/ns\/paused\/settings/],
    ["ns/build-error", /the Space is BUILD_ERROR: its build failed; read the build logs on .*\/spaces\/ns\/build-error/],
    ["ns/runtime-error", /the Space is RUNTIME_ERROR: the app crashed; read the container logs on .*, then restart it on .*\/settings/],
    ["ns/config-error", /the Space is CONFIG_ERROR: its configuration \(the README\.md metadata\) is invalid/],
    ["ns/no-app-file", /the Space is NO_APP_FILE: it has no app file to run/],
    ["ns/streamlit", /this is a streamlit Space, not a Gradio app/],
    ["ns/missing", /^spacegen: error: ns\/missing: no such Space, or it is private \(HTTP 404\); if it is private, set HF_TOKEN or pass --token$/],
    ["ns/private", /^spacegen: error: ns\/private: the Hub answered 401: the Space is private or does not exist; set HF_TOKEN/],
  ])(
    "%s → exit 2, one line naming the stage and the next step",
    async (id, message) => {
      const seenBefore = host.seen.length;
      const r = await spacegen([id], env());
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(host.seen.length).toBe(seenBefore); // the app was never asked
      expect(existsSync(join(r.cwd, "generated"))).toBe(false);
    },
    60_000,
  );

  it("a private Space: a wrong token is named as such; the right one reaches the Hub and the Space host", async () => {
    const wrong = await spacegen(["ns/private", "--token", "hf_wrong"], env());
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe("spacegen: error: ns/private: the Hub rejected the token (HTTP 401); check HF_TOKEN or --token");
    const r = await spacegen(["ns/private", "-o", "m.ts"], env({ HF_TOKEN: TOKEN }));
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
    expect(privateHost.seen.length).toBeGreaterThanOrEqual(2);
    for (const s of privateHost.seen) expect([s.hfAuthorization, s.authorization]).toEqual([`Bearer ${TOKEN}`, undefined]);
  }, 60_000);

  it("Hub unreachable: warns that it guesses the host from the subdomain rule, and names the host it tried", async () => {
    const dead = await closedPort();
    // hf.space is not reachable from the tests: route https through a dead proxy so the attempt fails fast
    const r = await spacegen(["ns/my_repo.v2"], hubEnv(`http://127.0.0.1:${dead}`, { HTTPS_PROXY: `http://127.0.0.1:${dead}`, NO_PROXY: "127.0.0.1" }));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^spacegen: warning: ns/my_repo\\.v2: cannot reach the Hub at http://127\\.0\\.0\\.1:${dead} \\(connection refused\\), so the Space's status is unknown; guessing its host https://ns-my-repo-v2\\.hf\\.space from the subdomain rule$`,
      ),
    );
    expect(lines[1]).toMatch(/^spacegen: error: ns\/my_repo\.v2: cannot reach https:\/\/ns-my-repo-v2\.hf\.space\/config: /);
  }, 60_000);

  it("retries the Hub on 503 and 429, honouring Retry-After", async () => {
    const r = await spacegen(["ns/flaky", "-o", "m.ts"], env());
    expect(r.code, r.stderr).toBe(0);
    const calls = hub.seen.filter((s) => s.url === "/api/spaces/ns/flaky/host");
    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1
    expect(calls[2]!.at - calls[1]!.at).toBeLessThan(900); // Retry-After: 0
  }, 60_000);

  describe("sources", () => {
    it("a Hub page URL (with trailing paths) is the Space", async () => {
      const r = await spacegen([`${hub.url}/spaces/ns/running/tree/main?logs=container`], env());
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(r.cwd, "generated/ns/running.ts"))).toBe(true);
    }, 60_000);

    it("a Hub URL that is not a Space page is refused", async () => {
      const r = await spacegen([`${hub.url}/datasets/ns/data`], env());
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `spacegen: error: ${hub.url}/datasets/ns/data is a Hugging Face page but not a Space's; pass the Space id (namespace/repo) or its /spaces/namespace/repo URL`,
      );
    }, 60_000);

    it("agents.md: its schema URL gives the app root, checked against the Hub's host", async () => {
      const r = await spacegen([`${hub.url}/spaces/ns/running/agents.md`, "-o", "m.ts"], env());
      expect(r.stderr).toBe("");
      expect(r.code, r.stderr).toBe(0);
      expect(hub.seen.map((s) => s.url)).toContain("/spaces/ns/running/agents.md");
      expect(readFileSync(join(r.cwd, "m.ts"), "utf8")).toContain(`url: "${host.url}"`);
    }, 60_000);

    it.each([
      ["ns/evil-agents", /agents\.md points at http:\/\/127\.0\.0\.1:\d+, which is not the Space's host http:\/\/127\.0\.0\.1:\d+; refusing it$/],
      ["ns/no-schema", /agents\.md has no "API schema: GET <url>" line; is this Space a Gradio app\?$/],
      ["ns/query-schema", /its "API schema" line is not a plain http\(s\) URL ending in \/gradio_api\/info or \/info; refusing it$/],
      ["ns/cred-schema", /its "API schema" line is not a plain http\(s\) URL/],
      ["ns/missing", /ns\/missing: no such Space, or it is private, or it has no agents\.md \(HTTP 404 from /],
    ])(
      "agents.md of %s is untrusted text: exit 2, one line",
      async (id, message) => {
        const before = other.seen.length;
        const r = await spacegen([`${hub.url}/spaces/${id}/agents.md`], env({ HF_TOKEN: TOKEN }));
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr.trim()).toMatch(message);
        expect(other.seen.length).toBe(before); // never contacted
      },
      60_000,
    );

    it("an *.hf.space URL: the Hub is asked for its status by subdomain (a paused Space stops here)", async () => {
      const r = await spacegen(["https://ns-paused.hf.space/"], env());
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(
        /^spacegen: error: https:\/\/ns-paused\.hf\.space\/: ns\/paused: the Space is PAUSED: it was paused by its owner; restart it on .*\/spaces\/ns\/paused\/settings/,
      );
      expect(hub.seen.map((s) => s.url)).toContain("/api/spaces/by-subdomain/ns-paused");
    }, 60_000);
  });

  it("the token reaches only the Hub and the Space's host: never another server, a URL, a log line or a file", async () => {
    const marks = { hub: hub.seen.length, host: host.seen.length, priv: privateHost.seen.length, other: other.seen.length };
    const runs = [
      // a Space: Hub + its host
      await spacegen(["ns/private", "-o", "m.ts"], env({ HF_TOKEN: TOKEN })),
      // agents.md pointing elsewhere: refused before any request there
      await spacegen([`${hub.url}/spaces/ns/evil-agents/agents.md`], env({ HF_TOKEN: TOKEN })),
      // plain URLs that are not *.hf.space (even the Space's own host): never the ambient HF_TOKEN
      await spacegen([`${other.url}/`], env({ HF_TOKEN: TOKEN })),
      await spacegen([`${host.url}/`, "-o", "u.ts"], env({ HF_TOKEN: TOKEN })),
      // failures print the URL, never the token
      await spacegen(["ns/missing", "--token", TOKEN], env()),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 2, 2, 0, 2]);
    const hubSeen = hub.seen.slice(marks.hub);
    expect(hubSeen.length).toBeGreaterThan(0);
    for (const s of hubSeen) expect(s.authorization).toBe(`Bearer ${TOKEN}`);
    const privSeen = privateHost.seen.slice(marks.priv);
    expect(privSeen.length).toBeGreaterThan(0);
    for (const s of privSeen) expect([s.hfAuthorization, s.authorization]).toEqual([`Bearer ${TOKEN}`, undefined]);
    const otherSeen = other.seen.slice(marks.other);
    expect(otherSeen.length).toBeGreaterThan(0);
    for (const s of otherSeen) expect([s.hfAuthorization, s.authorization]).toEqual([undefined, undefined]);
    const hostSeen = host.seen.slice(marks.host);
    expect(hostSeen.length).toBeGreaterThan(0);
    for (const s of hostSeen) expect([s.hfAuthorization, s.authorization]).toEqual([undefined, undefined]);
    for (const s of [...hubSeen, ...privSeen, ...otherSeen, ...hostSeen]) expect(s.url).not.toContain(TOKEN);
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      if (existsSync(r.cwd)) for (const file of filesUnder(r.cwd)) expect(readFileSync(file, "utf8")).not.toContain(TOKEN);
    }
  }, 120_000);
});
