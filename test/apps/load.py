"""Load test app (issue 7): many concurrent calls; each output is derived from its own input,
so a result handed to the wrong caller is visible."""
import hashlib
import random
import time

import gradio as gr

from _common import HOST, PORT


def echo(call_id, n):
    # a short random pause so that jobs finish out of order
    time.sleep(random.random() * 0.02)
    digest = hashlib.sha256(f"{call_id}:{n}".encode()).hexdigest()
    return call_id, digest


def make_demo():
    with gr.Blocks() as demo:
        call_id = gr.Textbox(label="call_id")
        n = gr.Number(label="n", precision=0)
        out_id = gr.Textbox(label="id")
        out_hash = gr.Textbox(label="hash")
        gr.Button("echo").click(echo, [call_id, n], [out_id, out_hash], api_name="echo")
    return demo


if __name__ == "__main__":
    make_demo().queue(default_concurrency_limit=64, max_size=None).launch(server_name=HOST, server_port=PORT, show_error=True)
