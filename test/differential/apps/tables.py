"""NaN and infinities (issue 14, class 5): Gradio's /call route writes Python's JSON, so a NaN cell arrives as the
token NaN (also Infinity, -Infinity); the queue route writes null."""
import math

import gradio as gr
import pandas as pd

SHOW_ERROR = True


def echo_table(df):
    """Dataframe(type='pandas') in and out: an empty cell the user left comes back as NaN."""
    return df


def nan_table(n):
    """A table with a NaN number, infinities and strings that spell them."""
    return pd.DataFrame(
        {
            "x": [1.5, float("nan"), float("inf"), -float("inf")][: int(n)],
            "label": ["NaN", "Infinity", "-Infinity", 'say "NaN"'][: int(n)],
        }
    )


def nan_number(text):
    return float("nan") if text == "nan" else math.inf if text == "inf" else -math.inf


def nan_json(text):
    """gr.JSON writes non-finite numbers as null itself; strings stay."""
    return {"nan": float("nan"), "text": text, "list": [1, float("inf")]}


def make_demo():
    with gr.Blocks(title="differential tables") as demo:
        df_in = gr.Dataframe(headers=["a", "b"], datatype=["number", "number"], type="pandas", label="table")
        gr.Button("echo").click(echo_table, df_in, gr.Dataframe(label="echoed"), api_name="echo_table")
        n = gr.Number(value=4, precision=0, label="n")
        gr.Button("nan").click(nan_table, n, gr.Dataframe(label="nan_table"), api_name="nan_table")
        text = gr.Textbox(label="text")
        gr.Button("number").click(nan_number, text, gr.Number(label="number"), api_name="nan_number")
        gr.Button("json").click(nan_json, text, gr.JSON(label="json"), api_name="nan_json")
    return demo
