"""Values Gradio cannot serialise (issue 14, class 7): /call writes json.dumps (which refuses a numpy scalar),
the queue writes orjson with default=str (which sends its str()), so a plain call and gradio_client differ."""
import gradio as gr
import numpy as np

SHOW_ERROR = True

# a component object made once, so its str() (which holds its address) is the same on every call
NESTED = gr.Textbox(value="inner")


def numpy_scalar(n):
    """A numpy integer returned to a Number."""
    return np.int64(n) * 2


def numpy_in_json(n):
    """gr.JSON converts numpy values itself: both routes agree."""
    return {"n": np.int64(n), "x": np.float32(0.5)}


def nested_component(text):
    """A component object inside a JSON value: gr.JSON sends its str() on both routes."""
    return {"text": text, "component": NESTED}


def numpy_in_table(n):
    """A Dataframe (array) holding a numpy scalar in a cell."""
    return [[np.int64(n), "x"]]


def make_demo():
    with gr.Blocks(title="differential unserialisable") as demo:
        n = gr.Number(value=3, precision=0, label="n")
        gr.Button("a").click(numpy_scalar, n, gr.Number(label="doubled"), api_name="numpy_scalar")
        gr.Button("b").click(numpy_in_json, n, gr.JSON(label="json"), api_name="numpy_in_json")
        text = gr.Textbox(label="text")
        gr.Button("c").click(nested_component, text, gr.JSON(label="nested"), api_name="nested_component")
        gr.Button("d").click(numpy_in_table, n, gr.Dataframe(type="array", label="table"), api_name="numpy_in_table")
    return demo
