"""Live status and sessions (issue 10): a slow endpoint behind a queue of one, a gr.Progress loop, gr.Info and
gr.Warning, a gr.State counter, and a generator with a side effect another endpoint can read.

queue(default_concurrency_limit=1): each endpoint runs one job at a time, so concurrent /slow calls wait and get
queue positions. /ticker appends "{label}:{i}" to TICKS on every step; /ticks counts a label's entries, so a test
can see whether an aborted generator really stopped on the server.
"""
import time

import gradio as gr

from _common import HOST, PORT

TICKS = []


def slow(seconds, tag):
    time.sleep(float(seconds))
    return f"{tag} done"


def steps(n, progress=gr.Progress()):
    n = int(n)
    progress(0, desc="starting")
    for i in range(n):
        progress((i + 1, n), desc="stepping", unit="steps")
        time.sleep(0.5)
    return f"{n} steps"


def notify(text):
    gr.Info(f"info: {text}")
    time.sleep(0.2)
    gr.Warning(f"warning: {text}")
    time.sleep(0.2)
    return text.upper()


def add(n, total):
    total = (total or 0) + int(n)
    return total, total


def ticker(label):
    for i in range(200):
        TICKS.append(f"{label}:{i}")
        yield f"{label} {i}"
        time.sleep(0.2)


def ticks(label):
    return len([t for t in TICKS if t.startswith(f"{label}:")])


def grow(n):
    """A generator whose value grows (a string and a list): streamed as diffs by the queue protocol."""
    text, items = "", []
    for i in range(int(n)):
        text += f"w{i} "
        items.append({"i": i})
        time.sleep(0.05)
        yield text, items


def make_demo():
    with gr.Blocks(title="spacegen live") as demo:
        secs = gr.Number(value=2, label="seconds")
        tag = gr.Textbox(value="slow", label="tag")
        out = gr.Textbox(label="out")
        gr.Button("slow").click(slow, [secs, tag], out, api_name="slow")

        n = gr.Number(value=4, precision=0, label="n")
        gr.Button("steps").click(steps, n, out, api_name="steps")

        text = gr.Textbox(label="text")
        gr.Button("notify").click(notify, text, out, api_name="notify")

        total = gr.State(0)
        count = gr.Number(label="count", precision=0)
        step = gr.Number(value=1, precision=0, label="step")
        gr.Button("add").click(add, [step, total], [count, total], api_name="add")

        label = gr.Textbox(value="t", label="label")
        gr.Button("ticker").click(ticker, label, out, api_name="ticker")
        ticks_out = gr.Number(label="ticks", precision=0)
        gr.Button("ticks").click(ticks, label, ticks_out, api_name="ticks")

        items = gr.JSON(label="items")
        gr.Button("grow").click(grow, n, [out, items], api_name="grow")
    return demo


if __name__ == "__main__":
    make_demo().queue(default_concurrency_limit=1).launch(server_name=HOST, server_port=PORT, show_error=True)
