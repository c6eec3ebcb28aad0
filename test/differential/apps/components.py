"""A broad sample of components, each as an input and an output: every value is derived from the inputs
(echoed, flipped, reversed, hashed) so both clients must return the same thing."""
import hashlib
import os
import shutil
import wave

import gradio as gr
import numpy as np

from _common import MESSAGES, out_path

SHOW_ERROR = True


def scalars(text, n, x, flag):
    """Textbox, Number(precision=0), Slider, Checkbox in and out."""
    return f"{text}|{n}|{x}|{flag}", n * 2, x / 2, not flag


def choices(radio, single, multi, group):
    """Radio, Dropdown, Dropdown(multiselect), CheckboxGroup echoed back in the same components."""
    return radio, single, list(reversed(multi or [])), sorted(group or [])


def flip_image(img):
    """numpy image → mirrored (re-encoded by Gradio), plus its size."""
    return np.ascontiguousarray(img[:, ::-1]), f"{img.shape[1]}x{img.shape[0]}"


def image_path(path):
    """Image(type='filepath') passed through as a path."""
    return path


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
    """numpy (rate, samples) audio output."""
    rate = 8000
    t = np.arange(int(rate * seconds)) / rate
    return rate, (np.sin(2 * np.pi * freq * t) * 10000).astype(np.int16)


def reverse_file(path):
    """File in → its bytes reversed, and their sha256."""
    with open(path, "rb") as f:
        data = f.read()
    dst = out_path("reversed-" + os.path.basename(path))
    with open(dst, "wb") as f:
        f.write(data[::-1])
    return dst, hashlib.sha256(data).hexdigest()


def reverse_files(paths):
    """File(multiple) in → each reversed (same order), and a summary."""
    outs, summary = [], []
    for i, p in enumerate(paths or []):
        with open(p, "rb") as f:
            data = f.read()
        dst = out_path(f"{i}-{os.path.basename(p)}")
        with open(dst, "wb") as f:
            f.write(data[::-1])
        outs.append(dst)
        summary.append({"name": os.path.basename(p), "size": len(data)})
    return outs, summary


def table(rows):
    """Dataframe(type='array') in → rows reversed with a sum column."""
    rows = [list(r) for r in (rows or [])]
    return [r + [sum(float(v) for v in r[1:] if v not in (None, ""))] for r in reversed(rows)]


def json_echo(value):
    """JSON in → wrapped."""
    return {"got": value, "type": type(value).__name__}


def highlight(text):
    """HighlightedText: every word tagged by its length parity."""
    return [(w, "even" if len(w) % 2 == 0 else "odd") for w in text.split()]


def classify(text):
    """Label: letter frequencies."""
    letters = [c for c in text.lower() if c.isalpha()] or ["?"]
    return {c: letters.count(c) / len(letters) for c in set(letters)}


