"""A Gradio app with auth= (user "alice", password "s3cret:pw"), for --auth / SPACEGEN_AUTH.

Mounted at /app under a FastAPI root whose /config answers 200 without login, because the test harness
waits for GET {url}/config; the Gradio app itself lives at {url}/app and needs the login.
"""
import gradio as gr
import uvicorn
from fastapi import FastAPI

from _common import HOST, PORT


def whoami(text, request: gr.Request):
    return f"{request.username}: {text}"


app = FastAPI()


@app.get("/config")
def ready():
    return {"not": "the gradio config"}


with gr.Blocks(title="spacegen login") as demo:
    text = gr.Textbox(label="text")
    out = gr.Textbox(label="out")
    gr.Button("go").click(whoami, text, out, api_name="whoami")

app = gr.mount_gradio_app(app, demo, path="/app", auth=[("alice", "s3cret:pw")])

if __name__ == "__main__":
    uvicorn.run(app, host=HOST, port=PORT, log_level="warning")
