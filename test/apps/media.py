"""Media components: Image, Audio, Video, File (single, multiple), Model3D, Gallery, AnnotatedImage,
Label, Dataframe. Outputs are derived from the input bytes (flipped, reversed, hashed) so slots can be checked.
No ffmpeg is needed: Audio is handled as WAV files with the stdlib, Video is passed through as a file.
"""
import hashlib
import os
import shutil
import wave

import gradio as gr
import numpy as np

from _common import GR_MAJOR, HOST, PORT, out_path, sha256_file, write_wav


def flip_image(img):
    """numpy HxWx3 → mirrored left/right, plus its shape as text."""
    return np.ascontiguousarray(img[:, ::-1]), f"{img.shape[1]}x{img.shape[0]}"


def image_path_info(path):
    """Image(type='filepath') → the sha256 of the file the server stored."""
    return f"{os.path.basename(path)}:{sha256_file(path)}"


def reverse_audio(path):
    """WAV in → the same samples reversed, plus the frame count."""
    with wave.open(path, "rb") as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    width = params.sampwidth * params.nchannels
    rev = b"".join(frames[i : i + width] for i in range(len(frames) - width, -1, -width))
    dst = out_path("reversed.wav")
    with wave.open(dst, "wb") as w:
        w.setparams(params)
        w.writeframes(rev)
    return dst, params.nframes


def tone(freq, seconds):
    """No file input: a generated WAV (numpy tuple output) whose length depends on the inputs."""
    rate = 8000
    t = np.arange(int(rate * seconds)) / rate
    return rate, (np.sin(2 * np.pi * freq * t) * 10000).astype(np.int16)


def video_passthrough(path):
    """Video in → a copy under a new name, plus the sha256 of the bytes (no transcoding)."""
    ext = os.path.splitext(path)[1] or ".mp4"
    dst = out_path("copy" + ext)
    shutil.copyfile(path, dst)
    return dst, sha256_file(path)


def file_digest(path):
    """File in → a text file holding its sha256, and a file with its bytes reversed."""
    with open(path, "rb") as f:
        data = f.read()
    digest = out_path("sha256.txt")
    with open(digest, "w") as f:
        f.write(hashlib.sha256(data).hexdigest())
    rev = out_path("reversed-" + os.path.basename(path))
    with open(rev, "wb") as f:
        f.write(data[::-1])
    return digest, rev


