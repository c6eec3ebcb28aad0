// The two-step chain (FLUX → TRELLIS in miniature): text_to_image's FileData output goes straight into
// image_to_3d's file input — typed, no cast — and the final .obj is checked against what the two apps compute
// from the prompt alone.
import * as toImage from "@e2e/text_to_image";
import * as to3d from "@e2e/image_to_3d";
import { download, eq, isPng, ok, sha256, text, utf8, value, type T } from "./_lib.ts";

async function pixelBytes(prompt: string, count: number): Promise<Uint8Array> {
  const out: number[] = [];
  let block = utf8(prompt);
  while (out.length < count) {
    block = new Uint8Array(await crypto.subtle.digest("SHA-256", block.slice()));
    out.push(...block);
  }
  return new Uint8Array(out.slice(0, count));
}

async function expectedObj(prompt: string, size: number, height: number): Promise<string> {
  const px = await pixelBytes(prompt, size * size * 3);
  const lines = [`# spacegen ${size}x${size} sha256=${await sha256(px)}`];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      lines.push(`v ${x} ${y} ${(px[i]! + px[i + 1]! + px[i + 2]!) * height}`);
    }
  for (let y = 0; y < size - 1; y++)
    for (let x = 0; x < size - 1; x++) {
      const i = y * size + x + 1;
      lines.push(`f ${i} ${i + 1} ${i + size + 1} ${i + size}`);
    }
  return lines.join("\n") + "\n";
}

export default async function chain(t: T): Promise<void> {
  await t.check(["/generate", "/to_3d"], "text → image → 3D, the FileData passed on as is", async () => {
    const prompt = `a red cube ✨ (${t.runtime})`;
    // an output slot may be null or a component update: value() checks it is a FileData
    const image: toImage.FileData = value(await toImage.generate({ prompt, size: 5 }));
    ok(isPng(await download(image)), "step 1 returns a PNG");
    const model = await to3d.to3d({ image, height: 2 });
    eq(text(await download(value(model))), await expectedObj(prompt, 5, 2), "the .obj derived from the prompt's pixels");
  });
  await t.check(["/generate", "/to_3d"], "defaults on both steps", async () => {
    const model = await to3d.to3d({ image: value(await toImage.generate({ prompt: "x" })) });
    eq(text(await download(value(model))), await expectedObj("x", 4, 1));
  });
}
