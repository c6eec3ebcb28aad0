"""A FastAPI app with a Gradio app mounted at a sub-path (/sub), for sub-path sources."""
import gradio as gr
import uvicorn
from fastapi import FastAPI

from _common import HOST, PORT


def greet(name):
    return f"Hello, {name}!"


app = FastAPI()


@app.get("/")
def index():
    return {"not": "gradio"}


@app.get("/config")
def decoy_config():
    # A sub-path source must read /sub/config, not the host's /config.
    return {"not": "the gradio config"}


with gr.Blocks(title="spacegen mounted") as demo:
    name = gr.Textbox(label="name")
    out = gr.Textbox(label="greeting")
    gr.Button("greet").click(greet, name, out, api_name="greet")

app = gr.mount_gradio_app(app, demo, path="/sub")

if __name__ == "__main__":
    # The harness waits for GET {url}/config to answer 200, which the decoy route does.
    uvicorn.run(app, host=HOST, port=PORT, log_level="warning")
