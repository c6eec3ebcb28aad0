// Issue 13, points 4 and 16: names that a URL parser would resolve to another route. An endpoint named
// "/." or "/.." (POST {prefix}/call/.. is POST {prefix}/) or "/" is skipped with a warning: no client can
// call it, and the rest of the app stays usable. A Space id with a dot segment ("acme/..") is refused
// before any request (GET {hub}/api/spaces/acme/../host is GET {hub}/api/spaces/host).

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-dots-"));
const param = (name: string) => ({
  label: name,
  parameter_name: name,
  parameter_has_default: false,
  type: { type: "string" },
  python_type: { type: "str", description: "" },
  component: "Textbox",
});
const endpoint = () => ({
  parameters: [param("text")],
  returns: [{ label: "out", type: { type: "string" }, component: "Textbox" }],
  api_visibility: "public",
  description: "",
});

describe("endpoint names that are dot segments or empty", () => {
  it("are skipped with one warning each; the other endpoints are generated", async () => {
    const dir = tmp();
    const doc = { named_endpoints: { "/.": endpoint(), "/..": endpoint(), "/": endpoint(), "/ok": endpoint(), "/...": endpoint() } };
    writeFileSync(join(dir, "info.json"), JSON.stringify(doc));
    const r = await runCli(["info.json", "-o", "m.ts"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr
      .trim()
      .split("\n")
      .filter((l) => /dot-segment/.test(l));
    expect(warnings).toEqual([
      'spacegen: warning: info.json: "/.": an empty or dot-segment name cannot be called through /call (the URL would name another route); skipped',
      'spacegen: warning: info.json: "/..": an empty or dot-segment name cannot be called through /call (the URL would name another route); skipped',
      'spacegen: warning: info.json: "/": an empty or dot-segment name cannot be called through /call (the URL would name another route); skipped',
    ]);
    const code = readFileSync(join(dir, "m.ts"), "utf8");
    const wireNames = [...code.matchAll(/[{\n]\s*n: ("[^"]*"),\s*i:/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(wireNames).toEqual(["ok", "..."]); // "..." is an ordinary segment
    expect(r.stdout).toMatch(/\(2 endpoints\)/);
  });
});

describe("Space ids with a dot segment", () => {
  let hub: Server;
  let hubUrl = "";
  const seen: string[] = [];
  beforeAll(async () => {
    hub = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Repository not found"}');
    });
    await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hub.closeAllConnections();
    await new Promise<void>((r) => hub.close(() => r()));
  });

  it.each([["acme/.."], ["acme/."], ["../x"], ["./x"], ["HUB/spaces/acme/%2e%2e"], ["HUB/spaces/acme/%2E"]])("%s: exit 2, one line, no request", async (id) => {
    const dir = tmp();
    seen.length = 0;
    const r = await runCli([id.replace("HUB", hubUrl)], {
      cwd: dir,
      env: { HF_ENDPOINT: hubUrl, HF_TOKEN: "hf_dotSegmentsTestToken0123", HTTP_PROXY: undefined, http_proxy: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^spacegen: error: /);
    expect(seen).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an ordinary id still asks the Hub", async () => {
    seen.length = 0;
    const r = await runCli(["acme/repo.v2", "--wait", "0"], {
      cwd: tmp(),
      env: { HF_ENDPOINT: hubUrl, HF_TOKEN: "", HTTP_PROXY: undefined, http_proxy: undefined },
    });
    expect(r.code).toBe(2);
    expect(seen).toEqual(["/api/spaces/acme/repo.v2/host"]);
  });
});
