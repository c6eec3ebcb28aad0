"""Chatbot + MultimodalTextbox (a Blocks event), and a gr.ChatInterface with an additional input.

The ChatInterface gets NO explicit api_name on purpose: its default endpoint name differs by version
("chat" in 4.x/5.x, the function name in 6.x).
"""
import os

import gradio as gr

from _common import GR_MAJOR, HOST, MESSAGES, PORT, sha256_file


def _text_of(content):
    """Message content → plain text (str in 4.x/5.x; may be a list of typed parts in 6.x)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def respond(message, history):
    """MultimodalTextbox {text, files} + Chatbot history → history with the user turn(s) and a reply
    naming the text, the number of files and each file's size; the textbox is cleared."""
    history = list(history or [])
    text = message.get("text", "") if isinstance(message, dict) else str(message)
    files = message.get("files", []) if isinstance(message, dict) else []
    paths = [f if isinstance(f, str) else f.get("path") for f in files]
    for p in paths:
        history.append({"role": "user", "content": {"path": p}})
    history.append({"role": "user", "content": text})
    sizes = ",".join(f"{os.path.basename(p)}={os.path.getsize(p)}" for p in paths)
    turns = sum(1 for m in history if isinstance(m, dict) and m.get("role") == "user")
    history.append({"role": "assistant", "content": f"echo: {text[::-1]} | files: {len(paths)} [{sizes}] | user msgs: {turns}"})
    return history, {"text": "", "files": []}


def last_reply(history):
    """Chatbot as an input only: the text of the last assistant message and the message count."""
    history = history or []
    replies = [m for m in history if isinstance(m, dict) and m.get("role") == "assistant"]
    return (_text_of(replies[-1]["content"]) if replies else ""), len(history)


def chat_fn(message, history, prefix):
    """ChatInterface fn: reply depends on the message, the history length and the additional input."""
    return f"{prefix}{message[::-1]} (turn {len(history or []) + 1})"


def make_demo():
    with gr.Blocks(title="spacegen chat") as demo:
        chatbot = gr.Chatbot(label="chatbot", **MESSAGES)
        box = gr.MultimodalTextbox(label="message", file_count="multiple")
        box.submit(respond, [box, chatbot], [chatbot, box], api_name="respond")

        reply = gr.Textbox(label="last_reply")
        count = gr.Number(label="message_count", precision=0)
        gr.Button("last").click(last_reply, chatbot, [reply, count], api_name="last_reply")

        with gr.Tab("interface"):
            gr.ChatInterface(
                chat_fn,
                additional_inputs=[gr.Textbox(value="bot: ", label="prefix")],
                **MESSAGES,
            )
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
