"""Generators (issue 14, class 1): /call sends `generating` per yield, then `complete` repeating the last value;
gradio_client yields the completed value only when no intermediate value came."""
import numpy as np

import gradio as gr

SHOW_ERROR = True


def count(n):
    for i in range(int(n)):
        yield str(i)


def grow(text):
    """Each value extends the previous one (the queue sends append diffs)."""
    for i in range(1, len(text) + 1):
        yield text[:i]


def pairs(n):
    """Two outputs per yield."""
    for i in range(int(n)):
        yield i, f"step {i}"


def once(text):
    yield text.upper()


def images(n):
    """File outputs streamed: one image per yield."""
    for i in range(int(n)):
        img = np.zeros((2, 3, 3), dtype=np.uint8)
        img[..., 0] = 80 * i
        yield img


def chat_stream(message):
    """A Chatbot streamed token by token."""
    reply = ""
    for word in message.split():
        reply += word + " "
        yield [{"role": "user", "content": message}, {"role": "assistant", "content": reply.strip()}]


def make_demo():
    from _common import MESSAGES

    with gr.Blocks(title="differential generators") as demo:
        n = gr.Number(value=3, precision=0, label="n")
        text = gr.Textbox(label="text")
        out = gr.Textbox(label="out")
        gr.Button("count").click(count, n, out, api_name="count")
        gr.Button("grow").click(grow, text, out, api_name="grow")
        gr.Button("pairs").click(pairs, n, [gr.Number(label="i", precision=0), gr.Textbox(label="label")], api_name="pairs")
        gr.Button("once").click(once, text, out, api_name="once")
        gr.Button("images").click(images, n, gr.Image(label="frame"), api_name="images")
        gr.Button("chat").click(chat_stream, text, gr.Chatbot(label="chat", **MESSAGES), api_name="chat_stream")
    return demo
