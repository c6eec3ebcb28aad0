"""gr.Interface and gr.ChatInterface (hidden State slots, version-specific layouts), with explicit api names."""
import gradio as gr

SHOW_ERROR = True


def calculate(a, op, b):
    return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b else None}[op]


def reply(message, history, prefix):
    return f"{prefix}{message[::-1]} (turn {len(history or []) + 1})"


def make_demo():
    from _common import GR_MAJOR, MESSAGES

    calc = gr.Interface(calculate, [gr.Number(label="a"), gr.Radio(["add", "sub", "mul", "div"], label="op"), gr.Number(label="b")], gr.Number(label="result"), api_name="calculate")
    # 4.44 names the chat endpoint "chat" whatever is asked; 5.x takes api_name (default "chat"); 6.x the function name
    extra = {"api_name": "chat"} if GR_MAJOR >= 5 else {}
    chat = gr.ChatInterface(reply, additional_inputs=[gr.Textbox(value="re: ", label="prefix")], **MESSAGES, **extra)
    return gr.TabbedInterface([calc, chat], ["calc", "chat"])
