// Issue 13, point 7: callTool's arguments come from a model. No tool argument may make the caller's process fetch
// a URL or read a local file, or hand the Space an address on the caller's own network. A file argument is an
// http(s) URL string on a public host (passed to the Space, which fetches it) or a FileData on the app's own
// origin; anything else is refused with kind "validation" before any request. Typed calls keep chaining
// (another app's FileData is downloaded and re-uploaded: test/runtime/crossapp.test.ts).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { endpoint, SpaceError, type AppSpec, type EndpointSpec } from "../../templates/runtime.ts";
import { toolCaller, type ToolDescriptor } from "../../templates/tools.ts";
import { frame, gradioApp, startServer, type TestServer } from "./server.ts";

let app: TestServer;
let elsewhere: TestServer;
beforeAll(async () => {
  app = await startServer();
  elsewhere = await startServer();
});
afterAll(async () => {
  await app.close();
  await elsewhere.close();
});

const FD = { _type: "gradio.FileData" };
// the tool schema of a file, as src/emit/tools.ts writes it
const FILE = {
  anyOf: [
    { type: "string" },
    { type: "object", properties: { path: { type: "string" }, url: { type: ["string", "null"] }, meta: { type: "object" } }, required: ["path"] },
  ],
};
const descriptor: ToolDescriptor = {
  name: "to_3d",
  endpoint: "/to_3d",
  description: "",
  inputSchema: {
    type: "object",
    properties: {
      image: FILE,
      gallery: { type: "array", items: { type: "object", properties: { image: FILE, caption: { type: ["string", "null"] } } } },
      named: { type: "object", additionalProperties: FILE },
      note: { type: "string" },
    },
    additionalProperties: false,
  },
};
const spec: EndpointSpec = {
  n: "to_3d",
  i: [
    { k: "image", f: 1 },
    { k: "gallery", d: null, f: { i: { p: [["image", 1]] } } },
    { k: "named", d: null, f: { a: 1 } },
    { k: "note", d: "" },
  ],
  o: [1],
  s: 1,
  x: 0,
};
const appSpec = (): AppSpec => ({ url: app.url, prefix: "/gradio_api", cancel: true });
const callTool = () => toolCaller([descriptor], { to_3d: endpoint(appSpec(), spec) });
const sent = () => JSON.parse(app.recs.find((r) => r.url === "/gradio_api/call/to_3d")!.body).data;

