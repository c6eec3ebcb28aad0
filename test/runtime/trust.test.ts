// Issue 13 (runtime half): the trust boundaries of the runtime, replayed as attacks through its public surface
// (endpoint/bareEndpoint/bind with an AppSpec + EndpointSpec) against local node:http servers, or a fake fetch
// where a real server cannot play the part (an https origin, a browser's opaque redirect).
//   2. the ambient HF_TOKEN goes only to https://*.hf.space; an explicit token never over plain non-loopback http
//   3. AppSpec.prefix is untrusted: anything but "" or /segments is refused before any request
//   4. event ids and endpoint names are one path segment each: no server string moves a URL
//   5. redirects are followed here, on the app's origin only; a loop says so; browsers' opaque redirects
//   6. a server that echoes a secret does not get it into the SpaceError
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { bind, endpoint, SpaceError, type AppSpec, type CallOptions, type EndpointSpec } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { frame, gradioApp, json, sleep, startServer, type TestServer } from "./server.ts";

let srv: TestServer;
let other: TestServer;
const savedToken = process.env.HF_TOKEN;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  delete process.env.HF_TOKEN;
  process.on("unhandledRejection", onUnhandled);
  srv = await startServer();
  other = await startServer();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  else delete process.env.HF_TOKEN;
  await srv.close();
  await other.close();
});
afterEach(async () => {
  delete process.env.HF_TOKEN;
  await sleep(20);
  expect(unhandled).toEqual([]);
});

const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({ n: "predict", i: [{ k: "x" }], o: [1], s: 1, x: 3, ...over });
const call = (a: Partial<AppSpec>, o?: CallOptions, s: Partial<EndpointSpec> = {}) =>
  endpoint<Record<string, unknown>, unknown>({ url: srv.url, prefix: "/gradio_api", cancel: true, ...a }, spec(s))({ x: 1 }, o);

/**
 * A fetch that serves requests for other origins from the local server `to`: it records each request as the
 * runtime made it (URL and headers), then sends it to `to` with the same path. Redirects are left to the caller.
 */
function relay(to: TestServer) {
  const seen: { url: string; headers: Record<string, string>; redirect?: string | undefined }[] = [];
  const f = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    seen.push({ url: url.href, headers: { ...(init.headers as Record<string, string>) }, redirect: init.redirect });
    return fetch(to.url + url.pathname + url.search, { ...init, redirect: "manual" });
  }) as typeof fetch;
  return { fetch: f, seen };
}

/** The headers the runtime sent with the token, if any. */
const tokenHeader = (h: Record<string, string | string[] | undefined>) => h["x-hf-authorization"];

