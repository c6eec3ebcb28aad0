"""Cleared outputs (issue 14, class 3): a function that returns None sends null for that slot, whatever /info's
schema says."""
import gradio as gr

from _common import MESSAGES

SHOW_ERROR = True


def nothing(text):
    return None


def all_none(text):
    return tuple(None for _ in range(15))


def make_demo():
    with gr.Blocks(title="differential nulls") as demo:
        text = gr.Textbox(label="text")
        gr.Button("image").click(nothing, text, gr.Image(label="image"), api_name="no_image")
        gr.Button("text").click(nothing, text, gr.Textbox(label="text_out"), api_name="no_text")
        outs = [
            gr.Textbox(label="textbox"),
            gr.Number(label="number"),
            gr.Slider(0, 5, label="slider"),
            gr.Checkbox(label="checkbox"),
            gr.Dropdown(["a", "b"], label="dropdown"),
            gr.Image(label="image"),
            gr.Audio(label="audio"),
            gr.File(label="file"),
            gr.Gallery(label="gallery"),
            gr.JSON(label="json"),
            gr.Dataframe(label="dataframe"),
            gr.Label(label="label"),
            gr.Chatbot(label="chatbot", **MESSAGES),
            gr.HighlightedText(label="highlighted"),
            gr.Video(label="video"),
        ]
        gr.Button("all").click(all_none, text, outs, api_name="all_none")
    return demo
