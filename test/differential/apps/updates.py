"""Component updates (issue 14, class 2): a function that returns a component (or gr.update) sends
{"__type__": "update", ...} in place of the value of that output slot."""
import gradio as gr

from _common import out_path, write_wav

SHOW_ERROR = True


def lock_textbox(text):
    return gr.Textbox(interactive=False)


def set_value(text):
    return gr.update(value=text.upper(), visible=True)


def clear_value(text):
    return gr.update(value=None)


def new_audio(n):
    path = write_wav(out_path("beep.wav"), [0, 1000, -1000, 0] * int(n))
    return gr.Audio(value=path, label="new label")


def new_choices(text):
    return gr.Dropdown(choices=[text, text + "!"], value=text + "!")


def value_and_update(text):
    """One output a plain value, the other an update."""
    return text[::-1], gr.update(visible=False)


def make_demo():
    with gr.Blocks(title="differential updates") as demo:
        text = gr.Textbox(label="text")
        box = gr.Textbox(label="box")
        gr.Button("lock").click(lock_textbox, text, box, api_name="lock_textbox")
        gr.Button("set").click(set_value, text, box, api_name="set_value")
        gr.Button("clear").click(clear_value, text, box, api_name="clear_value")
        n = gr.Number(value=2, precision=0, label="n")
        gr.Button("audio").click(new_audio, n, gr.Audio(label="audio"), api_name="new_audio")
        gr.Button("choices").click(new_choices, text, gr.Dropdown(["a"], label="dropdown"), api_name="new_choices")
        gr.Button("both").click(value_and_update, text, [gr.Textbox(label="reversed"), gr.Image(label="hidden")], api_name="value_and_update")
    return demo