describe("2. the ambient token goes only to https://*.hf.space", () => {
  test("HF_TOKEN is not sent to a local app, a custom domain, plain http or a look-alike host", async () => {
    process.env.HF_TOKEN = "hf_ambient_secret_0123456789";
    srv.handle(gradioApp([frame("complete", [1])]));
    expect(await call({})).toBe(1);
    for (const r of srv.recs) expect(tokenHeader(r.headers)).toBeUndefined();
    for (const url of ["https://spaces.example.com", "http://acme-app.hf.space", "https://acme-app.hf.space.evil.example", "https://hf.space"]) {
      srv.handle(gradioApp([frame("complete", [1])]));
      const r = relay(srv);
      expect(await call({ url }, { fetch: r.fetch })).toBe(1);
      expect(r.seen.length).toBe(2);
      for (const s of r.seen) expect(tokenHeader(s.headers), url).toBeUndefined();
    }
    // nor to a baseUrl elsewhere, even when the module's own app is a Space
    srv.handle(gradioApp([frame("complete", [1])]));
    expect(await call({ url: "https://acme-app.hf.space" }, { baseUrl: srv.url })).toBe(1);
    for (const r of srv.recs) expect(tokenHeader(r.headers)).toBeUndefined();
  });

  test("HF_TOKEN goes to an https://*.hf.space app", async () => {
    process.env.HF_TOKEN = "hf_ambient_secret_0123456789";
    srv.handle(gradioApp([frame("complete", [1])]));
    const r = relay(srv);
    expect(await call({ url: "https://acme-app.hf.space" }, { fetch: r.fetch })).toBe(1);
    expect(r.seen.map((s) => s.url)).toEqual(["https://acme-app.hf.space/gradio_api/call/predict", "https://acme-app.hf.space/gradio_api/call/predict/ev1"]);
    for (const s of r.seen) expect(tokenHeader(s.headers)).toBe("Bearer hf_ambient_secret_0123456789");
  });

  test("an explicit token goes to the app's origin: https anywhere, plain http only to loopback", async () => {
    for (const url of ["https://spaces.example.com", "http://localhost:7860", "http://127.8.9.10:7860", "http://[::1]:7860"]) {
      srv.handle(gradioApp([frame("complete", [1])]));
      const r = relay(srv);
      expect(await call({ url }, { fetch: r.fetch, token: "hf_explicit" })).toBe(1);
      for (const s of r.seen) expect(tokenHeader(s.headers), url).toBe("Bearer hf_explicit");
    }
    srv.handle(gradioApp([frame("complete", [1])]));
    expect(await call({}, { token: "hf_explicit" })).toBe(1);
    for (const r of srv.recs) expect(tokenHeader(r.headers)).toBe("Bearer hf_explicit");
  });

  test("an explicit token over plain http to a non-loopback host is refused (validation) before any request", async () => {
    // a name under .localhost is left to the resolver, so it is not taken for loopback here
    for (const url of [
      "http://192.168.1.20:7860",
      "http://spaces.example.com",
      "http://acme-app.hf.space",
      "http://app.localhost:7860",
      "http://127.0.0.1.evil.example",
    ]) {
      const r = relay(srv);
      const e = await failure(call({ url }, { fetch: r.fetch, token: "hf_explicit_secret" }));
      expect(e.kind).toBe("validation");
      expect(e.message).toMatch(/plain http/);
      expect(e.message).not.toContain("hf_explicit_secret");
      expect(r.seen).toEqual([]);
    }
    // the same through a baseUrl bound with createClient's bind
    const r = relay(srv);
    const bound = bind(endpoint({ url: "https://acme-app.hf.space", prefix: "/gradio_api", cancel: true }, spec()), {
      baseUrl: "http://10.1.2.3",
      token: "hf_x",
      fetch: r.fetch,
    });
    expect((await failure(bound({ x: 1 }))).kind).toBe("validation");
    expect(r.seen).toEqual([]);
  });
});

describe("3. the API prefix is untrusted", () => {
  test('a prefix "@127.0.0.1:<port>" does not move the call to another server', async () => {
    other.handle(gradioApp([frame("complete", ["evil"])], {}, { prefix: "" }));
    srv.handle(gradioApp([frame("complete", ["good"])]));
    const e = await failure(call({ prefix: `@127.0.0.1:${new URL(other.url).port}` }, { token: "hf_prefix_secret", headers: { "x-ip-token": "ip_secret" } }));
    expect(e.kind).toBe("protocol");
    expect(other.recs).toEqual([]);
    expect(srv.recs).toEqual([]);
  });

  test.each([
    ".evil.example",
    "9",
    "@evil.example:443",
    "//evil.example",
    "/a/../../x",
    "/..",
    "/.",
    "/a?x",
    "/a#x",
    "/a\\b",
    "/a//b",
    "/",
    "gradio_api",
    "/a b",
    "/a%2F..",
    "/gradio_api/",
  ])("prefix %j: protocol error, no request", async (prefix) => {
    const r = relay(srv);
    const e = await failure(call({ url: "https://acme-app.hf.space", prefix }, { fetch: r.fetch, token: "hf_t" }));
    expect(e.kind).toBe("protocol");
    expect(r.seen).toEqual([]);
  });

  test.each(["", "/gradio_api", "/a/b.c~d-e_f/9"])("prefix %j is accepted", async (prefix) => {
    srv.handle(gradioApp([frame("complete", [1])], {}, { prefix }));
    expect(await call({ prefix })).toBe(1);
    expect(srv.recs[0]!.url).toBe(prefix + "/call/predict");
  });

  test("a baseUrl that is not an http(s) URL is refused (validation), no request", async () => {
    for (const baseUrl of ["not a url", "file:///etc", "javascript:alert(1)", "ftp://h.example"]) {
      const r = relay(srv);
      const e = await failure(call({}, { baseUrl, fetch: r.fetch }));
      expect(e.kind, baseUrl).toBe("validation");
      expect(r.seen).toEqual([]);
    }
  });
});

