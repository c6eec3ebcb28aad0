"""Benchmark app (npm run bench): a trivial echo, so a client's own cost shows, and one file input.

The queue's default concurrency limit is raised so that throughput at concurrency 32 measures the
client rather than Gradio's worker pool.
"""
import os

import gradio as gr

from _common import HOST, PORT


def echo(text):
    return text


def file_size(file):
    # the uploaded file's size in bytes: proves the upload reached the function
    return os.path.getsize(file) if file else -1


def make_demo():
    with gr.Blocks(title="spacegen bench") as demo:
        t_in = gr.Textbox(label="text")
        t_out = gr.Textbox(label="echo")
        gr.Button("echo").click(echo, t_in, t_out, api_name="echo")
        f_in = gr.File(label="file", type="filepath")
        f_out = gr.Number(label="size", precision=0)
        gr.Button("size").click(file_size, f_in, f_out, api_name="file_size")
    return demo


if __name__ == "__main__":
    make_demo().queue(default_concurrency_limit=64).launch(
        server_name=HOST, server_port=PORT, show_error=True, max_threads=64
    )
