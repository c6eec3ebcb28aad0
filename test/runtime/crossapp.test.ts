// Regression: a FileData output of one app passed to another app (the FLUX → TRELLIS chain). Its `path` is a server
// path of the first app, which the second refuses ("Cannot move … because it was not uploaded by a user", seen on a
// real Gradio 6.31 pair in test/e2e/chain.test.ts). The runtime downloads it from its `url` and uploads it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { endpoint, SpaceError, type AppSpec, type EndpointSpec } from "../../templates/runtime.ts";
import { frame, gradioApp, startServer, type TestServer } from "./server.ts";

let target: TestServer;
let source: TestServer;
beforeAll(async () => {
  target = await startServer();
  source = await startServer();
});
afterAll(async () => {
  await target.close();
  await source.close();
});

const FD = { _type: "gradio.FileData" };
const app = (): AppSpec => ({ url: target.url, prefix: "/gradio_api", cancel: true });
const spec: EndpointSpec = { n: "to_3d", i: [{ k: "image", f: 1 }], o: [1], s: 1, x: 0 };
const call = (image: unknown) => endpoint<{ image: unknown }, unknown>(app(), spec)({ image });
const sent = () => JSON.parse(target.recs.find((r) => r.url === "/gradio_api/call/to_3d")!.body).data;
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

describe("a FileData from another app", () => {
  test("is downloaded from its url and uploaded to this app; the server path of the other app is not sent", async () => {
    source.handle((_q, res) => res.writeHead(200, { "content-type": "image/png" }).end(png));
    target.handle(gradioApp([frame("complete", ["ok"])]));
    const url = `${source.url}/gradio_api/file=/tmp/gradio/abc/image.png`;
    expect(await call({ path: "/tmp/gradio/abc/image.png", url, size: null, orig_name: null, mime_type: null, meta: FD })).toBe("ok");
    expect(source.recs.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /gradio_api/file=/tmp/gradio/abc/image.png"]);
    expect(source.recs[0]!.headers["x-hf-authorization"]).toBeUndefined();
    const up = target.recs.find((r) => r.url === "/gradio_api/upload")!;
    expect(up.body).toContain('name="files"; filename="image.png"');
    expect(up.raw.includes(png)).toBe(true);
    expect(sent()).toEqual([{ path: "/tmp/gradio/h0/image.png", orig_name: "image.png", size: null, mime_type: null, meta: FD }]);
  });

  test("a FileData of this app (same origin) is sent as is, without a download or an upload", async () => {
    target.handle(gradioApp([frame("complete", ["ok"])]));
    const fd = { path: "/tmp/gradio/x/in.png", url: `${target.url}/gradio_api/file=/tmp/gradio/x/in.png`, meta: FD };
    expect(await call(fd)).toBe("ok");
    expect(target.recs.map((r) => r.url)).toEqual(["/gradio_api/call/to_3d", "/gradio_api/call/to_3d/ev1"]);
    expect(sent()).toEqual([fd]);
  });

  test("a failed download is an http error and nothing is submitted", async () => {
    source.handle((_q, res) => res.writeHead(404).end("gone"));
    target.handle(gradioApp([frame("complete", ["ok"])]));
    const err = await call({ path: "/tmp/gone.png", url: `${source.url}/gradio_api/file=/tmp/gone.png`, meta: FD }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpaceError);
    expect((err as SpaceError).kind).toBe("http");
    expect((err as SpaceError).status).toBe(404);
    expect(target.recs).toEqual([]);
  });
});
