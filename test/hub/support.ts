// Stand-ins for issue 5's tests: a Hugging Face Hub (node:http), a stand-in for the Spaces proxy in front of
// a real Gradio app (what *.hf.space is to a Space), an unrelated recording server, and a small
// CONNECT/forwarding proxy.

import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect as netConnect, type AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliResult } from "../support/cli.ts";

export const TOKEN = "hf_spacegenTestToken0123456789";

export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  /** X-HF-Authorization, the header the Spaces proxy reads */
  hfAuthorization: string | undefined;
  cookie: string | undefined;
  headers: IncomingHttpHeaders;
  at: number;
}

const record = (req: { method?: string | undefined; url?: string | undefined; headers: IncomingHttpHeaders }): Seen => ({
  method: req.method ?? "",
  url: req.url ?? "",
  authorization: header(req.headers.authorization),
  hfAuthorization: header(req.headers["x-hf-authorization"]),
  cookie: header(req.headers.cookie),
  headers: { ...req.headers },
  at: Date.now(),
});

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : v);

export interface Running {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closer = (server: Server) => () =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Any server that records every request and answers with `handler` (default: 404). */
export async function recordingServer(handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<Running> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push(record(req));
    if (handler) return handler(req, res);
    json(res, 404, { detail: "Not Found" });
  });
  const url = await listen(server);
  return { url, seen, close: closer(server) };
}

export interface Front extends Running {
  /** what the app behind the proxy received: the requests as forwarded, after the proxy stripped its header */
  forwarded: Seen[];
}

/**
 * A stand-in for the Hugging Face Spaces proxy in front of `target` (a real Gradio app), as the real one is
 * documented to behave (gradio-app/gradio#11700, huggingface/hf-mcp-server#249): it authorises a private
 * Space by `X-HF-Authorization: Bearer <token>` (401 without it or with a wrong one), strips that header
 * before forwarding, and passes every other header through, `Authorization` included (which is why a
 * client must never put the token there: the Space's own code would read it).
 */
export async function front(target: string, opts: { requireToken?: boolean } = {}): Promise<Front> {
  const t = new URL(target);
  const forwarded: Seen[] = [];
  const running = await recordingServer((req, res) => {
    if (opts.requireToken && req.headers["x-hf-authorization"] !== `Bearer ${TOKEN}`)
      return json(res, 401, { error: "Invalid credentials in Authorization header" });
    const { "x-hf-authorization": _consumed, ...headers } = req.headers;
    forwarded.push(record({ method: req.method, url: req.url, headers }));
    // a connection per request: a kept-alive one the app closed when idle would fail a request now and then (502, a retry)
    const upstream = httpRequest(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...headers, host: t.host }, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => json(res, 502, { error: "upstream" }));
    req.pipe(upstream);
  });
  return { ...running, forwarded };
}

export interface SpaceDef {
  /** the host the Hub reports */
  host: string;
  /** stages answered on successive status polls (the last repeats), or a function */
  stages?: string[] | (() => string);
  private?: boolean;
  sdk?: string;
  /** the agents.md text; default: the four lines pointing at host */
  agents?: string;
  /** answer /host with these statuses first (e.g. [503]) */
  hostFailures?: { status: number; retryAfter?: string }[];
  subdomain?: string;
}

export interface Hub extends Running {
  spaces: Map<string, SpaceDef>;
  polls(id: string): number;
}

export const agentsText = (id: string, root: string) =>
  [
    `To use this application (${id}: a test Space):`,
    `API schema: GET ${root}/gradio_api/info`,
    `Call endpoint: POST ${root}/gradio_api/call/{endpoint} {"data": [...]}`,
    `Poll result: GET ${root}/gradio_api/call/{endpoint}/{event_id}`,
    "Auth: Bearer $HF_TOKEN",
  ].join("\n");

