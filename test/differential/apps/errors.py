"""Errors with show_error=False (issue 14, class 6): gr.Error's message is always shown, a plain exception's is not.
Before Gradio 6.13 the /call stream sends `event: error` with `data: null` for both; the queue carries the message."""
import gradio as gr

SHOW_ERROR = False


def raise_gr_error(text):
    if text:
        raise gr.Error(f"gr.Error says: {text}")
    return "no error"


def raise_plain(text):
    if text:
        raise ValueError(f"plain ValueError: {text}")
    return "no error"


def gen_then_gr_error(n):
    for i in range(int(n)):
        yield f"step {i}"
    raise gr.Error(f"failed after {int(n)}")


def gen_then_plain(n):
    for i in range(int(n)):
        yield f"step {i}"
    raise RuntimeError(f"hidden failure after {int(n)}")


def make_demo():
    with gr.Blocks(title="differential errors") as demo:
        text, out = gr.Textbox(label="text"), gr.Textbox(label="out")
        gr.Button("a").click(raise_gr_error, text, out, api_name="raise_gr_error")
        gr.Button("b").click(raise_plain, text, out, api_name="raise_plain")
        n = gr.Number(value=2, precision=0, label="n")
        gr.Button("c").click(gen_then_gr_error, n, out, api_name="gen_then_gr_error")
        gr.Button("d").click(gen_then_plain, n, out, api_name="gen_then_plain")
    return demo
