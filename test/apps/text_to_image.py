"""Step 1 of the chain (like FLUX on the Hub): prompt → an image whose pixels are derived from the prompt.

Pixels: b = sha256(prompt) + sha256(sha256(prompt)) + ... (as many bytes as needed); pixel i (row-major) is
(b[3i], b[3i+1], b[3i+2]). Saved as PNG (lossless), so the next step and the tests see exactly these pixels.
"""
import hashlib

import gradio as gr
import numpy as np

from _common import HOST, PORT


def pixel_bytes(prompt: str, count: int) -> bytes:
    out, block = b"", prompt.encode("utf-8")
    while len(out) < count:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:count]


def generate(prompt, size):
    size = int(size)
    data = pixel_bytes(prompt, size * size * 3)
    return np.frombuffer(data, dtype=np.uint8).reshape(size, size, 3).copy()


def make_demo():
    with gr.Blocks(title="spacegen text_to_image") as demo:
        prompt = gr.Textbox(label="prompt")
        size = gr.Slider(2, 16, value=4, step=1, label="size")
        image = gr.Image(label="image", format="png", type="numpy")
        gr.Button("generate").click(generate, [prompt, size], image, api_name="generate")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