describe("4. event ids and endpoint names stay one path segment", () => {
  test.each(["../../x", "x?y#z", "//evil/x", "a/b", "%2e%2e", "x\\..\\y", "ev1#frag"])("event_id %j", async (id) => {
    srv.handle(gradioApp([frame("complete", ["ok"])], {}, { eventId: id }));
    const e = await call({}).catch((x: unknown) => x);
    const get = srv.recs.filter((r) => r.method === "GET");
    // the stream is read from exactly {prefix}/call/predict/<the id as one segment>, or the id is refused
    for (const g of get) expect(g.url).toBe("/gradio_api/call/predict/" + encodeURIComponent(id));
    if (get.length === 0) expect((e as SpaceError).kind).toBe("protocol");
  });

  test.each([".", "..", ""])("event_id %j is refused (protocol); no stream is read, the job is at most cancelled", async (id) => {
    srv.handle((_q, res) => json(res, 200, { event_id: id }));
    const e = await failure(call({}));
    expect(e.kind).toBe("protocol");
    expect(srv.recs.map((r) => `${r.method} ${r.url}`).filter((r) => r !== "POST /gradio_api/cancel")).toEqual(["POST /gradio_api/call/predict"]);
  });

  test.each([".", "..", ""])("endpoint name %j is refused (protocol), no request", async (n) => {
    srv.handle(gradioApp([frame("complete", ["ok"])]));
    const e = await failure(call({}, {}, { n }));
    expect(e.kind).toBe("protocol");
    expect(srv.recs).toEqual([]);
  });

  test("an aborted job's /cancel stays on the app's root", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res) => json(res, 200, { event_id: "../../x" }),
        "GET /gradio_api/call/predict/..%2F..%2Fx": (_q, res) =>
          void res.writeHead(200, { "content-type": "text/event-stream" }).write(frame("generating", [1])),
      }),
    );
    const ep = endpoint<Record<string, unknown>, unknown>({ url: srv.url, prefix: "/gradio_api", cancel: true }, spec());
    for await (const _ of ep.stream({ x: 1 })) break;
    expect(srv.recs.map((r) => r.url)).toEqual(["/gradio_api/call/predict", "/gradio_api/call/predict/..%2F..%2Fx", "/gradio_api/cancel"]);
  });
});

