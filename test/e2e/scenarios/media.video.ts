import { utf8 } from "./_lib.ts";

/** A 24-byte ISO BMFF `ftyp` box: enough for Video passthrough (no transcoding, no ffmpeg). */
export const mp4 = new Uint8Array([0, 0, 0, 24, ...utf8("ftypisom"), 0, 0, 2, 0, ...utf8("isomiso2")]);
