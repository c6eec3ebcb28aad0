"""gr.State in and out, a generator, a slow endpoint, a queue small enough to fill.

queue(max_size=QUEUE_MAX, default_concurrency_limit=1): with one /slow call running, QUEUE_MAX more
can wait; the next one is refused (HTTP 503 "Queue is full").
Env: SPACEGEN_QUEUE_MAX (default 2), SPACEGEN_SLOW_SECONDS (default for /slow's seconds input, 2).
"""
import os
import time

import gradio as gr

from _common import HOST, PORT

QUEUE_MAX = int(os.environ.get("SPACEGEN_QUEUE_MAX", "2"))
SLOW_DEFAULT = float(os.environ.get("SPACEGEN_SLOW_SECONDS", "2"))


def accumulate(text, total, n):
    """State between two inputs and two outputs: inputs [text, State, n] → outputs [summary, State, n*2]."""
    total = (total or 0) + n
    return f"{text}:{total}", total, n * 2


def read_state(total, label):
    """State as input only."""
    return f"{label}={total}"


def reset_state(start):
    """State as output only (first slot)."""
    return start, f"reset to {start}"


def count_up(n, prefix):
    """Generator: yields prefix0, prefix0 prefix1, ... (n items, growing)."""
    parts = []
    for i in range(int(n)):
        parts.append(f"{prefix}{i}")
        time.sleep(0.05)
        yield " ".join(parts)


def count_then_fail(n):
    """Generator that yields n values and then raises gr.Error."""
    for i in range(int(n)):
        time.sleep(0.05)
        yield f"step {i}"
    raise gr.Error(f"failed after {int(n)} steps")


def slow(seconds, tag):
    time.sleep(float(seconds))
    return f"{tag} slept {float(seconds):g}"


def make_demo():
    with gr.Blocks(title="spacegen stateful") as demo:
        total = gr.State(0)
        text = gr.Textbox(label="text")
        n = gr.Number(value=1, precision=0, label="n")
        summary = gr.Textbox(label="summary")
        doubled = gr.Number(label="doubled", precision=0)
        gr.Button("add").click(accumulate, [text, total, n], [summary, total, doubled], api_name="accumulate")

        label = gr.Textbox(value="total", label="label")
        gr.Button("read").click(read_state, [total, label], summary, api_name="read_state")

        start = gr.Number(value=0, precision=0, label="start")
        gr.Button("reset").click(reset_state, start, [total, summary], api_name="reset_state")

        g_n = gr.Number(value=3, precision=0, label="count")
        g_prefix = gr.Textbox(value="item", label="prefix")
        g_out = gr.Textbox(label="counted")
        gr.Button("count").click(count_up, [g_n, g_prefix], g_out, api_name="count_up")
        gr.Button("fail").click(count_then_fail, g_n, g_out, api_name="count_then_fail")

        s_secs = gr.Number(value=SLOW_DEFAULT, label="seconds")
        s_tag = gr.Textbox(value="slow", label="tag")
        s_out = gr.Textbox(label="slept")
        gr.Button("slow").click(slow, [s_secs, s_tag], s_out, api_name="slow")
    return demo


if __name__ == "__main__":
    make_demo().queue(max_size=QUEUE_MAX, default_concurrency_limit=1).launch(
        server_name=HOST, server_port=PORT, show_error=True
    )
