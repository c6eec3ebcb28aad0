"""Captures raw streams of a few differential cases as evidence for test/e2e/PROTOCOL-NOTES.md (issue 14).

    python capture.py ROOT_URL OUT_DIR      # ROOT_URL: a running server.py; OUT_DIR: test/evidence/<version>/differential

Per case, OUT_DIR/<app>.<api>.call.sse is the GET stream of POST {prefix}/call/<api>, and .queue.sse the
session's /queue/data stream after POST {prefix}/queue/join (the routes gradio_client and live() use). A stream
the server cuts after its last event (Gradio does after some errors) is written as far as it came.
"""
import json
import os
import sys
import uuid

import httpx

CASES = [
    ("tables", "nan_table", [4]),
    ("tables", "echo_table", [{"headers": ["a", "b"], "data": [[1, None], [2, 3]]}]),
    ("unserialisable", "numpy_scalar", [3]),
    ("errors", "raise_gr_error", ["boom"]),
    ("errors_shown", "raise_plain", ["secret"]),
    ("updates", "new_choices", ["q"]),
    ("files", "multiple_gets_one", [2]),
    ("generators", "count", [3]),
]


def read(http, url, **kwargs):
    text = ""
    try:
        with http.stream("GET", url, **kwargs) as r:
            for chunk in r.iter_text():
                text += chunk
    except httpx.RemoteProtocolError:
        pass
    return text


def main(root, out):
    os.makedirs(out, exist_ok=True)
    with httpx.Client(timeout=60) as http:
        for app, api, data in CASES:
            config = http.get(f"{root}/{app}/config").json()
            base = f"{root}/{app}{config.get('api_prefix', '')}"
            fn_index = next(d["id"] for d in config["dependencies"] if d.get("api_name") == api)
            event = http.post(f"{base}/call/{api}", json={"data": data}).json()["event_id"]
            with open(os.path.join(out, f"{app}.{api}.call.sse"), "w") as f:
                f.write(read(http, f"{base}/call/{api}/{event}"))
            session = uuid.uuid4().hex[:10]
            body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
            http.post(f"{base}/queue/join", json=body).raise_for_status()
            with open(os.path.join(out, f"{app}.{api}.queue.sse"), "w") as f:
                f.write(read(http, f"{base}/queue/data", params={"session_hash": session}))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
