"""Generators that fail, then generators that stream (issue 14/15: diffs of a dead run).

Before Gradio 6.27 the queue keeps each streaming run's last values per session under `id(iterator)` and drops
them only when the run completes; a run that raises leaves its entry, and a later run in the same session whose
iterator lands on the freed address (CPython reuses it at once for these same-sized wrappers) has its first value
sent as a diff against the dead run's. Fixed in gradio-app/gradio#13811 (6.27.0)."""
import gradio as gr

from _common import HOST, PORT


def fail_after(n):
    for i in range(int(n)):
        yield f"failing {i}"
    raise gr.Error(f"failed after {int(n)}")


def count(n):
    parts = []
    for i in range(int(n)):
        parts.append(str(i))
        yield " ".join(parts)


def make_demo():
    with gr.Blocks() as demo:
        n = gr.Number(value=2, precision=0, label="n")
        out = gr.Textbox(label="out")
        gr.Button("fail").click(fail_after, n, out, api_name="fail_after")
        gr.Button("count").click(count, n, out, api_name="count")
    return demo


if __name__ == "__main__":
    make_demo().queue(default_concurrency_limit=8).launch(server_name=HOST, server_port=PORT, show_error=True)
