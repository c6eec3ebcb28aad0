// media.py on Gradio 5.x (and 4.44, see media.v4.ts): Video is {video: FileData, subtitles}, in and out.
import * as app from "@e2e/app";
import { bytesEq, download, eq, file, sha256, value, type T } from "./_lib.ts";
import { mp4 } from "./media.video.ts";

export default async function variant(t: T): Promise<void> {
  await t.check("/video_passthrough", "Video ({video, subtitles} on 4.x/5.x) round trip by content", async () => {
    const [copy, hash] = await app.videoPassthrough({ path: { video: file(mp4, "clip.mp4", "video/mp4"), subtitles: null } });
    eq(hash, await sha256(mp4));
    bytesEq(await download(value(copy).video), mp4, "copied video");
  });
}
