"""Shared bits for the spacegen test apps (host/port from env, tiny media made with the stdlib)."""
import hashlib
import os
import struct
import tempfile
import wave
import zlib

import gradio as gr

HOST = os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1")
PORT = int(os.environ.get("GRADIO_SERVER_PORT", "7860"))
GR_MAJOR = int(gr.__version__.split(".")[0])
# Chatbot/ChatInterface: 4.x/5.x default to "tuples"; 6.x is messages-only and has no `type` kwarg.
MESSAGES = {"type": "messages"} if GR_MAJOR < 6 else {}


def out_path(name: str) -> str:
    """A fresh path in a private temp dir (GRADIO_TEMP_DIR is allowed for outputs)."""
    base = os.environ.get("GRADIO_TEMP_DIR") or tempfile.gettempdir()
    d = tempfile.mkdtemp(prefix="out-", dir=base)
    return os.path.join(d, name)


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def png_bytes(width: int, height: int, rgb=(255, 0, 0)) -> bytes:
    """A solid-colour RGB PNG, stdlib only."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def write_wav(path: str, samples, rate: int = 8000) -> str:
    """Mono 16-bit WAV from a list of ints."""
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack("<%dh" % len(samples), *samples))
    return path
