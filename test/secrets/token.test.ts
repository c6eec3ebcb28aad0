// Issue 7, part 6 and issue 13, point 6: a full run with a token set (HF_TOKEN and --token) against a
// stand-in Hub and app (node:http), on success and failure paths (401, 500, redirects, bad JSON, a login,
// unreachable), with servers that echo the credentials they received back: in error bodies,
// WWW-Authenticate, Location, a Space's stage, agents.md, /config and /info themselves. No output file,
// no log line and no error message may contain the token, or any 12-character piece of it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const ENV_TOKEN = "hf_envSecretAbCdEfGhIjKlMnOpQrStUv";
const FLAG_TOKEN = "hf_flagSecretZyXwVuTsRqPoNmLkJiHg";
const SPACE = "secret-test/app";

const config = {
  version: "6.31.0",
  api_prefix: "/gradio_api",
  protocol: "sse_v3",
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
          parameter_default: null,
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
  unnamed_endpoints: {},
};

type Mode =
  | "ok"
  | "hub401"
  | "hub500"
  | "hubStage"
  | "agentsEcho"
  | "app401"
  | "app500"
  | "appRedirect"
  | "appConfigEcho"
  | "appInfoEcho"
  | "appLoginEcho"
  | "unreachable";
let mode: Mode = "ok";
const seen: { server: string; url: string; authorization?: string; hfAuthorization?: string }[] = [];
let hubUrl = "";
let appUrl = "";
let deadUrl = "";
const servers: ReturnType<typeof createServer>[] = [];

/** The credentials a request carried (the Hub gets Authorization, an app X-HF-Authorization). */
const credentials = (req: IncomingMessage) => String(req.headers["x-hf-authorization"] ?? req.headers.authorization ?? "");

/** An error answer that echoes the request's credentials, as a careless or hostile server might. */
const reflect = (req: IncomingMessage, res: ServerResponse, status: number) =>
  res
    .writeHead(status, {
      "content-type": "application/json",
      "www-authenticate": `Bearer ${credentials(req)}`,
      location: `http://127.0.0.1:9/?t=${encodeURIComponent(credentials(req))}`,
    })
    .end(JSON.stringify({ detail: `rejected ${credentials(req)}`, error: credentials(req) }));

async function serve(name: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    seen.push({
      server: name,
      url: req.url ?? "",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers["x-hf-authorization"] ? { hfAuthorization: String(req.headers["x-hf-authorization"]) } : {}),
    });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  hubUrl = await serve("hub", (req, res) => {
    if (mode === "hub401") return reflect(req, res, 401);
    if (mode === "hub500") return reflect(req, res, 500);
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === `/api/spaces/${SPACE}/host`) return json({ host: mode === "unreachable" ? deadUrl : appUrl, subdomain: "secret-test-app" });
    // an unknown stage is quoted (shortened) in a warning
    if (req.url?.startsWith(`/api/spaces/${SPACE}`)) return json({ id: SPACE, runtime: { stage: mode === "hubStage" ? credentials(req) : "RUNNING" } });
    if (req.url === `/spaces/${SPACE}/agents.md`)
      return res.writeHead(200, { "content-type": "text/markdown" }).end(`API schema: GET ${appUrl}/gradio_api/info ${credentials(req)}\n`);
    reflect(req, res, 404);
  });
  appUrl = await serve("app", (req, res) => {
    if (mode === "app401") return reflect(req, res, 401);
    if (mode === "app500") return reflect(req, res, 500);
    if (mode === "appRedirect") return reflect(req, res, 302);
    if (mode === "appLoginEcho" && req.url === "/login") return reflect(req, res, 401);
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    // not JSON: a parser's message quotes the text around the error
    if (req.url === "/config" && mode === "appConfigEcho")
      return res.writeHead(200, { "content-type": "application/json" }).end(`{"version": ${credentials(req)}}`);
    if (req.url === "/config") return json(config);
    if (req.url?.startsWith("/gradio_api/info") && mode === "appInfoEcho") {
      const echoed = structuredClone(info) as { named_endpoints: Record<string, { description: string }> };
      echoed.named_endpoints["/predict"]!.description = `called with ${credentials(req)}`;
      return json(echoed);
    }
    if (req.url?.startsWith("/gradio_api/info")) return json(info);
    reflect(req, res, 404);
  });
  // a port with nothing listening
  const dead = await serve("dead", () => {});
  deadUrl = dead;
  await new Promise<void>((r) => servers.pop()!.close(() => r()));
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** Every 12-character piece of a token: a truncated or partly masked leak is still a leak. */
const pieces = (token: string) => Array.from({ length: token.length - 11 }, (_, i) => token.slice(i, i + 12));
const leaks = (text: string) => [ENV_TOKEN, FLAG_TOKEN].flatMap(pieces).filter((p) => text.includes(p));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