def chat(message, history):
    """Chatbot (messages) in and out: the message appended with a reply."""
    history = list(history or [])
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": f"{message[::-1]} ({len(history) // 2} turns)"})
    return history


def gallery(count):
    """Gallery of numpy images with captions."""
    items = []
    for i in range(int(count)):
        img = np.zeros((4, 6, 3), dtype=np.uint8)
        img[..., 1] = min(255, 60 * i)
        items.append((img, f"#{i}"))
    return items


def video(path):
    """Video passed through as a copy (no transcoding), with its sha256."""
    dst = out_path("copy" + (os.path.splitext(path)[1] or ".mp4"))
    shutil.copyfile(path, dst)
    with open(path, "rb") as f:
        return dst, hashlib.sha256(f.read()).hexdigest()


def model3d(path, factor):
    """.obj in → vertices scaled."""
    lines = []
    with open(path) as f:
        for line in f:
            if line.startswith("v "):
                line = "v " + " ".join(f"{float(v) * factor:g}" for v in line.split()[1:4]) + "\n"
            lines.append(line)
    dst = out_path("scaled.obj")
    with open(dst, "w") as f:
        f.writelines(lines)
    return dst


def text_kinds(color, code):
    """ColorPicker and Code in → Markdown, HTML and Code out."""
    return f"**{color}**", f"<b>{len(code)}</b>", code.upper()


def annotate(img):
    """AnnotatedImage: a box over the left half and a mask over the top half."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), dtype=np.float32)
    mask[: h // 2] = 1.0
    return img, [((0, 0, max(1, w // 2), h), "left"), (mask, "top")]


def multimodal(message):
    """MultimodalTextbox in → its text reversed and the sizes of its files, then cleared."""
    files = message.get("files", []) if isinstance(message, dict) else []
    paths = [f if isinstance(f, str) else f.get("path") for f in files]
    sizes = [os.path.getsize(p) for p in paths]
    return {"text": (message.get("text") or "")[::-1], "sizes": sizes}, {"text": "", "files": []}


def accumulate(text, state):
    """gr.State in and out (hidden slots): a fresh session starts from None."""
    state = (state or []) + [text]
    return "+".join(state), state


def unqueued(text):
    """An event with queue=False."""
    return text.upper()


def make_demo():
    with gr.Blocks(title="differential components") as demo:
        text, n, x, flag = gr.Textbox(label="text"), gr.Number(label="n", precision=0), gr.Slider(0, 10, label="x"), gr.Checkbox(label="flag")
        outs = [gr.Textbox(label="joined"), gr.Number(label="double", precision=0), gr.Slider(0, 10, label="half"), gr.Checkbox(label="negated")]
        gr.Button("scalars").click(scalars, [text, n, x, flag], outs, api_name="scalars")

        radio = gr.Radio(["red", "green", "blue"], label="radio")
        single = gr.Dropdown(["a", "b", "c"], label="single")
        multi = gr.Dropdown(["a", "b", "c"], multiselect=True, label="multi")
        group = gr.CheckboxGroup(["x", "y", "z"], label="group")
        gr.Button("choices").click(choices, [radio, single, multi, group], [radio, single, multi, group], api_name="choices")

        img = gr.Image(type="numpy", label="image")
        flipped, size = gr.Image(label="flipped"), gr.Textbox(label="size")
        gr.Button("flip").click(flip_image, img, [flipped, size], api_name="flip_image")
        img_path = gr.Image(type="filepath", label="image_path")
        gr.Button("path").click(image_path, img_path, gr.Image(type="filepath", label="same"), api_name="image_path")

        aud = gr.Audio(type="filepath", label="audio")
        gr.Button("reverse").click(reverse_audio, aud, [gr.Audio(type="filepath", format="wav", label="reversed"), gr.Number(label="frames", precision=0)], api_name="reverse_audio")
        freq, secs = gr.Number(value=440, label="freq"), gr.Number(value=0.1, label="seconds")
        gr.Button("tone").click(tone, [freq, secs], gr.Audio(label="tone", format="wav"), api_name="tone")

        f = gr.File(label="file")
        gr.Button("file").click(reverse_file, f, [gr.File(label="reversed_file"), gr.Textbox(label="sha256")], api_name="reverse_file")
        fs = gr.File(file_count="multiple", label="files")
        gr.Button("files").click(reverse_files, fs, [gr.File(file_count="multiple", label="reversed_files"), gr.JSON(label="summary")], api_name="reverse_files")

        df = gr.Dataframe(headers=["name", "a", "b"], datatype=["str", "number", "number"], type="array", label="rows")
        gr.Button("table").click(table, df, gr.Dataframe(type="array", label="with_sum"), api_name="table")

        js = gr.JSON(label="json")
        gr.Button("json").click(json_echo, js, gr.JSON(label="wrapped"), api_name="json_echo")

        words = gr.Textbox(label="words")
        gr.Button("highlight").click(highlight, words, gr.HighlightedText(label="parity"), api_name="highlight")
        gr.Button("classify").click(classify, words, gr.Label(label="letters", num_top_classes=3), api_name="classify")

        message, chatbot = gr.Textbox(label="message"), gr.Chatbot(label="chatbot", **MESSAGES)
        gr.Button("chat").click(chat, [message, chatbot], chatbot, api_name="chat")

        count = gr.Number(value=2, label="count", precision=0)
        gr.Button("gallery").click(gallery, count, gr.Gallery(label="gallery"), api_name="gallery")

        vid = gr.Video(label="video")
        gr.Button("video").click(video, vid, [gr.Video(label="video_copy"), gr.Textbox(label="video_sha256")], api_name="video")

        obj, factor = gr.Model3D(label="model"), gr.Number(value=2, label="factor")
        gr.Button("model3d").click(model3d, [obj, factor], gr.Model3D(label="scaled"), api_name="model3d")

        color, code = gr.ColorPicker(label="color"), gr.Code(label="code", language="python")
        gr.Button("kinds").click(text_kinds, [color, code], [gr.Markdown(), gr.HTML(), gr.Code(label="upper")], api_name="text_kinds")

        ann_in = gr.Image(type="numpy", label="to_annotate")
        gr.Button("annotate").click(annotate, ann_in, gr.AnnotatedImage(label="annotated"), api_name="annotate")

        box = gr.MultimodalTextbox(label="box", file_count="multiple")
        box.submit(multimodal, box, [gr.JSON(label="box_summary"), box], api_name="multimodal")

        state = gr.State()
        gr.Button("acc").click(accumulate, [text, state], [gr.Textbox(label="accumulated"), state], api_name="accumulate")

        gr.Button("unqueued").click(unqueued, text, gr.Textbox(label="upper"), api_name="unqueued", queue=False)
    return demo