describe("5. redirects", () => {
  test("without a token, a 307 to another origin does not carry x-ip-token or a cookie there", async () => {
    other.handle(gradioApp([frame("complete", ["evil"])]));
    srv.handle(gradioApp([], { "POST /gradio_api/call/predict": (_q, res) => res.writeHead(307, { location: `${other.url}/gradio_api/call/predict` }).end() }));
    const e = await failure(call({}, { headers: { "x-ip-token": "ip_secret_value", cookie: "access-token=cookie_secret" } }));
    expect(e.kind).toBe("http");
    expect(e.status).toBe(307);
    for (const r of other.recs) {
      expect(r.headers["x-ip-token"]).toBeUndefined();
      expect(r.headers.cookie).toBeUndefined();
    }
    expect(other.recs).toEqual([]);
  });

  test("an https → http redirect on the same host is refused, and nothing goes out over http", async () => {
    const seen: { url: string; headers: Headers }[] = [];
    // a platform fetch: follows redirects itself unless told "manual" (keeping custom headers, as undici does)
    const platform = (async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
      const url = String(input);
      seen.push({ url, headers: new Headers(init.headers) });
      const answer = url.startsWith("https:")
        ? new Response(null, { status: 308, headers: { location: url.replace("https:", "http:") } })
        : new Response('{"event_id":"ev1"}', { status: 200 });
      if (answer.status === 308 && init.redirect !== "manual") return platform(answer.headers.get("location")!, init);
      return answer;
    }) as typeof fetch;
    const e = await failure(call({ url: "https://acme-app.hf.space" }, { fetch: platform, headers: { "x-ip-token": "ip_secret_value" } }));
    expect(e.kind).toBe("http");
    expect(seen.map((s) => s.url)).toEqual(["https://acme-app.hf.space/gradio_api/call/predict"]);
  });

  test("same-origin redirects are followed without a token too, keeping the caller's headers", async () => {
    const moved = gradioApp([frame("complete", ["moved"])], {}, { prefix: "/v2" });
    srv.handle((req, res, rec) => {
      if (rec.url.startsWith("/gradio_api/")) return void res.writeHead(307, { location: rec.url.replace("/gradio_api/", "/v2/") }).end();
      return moved(req, res, rec);
    });
    expect(await call({}, { headers: { "x-ip-token": "ip" } })).toBe("moved");
    expect(srv.recs.map((r) => `${r.method} ${r.url} ${String(r.headers["x-ip-token"])}`)).toEqual([
      "POST /gradio_api/call/predict ip",
      "POST /v2/call/predict ip",
      "GET /gradio_api/call/predict/ev1 ip",
      "GET /v2/call/predict/ev1 ip",
    ]);
  });

  test.each([{ token: "hf_loop" }, {}])("a same-origin redirect loop ends with a message that says so (%j)", async (o) => {
    srv.handle((_q, res) => void res.writeHead(302, { location: "/again" }).end());
    const e = await failure(call({}, o));
    expect(e.kind).toBe("http");
    expect(e.message).toMatch(/redirect loop/);
    expect(srv.recs.length).toBeLessThan(10);
  });

  test.each([{ token: "hf_t" }, {}])("a Location that is not a URL is a protocol error (%j)", async (o) => {
    srv.handle((_q, res) => void res.writeHead(302, { location: "http://[not-a-host/x" }).end());
    const e = await failure(call({}, o));
    expect(e.kind).toBe("protocol");
  });

  describe("a browser's opaque redirect (fetch with redirect: manual hides the target)", () => {
    const opaque = () =>
      ({ type: "opaqueredirect", status: 0, ok: false, redirected: false, url: "", headers: new Headers(), body: null }) as unknown as Response;
    const browser = (answer: (url: string, init: RequestInit) => Response) => {
      const seen: { url: string; init: RequestInit }[] = [];
      const f = (async (input: string | URL, init: RequestInit = {}) => {
        seen.push({ url: String(input), init });
        return init.redirect === "manual" ? opaque() : answer(String(input), init);
      }) as typeof fetch;
      return { f, seen };
    };
    const sse = (url: string) =>
      url.endsWith("/ev1")
        ? new Response(frame("complete", ["followed"]), { headers: { "content-type": "text/event-stream" } })
        : new Response('{"event_id":"ev1"}', { headers: { "content-type": "application/json" } });

    test("with a token or the caller's headers: refused, never repeated with them", async () => {
      for (const o of [{ token: "hf_opaque_secret" }, { headers: { "x-ip-token": "ip_secret_value" } }]) {
        const b = browser(sse);
        const e = await failure(call({ url: "https://acme-app.hf.space" }, { ...o, fetch: b.f }));
        expect(e.kind).toBe("http");
        expect(e.message).toMatch(/redirect/);
        expect(b.seen.length).toBe(1);
      }
    });

    test("with nothing secret: repeated with redirect: follow, and the answer is used when it stayed on the app's origin", async () => {
      // the browser followed a same-origin redirect: the answer says where it ended
      const b = browser((url) => Object.defineProperties(sse(url), { redirected: { value: true }, url: { value: url.replace("/gradio_api/", "/v2/") } }));
      expect(await call({ url: "https://acme-app.hf.space" }, { fetch: b.f })).toBe("followed");
      expect(b.seen.map((s) => s.init.redirect)).toEqual(["manual", "follow", "manual", "follow"]);
      for (const s of b.seen) expect(new Headers(s.init.headers).get("x-hf-authorization")).toBeNull();
    });

    test("with nothing secret: an answer that ended on another origin is refused", async () => {
      const b = browser((url) => {
        const r = sse(url);
        Object.defineProperties(r, { redirected: { value: true }, url: { value: "https://evil.example/x" } });
        return r;
      });
      const e = await failure(call({ url: "https://acme-app.hf.space" }, { fetch: b.f }));
      expect(e.kind).toBe("http");
      expect(e.message).toMatch(/another origin/);
    });
  });
});

