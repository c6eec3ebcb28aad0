// media.py on Gradio 6.x: Video is a plain FileData, in and out.
import * as app from "@e2e/app";
import { bytesEq, download, eq, file, sha256, value, type T } from "./_lib.ts";
import { mp4 } from "./media.video.ts";

export default async function variant(t: T): Promise<void> {
  await t.check("/video_passthrough", "Video (FileData on 6.x) round trip by content", async () => {
    const [copy, hash] = await app.videoPassthrough({ path: file(mp4, "clip.mp4", "video/mp4") });
    eq(hash, await sha256(mp4));
    bytesEq(await download(value(copy)), mp4, "copied video");
  });
}
