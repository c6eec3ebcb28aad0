"""Scalar components, choices, JSON, defaults, unicode labels, naming rules, errors (show_error=True).

Every endpoint derives its outputs from its inputs so a wrong slot mapping is visible.
"""
import json

import gradio as gr

from _common import HOST, PORT

SUNK = []  # what /sink received (no outputs); read back through /last_sink


def echo_all(text, n, x, flag):
    return f"{text}|{n}|{x}|{flag}"


def types_of(text, n, x, flag):
    # the Python types the server handed to the function, e.g. "str,int,float,bool"
    return ",".join(type(v).__name__ for v in (text, n, x, flag))


def scale(value, factor):
    return value * factor


def choices(radio, single, multi, numeric, custom, group):
    return {"radio": radio, "single": single, "multi": multi, "numeric": numeric, "custom": custom, "group": group}


def json_roundtrip(obj):
    return {
        "type": type(obj).__name__,
        "keys": sorted(obj.keys()) if isinstance(obj, dict) else None,
        "length": len(obj) if hasattr(obj, "__len__") else None,
        "echo": obj,
        "dumped": json.dumps(obj, sort_keys=True, ensure_ascii=False),
    }


def with_defaults(text, n, s, flag, pick):
    return f"{text}|{n}|{s}|{flag}|{pick}"


def reverse_text(text):
    return text[::-1]


def ping():
    return "pong"


def sink(text):
    SUNK.append(text)


def last_sink():
    return SUNK[-1] if SUNK else ""


def shout(text):
    return text.upper() + "!"


def raise_gr_error(text):
    if text:
        raise gr.Error(f"gr.Error says: {text}")
    return "no error"


def raise_plain(text):
    if text:
        raise ValueError(f"plain ValueError: {text}")
    return "no error"


def make_demo():
    with gr.Blocks(title="spacegen basic") as demo:
        # --- scalars -------------------------------------------------------------------------
        text = gr.Textbox(label="text")
        n = gr.Number(label="n (int)", precision=0)
        x = gr.Number(label="x (float)")
        flag = gr.Checkbox(label="flag")
        out = gr.Textbox(label="joined")
        gr.Button("echo").click(echo_all, [text, n, x, flag], out, api_name="echo_all")
        gr.Button("types").click(types_of, [text, n, x, flag], out, api_name="types_of")

        value = gr.Slider(0, 10, step=0.5, label="value")
        factor = gr.Slider(1, 5, step=1, value=2, label="factor")
        scaled = gr.Number(label="scaled")
        gr.Button("scale").click(scale, [value, factor], scaled, api_name="scale")

        # --- choices -------------------------------------------------------------------------
        radio = gr.Radio(["red", "green", "blue"], label="radio")
        single = gr.Dropdown(["a", "b", "c"], label="single")
        multi = gr.Dropdown(["x", "y", "z"], multiselect=True, label="multi")
        numeric = gr.Dropdown([1, 2, 3], value=1, label="numeric")
        custom = gr.Dropdown(["known"], allow_custom_value=True, label="custom")
        group = gr.CheckboxGroup([("One", "one"), ("Two", "two"), ("Three", "three")], label="group")
        picked = gr.JSON(label="picked")
        gr.Button("choices").click(
            choices, [radio, single, multi, numeric, custom, group], picked, api_name="choices"
        )

        # --- JSON in/out -------------------------------------------------------------------
        obj = gr.JSON(label="obj")
        described = gr.JSON(label="described")
        gr.Button("json").click(json_roundtrip, obj, described, api_name="json_roundtrip")

        # --- defaults ------------------------------------------------------------------------
        d_text = gr.Textbox(value="héllo", label="d_text")
        d_n = gr.Number(value=42, precision=0, label="d_n")
        d_s = gr.Slider(0, 100, value=7, step=1, label="d_s")
        d_flag = gr.Checkbox(value=True, label="d_flag")
        d_pick = gr.Dropdown(["p", "q"], value="q", label="d_pick")
        d_out = gr.Textbox(label="d_out")
        gr.Button("defaults").click(with_defaults, [d_text, d_n, d_s, d_flag, d_pick], d_out, api_name="with_defaults")

        # --- unicode / emoji labels ----------------------------------------------------------
        u_in = gr.Textbox(label="Prompt ✏️ 名前 «ü»")
        u_out = gr.Textbox(label="Résultat 🎉")
        gr.Button("unicode").click(reverse_text, u_in, u_out, api_name="unicode_labels")

        # --- no inputs / no outputs ----------------------------------------------------------
        pong = gr.Textbox(label="pong")
        gr.Button("ping").click(ping, None, pong, api_name="ping")
        s_in = gr.Textbox(label="sink_in")
        gr.Button("sink").click(sink, s_in, None, api_name="sink")
        gr.Button("last").click(last_sink, None, pong, api_name="last_sink")

        # --- naming rules (deliberately no api_name / duplicate names) -----------------------
        n_in = gr.Textbox(label="name_in")
        n_out = gr.Textbox(label="name_out")
        gr.Button("lambda1").click(lambda s: s + "-l1", n_in, n_out)
        gr.Button("lambda2").click(lambda s: s + "-l2", n_in, n_out)
        gr.Button("shout1").click(shout, n_in, n_out)
        gr.Button("shout2").click(shout, n_in, n_out)
        gr.Button("dup1").click(lambda s: s + "-dup1", n_in, n_out, api_name="dup")
        gr.Button("dup2").click(lambda s: s + "-dup2", n_in, n_out, api_name="dup")
        gr.Button("kebab").click(lambda s: s + "-kebab", n_in, n_out, api_name="kebab-name")
        gr.Button("hidden").click(lambda s: s + "-hidden", n_in, n_out, api_name=False)

        # --- errors --------------------------------------------------------------------------
        e_in = gr.Textbox(label="error_in")
        e_out = gr.Textbox(label="error_out")
        gr.Button("gr.Error").click(raise_gr_error, e_in, e_out, api_name="raise_gr_error")
        gr.Button("ValueError").click(raise_plain, e_in, e_out, api_name="raise_plain")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
