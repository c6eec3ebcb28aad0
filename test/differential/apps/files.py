"""File outputs (issue 14, class 4): gr.File's postprocess takes one path or a list whatever file_count says."""
import gradio as gr

from _common import out_path

SHOW_ERROR = True


def _files(n):
    paths = []
    for i in range(int(n)):
        p = out_path(f"part{i}.txt")
        with open(p, "w") as f:
            f.write(f"part {i}\n" * (i + 1))
        paths.append(p)
    return paths


def single_gets_list(n):
    return _files(n)


def single_gets_one(n):
    return _files(n)[0]


def multiple_gets_list(n):
    return _files(n)


def multiple_gets_one(n):
    return _files(n)[0]


def make_demo():
    with gr.Blocks(title="differential files") as demo:
        n = gr.Number(value=2, precision=0, label="n")
        gr.Button("a").click(single_gets_list, n, gr.File(label="single"), api_name="single_gets_list")
        gr.Button("b").click(single_gets_one, n, gr.File(label="single"), api_name="single_gets_one")
        gr.Button("c").click(multiple_gets_list, n, gr.File(file_count="multiple", label="multiple"), api_name="multiple_gets_list")
        gr.Button("d").click(multiple_gets_one, n, gr.File(file_count="multiple", label="multiple"), api_name="multiple_gets_one")
    return demo
