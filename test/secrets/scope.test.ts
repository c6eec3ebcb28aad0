// Issue 13, point 2: the ambient HF_TOKEN goes only to the Hub and to Spaces (https://*.hf.space, or the host
// the Hub reports for a Space id); any other app gets only a token passed with --token, and never over plain
// http except to loopback. The rule is credentials.ts's tokenScope; the CLI runs below replay it end to end
// against a stand-in app, directly (loopback) and through a recording HTTP proxy (a non-loopback host).

import { createServer, request as forward, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenScope } from "../../src/load/credentials.ts";
import { runCli } from "../support/cli.ts";

const TOKEN = "hf_scopeTestTokenAbCdEfGhIjKlMnOp";

describe("tokenScope", () => {
  it.each([
    // root, from, space id?, sent?, warned?
    ["https://abc-def.hf.space", "HF_TOKEN", false, true, false],
    ["https://abc-def.hf.space/sub", "--token", false, true, false],
    ["https://gradio.example.com", "HF_TOKEN", false, false, false],
    ["https://gradio.example.com", "--token", false, true, false],
    ["https://hf.space.evil.example", "HF_TOKEN", false, false, false],
    ["http://abc-def.hf.space", "HF_TOKEN", false, false, false],
    ["http://abc-def.hf.space", "--token", false, false, true],
    ["http://127.0.0.1:7860", "HF_TOKEN", false, false, false],
    ["http://127.0.0.1:7860", "--token", false, true, false],
    ["http://127.8.9.10:7860", "--token", false, true, false],
    ["http://localhost:7860/sub", "--token", false, true, false],
    ["http://app.localhost", "--token", false, true, false],
    ["http://[::1]:7860", "--token", false, true, false],
    ["http://192.168.1.20:7860", "--token", false, false, true],
    ["http://127.0.0.1.evil.example", "--token", false, false, true],
    ["http://gradio.example.com", "HF_TOKEN", false, false, false],
    // the host the Hub reports for a Space id
    ["https://ns-repo.hf.space", "HF_TOKEN", true, true, false],
    ["http://127.0.0.1:5000", "HF_TOKEN", true, true, false],
    ["http://mirror.example", "HF_TOKEN", true, false, true],
  ] as const)("%s with %s (Space id: %s): sent %s, warned %s", (root, from, space, sent, warned) => {
    const decision = tokenScope(root, from, space);
    expect(decision.send).toBe(sent);
    expect(decision.withheld !== undefined).toBe(warned);
  });
});

const config = {
  version: "6.31.0",
  api_prefix: "/gradio_api",
  components: [
    { id: 1, type: "textbox" },
    { id: 2, type: "textbox" },
  ],
  dependencies: [{ id: 0, api_name: "predict", inputs: [1], outputs: [2], types: { generator: false }, api_visibility: "public" }],
};
const info = {
  named_endpoints: {
    "/predict": {
      parameters: [
        {
          label: "text",
          parameter_name: "text",
          parameter_has_default: false,
          type: { type: "string" },
          python_type: { type: "str", description: "" },
          component: "Textbox",
        },
      ],
      returns: [{ label: "out", type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox" }],
      api_visibility: "public",
      description: "",
    },
  },
};

interface Request {
  url: string;
  headers: IncomingHttpHeaders;
}

let app: Server;
let proxy: Server;
let appUrl = "";
let proxyUrl = "";
const appSeen: Request[] = [];
const proxySeen: Request[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  app = createServer((req, res) => {
    appSeen.push({ url: req.url ?? "", headers: req.headers });
    const body = req.url === "/config" ? config : req.url?.startsWith("/gradio_api/info") ? info : null;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(body ?? { detail: "Not Found" }));
  });
  appUrl = await listen(app);
  // An HTTP proxy that answers every host name with the stand-in app. undici tunnels even plain http
  // (CONNECT), so the tunnel is handed back to this server, which then sees the requests inside it.
  proxy = createServer((req, res) => {
    const url = /^https?:/.test(req.url ?? "") ? req.url! : `http://${req.headers.host}${req.url}`;
    proxySeen.push({ url, headers: req.headers });
    const target = new URL(appUrl);
    const path = new URL(url).pathname;
    const upstream = forward({ host: target.hostname, port: target.port, path, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on("connect", (_req, socket, head) => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) socket.unshift(head);
    proxy.emit("connection", socket);
  });
  proxyUrl = await listen(proxy);
});
afterAll(async () => {
  for (const server of [app, proxy]) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HF_TOKEN: "",
  HF_ENDPOINT: "http://127.0.0.1:9",
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ...extra,
});
const tokenHeaders = (seen: Request[]) => seen.map((r) => [r.headers.authorization, r.headers["x-hf-authorization"]]);
const out = () => join(mkdtempSync(join(tmpdir(), "spacegen-scope-")), "m.ts");

describe("the CLI against a stand-in app", () => {
  it("a loopback URL with only HF_TOKEN set: no token in any request", async () => {
    const mark = appSeen.length;
    const r = await runCli([appUrl, "-o", out()], { env: env({ HF_TOKEN: TOKEN }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const seen = appSeen.slice(mark);
    expect(seen.length).toBe(2);
    expect(tokenHeaders(seen)).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it("a loopback URL with --token: sent as X-HF-Authorization, never Authorization", async () => {
    const mark = appSeen.length;
    const r = await runCli([appUrl, "-o", out(), "--token", TOKEN], { env: env({ HF_TOKEN: "hf_ambientOtherTokenXyz0123456" }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(tokenHeaders(appSeen.slice(mark))).toEqual([
      [undefined, `Bearer ${TOKEN}`],
      [undefined, `Bearer ${TOKEN}`],
    ]);
  });

  it("a plain-http URL that is not this machine, with --token: the token is withheld, with one warning", async () => {
    const mark = proxySeen.length;
    const r = await runCli(["http://gradio.internal.example/", "-o", out(), "--token", TOKEN], { env: env({ HTTP_PROXY: proxyUrl }) });
    expect(r.code, r.stderr).toBe(0);
    const seen = proxySeen.slice(mark);
    expect(seen.map((s) => s.url)).toEqual(["http://gradio.internal.example/config", "http://gradio.internal.example/gradio_api/info"]);
    expect(tokenHeaders(seen)).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    expect(r.stderr.trim().split("\n")).toEqual([
      "spacegen: warning: http://gradio.internal.example/: http://gradio.internal.example is plain http and not this machine, so the token is not sent to it",
    ]);
    expect(r.stderr).not.toContain(TOKEN);
  });
});

describe("redirects", () => {
  it("are never followed by the generator: a 307 to another host carries nothing there", async () => {
    const elsewhereSeen: Request[] = [];
    const elsewhere = createServer((req, res) => {
      elsewhereSeen.push({ url: req.url ?? "", headers: req.headers });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(req.url === "/config" ? config : info));
    });
    const elsewhereUrl = await listen(elsewhere);
    const redirecting = createServer((req, res) => res.writeHead(307, { location: `${elsewhereUrl}${req.url}` }).end());
    const redirectingUrl = await listen(redirecting);
    try {
      const r = await runCli([redirectingUrl, "-o", out(), "--token", TOKEN, "--auth", "alice:pw"], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(2); // the "no login" warning, then the error
      expect(elsewhereSeen).toEqual([]);
    } finally {
      for (const server of [elsewhere, redirecting]) {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});
