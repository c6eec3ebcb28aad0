"""gr.api endpoints typed from Python hints (5.x/6.x), plus a gr.Interface whose api_name is left to the default.

On 4.x (no gr.api) only the Interface and a plain Blocks event are served.
"""
from typing import Any, Dict, List, Literal, Optional, Tuple

import gradio as gr

from _common import HOST, PORT


def typed_add(a: int, b: float = 2.5) -> float:
    """Add two numbers."""
    return a + b


def typed_mix(
    words: List[str],
    mode: Literal["upper", "lower"] = "upper",
    sep: Optional[str] = None,
    weights: Dict[str, float] = {},
) -> Dict[str, Any]:
    """Join words with sep (default ' ') after changing case; total of the weights."""
    joined = (sep if sep is not None else " ").join(w.upper() if mode == "upper" else w.lower() for w in words)
    return {"joined": joined, "count": len(words), "weight": sum(weights.values())}


def typed_pair(x: int, flag: bool) -> Tuple[int, str]:
    return x * 2, f"{x}:{flag}"


def calculator(num1, operation, num2):
    if operation == "add":
        return num1 + num2
    if operation == "subtract":
        return num1 - num2
    if operation == "multiply":
        return num1 * num2
    return num1 / num2


def version_tag(prefix):
    return f"{prefix}{gr.__version__}"


def make_demo():
    iface = gr.Interface(
        calculator,
        [gr.Number(label="num1"), gr.Radio(["add", "subtract", "multiply", "divide"], label="operation"), gr.Number(label="num2")],
        gr.Number(label="result"),
    )
    with gr.Blocks(title="spacegen api") as demo:
        iface.render()
        p = gr.Textbox(label="prefix")
        o = gr.Textbox(label="tagged")
        gr.Button("v").click(version_tag, p, o, api_name="version_tag")
        if hasattr(gr, "api"):
            gr.api(typed_add, api_name="typed_add")
            gr.api(typed_mix, api_name="typed_mix")
            gr.api(typed_pair, api_name="typed_pair")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
