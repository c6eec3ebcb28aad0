// Issue 13, point 3: /config's api_prefix is untrusted. It is pasted between the app's root and every route,
// so "@evil:port", ".evil.example" or "9" would move /info, the login cookie, the token and every later call
// of the module to another host. Replayed against a stand-in app: through a recording HTTP proxy that
// answers every host name (as an attacker's host would, so today's CLI exits 0), and directly on loopback.
// Each must exit 2 with one line, send nothing to another host, and write nothing. Snapshots read from disk
// follow the same rule, and --check calls a changed prefix breaking.

import { createServer, request as forward, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const TOKEN = "hf_prefixTestTokenAbCdEfGhIjKlMnOp";
const COOKIE = "access-token-x=session-secret-cookie";

let apiPrefix = "/gradio_api";
const config = () => ({
  version: "6.31.0",
  api_prefix: apiPrefix,
  components: [
    { id: 1, type: "textbox" },
    { id: 2, type: "textbox" },
  ],
  dependencies: [{ id: 0, api_name: "predict", inputs: [1], outputs: [2], types: { generator: false }, api_visibility: "public" }],
});
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
  host: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const servers: Server[] = [];
let appUrl = "";
let evilUrl = "";
let proxyUrl = "";
const appSeen: Request[] = [];
const evilSeen: Request[] = [];
const proxySeen: Request[] = [];

/** Answers like a Gradio app (a login, /config, any path ending in /info): the app, and the attacker's copy of it. */
function gradioLike(seen: Request[]) {
  const server = createServer((req, res) => {
    seen.push({ host: req.headers.host ?? "", url: req.url ?? "", headers: req.headers });
    const path = (req.url ?? "").split("?")[0]!;
    if (path === "/login") return res.writeHead(200, { "set-cookie": `${COOKIE}; Path=/`, "content-type": "application/json" }).end("{}");
    const body = path === "/config" ? config() : path.endsWith("/info") ? info : null;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(body ?? { detail: "Not Found" }));
  });
  servers.push(server);
  return server;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  appUrl = await listen(gradioLike(appSeen));
  evilUrl = await listen(gradioLike(evilSeen));
  // An HTTP proxy that answers every host name with the stand-in app, recording the host asked for.
  // undici tunnels plain http too (CONNECT): the tunnel is handed back to this server to see inside it.
  const proxy = createServer((req, res) => {
    const url = new URL(/^https?:/.test(req.url ?? "") ? req.url! : `http://${req.headers.host}${req.url}`);
    proxySeen.push({ host: url.host, url: url.pathname + url.search, headers: req.headers });
    const target = new URL(appUrl);
    const upstream = forward(
      { host: target.hostname, port: target.port, path: url.pathname + url.search, method: req.method, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on("connect", (_req, socket, head) => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) socket.unshift(head);
    proxy.emit("connection", socket);
  });
  servers.push(proxy);
  proxyUrl = await listen(proxy);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HF_TOKEN: "",
  HF_ENDPOINT: "http://127.0.0.1:9",
  SPACEGEN_AUTH: "",
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ...extra,
});
const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-prefix-"));

function expectRefused(r: { code: number | null; stderr: string; stdout: string }, dir: string) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^spacegen: error: .*api_prefix .* is not a URL path/);
  expect(readdirSync(dir)).toEqual([]); // nothing written
}