async function refused(args: unknown, options = {}): Promise<SpaceError> {
  app.handle(gradioApp([frame("complete", ["ok"])]));
  elsewhere.handle((_q, res) => res.writeHead(200, { "content-type": "image/png" }).end("png"));
  let error: unknown;
  try {
    await callTool()("to_3d", args, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SpaceError);
  const e = error as SpaceError;
  expect(e.kind).toBe("validation");
  expect(e.endpoint).toBe("/to_3d");
  expect(app.recs).toEqual([]);
  expect(elsewhere.recs).toEqual([]);
  return e;
}

describe("file arguments an agent may not pass", () => {
  test.each([
    "http://127.0.0.1:8080/x.png",
    "http://127.1/x.png",
    "http://2130706433/x.png",
    "http://0x7f.0.0.1/x.png",
    "http://0.0.0.0:7860/x.png",
    "http://localhost/x.png",
    "http://LOCALHOST./x.png",
    "http://app.localhost/x.png",
    "http://10.0.0.7/x.png",
    "http://172.16.5.4/x.png",
    "http://172.31.255.255/x.png",
    "http://192.168.0.1/x.png",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/x.png",
    "http://[::]/x.png",
    "http://[::ffff:127.0.0.1]/x.png",
    "http://[::ffff:10.0.0.1]/x.png",
    "http://[fc00::1]/x.png",
    "http://[fd12:3456::1]/x.png",
    "http://[fe80::1]/x.png",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://files.example.com/x.png",
    "/etc/passwd",
    "./secret.png",
    "~/.ssh/id_rsa",
    "C:\\Users\\me\\x.png",
    "x.png",
    "",
  ])("the URL string %j", async (url) => {
    const e = await refused({ image: url });
    expect(e.message).toMatch(/^\/to_3d|to_3d: /);
    expect(e.message).toContain("image");
  });

  test("another origin's FileData (the caller would download it and upload it to the app)", async () => {
    const e = await refused({ image: { path: "/tmp/gradio/x/a.png", url: `${elsewhere.url}/gradio_api/file=/tmp/gradio/x/a.png`, meta: FD } });
    expect(e.message).toContain("image");
  });

  test.each([
    { path: "http://169.254.169.254/latest/meta-data/", meta: FD },
    { path: "/tmp/x.png", url: "file:///etc/passwd" },
    { path: "/tmp/x.png", url: "http://10.0.0.7/x.png" },
    { path: "file:///etc/passwd" },
  ])("a FileData pointing elsewhere: %j", async (fd) => {
    await refused({ image: fd });
  });

  test("inside arrays and extra properties too, and at any position of the plan", async () => {
    await refused({
      image: "https://cdn.example.com/a.png",
      gallery: [{ image: "https://cdn.example.com/b.png" }, { image: "http://192.168.1.1/c.png", caption: "x" }],
    });
    await refused({ image: "https://cdn.example.com/a.png", named: { one: "https://cdn.example.com/b.png", two: "file:///etc/hosts" } });
  });

  test("the app's origin is the call's: a FileData on the module's own url is elsewhere once baseUrl moves the call", async () => {
    await refused({ image: { path: "/tmp/a.png", url: `${app.url}/gradio_api/file=/tmp/a.png` } }, { baseUrl: elsewhere.url });
  });
});

describe("file arguments an agent may pass", () => {
  test("public http(s) URL strings are passed to the Space (the caller fetches nothing)", async () => {
    app.handle(gradioApp([frame("complete", ["ok"])]));
    elsewhere.handle((_q, res) => res.writeHead(500).end());
    expect(
      await callTool()("to_3d", {
        image: "https://cdn.example.com/dir/a.png?x=1",
        gallery: [{ image: "http://93.184.216.34/b.png", caption: null }, { image: "https://[2001:db8::1]/c.png" }],
        named: { one: "https://cdn.example.com/n.png" },
      }),
    ).toBe("ok");
    expect(app.recs.map((r) => r.url)).toEqual(["/gradio_api/call/to_3d", "/gradio_api/call/to_3d/ev1"]);
    const [image, gallery, named] = sent();
    expect(image).toEqual({ path: "https://cdn.example.com/dir/a.png?x=1", url: "https://cdn.example.com/dir/a.png?x=1", orig_name: "a.png", meta: FD });
    expect(gallery[1].image.url).toBe("https://[2001:db8::1]/c.png");
    expect(named.one.url).toBe("https://cdn.example.com/n.png");
  });

  test("a FileData of this app (its url on the app's origin, or a server path only) is sent as is", async () => {
    app.handle(gradioApp([frame("complete", ["ok"])]));
    const own = { path: "/tmp/gradio/x/in.png", url: `${app.url}/gradio_api/file=/tmp/gradio/x/in.png`, meta: FD };
    expect(await callTool()("to_3d", { image: own, gallery: [{ image: { path: "/tmp/gradio/y/g.png" } }] })).toBe("ok");
    expect(app.recs.map((r) => r.url)).toEqual(["/gradio_api/call/to_3d", "/gradio_api/call/to_3d/ev1"]);
    expect(sent()[0]).toEqual(own);
    expect(sent()[1]).toEqual([{ image: { path: "/tmp/gradio/y/g.png", meta: FD } }]);
  });

  test("a FileData on the baseUrl's origin when baseUrl moves the call", async () => {
    elsewhere.handle(gradioApp([frame("complete", ["moved"])]));
    app.handle((_q, res) => res.writeHead(500).end());
    const fd = { path: "/tmp/a.png", url: `${elsewhere.url}/gradio_api/file=/tmp/a.png`, meta: FD };
    expect(await callTool()("to_3d", { image: fd }, { baseUrl: elsewhere.url })).toBe("moved");
    expect(app.recs).toEqual([]);
  });

  test("strings that are not file positions are not checked", async () => {
    app.handle(gradioApp([frame("complete", ["ok"])]));
    expect(await callTool()("to_3d", { image: "https://cdn.example.com/a.png", note: "/etc/passwd http://127.0.0.1/" })).toBe("ok");
    expect(sent()[3]).toBe("/etc/passwd http://127.0.0.1/");
  });
});
