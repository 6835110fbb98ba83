"""Fixtures for running the real `lmforge` command line as a subprocess, as users and scripts do."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

TINY_RECIPE = """\
# a model small enough to train a few steps in a second on one CPU core
model: {{arch: llama, kind: decoder, hidden_size: 32, num_hidden_layers: 1,
         num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64}}
data: {{source: {source}, tokenizer_kind: char, vocab_size: 128, val_fraction: 0.05}}
train: {{max_steps: 20, batch_size: 4, block_size: 32, log_every: 5, eval_every: 0,
         warmup_steps: 2, tensorboard: false, num_threads: 1}}
"""


def run_lmforge(*args: str, stdin: str | None = None, cwd: Path | None = None,
                timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess]:
    """cli("generate", "hi", stdin=None, cwd=None) -> CompletedProcess (text mode)."""
    return run_lmforge


@pytest.fixture
def tiny_run(tmp_path: Path) -> Path:
    """A folder with corpus.txt and recipe.yaml (a 1-layer char model, 20 steps)."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(f"Line {i}: the quick brown fox jumps over the lazy dog.\n"
                              for i in range(400)), encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(TINY_RECIPE.format(source=corpus), encoding="utf-8")
    return tmp_path


def default_sigint() -> None:
    """In the child: SIGINT back to its default. A test run started in the background of a
    non-interactive shell inherits SIGINT ignored, and Python keeps it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Live:
    """A running `lmforge` subprocess whose stdout/stderr are collected by threads, so a
    test can wait for some output, then send it a signal."""

    def __init__(self, args: list[str], stdin=subprocess.DEVNULL, cwd: Path | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "lmforge.cli", *args], stdin=stdin,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                                     env={**os.environ, "HF_HUB_OFFLINE": "1"},
                                     preexec_fn=default_sigint)
        self.out, self.err = bytearray(), bytearray()
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _pump(stream, sink: bytearray) -> None:
        while chunk := stream.read1(4096):
            sink.extend(chunk)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the pumps drain
                raise AssertionError(f"exited {self.proc.returncode} early: {self.stderr}")
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"timed out; stderr: {self.stderr}")
            time.sleep(0.05)

    def interrupt(self) -> None:
        self.proc.send_signal(signal.SIGINT)

    def finish(self, timeout: float = 300) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            time.sleep(0.2)

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", errors="replace")


@pytest.fixture
def live():
    """live(args, stdin=..., cwd=...) -> Live; every process is killed at the end."""
    started: list[Live] = []

    def start(args: list[str], **kwargs) -> Live:
        started.append(Live(args, **kwargs))
        return started[-1]

    yield start
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()