describe("a hostile api_prefix from a live /config", () => {
  it.each(["@evil.example:8080", ".evil.example", "9", "//evil.example", "/x/../../evil", "/ok?x=", "/a#b", "/a\\b", "/a//b", "/.", "/a b"])(
    "%j through a proxy: exit 2, one line, no request to another host, nothing written",
    async (prefix) => {
      apiPrefix = prefix;
      const dir = tmp();
      const mark = proxySeen.length;
      const r = await runCli(["http://app.example/", "-o", join(dir, "m.ts"), "--auth", "alice:pw"], { env: env({ HTTP_PROXY: proxyUrl }), cwd: dir });
      expectRefused(r, dir);
      const seen = proxySeen.slice(mark);
      expect(seen.map((s) => `${s.host}${s.url.split("?")[0]}`)).toEqual(["app.example/login", "app.example/config"]);
    },
  );

  it('"@127.0.0.1:<port>" on loopback: the token and the login cookie never reach that port', async () => {
    apiPrefix = `@${new URL(evilUrl).host}`;
    const dir = tmp();
    const mark = appSeen.length;
    const r = await runCli([appUrl, "-o", join(dir, "m.ts"), "--token", TOKEN, "--auth", "alice:pw"], { env: env(), cwd: dir });
    expectRefused(r, dir);
    expect(evilSeen).toEqual([]);
    expect(appSeen.slice(mark).map((s) => s.url)).toEqual(["/login", "/config"]);
  });

  it("a well-formed prefix still works (and sub-path prefixes too)", async () => {
    for (const prefix of ["", "/gradio_api", "/a/b.c/~d-e_f"]) {
      apiPrefix = prefix;
      const dir = tmp();
      const r = await runCli([appUrl, "-o", join(dir, "m.ts")], { env: env(), cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, "m.ts"), "utf8")).toContain(`prefix: ${JSON.stringify(prefix)}`);
    }
  });
});

describe("a hostile api_prefix in a snapshot read from disk", () => {
  const snapshot = (prefix: { config?: string; apiPrefix?: string | null }) => ({
    spacegen: 1,
    source: { space: null, url: "http://127.0.0.1:7860", name: "app" },
    gradioVersion: "6.31.0",
    config: prefix.config === undefined ? null : { ...config(), api_prefix: prefix.config },
    apiPrefix: prefix.apiPrefix ?? null,
    info,
    notes: [],
  });

  it.each([
    ["config.api_prefix", { config: "@evil.example" }],
    ["config.api_prefix", { config: ".evil.example" }],
    ["config.api_prefix", { config: "9" }],
    ["apiPrefix (no config)", { apiPrefix: "@evil.example:1" }],
  ])("%s %j: exit 2, one line, nothing written", async (_field, prefix) => {
    const dir = tmp();
    const source = join(mkdtempSync(join(tmpdir(), "spacegen-prefix-src-")), "app.schema.json");
    writeFileSync(source, JSON.stringify(snapshot(prefix)));
    expectRefused(await runCli([source, "-o", join(dir, "m.ts")], { env: env(), cwd: dir }), dir);
  });

  it("--offline with a tampered snapshot beside the module: refused, the module left as it was", async () => {
    const dir = tmp();
    apiPrefix = "/gradio_api";
    expect((await runCli([appUrl, "-o", join(dir, "m.ts")], { env: env(), cwd: dir })).code).toBe(0);
    const before = readFileSync(join(dir, "m.ts"), "utf8");
    const file = join(dir, "m.schema.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"api_prefix": "/gradio_api"', '"api_prefix": "@evil.example"'));
    const r = await runCli([appUrl, "-o", join(dir, "m.ts"), "--offline"], { env: env(), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/api_prefix "@evil\.example" is not a URL path/);
    expect(readFileSync(join(dir, "m.ts"), "utf8")).toBe(before);
  });
});

describe("--check and a changed prefix", () => {
  it("is breaking: every route of the old module is gone", async () => {
    const dir = tmp();
    apiPrefix = "/gradio_api";
    expect((await runCli([appUrl, "-o", join(dir, "m.ts")], { env: env(), cwd: dir })).code).toBe(0);
    apiPrefix = "/api/v2";
    const r = await runCli([appUrl, "-o", join(dir, "m.ts"), "--check"], { env: env(), cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ {2}breaking +\(module\): API prefix changed: `\/gradio_api` → `\/api\/v2`/m);
    expect(r.stdout).toMatch(/\(1 with breaking changes\)/);
    expect(existsSync(join(dir, "m.ts"))).toBe(true);
  });
});
