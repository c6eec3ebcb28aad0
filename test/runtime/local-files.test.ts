// Local files (Node, Deno, Bun): a file input given as a string that is not an http(s) URL is a local path. The
// runtime reads it through process.getBuiltinModule (so the module imports nothing) and uploads it, as
// gradio_client and @gradio/client do. Where there is no such reader (a browser) it is a `validation` error that
// says what to pass instead, and nothing is sent.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { endpoint, type AppSpec, type EndpointSpec } from "../../templates/runtime.ts";
import { failure } from "./failure.ts";
import { frame, gradioApp, startServer, type TestServer } from "./server.ts";

let srv: TestServer;
let dir: string;
let chair: string;
const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff]);

beforeAll(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), "spacegen-local-"));
  chair = join(dir, "chair.png");
  writeFileSync(chair, bytes);
});
afterAll(async () => {
  await srv.close();
});

const FD = { _type: "gradio.FileData" };
const app = (): AppSpec => ({ url: srv.url, prefix: "/gradio_api", cancel: true });
const spec: EndpointSpec = {
  n: "predict",
  i: [
    { k: "image", f: 1 },
    { k: "more", f: { i: 1 } },
  ],
  o: [1],
  s: 1,
  x: 0,
};
const call = (input: Record<string, unknown>) => endpoint<Record<string, unknown>, unknown>(app(), spec)(input);
const uploads = () => srv.recs.filter((r) => r.url === "/gradio_api/upload");
const sent = () => JSON.parse(srv.recs.find((r) => r.url === "/gradio_api/call/predict")!.body).data;

describe("a local path is read and uploaded", () => {
  test("absolute, relative and file: URL paths: the bytes go up in one upload, named by the file", async () => {
    srv.handle(gradioApp([frame("complete", ["ok"])]));
    const rel = relative(process.cwd(), chair);
    expect(await call({ image: chair, more: [rel, pathToFileURL(chair).href, pathToFileURL(chair)] })).toBe("ok");
    expect(uploads().length).toBe(1);
    const body = uploads()[0]!.raw;
    // four files, each carrying the bytes of chair.png
    expect([...uploads()[0]!.body.matchAll(/name="files"; filename="chair.png"/g)].length).toBe(4);
    let at = -1;
    let copies = 0;
    while ((at = body.indexOf(bytes, at + 1)) >= 0) copies++;
    expect(copies).toBe(4);
    const one = (i: number) => ({ path: `/tmp/gradio/h${i}/chair.png`, orig_name: "chair.png", size: bytes.length, mime_type: null, meta: FD });
    expect(sent()).toEqual([one(0), [one(1), one(2), one(3)]]);
  });

  test("http(s) URL strings are still passed as URLs, not read", async () => {
    srv.handle(gradioApp([frame("complete", ["ok"])]));
    await call({ image: "https://h.example/chair.png", more: [] });
    expect(uploads()).toEqual([]);
    expect(sent()[0]).toEqual({ path: "https://h.example/chair.png", url: "https://h.example/chair.png", orig_name: "chair.png", meta: FD });
  });

  test("a missing file is a validation error naming it, before any request", async () => {
    srv.handle(gradioApp([frame("complete", ["ok"])]));
    const e = await failure(call({ image: join(dir, "no-such-file.png"), more: [] }));
    expect(e.kind).toBe("validation");
    expect(e.message).toContain("no-such-file.png");
    expect(e.message).toMatch(/ENOENT/);
    expect(srv.recs).toEqual([]);
  });

  test("without a file reader (a browser) a local path is a validation error that says what to pass; nothing is sent", async () => {
    srv.handle(gradioApp([frame("complete", ["ok"])]));
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back as it was, never called here
    const saved = process.getBuiltinModule;
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    try {
      const e = await failure(call({ image: "./chair.png", more: [] }));
      expect(e.kind).toBe("validation");
      expect(e.message).toContain('"./chair.png"');
      expect(e.message).toMatch(/Blob/);
      expect(e.message).toMatch(/URL/);
    } finally {
      process.getBuiltinModule = saved;
    }
    expect(srv.recs).toEqual([]);
  });
});
