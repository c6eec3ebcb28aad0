// Issue 5: the pure parts of source handling, and HTTP behaviour against small in-process servers.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeHttp, cookieHeader, httpRequest, retryAfterMs, USER_AGENT } from "../../src/load/http.ts";
import { hfSpaceSubdomain, subdomainHost } from "../../src/load/hub.ts";
import { TerminalStatus as Progress } from "../../src/shared/status.ts";
import { classifyLive, parseAgentsMd, parseAuth, spaceIdOf } from "../../src/load/live.ts";

describe("classifyLive", () => {
  const saved = process.env.HF_ENDPOINT;
  afterEach(() => {
    if (saved === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved;
  });
  it.each([
    ["microsoft/TRELLIS.2", { kind: "space", id: "microsoft/TRELLIS.2" }],
    ["https://huggingface.co/spaces/microsoft/TRELLIS.2", { kind: "space", id: "microsoft/TRELLIS.2" }],
    ["https://huggingface.co/spaces/ns/repo/", { kind: "space", id: "ns/repo" }],
    ["https://huggingface.co/spaces/ns/repo/blob/main/app.py?x=1#y", { kind: "space", id: "ns/repo" }],
    ["https://hf.co/spaces/ns/repo", { kind: "space", id: "ns/repo" }],
    ["https://huggingface.co/spaces/ns/repo/agents.md", { kind: "agents", id: "ns/repo", url: "https://huggingface.co/spaces/ns/repo/agents.md" }],
    ["https://ns-repo.hf.space", { kind: "url", url: "https://ns-repo.hf.space" }],
    ["http://127.0.0.1:7860/sub/", { kind: "url", url: "http://127.0.0.1:7860/sub/" }],
  ])("%s", (source, expected) => {
    delete process.env.HF_ENDPOINT;
    expect(classifyLive(source)).toEqual(expected);
  });
  it("HF_ENDPOINT (with a path) is a Hub too", () => {
    process.env.HF_ENDPOINT = "http://mirror.test/hf/";
    expect(classifyLive("http://mirror.test/hf/spaces/a/b/agents.md")).toEqual({
      kind: "agents",
      id: "a/b",
      url: "http://mirror.test/hf/spaces/a/b/agents.md",
    });
    expect(classifyLive("http://mirror.test/other/spaces/a/b")).toEqual({ kind: "url", url: "http://mirror.test/other/spaces/a/b" });
    expect(spaceIdOf("https://huggingface.co/spaces/a/b")).toBe("a/b");
  });
  it.each(["https://huggingface.co/microsoft/phi-4", "https://huggingface.co/spaces/ns", "https://huggingface.co/spaces/ns/re po"])(
    "refuses the Hub page %s",
    (source) => {
      delete process.env.HF_ENDPOINT;
      expect(() => classifyLive(source)).toThrow(/is a Hugging Face page but not a Space's/);
    },
  );
});

describe("parseAgentsMd (untrusted text)", () => {
  const four = (schema: string) =>
    `To use this application (microsoft/TRELLIS.2: Create 3D model from a single image):\nAPI schema: GET ${schema}\nCall endpoint: POST x\nPoll result: GET y\nAuth: Bearer $HF_TOKEN\n`;
  it.each([
    ["https://microsoft-trellis-2.hf.space/gradio_api/info", "https://microsoft-trellis-2.hf.space"],
    ["https://x.hf.space/info", "https://x.hf.space"],
    ["http://127.0.0.1:7860/sub/gradio_api/info", "http://127.0.0.1:7860/sub"],
  ])("%s → %s", (schema, root) => expect(parseAgentsMd(four(schema), "a.md")).toBe(root));
  it("accepts CRLF line ends", () =>
    expect(parseAgentsMd(four("https://x.hf.space/gradio_api/info").replace(/\n/g, "\r\n"), "a.md")).toBe("https://x.hf.space"));
  it.each([
    ["no line", "hello\n", /no "API schema/],
    ["two lines", four("https://a.hf.space/gradio_api/info") + "API schema: GET https://b.hf.space/gradio_api/info\n", /more than one/],
    ["javascript:", four("javascript:alert(1)//info"), /not a plain http/],
    ["credentials", four("https://u:p@x.hf.space/gradio_api/info"), /not a plain http/],
    ["a query", four("https://x.hf.space/gradio_api/info?a=b"), /not a plain http/],
    ["a fragment", four("https://x.hf.space/gradio_api/info#a"), /not a plain http/],
    ["not /info", four("https://x.hf.space/gradio_api/call/predict"), /not a plain http/],
    ["trailing words", four("https://x.hf.space/gradio_api/info and more"), /not a plain http/],
    ["dot segments", four("https://x.hf.space/%2e%2e/gradio_api/info"), /not a plain http/],
    ["non-ASCII", four("https://x.hf.space/é/gradio_api/info"), /not a plain http/],
    ["huge", "API schema: GET https://x.hf.space/gradio_api/info\n" + "x".repeat(20_000), /longer than/],
  ])("refuses %s", (_, text, message) => expect(() => parseAgentsMd(text, "a.md")).toThrow(message));
});

describe("small helpers", () => {
  it("subdomain rule and hf.space hosts", () => {
    expect(subdomainHost("NimaBoscarino/hotdog-gradio")).toBe("https://nimaboscarino-hotdog-gradio.hf.space");
    expect(subdomainHost("hmb/hello_world")).toBe("https://hmb-hello-world.hf.space");
    expect(subdomainHost("microsoft/TRELLIS.2")).toBe("https://microsoft-trellis-2.hf.space");
    expect(hfSpaceSubdomain("https://abc-def.hf.space/x")).toBe("abc-def");
    expect(hfSpaceSubdomain("http://abc-def.hf.space")).toBeNull(); // the token only over https
    expect(hfSpaceSubdomain("https://hf.space.evil.test")).toBeNull();
    expect(hfSpaceSubdomain("https://a.b.hf.space")).toBeNull();
  });
  it("parseAuth splits at the first colon and never echoes the value", () => {
    expect(parseAuth("alice:pa:ss", "--auth")).toEqual({ username: "alice", password: "pa:ss" });
    expect(() => parseAuth("secret", "--auth")).toThrow(/^--auth expects user:password$/);
    expect(() => parseAuth(":pw", "SPACEGEN_AUTH")).toThrow(/^SPACEGEN_AUTH expects user:password$/);
  });
  it("Retry-After: seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(["0"])).toBe(0);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
  it("cookieHeader keeps name=value pairs only", () => {
    const headers = { "set-cookie": ["a-1=x; HttpOnly; Secure", "b=; Path=/", "junk"] };
    expect(cookieHeader({ status: 200, headers, text: "", url: "" })).toBe("a-1=x; b=");
    expect(cookieHeader({ status: 200, headers: {}, text: "", url: "" })).toBeNull();
  });
  it("Progress: one rewritten line on a terminal, deduplicated plain lines otherwise", () => {
    const written: string[] = [];
    const tty = { write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const p = new Progress(tty, () => written.push("LINE"));
    p.update("BUILDING", "a is BUILDING (1s)");
    p.update("BUILDING", "a is BUILDING (2s)");
    p.done();
    expect(written).toEqual(["\r\x1b[Kspacegen: a is BUILDING (1s)", "\r\x1b[Kspacegen: a is BUILDING (2s)", "\n"]);
    const lines: string[] = [];
    const q = new Progress(null, (l) => lines.push(l));
    q.update("BUILDING", "a is BUILDING (1s)");
    q.update("BUILDING", "a is BUILDING (2s)");
    q.update("APP_STARTING", "a is APP_STARTING (3s)");
    q.done();
    expect(lines).toEqual(["spacegen: a is BUILDING (1s)", "spacegen: a is APP_STARTING (3s)"]);
  });
});

describe("httpRequest", () => {
  let server: Server;
  let base = "";
  const hits = new Map<string, number>();
  const agents: string[] = [];
  const env = { ...process.env };
  beforeAll(async () => {
    for (const k of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) delete process.env[k];
    process.env.SPACEGEN_RETRY_BASE_MS = "10";
    process.env.SPACEGEN_HTTP_TIMEOUT_MS = "400";
    server = createServer((req, res) => {
      const n = (hits.get(req.url!) ?? 0) + 1;
      hits.set(req.url!, n);
      agents.push(req.headers["user-agent"] ?? "");
      if (req.url === "/flaky" && n < 3) {
        res.writeHead(n === 1 ? 503 : 429, { "retry-after": "0" });
        return res.end();
      }
      if (req.url === "/always-500") {
        res.writeHead(500);
        return res.end("no");
      }
      if (req.url === "/patience") {
        res.writeHead(429, { "retry-after": "3600" });
        return res.end();
      }
      if (req.url === "/stall") return; // never answers
      if (req.url === "/post") {
        res.writeHead(503);
        return res.end();
      }
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttp();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    for (const k of ["SPACEGEN_RETRY_BASE_MS", "SPACEGEN_HTTP_TIMEOUT_MS"]) if (env[k] === undefined) delete process.env[k];
  });

  it("retries 503 and 429, then answers; sends spacegen/<version> as user agent", async () => {
    const r = await httpRequest(`${base}/flaky`);
    expect(r.status).toBe(200);
    expect(hits.get("/flaky")).toBe(3);
    expect(agents.every((a) => a === USER_AGENT)).toBe(true);
    expect(USER_AGENT).toMatch(/^spacegen\/\d+\.\d+\.\d+/);
  });
  it("gives up after the attempts with the last answer", async () => {
    const r = await httpRequest(`${base}/always-500`, { attempts: 2 });
    expect(r.status).toBe(500);
    expect(hits.get("/always-500")).toBe(2);
  });
  it("does not sit out a Retry-After longer than it would wait", async () => {
    const started = Date.now();
    const r = await httpRequest(`${base}/patience`);
    expect(r.status).toBe(429);
    expect(hits.get("/patience")).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
  it("a POST is not retried on 5xx by default", async () => {
    const r = await httpRequest(`${base}/post`, { method: "POST", body: "x" });
    expect(r.status).toBe(503);
    expect(hits.get("/post")).toBe(1);
  });
  it("a stalled answer times out, then fails with a short reason", async () => {
    await expect(httpRequest(`${base}/stall`, { attempts: 2 })).rejects.toThrow(/^no answer in time$/);
    expect(hits.get("/stall")).toBe(2);
  });
  it("a refused connection is retried, then named", async () => {
    await expect(httpRequest("http://127.0.0.1:9/", { attempts: 2 })).rejects.toThrow(/^connection refused$/);
  });
});
