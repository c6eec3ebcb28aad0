// Issue 13, point 5 in a real browser: headless Chromium hides a redirect's target from fetch(redirect: "manual")
// (an "opaqueredirect" answer). The runtime repeats a request that carries nothing of the caller's for the browser
// to follow, and uses the answer only if it ended on the app's origin; a request with the token or the caller's
// headers is refused, never repeated with them. The page is served from another origin than the app, as in
// test/e2e (every call is cross-origin, with CORS).
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM } from "../e2e/suite.ts";
import { repoRoot } from "../support/paths.ts";
import { frame, gradioApp, startServer, type Handler, type TestServer } from "./server.ts";

let app: TestServer;
let other: TestServer;
let page: Server;
let browser: import("playwright-core").Browser;
let tab: import("playwright-core").Page;

const PAGE = `
import { endpoint } from "/runtime.mjs";
window.call = async (url, options) => {
  try {
    return { value: await endpoint({ url, prefix: "/gradio_api", cancel: false }, { n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: -1 })({ x: 1 }, options) };
  } catch (e) {
    return { kind: e.kind, message: e.message };
  }
};`;

/** `h` behind CORS: preflights answered, every answer (redirects too) readable from any origin. */
const cors =
  (h: Handler): Handler =>
  (req, res, rec) => {
    res.setHeader("access-control-allow-origin", "*");
    if (rec.method === "OPTIONS")
      return void res
        .writeHead(204, { "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "content-type, x-hf-authorization, x-ip-token" })
        .end();
    return h(req, res, rec);
  };

beforeAll(async () => {
  app = await startServer();
  other = await startServer();
  const js = (await build({ entryPoints: [`${repoRoot}/templates/runtime.ts`], bundle: true, format: "esm", platform: "neutral", write: false }))
    .outputFiles[0]!.text;
  page = createServer((req, res) => {
    if (req.url === "/runtime.mjs") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else if (req.url === "/page.mjs") res.writeHead(200, { "content-type": "text/javascript" }).end(PAGE);
    else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script type="module" src="/page.mjs"></script>');
  });
  await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${(page.address() as { port: number }).port}/`);
  await tab.waitForFunction(() => typeof (window as unknown as { call?: unknown }).call === "function");
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await app?.close();
  await other?.close();
});

const call = (url: string, options: Record<string, unknown> = {}) =>
  tab.evaluate(
    ([u, o]) => (window as unknown as { call: (u: string, o: unknown) => Promise<{ value?: unknown; kind?: string; message?: string }> }).call(u, o),
    [url, options] as const,
  );

/** An app whose API moved from /gradio_api to /v2: every old path answers 307 to the new one. */
const moved = (to: () => string): Handler => {
  const v2 = gradioApp([frame("complete", ["moved"])], {}, { prefix: "/v2" });
  return cors((req, res, rec) => {
    if (rec.url.startsWith("/gradio_api/")) return void res.writeHead(307, { location: to() + rec.url.replace("/gradio_api/", "/v2/") }).end();
    return v2(req, res, rec);
  });
};

describe.skipIf(!existsSync(CHROMIUM))("Chromium: redirects the browser hides", () => {
  test("nothing of the caller's: the browser follows a same-origin redirect, and the call works", async () => {
    app.handle(moved(() => ""));
    expect(await call(app.url)).toEqual({ value: "moved" });
    const sent = app.recs.filter((r) => r.method !== "OPTIONS").map((r) => `${r.method} ${r.url}`);
    expect(sent).toContain("POST /v2/call/predict");
    expect(sent).toContain("GET /v2/call/predict/ev1");
  });

  test.each([{ token: "hf_browser_secret" }, { headers: { "x-ip-token": "ip_browser_secret" } }])(
    "with %j: refused, and the redirect's target never sees it",
    async (o) => {
      app.handle(moved(() => ""));
      const r = await call(app.url, o);
      expect(r.kind).toBe("http");
      expect(r.message).toMatch(/redirect/);
      expect(app.recs.filter((x) => x.url.startsWith("/v2/"))).toEqual([]);
    },
  );

  test("nothing of the caller's, redirected to another origin: the answer is refused", async () => {
    other.handle(cors(gradioApp([frame("complete", ["elsewhere"])], {}, { prefix: "/v2" })));
    app.handle(moved(() => other.url));
    const r = await call(app.url);
    expect(r.kind).toBe("http");
    expect(r.message).toMatch(/another origin/);
  });
});
