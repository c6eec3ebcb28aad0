"""One app in two versions, for spacegen's drift tests (test/drift/).

DRIFT_CHANGES is a comma-separated list of changes applied on top of v1 (empty or unset = v1;
"all" = every change). Each change touches one endpoint only, so a test can assert that exactly
the expected classification is reported:

  breaking: remove_endpoint, rename_endpoint, remove_param, reorder_params, make_required,
            narrow_type, remove_enum_value, change_output
  additive: add_endpoint, add_optional_param, add_enum_value, widen_type
"""
import os

import gradio as gr

from _common import HOST, PORT

raw = os.environ.get("DRIFT_CHANGES", "").strip()
ALL = {
    "remove_endpoint", "rename_endpoint", "remove_param", "reorder_params", "make_required",
    "narrow_type", "remove_enum_value", "change_output",
    "add_endpoint", "add_optional_param", "add_enum_value", "widen_type",
}
CHANGES = ALL if raw == "all" else {c.strip() for c in raw.split(",") if c.strip()}
unknown = CHANGES - ALL
if unknown:
    raise SystemExit(f"unknown DRIFT_CHANGES: {sorted(unknown)}")
has = CHANGES.__contains__


def join(*values):
    return "|".join(str(v) for v in values)


# Gradio names parameters after the function's own, so every endpoint gets one with real names.
def keep(text): return join(text)
def legacy(n): return join(n)
def summarize(prompt, steps): return join(prompt, steps)
def translate(text, lang): return join(text, lang)
def translate_short(text): return join(text)
def translate_formal(text, lang, formal): return join(text, lang, formal)
def translate_short_formal(text, formal): return join(text, formal)
def resize(width, label): return join(width, label)
def resize_swapped(label, width): return join(label, width)
def search(query, limit): return join(query, limit)
def render(style): return join(style)
def run(mode): return join(mode)
def paint(color): return join(color)
def order(size): return join(size)
def measure(text): return len(text) if has("change_output") else str(len(text))
def health(seed, verbose): return join(seed, verbose)


def make_demo():
    with gr.Blocks(title="spacegen drift") as demo:
        out = gr.Textbox(label="out")

        # unchanged in every variant
        k_text = gr.Textbox(label="text")
        gr.Button("keep").click(keep, [k_text], out, api_name="keep")

        # endpoint removed
        if not has("remove_endpoint"):
            r_n = gr.Number(label="n")
            gr.Button("legacy").click(legacy, [r_n], out, api_name="legacy")

        # endpoint renamed (same signature, same position)
        s_prompt = gr.Textbox(label="prompt")
        s_steps = gr.Slider(1, 50, value=20, step=1, label="steps")
        gr.Button("summarize").click(
            summarize, [s_prompt, s_steps], out, api_name="summarise" if has("rename_endpoint") else "summarize"
        )

        # parameter removed / new optional parameter
        t_text = gr.Textbox(label="text")
        t_lang = gr.Textbox(label="lang")
        t_formal = gr.Checkbox(value=False, label="formal")
        t_inputs = [t_text] if has("remove_param") else [t_text, t_lang]
        if has("add_optional_param"):
            t_inputs = t_inputs + [t_formal]
        t_fn = {
            (False, False): translate, (True, False): translate_short,
            (False, True): translate_formal, (True, True): translate_short_formal,
        }[(has("remove_param"), has("add_optional_param"))]
        gr.Button("translate").click(t_fn, t_inputs, out, api_name="translate")

        # parameters reordered
        w_width = gr.Number(label="width")
        w_label = gr.Textbox(label="label")
        gr.Button("resize").click(
            resize_swapped if has("reorder_params") else resize,
            [w_label, w_width] if has("reorder_params") else [w_width, w_label], out, api_name="resize",
        )

        # parameter made required (the default goes away)
        q_query = gr.Textbox(label="query")
        q_limit = gr.Number(label="limit", precision=0) if has("make_required") else gr.Number(value=10, label="limit", precision=0)
        gr.Button("search").click(search, [q_query, q_limit], out, api_name="search")

        # type narrowed (any text → a fixed choice) / widened (a fixed choice → any text)
        n_style = gr.Radio(["plain", "fancy"], label="style") if has("narrow_type") else gr.Textbox(label="style")
        gr.Button("render").click(render, [n_style], out, api_name="render")
        m_mode = gr.Textbox(label="mode") if has("widen_type") else gr.Radio(["fast", "slow"], label="mode")
        gr.Button("run").click(run, [m_mode], out, api_name="run")

        # enum value removed / added
        c_color = gr.Dropdown(
            ["red", "green"] if has("remove_enum_value") else ["red", "green", "blue"], value="red", label="color"
        )
        gr.Button("paint").click(paint, [c_color], out, api_name="paint")
        z_size = gr.Radio(["S", "M", "L", "XL"] if has("add_enum_value") else ["S", "M", "L"], label="size")
        gr.Button("order").click(order, [z_size], out, api_name="order")

        # output shape changed (text → number)
        o_text = gr.Textbox(label="text")
        o_out = gr.Number(label="length") if has("change_output") else gr.Textbox(label="length")
        gr.Button("measure").click(measure, [o_text], o_out, api_name="measure")

        # new endpoint (a signature no other endpoint has)
        if has("add_endpoint"):
            a_img = gr.Number(label="seed")
            a_flag = gr.Checkbox(label="verbose")
            gr.Button("health").click(health, [a_img, a_flag], out, api_name="health")
    return demo


if __name__ == "__main__":
    make_demo().queue().launch(server_name=HOST, server_port=PORT, show_error=True)
