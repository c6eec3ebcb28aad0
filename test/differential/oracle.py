"""The oracle: calls each case through gradio_client, Gradio's official Python client.

    python oracle.py assets DIR             # writes the input files the cases use into DIR
    python oracle.py calls CASES.json OUT.json

CASES.json is a list of {"id", "url", "api", "input"} where input maps parameter names to JSON values, and
{"$file": "name"} stands for the file DIR/name (sent with handle_file). OUT.json gets, per case, either
{"id", "ok": true, "final": value, "stream": [value, ...]} (job.result() and job.outputs()) or
{"id", "ok": false, "error": class name, "message": str(error), "stream": job.outputs()}. The file holds
{"gradio_client": its version, "results": [...]}. In values, every file gradio_client
downloaded becomes {"$file": sha256 of its bytes}, tuples become lists and non-finite floats {"$float": "nan"}.
"""
import concurrent.futures
import hashlib
import json
import math
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "apps"))


def write_assets(folder):
    from _common import png_bytes, write_wav

    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "red.png"), "wb") as f:
        f.write(png_bytes(6, 4, (200, 30, 30)))
    write_wav(os.path.join(folder, "blip.wav"), [0, 2000, 4000, 2000, 0, -2000, -4000, -2000] * 20)
    with open(os.path.join(folder, "hello.txt"), "w") as f:
        f.write("hello, differential\n")
    with open(os.path.join(folder, "other.txt"), "w") as f:
        f.write("another file\n")
    with open(os.path.join(folder, "cube.obj"), "w") as f:
        f.write("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    # the smallest ISO-BMFF header: Video passthrough needs no real video (no ffmpeg)
    with open(os.path.join(folder, "clip.mp4"), "wb") as f:
        f.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")


def main_calls(cases_file, out_file):
    import gradio_client
    from gradio_client import Client, handle_file

    assets = os.environ["DIFFERENTIAL_ASSETS"]
    downloads = tempfile.mkdtemp(prefix="oracle-downloads-")
    with open(cases_file) as f:
        cases = json.load(f)

    def to_client(v):
        if isinstance(v, dict) and set(v) == {"$file"}:
            return handle_file(os.path.join(assets, v["$file"]))
        if isinstance(v, list):
            return [to_client(x) for x in v]
        if isinstance(v, dict):
            return {k: to_client(x) for k, x in v.items()}
        return v

    def to_json(v):
        if isinstance(v, str) and v.startswith(downloads) and os.path.isfile(v):
            with open(v, "rb") as f:
                return {"$file": hashlib.sha256(f.read()).hexdigest()}
        if isinstance(v, (list, tuple)):
            return [to_json(x) for x in v]
        if isinstance(v, dict):
            return {str(k): to_json(x) for k, x in v.items()}
        if isinstance(v, float) and not math.isfinite(v):
            return {"$float": str(v)}
        if v is None or isinstance(v, (str, int, float, bool)):
            return v
        return {"$python": repr(v)}

    clients = {}
    for url in sorted({c["url"] for c in cases}):
        clients[url] = Client(url, download_files=downloads, verbose=False)

    def holds_exception(v):
        if isinstance(v, BaseException):
            return True
        if isinstance(v, (list, tuple)):
            return any(holds_exception(x) for x in v)
        if isinstance(v, dict):
            return any(holds_exception(x) for x in v.values())
        return False

    def run(case):
        # a failure of gradio_client's own transport (a download cut by the server, a cancelled job) is not an
        # answer of the app: the case is submitted again, at most three times in all
        for attempt in range(3):
            result, transient = run_once(case)
            if not transient:
                break
        result["attempts"] = attempt + 1
        return result

    def run_once(case):
        from gradio_client.exceptions import AppError

        job = None
        try:
            job = clients[case["url"]].submit(api_name=case["api"], **to_client(case["input"]))
            final = job.result(timeout=120)
            outputs = job.outputs()
            result = {"id": case["id"], "ok": True, "final": to_json(final), "stream": [to_json(o) for o in outputs]}
            return result, holds_exception(final) or holds_exception(outputs)
        except Exception as e:  # noqa: BLE001 — every failure is a result to compare
            stream = [to_json(o) for o in job.outputs()] if job else []
            result = {"id": case["id"], "ok": False, "error": type(e).__name__, "message": str(e), "stream": stream}
            return result, not isinstance(e, AppError)

    # one app's cases one at a time: a Client has one session, and gradio_client cancels a job that joins while
    # that session's stream is closing (a race of concurrent submits); different apps run side by side
    def run_app(url):
        return [run(c) for c in cases if c["url"] == url]

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        by_app = list(pool.map(run_app, clients))
    results = [r for rs in by_app for r in rs]
    with open(out_file + ".tmp", "w") as f:
        json.dump({"gradio_client": gradio_client.__version__, "results": results}, f, allow_nan=False)
    os.replace(out_file + ".tmp", out_file)


if __name__ == "__main__":
    if sys.argv[1:2] == ["assets"]:
        write_assets(sys.argv[2])
    elif sys.argv[1:2] == ["calls"]:
        main_calls(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: oracle.py assets DIR | oracle.py calls CASES.json OUT.json")
