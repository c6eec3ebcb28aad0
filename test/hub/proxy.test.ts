// Issue 5: the generator's HTTP goes through HTTP(S)_PROXY and respects NO_PROXY (a real local proxy).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGradio, startApp, type RunningApp } from "../support/gradio.mjs";
import { connectProxy, front, hubEnv, hubStandIn, spacegen, TOKEN, type Hub, type Proxy, type Running } from "./support.ts";

describe.skipIf(!hasGradio())("proxies", () => {
  let app: RunningApp;
  let host: Running;
  let hub: Hub;
  let proxy: Proxy;
  beforeAll(async () => {
    app = await startApp("basic");
    host = await front(app.url);
    hub = await hubStandIn({ "ns/running": { host: host.url } });
    proxy = await connectProxy();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hub?.close(), host?.close(), proxy?.close()]);
    await app?.stop();
  });
  const hostPort = (url: string) => new URL(url).host;

  it("HTTP_PROXY: every request (Hub and app) goes through the proxy, the token inside the tunnel", async () => {
    proxy.targets.length = 0;
    const r = await spacegen(["ns/running", "-o", "m.ts"], hubEnv(hub.url, { HTTP_PROXY: proxy.url, HF_TOKEN: TOKEN }));
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(proxy.targets)).toEqual(new Set([hostPort(hub.url), hostPort(host.url)]));
    for (const h of proxy.connectHeaders) expect(h.authorization).toBeUndefined();
    expect(hub.seen.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);
  }, 60_000);

  it("NO_PROXY: a listed host:port is reached directly, the others still through the proxy", async () => {
    proxy.targets.length = 0;
    const r = await spacegen(["ns/running", "-o", "m.ts"], hubEnv(hub.url, { HTTP_PROXY: proxy.url, NO_PROXY: hostPort(hub.url) }));
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.targets.length).toBeGreaterThan(0);
    expect(new Set(proxy.targets)).toEqual(new Set([hostPort(host.url)]));
  }, 60_000);

  it("NO_PROXY=127.0.0.1 (lower-case no_proxy too): nothing goes through the proxy", async () => {
    proxy.targets.length = 0;
    const upper = await spacegen(["ns/running", "-o", "m.ts"], hubEnv(hub.url, { HTTP_PROXY: proxy.url, NO_PROXY: "localhost,127.0.0.1" }));
    const lower = await spacegen(["ns/running", "-o", "m.ts"], hubEnv(hub.url, { http_proxy: proxy.url, no_proxy: "127.0.0.1" }));
    expect([upper.code, lower.code]).toEqual([0, 0]);
    expect(proxy.targets).toEqual([]);
  }, 60_000);

  it("a dead proxy: one line naming what could not be reached", async () => {
    await proxy.close();
    const r = await spacegen([`${host.url}/`], hubEnv(hub.url, { HTTP_PROXY: proxy.url }));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/config: /);
    proxy = await connectProxy();
  }, 60_000);
});