/** The Hub's documented routes: /api/spaces/{id}/host, /api/spaces/{id}, /api/spaces/by-subdomain/{sub}, /spaces/{id}/agents.md. */
export async function hubStandIn(spaces: Record<string, SpaceDef>): Promise<Hub> {
  const map = new Map(Object.entries(spaces));
  const pollCount = new Map<string, number>();
  const stageOf = (id: string, def: SpaceDef): string => {
    const n = pollCount.get(id) ?? 0;
    pollCount.set(id, n + 1);
    if (typeof def.stages === "function") return def.stages();
    const list = def.stages ?? ["RUNNING"];
    return list[Math.min(n, list.length - 1)]!;
  };
  const running = await recordingServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    let m = /^\/api\/spaces\/by-subdomain\/([^/]+)$/.exec(path);
    if (m) {
      const entry = [...map.entries()].find(([, d]) => d.subdomain === m![1]);
      if (!entry) return json(res, 404, { error: "Space not found" });
      const [id, def] = entry;
      return json(res, 200, { id, sdk: def.sdk ?? "gradio", runtime: { stage: stageOf(id, def) } });
    }
    m = /^\/(api\/spaces|spaces)\/([^/]+\/[^/]+?)(\/host|\/agents\.md)?$/.exec(path);
    const def = m ? map.get(m[2]!) : undefined;
    if (!m || !def) return json(res, 404, { error: "Repository not found" });
    const id = m[2]!;
    // The Hub API reads Authorization (only apps behind the Spaces proxy read X-HF-Authorization).
    if (def.private && req.headers.authorization !== `Bearer ${TOKEN}`)
      return json(res, 401, { error: req.headers.authorization ? "Invalid credentials in Authorization header" : "Repository not found" });
    if (m[3] === "/agents.md") {
      res.writeHead(200, { "content-type": "text/markdown" });
      return res.end(def.agents ?? agentsText(id, def.host));
    }
    if (m[3] === "/host") {
      const failure = def.hostFailures?.shift();
      if (failure) return json(res, failure.status, { error: "try later" }, failure.retryAfter ? { "retry-after": failure.retryAfter } : {});
      return json(res, 200, { subdomain: id.replace("/", "-"), host: def.host });
    }
    if (m[1] === "api/spaces")
      return json(res, 200, { id, host: def.host, sdk: def.sdk ?? "gradio", private: !!def.private, runtime: { stage: stageOf(id, def) } });
    json(res, 404, { error: "Not Found" });
  });
  return { ...running, spaces: map, polls: (id) => pollCount.get(id) ?? 0 };
}

export interface Proxy extends Running {
  /** CONNECT targets ("host:port") and absolute-form forwarded URLs, in order */
  targets: string[];
  /** headers of CONNECT requests (the proxy never sees what goes through the tunnel) */
  connectHeaders: IncomingMessage["headers"][];
}

/** A CONNECT-capable proxy (node:http 'connect' event), recording targets. */
export async function connectProxy(): Promise<Proxy> {
  const targets: string[] = [];
  const connectHeaders: IncomingMessage["headers"][] = [];
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    // absolute-form forwarding for plain http through the proxy
    seen.push(record(req));
    targets.push(req.url ?? "");
    let u: URL;
    try {
      u = new URL(req.url ?? "");
    } catch {
      return json(res, 400, {});
    }
    const upstream = httpRequest({ host: u.hostname, port: u.port, method: req.method, path: u.pathname + u.search, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => json(res, 502, {}));
    req.pipe(upstream);
  });
  server.on("connect", (req, client, head) => {
    targets.push(req.url ?? "");
    connectHeaders.push(req.headers);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = netConnect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
    client.on("error", () => upstream.destroy());
  });
  const url = await listen(server);
  return { url, seen, targets, connectHeaders, close: closer(server) };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-hub-"));

/** Environment for a CLI run against the stand-in Hub: no proxies, no ambient token, fast polls and retries. */
export function hubEnv(hub: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HF_ENDPOINT: hub,
    HF_TOKEN: "",
    SPACEGEN_AUTH: "",
    // undefined removes a variable from the child's environment (an empty lower-case one would win over upper case)
    HTTP_PROXY: undefined,
    HTTPS_PROXY: undefined,
    http_proxy: undefined,
    https_proxy: undefined,
    NO_PROXY: undefined,
    no_proxy: undefined,
    SPACEGEN_POLL_MS: "50",
    SPACEGEN_RETRY_BASE_MS: "20",
    ...extra,
  };
}

export function spacegen(args: string[], env: NodeJS.ProcessEnv, cwd = tmp()): Promise<CliResult & { cwd: string }> {
  return runCli(args, { cwd, env, timeout: 90_000 }).then((r) => ({ ...r, cwd }));
}

/** stderr lines that are errors; every failure must print exactly one. */
export const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("spacegen: error: "));
