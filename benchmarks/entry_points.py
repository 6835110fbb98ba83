"""Decode speed where users stand: the `lmforge generate` command as a whole process, and
`lmforge serve` with one streaming client (the official `openai` client). bench_generate.py
runs these beside its in-process rows (the README's Python API: `lmforge.load` + `Engine`),
so the figures cannot drift apart.

- cli: `lmforge generate TEXT --temperature 0 --ignore-eos --max-tokens N`, timed from outside
  at N = 16 and N = 16 + new tokens; decode tok/s = new tokens / the difference (the load,
  the prompt and the first tokens cancel). The command's own "[n tokens, x tokens/s]" line
  is kept beside it.
- serve: the server loads once; after a warm-up request, completions of 16 and 16 + new
  tokens (EOS ignored), decode tok/s = new tokens / the difference in their times; and one
  streamed completion ("serve-stream"): tokens after the first / the time from the first to
  the last chunk, where each token also wakes the server's event loop and the client.
"""

import re
import socket
import subprocess
import sys
import time

PASSAGE = ("The history of the printing press begins in the fifteenth century, when "
           "Johannes Gutenberg combined movable metal type, oil-based ink and a wooden press. ")
CLI_WEIGHTS = {"default": [], "int4": ["--quantize", "int4"]}


def prompt_text(words: int = 96) -> str:
    """About `words` words of plain text (the same for every entry point)."""
    return " ".join((PASSAGE * 8).split()[:words])


def cli_decode(weights: str, new_tokens: int, threads: int) -> dict:
    short, _ = _timed_generate(weights, 16, threads)
    long, printed = _timed_generate(weights, 16 + new_tokens, threads)
    return {"decode_tok_s": round(new_tokens / (long - short), 1), "printed_tok_s": printed,
            "process_s": round(long, 2)}


def _timed_generate(weights: str, max_tokens: int, threads: int) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "lmforge.cli", "generate", prompt_text(), "--temperature", "0",
           "--ignore-eos", "--max-tokens", str(max_tokens), *CLI_WEIGHTS[weights]]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(threads), check=True)
    elapsed = time.perf_counter() - start
    printed = re.search(r"\[(\d+) tokens, ([\d.]+) tokens/s", out.stderr)
    return elapsed, float(printed.group(2)) if printed else None


def serve_decode(weights: str, new_tokens: int, threads: int, stream: bool = False) -> dict:
    port = _free_port()
    cmd = [sys.executable, "-m", "lmforge.cli", "serve", "--port", str(port),
           "--embedding-model", "none", *CLI_WEIGHTS[weights]]
    server = subprocess.Popen(cmd, env=_env(threads), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        from openai import OpenAI

        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none")
        _wait_until_up(client, server)
        model = client.models.list().data[0].id
        _complete(client, model, 8)  # warm-up
        if stream:
            return _streamed_decode(client, model, new_tokens)
        short, long = _complete(client, model, 16), _complete(client, model, 16 + new_tokens)
        return {"decode_tok_s": round(new_tokens / (long - short), 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _complete(client, model: str, max_tokens: int) -> float:
    """Seconds for one whole (not streamed) completion of exactly max_tokens tokens."""
    start = time.perf_counter()
    client.completions.create(model=model, prompt=prompt_text(), max_tokens=max_tokens,
                              temperature=0, extra_body={"ignore_eos": True})
    return time.perf_counter() - start


def _streamed_decode(client, model: str, new_tokens: int) -> dict:
    stamps = []
    for chunk in client.completions.create(model=model, prompt=prompt_text(),
                                           max_tokens=new_tokens, temperature=0, stream=True,
                                           extra_body={"ignore_eos": True}):
        if chunk.choices and chunk.choices[0].text:
            stamps.append(time.perf_counter())
    return {"decode_tok_s": round((len(stamps) - 1) / (stamps[-1] - stamps[0]), 1),
            "tokens": len(stamps)}


def _wait_until_up(client, server, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("lmforge serve exited before it answered")
        try:
            client.models.list()
            return
        except Exception:  # not listening yet
            time.sleep(0.5)
    raise TimeoutError("lmforge serve did not answer")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(threads: int) -> dict:
    import os

    return {**os.environ, "OMP_NUM_THREADS": str(threads)}
