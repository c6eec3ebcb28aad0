"""Step 2 of the chain (like TRELLIS on the Hub): an image → a Model3D .obj derived from the image's pixel bytes.

The .obj: a comment with the image size and the sha256 of the raw RGB bytes (row-major), then one vertex per
pixel `v x y r+g+b` (scaled by `height`), then faces joining each 2x2 block.
"""
import hashlib

import gradio as gr
import numpy as np

from _common import HOST, PORT, out_path


def to_3d(image, height):
    rgb = np.ascontiguousarray(image[..., :3]).astype(np.uint8)
    h, w = rgb.shape[:2]
    lines = [f"# spacegen {w}x{h} sha256={hashlib.sha256(rgb.tobytes()).hexdigest()}"]
    for y in range(h):
        for x in range(w):
            r, g, b = (int(v) for v in rgb[y, x])
            lines.append(f"v {x} {y} {(r + g + b) * int(height)}")
    for y in range(h - 1):
        for x in range(w - 1):
            i = y * w + x + 1
            lines.append(f"f {i} {i + 1} {i + w + 1} {i + w}")
    dst = out_path("model.obj")
    with open(dst, "w") as f:
        f.write("\n".join(lines) + "\n")
    return dst


def make_demo():
    with gr.Blocks(title="spacegen image_to_3d") as demo:
        image = gr.Image(label="image", type="numpy")
        height = gr.Number(value=1, precision=0, label="height")
        model = gr.Model3D(label="model")
        gr.Button("to 3D").click(to_3d, [image, height], model, api_name="to_3d")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
