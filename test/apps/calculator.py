"""The README's first example (npm run demo): a gr.Interface calculator with an explicit api_name, so the endpoint is
/calculator on every Gradio version."""
import gradio as gr

from _common import HOST, PORT


def calculator(num1, operation, num2):
    if operation == "add":
        return num1 + num2
    if operation == "subtract":
        return num1 - num2
    if operation == "multiply":
        return num1 * num2
    if num2 == 0:
        raise gr.Error("Cannot divide by zero")
    return num1 / num2


def make_demo():
    return gr.Interface(
        calculator,
        [gr.Number(value=3, label="num1"), gr.Radio(["add", "subtract", "multiply", "divide"], value="add", label="operation"), gr.Number(value=4, label="num2")],
        gr.Number(label="result"),
        api_name="calculator",
        title="Calculator",
    )


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
