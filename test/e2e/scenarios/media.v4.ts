// media.py on Gradio 4.44: Video has the same {video, subtitles} shape as on 5.x.
export { default } from "./media.v5.ts";
