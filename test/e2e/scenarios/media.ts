// test/apps/media.py: every file component, with round trips checked by content (uploaded bytes → what the app
// computes from them → the downloaded output bytes). Video's type differs by version: scenarios/media.v<major>.ts.
import * as app from "@e2e/app";
import variant from "@e2e/variant";
import { bytesEq, download, eq, file, isPng, isWebp, near, ok, one, png, readWav, reversed, several, sha256, text, utf8, value, wav, type T } from "./_lib.ts";

const red = png(3, 2, (x, y) => [200, 10 * x, 20 * y]);

export default async function media(t: T): Promise<void> {
  await t.check("/flip_image", "Image (numpy) in, Image + size out", async () => {
    const [flipped, size] = await app.flipImage({ img: file(red, "red.png", "image/png") });
    eq(size, "3x2");
    const bytes = await download(value(flipped));
    ok(isWebp(bytes) || isPng(bytes), "an image file");
  });
  await t.check("/image_path_info", "Image(type=filepath): the server stored the uploaded bytes", async () => {
    const out = value(await app.imagePathInfo({ path: file(red, "pic.png", "image/png") }));
    const m = /^(.+):([0-9a-f]{64})$/.exec(out);
    ok(m, `name:sha256, got ${out}`);
    // 4.x re-encodes images given to type="filepath"; 5.x/6.x keep the bytes
    if (t.major >= 5) eq(m[2], await sha256(red), "sha256 of the stored file");
  });
  await t.check("/reverse_audio", "WAV in → samples reversed (downloaded and decoded)", async () => {
    const samples = Array.from({ length: 800 }, (_, i) => ((i * 37) % 2000) - 1000);
    const [rev, frames] = await app.reverseAudio({ path: file(wav(samples), "in.wav", "audio/wav") });
    eq(frames, 800, "frames");
    const got = readWav(await download(value(rev)));
    eq(got.rate, 8000, "rate");
    eq(got.samples, samples.slice().reverse(), "reversed samples");
  });
  await t.check("/tone", "no file input; a generated WAV whose length and samples follow the inputs", async () => {
    const out = value(await app.tone({ freq: 440, seconds: 0.25 }));
    const got = readWav(await download(out));
    eq([got.rate, got.samples.length], [8000, 2000], "rate and length");
    for (const i of [1, 7, 100, 1999]) near(got.samples[i]!, Math.trunc(Math.sin((2 * Math.PI * 440 * i) / 8000) * 10000), 1, `sample ${i}`);
    const def = readWav(await download(value(await app.tone())));
    eq(def.samples.length, 2000, "defaults 440 Hz, 0.25 s");
  });
  await variant(t);
  await t.check("/file_digest", "File in → its sha256 as a file, and its bytes reversed", async () => {
    const bytes = utf8(`spacegen ${t.runtime} ✓ \u0000\u00ff`);
    const out = await app.fileDigest({ path: file(bytes, "data.bin") });
    const digest = one(value(out[0])),
      rev = one(value(out[1]));
    eq(text(await download(digest)), await sha256(bytes), "digest file content");
    bytesEq(await download(rev), reversed(bytes), "reversed file");
    ok(rev.orig_name === "reversed-data.bin" || rev.path.endsWith("reversed-data.bin"), `name ${rev.orig_name}`);
  });
  await t.check("/file_digest", "a local path: read and uploaded in Node, Deno and Bun; a validation error in a browser", async () => {
    // the scenario runs in the folder of its bundle, so ./bundle.mjs is a local file it can read too
    const fs = (globalThis as { process?: { getBuiltinModule?: (id: "node:fs") => { readFileSync(path: string): Uint8Array } } }).process?.getBuiltinModule?.(
      "node:fs",
    );
    if (t.runtime === "chromium") {
      const error = await app.fileDigest({ path: "./bundle.mjs" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      ok(error instanceof app.SpaceError, `a SpaceError, got ${String(error)}`);
      eq(error.kind, "validation", "kind");
      ok(/Blob/.test(error.message) && /URL/.test(error.message), `says what to pass: ${error.message}`);
      return;
    }
    ok(fs, "process.getBuiltinModule exists");
    const [digest] = await app.fileDigest({ path: "./bundle.mjs" });
    eq(text(await download(one(value(digest)))), await sha256(fs.readFileSync("./bundle.mjs")), "the digest of the file's bytes");
  });
  await t.check("/files_reverse", "File(multiple): each file reversed, in order, and a summary", async () => {
    const a = utf8("first file"),
      b = new Uint8Array([0, 1, 2, 3, 250, 251]);
    const [files, summary] = await app.filesReverse({ paths: [file(a, "a.txt", "text/plain"), file(b, "b.bin")] });
    const outs = several(value(files));
    eq(outs.length, 2, "two files");
    bytesEq(await download(outs[0]!), reversed(a), "first");
    bytesEq(await download(outs[1]!), reversed(b), "second");
    eq(summary, [
      { name: "a.txt", size: a.length, sha256: await sha256(a) },
      { name: "b.bin", size: b.length, sha256: await sha256(b) },
    ]);
  });
  await t.check("/model3d_scale", "Model3D .obj in → every vertex scaled", async () => {
    const obj = "# cube corner\nv 1 2 3\nv -0.5 0 4\nf 1 2 1\n";
    const out = value(await app.model3dScale({ path: file(utf8(obj), "tri.obj"), factor: 3 }));
    eq(text(await download(out)), "# cube corner\nv 3 6 9\nv -1.5 0 12\nf 1 2 1\n");
    eq(
      text(await download(value(await app.model3dScale({ path: file(utf8(obj), "tri.obj") })))),
      "# cube corner\nv 2 4 6\nv -1 0 8\nf 1 2 1\n",
      "factor 2 by default",
    );
  });
  await t.check("/gallery_make", "Gallery out: captions and images", async () => {
    const items = value(await app.galleryMake({ count: 3, width: 5 }));
    eq(
      items.map((i) => i.caption),
      ["#0 5x4", "#1 5x4", "#2 5x4"],
    );
    for (const item of items) {
      ok("image" in item, "image items");
      ok(isWebp(await download(item.image)) || isPng(await download(item.image)), "an image file");
    }
  });
  await t.check("/gallery_reverse", "Gallery in (uploaded Files with captions) → reversed, bytes kept", async () => {
    const blue = png(2, 2, () => [0, 0, 255]);
    const [gallery, count] = await app.galleryReverse({
      items: [
        { image: file(red, "red.png", "image/png"), caption: "r" },
        { image: file(blue, "blue.png", "image/png"), caption: "b" },
      ],
    });
    eq(count, 2);
    const items = value(gallery);
    eq(
      items.map((i) => i.caption),
      ["1:b", "0:r"],
    );
    const first = items[0]!;
    ok("image" in first, "image item");
    bytesEq(await download(first.image), blue, "the blue PNG comes back first, unchanged");
  });
  await t.check("/annotate", "AnnotatedImage: a box and a mask computed from the image size", async () => {
    const out = value(
      await app.annotate({
        img: file(
          png(6, 4, () => [1, 2, 3]),
          "a.png",
          "image/png",
        ),
      }),
    );
    eq(
      out.annotations.map((a) => a.label),
      ["left 3x4", "top 6x2"],
    );
    for (const a of out.annotations) ok((await download(a.image)).length > 0, "mask downloads");
    ok((await download(out.image)).length > 0, "image downloads");
  });
  await t.check("/classify", "Label: letter frequencies", async () => {
    const out = value(await app.classify({ text: "aab" }));
    eq(out.label, "a");
    const conf = Object.fromEntries((out.confidences ?? []).map((c) => [String(c.label), c.confidence ?? NaN]));
    near(conf.a ?? NaN, 2 / 3, 1e-9, "a");
    near(conf.b ?? NaN, 1 / 3, 1e-9, "b");
  });
  await t.check("/table_sum", "Dataframe in and out", async () => {
    const [rows, sums] = await app.tableSum({
      df: {
        headers: ["name", "a", "b"],
        data: [
          ["r1", 1, 2],
          ["r2", 3, 4.5],
        ],
      },
    });
    const table = value(rows);
    eq(
      table.data.map((r) => [String(r[0]), ...r.slice(1).map(Number)]),
      [
        ["r2", 3, 4.5, 7.5],
        ["r1", 1, 2, 3],
      ],
    );
    eq(sums, { "1": 4, "2": 6.5 });
  });
}
