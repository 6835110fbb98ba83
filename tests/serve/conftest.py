"""One real `lmforge serve` subprocess for the whole test session (model loads are slow).

It listens on a free loopback port (--port 0) and requires an API key, so every test also
exercises the key check; `client` is the official `openai` client pointed at it.
"""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serve_helpers import API_KEY, KV_BLOCKS, MAX_BATCH, MAX_QUEUE, start_serve  # noqa: E402


class ServerProcess:
    def __init__(self, proc: subprocess.Popen, url: str, stderr_path: Path) -> None:
        self.proc, self.url, self.stderr_path = proc, url, stderr_path

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> ServerProcess:
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    with open(log, "w") as err:
        proc, lines, reader = start_serve(
            ["--max-batch", str(MAX_BATCH), "--max-queue", str(MAX_QUEUE),
             "--kv-blocks", str(KV_BLOCKS),
             # float weights: greedy replies equal alone and batched (quantized weights take
             # int8 activations in small decode batches, float ones past 16 rows)
             "--quantize", "none"], stderr=err)
    if not lines:
        pytest.fail(f"lmforge serve did not start:\n{log.read_text()[-3000:]}")
    first = lines[0].rstrip("\n")
    assert first.startswith("listening on http://127.0.0.1:"), first
    handle = ServerProcess(proc, first.removeprefix("listening on "), log)
    handle.stdout_lines = lines
    yield handle
    # graceful shutdown: SIGINT ends the server cleanly, with nothing more on stdout
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("lmforge serve did not exit within 30 s of SIGINT")
    reader.join(timeout=5)
    assert code == 0, f"exit code {code}:\n{handle.stderr[-2000:]}"
    assert len(lines) == 1, f"stdout had more than the listening line: {lines!r}"


@pytest.fixture(scope="session")
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=f"{server.url}/v1", api_key=API_KEY, max_retries=0, timeout=120)


@pytest.fixture
def aclient(server):
    """Per test: an async client belongs to the event loop of the test's asyncio.run."""
    from openai import AsyncOpenAI

    return AsyncOpenAI(base_url=f"{server.url}/v1", api_key=API_KEY, max_retries=0,
                       timeout=120)


@pytest.fixture(scope="session")
def http(server):
    """A plain httpx client with the key, for raw bodies and status checks."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=120,
                      headers={"Authorization": f"Bearer {API_KEY}"}) as c:
        yield c
