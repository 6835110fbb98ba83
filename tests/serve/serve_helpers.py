"""Constants and small helpers shared by the server tests."""

import os
import subprocess
import sys
import threading
import time

API_KEY = "test-key-123"
MODEL = "smollm2-135m-instruct"
EMBED_MODEL = "all-minilm-l6-v2"
MAX_BATCH, MAX_QUEUE = 16, 16
KV_BLOCKS = 512  # `serve --kv-blocks`: 8,192 tokens of 16-token blocks
READY_TIMEOUT_S = 240


def start_serve(args: list[str], stderr=subprocess.DEVNULL):
    """`lmforge serve --port 0 ARGS` with the test API key, once its first stdout line (its
    URL) came, it exited or READY_TIMEOUT_S passed: (process, stdout lines, the thread that
    reads them on until EOF). No lines means it did not start; the caller says why."""
    proc = subprocess.Popen([sys.executable, "-m", "lmforge.cli", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=stderr, text=True,
                            env={**os.environ, "LMFORGE_API_KEY": API_KEY})
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if not lines:
        proc.kill()
    return proc, lines, reader


def metric(text: str, name: str) -> float:
    """The value of an unlabelled metric in Prometheus text."""
    for line in text.splitlines():
        if line.startswith(f"lmforge_{name} "):
            return float(line.split()[1])
    raise KeyError(name)
