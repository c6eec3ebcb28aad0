"""Serves every app of test/differential/apps/ from one process, each mounted at /<name> with its SHOW_ERROR.

    python server.py [name ...]      # GRADIO_SERVER_NAME / GRADIO_SERVER_PORT as for test/apps/

GET /config answers once every app is mounted (the launcher in test/support/gradio.mjs waits for it).
"""
import importlib
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "apps"), str(HERE.parent / "apps")]

import gradio as gr  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from _common import HOST, PORT  # noqa: E402

names = sys.argv[1:] or sorted(p.stem for p in (HERE / "apps").glob("*.py") if not p.stem.startswith("_"))
app = FastAPI()
for name in names:
    module = importlib.import_module(name)
    app = gr.mount_gradio_app(app, module.make_demo(), path=f"/{name}", show_error=module.SHOW_ERROR)


@app.get("/config")
def apps():
    return {"apps": names}


if __name__ == "__main__":
    uvicorn.run(app, host=HOST, port=PORT, log_level="warning")