describe("6. no secret in errors", () => {
  const TOKEN = "hf_EchoedSecretToken0123456789";
  const IP = "ip-token-echoed-secret-987654";
  const pieces = (s: string) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12));
  const clean = (e: SpaceError) => {
    const text = [e.message, e.stack, JSON.stringify({ ...e, cause: undefined }), e.title, e.eventId, JSON.stringify(e.validation)].join("\n");
    for (const p of [...pieces(TOKEN), ...pieces(IP)]) expect(text).not.toContain(p);
  };
  const opts = { token: TOKEN, headers: { "x-ip-token": IP } };
  const echo = (s: string) => `got ${s} and "Bearer ${s}" and ${s.slice(0, 20)}`;

  test("a 401 body that echoes the token and the headers", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (req, res) =>
          res.writeHead(401, { "content-type": "text/plain" }).end(echo(String(req.headers["x-hf-authorization"])) + " " + echo(IP)),
      }),
    );
    const e = await failure(call({}, opts));
    expect(e.kind).toBe("unauthorized");
    expect(e.message).toMatch(/\[redacted\]/);
    clean(e);
  });

  test("a 422 detail, an error event with a title, and an event id that echo them", async () => {
    srv.handle(
      gradioApp([], {
        "POST /gradio_api/call/predict": (_q, res) =>
          json(res, 422, {
            detail: [
              { loc: ["body", TOKEN], msg: echo(TOKEN), type: "x" },
              { parameter_name: IP, message: echo(IP), is_valid: false },
            ],
          }),
      }),
    );
    clean(await failure(call({}, opts)));
    srv.handle(gradioApp([frame("error", { error: echo(TOKEN) + echo(IP), title: echo(TOKEN) })], {}, { eventId: TOKEN }));
    const e = await failure(call({}, opts));
    expect(e.kind).toBe("app");
    clean(e);
    srv.handle(gradioApp([frame("generating", [1]), "end"], {}, { eventId: TOKEN }));
    clean(await failure(call({}, opts)));
  });

  test("a redirect to another origin whose Location carries the token", async () => {
    other.handle(gradioApp([frame("complete", ["evil"])]));
    srv.handle((_q, res) => void res.writeHead(302, { location: `${other.url}/steal?t=${TOKEN}&ip=${IP}` }).end());
    const e = await failure(call({}, opts));
    clean(e);
    expect(other.recs).toEqual([]);
  });

  test("the ambient token is redacted too", async () => {
    process.env.HF_TOKEN = TOKEN;
    srv.handle(gradioApp([], { "POST /gradio_api/call/predict": (_q, res) => res.writeHead(500).end(echo(TOKEN)) }));
    const r = relay(srv);
    clean(await failure(call({ url: "https://acme-app.hf.space" }, { fetch: r.fetch })));
  });
});
