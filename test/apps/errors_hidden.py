"""The same errors as basic.py, served with show_error=False: gr.Error is still shown, a plain
exception's message is not."""
import gradio as gr

from _common import HOST, PORT


def raise_gr_error(text):
    if text:
        raise gr.Error(f"gr.Error says: {text}")
    return "no error"


def raise_plain(text):
    if text:
        raise ValueError(f"plain ValueError: {text}")
    return "no error"


def count_then_plain(n):
    """Generator: yields n steps then raises a plain exception."""
    for i in range(int(n)):
        yield f"step {i}"
    raise RuntimeError(f"hidden failure after {int(n)}")


def make_demo():
    with gr.Blocks(title="spacegen errors_hidden") as demo:
        e_in = gr.Textbox(label="error_in")
        e_out = gr.Textbox(label="error_out")
        gr.Button("gr.Error").click(raise_gr_error, e_in, e_out, api_name="raise_gr_error")
        gr.Button("ValueError").click(raise_plain, e_in, e_out, api_name="raise_plain")
        n = gr.Number(value=2, precision=0, label="n")
        gr.Button("gen").click(count_then_plain, n, e_out, api_name="count_then_plain")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=False)