def files_reverse(paths):
    """File(multiple) in → each file reversed (same order) and a JSON summary."""
    outs, summary = [], []
    for i, p in enumerate(paths or []):
        with open(p, "rb") as f:
            data = f.read()
        dst = out_path(f"{i}-{os.path.basename(p)}")
        with open(dst, "wb") as f:
            f.write(data[::-1])
        outs.append(dst)
        summary.append({"name": os.path.basename(p), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return outs, summary


def model3d_scale(path, factor):
    """.obj in → every vertex multiplied by factor."""
    lines = []
    with open(path) as f:
        for line in f:
            if line.startswith("v "):
                xyz = [float(v) * factor for v in line.split()[1:4]]
                line = "v " + " ".join(f"{v:g}" for v in xyz) + "\n"
            lines.append(line)
    dst = out_path("scaled.obj")
    with open(dst, "w") as f:
        f.writelines(lines)
    return dst


def gallery_make(count, width):
    """count images of width x 4 pixels with increasing red; captions name their index and size."""
    items = []
    for i in range(int(count)):
        img = np.zeros((4, int(width), 3), dtype=np.uint8)
        img[..., 0] = min(255, 40 * i)
        items.append((img, f"#{i} {int(width)}x4"))
    return items


def gallery_reverse(items):
    """Gallery in → reversed order, captions prefixed with the old index."""
    items = items or []
    out = []
    for i, item in enumerate(items):
        media, caption = item if isinstance(item, (tuple, list)) else (item, None)
        out.append((media, f"{i}:{caption}"))
    return list(reversed(out)), len(items)


def annotate(img):
    """AnnotatedImage: a box over the left half and a mask over the top half of the input image."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), dtype=np.float32)
    mask[: h // 2] = 1.0
    return img, [((0, 0, max(1, w // 2), h), f"left {w // 2}x{h}"), (mask, f"top {w}x{h // 2}")]


def classify(text):
    """Label: letter frequencies of the text."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return {"empty": 1.0}
    counts = {}
    for c in letters:
        counts[c] = counts.get(c, 0) + 1
    return {k: v / len(letters) for k, v in counts.items()}


def table_sum(df):
    """Dataframe (type='array') in → rows reversed with a 'sum' column, plus the column sums as JSON."""
    rows = [list(r) for r in (df or [])]
    out = [r + [sum(float(v) for v in r[1:] if v not in (None, ""))] for r in reversed(rows)]
    cols = {}
    for r in rows:
        for j, v in enumerate(r[1:], start=1):
            cols[str(j)] = cols.get(str(j), 0) + float(v)
    return out, cols


def make_demo():
    with gr.Blocks(title="spacegen media") as demo:
        img_in = gr.Image(type="numpy", label="image")
        img_out = gr.Image(label="flipped")
        size = gr.Textbox(label="size")
        gr.Button("flip").click(flip_image, img_in, [img_out, size], api_name="flip_image")

        img_path = gr.Image(type="filepath", label="image_path")
        img_hash = gr.Textbox(label="image_hash")
        gr.Button("hash").click(image_path_info, img_path, img_hash, api_name="image_path_info")

        aud_in = gr.Audio(type="filepath", label="audio")
        aud_out = gr.Audio(type="filepath", label="reversed_audio", format="wav")
        frames = gr.Number(label="frames", precision=0)
        gr.Button("reverse").click(reverse_audio, aud_in, [aud_out, frames], api_name="reverse_audio")

        freq = gr.Number(value=440, label="freq")
        secs = gr.Number(value=0.25, label="seconds")
        tone_out = gr.Audio(type="numpy", label="tone", format="wav")
        gr.Button("tone").click(tone, [freq, secs], tone_out, api_name="tone")

        vid_in = gr.Video(label="video")
        vid_out = gr.Video(label="video_copy")
        vid_hash = gr.Textbox(label="video_sha256")
        gr.Button("video").click(video_passthrough, vid_in, [vid_out, vid_hash], api_name="video_passthrough")

        f_in = gr.File(label="file", type="filepath")
        f_digest = gr.File(label="digest")
        f_rev = gr.File(label="reversed")
        gr.Button("digest").click(file_digest, f_in, [f_digest, f_rev], api_name="file_digest")

        fs_in = gr.File(label="files", file_count="multiple", type="filepath")
        fs_out = gr.File(label="reversed_files", file_count="multiple")
        fs_summary = gr.JSON(label="summary")
        gr.Button("files").click(files_reverse, fs_in, [fs_out, fs_summary], api_name="files_reverse")

        m_in = gr.Model3D(label="model")
        m_factor = gr.Number(value=2, label="factor")
        m_out = gr.Model3D(label="scaled_model")
        gr.Button("model").click(model3d_scale, [m_in, m_factor], m_out, api_name="model3d_scale")

        g_count = gr.Number(value=2, precision=0, label="count")
        g_width = gr.Number(value=3, precision=0, label="width")
        g_out = gr.Gallery(label="gallery")
        gr.Button("gallery").click(gallery_make, [g_count, g_width], g_out, api_name="gallery_make")

        g_in = gr.Gallery(label="gallery_in", type="filepath")
        g_rev = gr.Gallery(label="gallery_reversed")
        g_n = gr.Number(label="gallery_count", precision=0)
        gr.Button("gallery_rev").click(gallery_reverse, g_in, [g_rev, g_n], api_name="gallery_reverse")

        a_in = gr.Image(type="numpy", label="to_annotate")
        a_out = gr.AnnotatedImage(label="annotated")
        gr.Button("annotate").click(annotate, a_in, a_out, api_name="annotate")

        l_in = gr.Textbox(label="label_text")
        l_out = gr.Label(label="letters", num_top_classes=3)
        gr.Button("classify").click(classify, l_in, l_out, api_name="classify")

        df_in = gr.Dataframe(headers=["name", "a", "b"], datatype=["str", "number", "number"], type="array", label="table")
        df_out = gr.Dataframe(headers=["name", "a", "b", "sum"], type="array", label="table_out")
        df_sums = gr.JSON(label="column_sums")
        gr.Button("table").click(table_sum, df_in, [df_out, df_sums], api_name="table_sum")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