const scenarios: { name: string; mode: Mode; source: () => string; flag: boolean; code: number; check?: boolean; auth?: boolean }[] = [
  { name: "Space id, HF_TOKEN", mode: "ok", source: () => SPACE, flag: false, code: 0 },
  { name: "Space id, HF_TOKEN and --token", mode: "ok", source: () => SPACE, flag: true, code: 0 },
  { name: "Space id, --check", mode: "ok", source: () => SPACE, flag: true, code: 0, check: true },
  { name: "app URL, HF_TOKEN only (not sent: not *.hf.space)", mode: "ok", source: () => appUrl, flag: false, code: 0 },
  { name: "app URL, HF_TOKEN and --token", mode: "ok", source: () => appUrl, flag: true, code: 0 },
  { name: "Hub answers 401 (echoing the header)", mode: "hub401", source: () => SPACE, flag: true, code: 2 },
  { name: "Hub answers 500 (echoing the header)", mode: "hub500", source: () => SPACE, flag: true, code: 2 },
  { name: "Hub reports the header as the Space's stage", mode: "hubStage", source: () => SPACE, flag: true, code: 0 },
  { name: "agents.md echoes the header", mode: "agentsEcho", source: () => `${hubUrl}/spaces/${SPACE}/agents.md`, flag: true, code: 2 },
  { name: "app answers 401 (echoing the header)", mode: "app401", source: () => SPACE, flag: true, code: 2 },
  { name: "app answers 500 (echoing the header)", mode: "app500", source: () => SPACE, flag: true, code: 2 },
  { name: "app redirects with the header in Location", mode: "appRedirect", source: () => SPACE, flag: true, code: 2 },
  { name: "app's /config is not JSON and holds the header", mode: "appConfigEcho", source: () => SPACE, flag: true, code: 2 },
  { name: "app's /info holds the header (refused: it would be written to files)", mode: "appInfoEcho", source: () => SPACE, flag: true, code: 2 },
  { name: "app's /info holds the header, --check", mode: "appInfoEcho", source: () => SPACE, flag: true, code: 2, check: true },
  { name: "app's login refusal echoes the header", mode: "appLoginEcho", source: () => SPACE, flag: true, code: 2, auth: true },
  { name: "app URL answers 500 (echoing the header)", mode: "app500", source: () => appUrl, flag: true, code: 2 },
  { name: "app URL's /info holds the header", mode: "appInfoEcho", source: () => appUrl, flag: true, code: 2 },
  { name: "Space host unreachable", mode: "unreachable", source: () => SPACE, flag: true, code: 2 },
  { name: "app URL unreachable", mode: "unreachable", source: () => deadUrl, flag: true, code: 2 },
];

describe("no token in any output, log line or error message", () => {
  const out = mkdtempSync(join(tmpdir(), "spacegen-secrets-"));

  it.each(scenarios.map((s) => [s.name, s] as const))(
    "%s",
    async (_name, s) => {
      mode = s.mode;
      seen.length = 0;
      const args = [s.source(), "-o", join(out, "app.ts"), "--name", "app", "--wait", "0"];
      if (s.flag) args.push("--token", FLAG_TOKEN);
      if (s.check) args.push("--check");
      if (s.auth) args.push("--auth", "alice:pw");
      for (const debug of ["", "1"]) {
        const r = await runCli(args, { env: { HF_TOKEN: ENV_TOKEN, HF_ENDPOINT: hubUrl, SPACEGEN_DEBUG: debug }, timeout: 90_000 });
        expect({ code: r.code, stderr: r.stderr.slice(0, 300) }).toMatchObject({ code: s.code });
        expect(leaks(r.stdout), "stdout").toEqual([]);
        expect(leaks(r.stderr), "stderr").toEqual([]);
        if (s.code === 2) expect(r.stderr).toMatch(/spacegen: error: /);
      }
      for (const file of filesUnder(out)) expect(leaks(readFileSync(file, "latin1")), file).toEqual([]);
      // the run did use a token where it should (so the test exercised it): the Hub as Authorization, the app
      // as X-HF-Authorization, and a plain URL only a --token
      const sentTo = new Set(seen.filter((x) => x.authorization || x.hfAuthorization).map((x) => x.server));
      const space = s.source() === SPACE;
      if (space && s.mode !== "unreachable") expect(sentTo.has(s.mode.startsWith("app") ? "app" : "hub")).toBe(true);
      if (s.source() === appUrl) expect([...sentTo]).toEqual(s.flag ? ["app"] : []);
      if (s.source() === deadUrl) expect(sentTo.size).toBe(0);
      for (const x of seen) {
        const expected = `Bearer ${s.flag ? FLAG_TOKEN : ENV_TOKEN}`;
        if (x.server === "hub") expect([x.authorization ?? expected, x.hfAuthorization]).toEqual([expected, undefined]);
        if (x.server === "app") expect([x.authorization, x.hfAuthorization ?? expected]).toEqual([undefined, expected]);
      }
    },
    200_000,
  );
});
