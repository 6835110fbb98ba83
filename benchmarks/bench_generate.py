"""Generation speed on SmolLM2-135M-Instruct: lmforge (fp32, int8, int4, the GGUF's own Q4_1
blocks) next to transformers fp32 and llama.cpp Q4_1, same machine, same threads, one run.

    python benchmarks/bench_generate.py [--prompt-tokens 128] [--new-tokens 64] [--threads 2]
    python benchmarks/bench_generate.py --streams 16 [--llama-server PATH/llama-server]
    python benchmarks/bench_generate.py --entry-points   # + the Python API, CLI and serve rows

Single stream: prefill speed is prompt tokens / time to the first generated token; decode
speed is the tokens after the first / the time they took (greedy, EOS ignored). Aggregate mode
(`--streams N`): N requests of 128 prompt + 128 new tokens submitted at once, end to end:
lmforge's Engine, transformers' continuous batching (`generate_batch`) and, when given its
binary, llama.cpp's `llama-server --parallel N`. Every engine runs in its own process, so the
peak RSS printed is its own (VmHWM). lmforge's quantized runs keep their KV cache in fp16, as
llama-server does by default; its fp32 run keeps it in fp32. On a CPU that multiplies bf16
in hardware (AMX or AVX-512 BF16) the single-stream run adds lmforge with `--dtype bf16`.

Engines run round-robin `--rounds` times (default 3) and each reports its median run: the
VM's speed drifts by 20-40% within minutes, and a single pass in a fixed order would credit
that drift to whichever engine ran in the fast minutes.

Roofline: a decode step reads every weight once, so tokens/s x weight bytes read per token is
the memory traffic; divided by the copy bandwidth measured here (torch copy of 256 MiB,
read + write) it is the fraction of the memory-bandwidth roofline reached.

llama-server is not in the llama-cpp-python wheel; build it once from the sdist's vendored
llama.cpp (2 cores: ~30 min; done this way on 2026-11-30):

    pip download --no-deps --no-binary :all: llama-cpp-python==0.3.36 -d /tmp/sdist
    tar xzf /tmp/sdist/llama_cpp_python-0.3.36.tar.gz -C /tmp
    cmake -S /tmp/llama_cpp_python-0.3.36/vendor/llama.cpp -B /tmp/llama-build \\
        -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_OPENSSL=OFF \\
        -DGGML_NATIVE=ON -DCMAKE_BUILD_TYPE=Release
    cmake --build /tmp/llama-build --target llama-server -j 2

On a VM that lists AMX but faults on its tile instructions (seen 2026-12-01: llama.cpp's AMX
Q4_1 kernel died with SIGILL, in llama-server and in llama-cpp-python's wheel, while
PyTorch's oneDNN ran AMX there), build without AMX by adding
`-DCMAKE_C_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"` (and the same CMAKE_CXX_FLAGS)
to the cmake line, and point llama-cpp-python at that build's libraries:
`LLAMA_CPP_LIB_PATH=/tmp/llama-build/bin python benchmarks/bench_generate.py ...`.

The machine may be shared: compare ratios from one run. Prints `lscpu`'s model and flags, a
markdown table and, last, one JSON object.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import entry_points

PASSAGE = ("The history of the printing press begins in the fifteenth century, when "
           "Johannes Gutenberg combined movable metal type, oil-based ink and a wooden press. ")
MODEL = "smollm2-135m-instruct"
SINGLE = ["lmforge-fp32", "lmforge-int8", "lmforge-int4", "lmforge-q4_1", "transformers-fp32",
          "llama.cpp-q4_1"]
# the same weights where users stand: the README's Python API (`lmforge.load(MODEL)` with its
# defaults), `lmforge generate` as a whole process, `lmforge serve` with one client
# (whole completions, and streamed)
ENTRY_POINTS = ["lmforge-default", "cli-default", "serve-default", "stream-default", "cli-int4",
                "serve-int4", "stream-int4"]
STREAMS = ["lmforge-q4_1", "lmforge-fp32", "transformers-fp32", "llama-server-q4_1"]
LMFORGE_QUANTIZE = {"lmforge-fp32": "none", "lmforge-int8": "int8", "lmforge-int4": "int4",
                    "lmforge-q4_1": "auto", "lmforge-bf16": "none", "lmforge-default": None}
# asked for where the CPU multiplies bf16 in hardware (AMX, AVX-512 BF16): `--dtype bf16`
NATIVE_BF16_SINGLE = ["lmforge-bf16"]


# -- measurements shared by every engine -------------------------------------------------------


def cpu_description() -> dict:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    flags = fields.get("Flags", "").split()
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile", "fma")
    return {"model": fields.get("Model name", "?").strip(),
            "flags": [f for f in wanted if f in flags]}


def copy_bandwidth_gb_s(threads: int, mib: int = 256) -> float:
    """Best of 5 copies of a `mib` MiB tensor, counting the read and the write."""
    import torch

    torch.set_num_threads(threads)
    src = torch.ones(mib * 2**20 // 4)
    dst = torch.empty_like(src)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        dst.copy_(src)
        best = min(best, time.perf_counter() - start)
    return round(2 * src.numel() * 4 / best / 1e9, 2)


def prompts(n_tokens: int, n_prompts: int = 1) -> list[list[int]]:
    """Distinct prompts (no shared prefix to cache) of exactly n_tokens each."""
    from lmforge.io.registry import load_tokenizer

    tok = load_tokenizer(MODEL)
    out = []
    for i in range(n_prompts):
        ids = tok.encode(f"Passage {i}: " + PASSAGE * (n_tokens // 10 + 2))
        out.append(ids[:n_tokens])
    return out


def peak_rss_mb(pid: int | str = "self") -> int:
    """VmHWM (peak resident set) of a process. Not ru_maxrss: Linux carries that across
    exec, so a worker would report its parent's peak when that is higher."""
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    return int(hwm.split()[1]) // 1024


def linear_weight_bytes(model) -> int:
    """Bytes a decode step reads: every linear's weights (quantized codes + scales), once."""
    from torch import nn

    from lmforge.model.quant import QuantizedLinear

    seen, total = set(), 0
    for m in model.modules():
        if isinstance(m, nn.Linear | QuantizedLinear) and id(m) not in seen:
            seen.add(id(m))
            tensors = [m.weight] if isinstance(m, nn.Linear) else list(m.buffers())
            total += sum(t.numel() * t.element_size() for t in tensors if t is not None)
    return total


def timings(n_prompt: int, n_new: int, prefill_s: float, decode_s: float) -> dict:
    return {"prefill_tok_s": round(n_prompt / prefill_s, 1),
            "decode_tok_s": round((n_new - 1) / decode_s, 1),
            "time_to_first_token_s": round(prefill_s, 3)}


# -- one engine per process --------------------------------------------------------------------


def single_lmforge(name: str, prompt: list[int], warmup: list[int], new_tokens: int) -> dict:
    from lmforge.infer import SamplingParams

    engine, lm = _lmforge_engine(name)
    engine.generate([warmup], SamplingParams(max_tokens=4, temperature=0.0))  # warm-up
    params = SamplingParams(max_tokens=new_tokens, temperature=0.0, ignore_eos=True)
    start, first, n = time.perf_counter(), None, 0
    for _ in engine.stream([prompt], params):
        n += 1
        first = first or time.perf_counter()
    end = time.perf_counter()
    return {**timings(len(prompt), n, first - start, end - first),
            "weight_bytes": linear_weight_bytes(lm.model)}


def _lmforge_engine(name: str, streams: int = 1, tokens_per_stream: int = 0):
    """The Engine as the README's Python API, `lmforge generate` and `serve` build it
    (`lmforge.load` fuses q/k/v and gate/up); for N streams, N sequences at once and a KV pool
    of exactly their tokens (as llama-server gets `--parallel N -c N*(prompt+new+16)`)."""
    import torch

    import lmforge
    from lmforge.infer import Engine

    dtype = torch.bfloat16 if name == "lmforge-bf16" else torch.float32
    lm = lmforge.load(MODEL, quantize=LMFORGE_QUANTIZE[name], dtype=dtype)
    if streams == 1:
        return Engine(lm.model, lm.tokenizer), lm
    blocks = -(-streams * (tokens_per_stream + 16) // 16)
    # quantized weights get an fp16 KV cache, as llama.cpp's default; fp32 stays exact
    kv_dtype = None if name == "lmforge-fp32" else torch.float16
    return Engine(lm.model, lm.tokenizer, max_batch_size=streams, num_kv_blocks=blocks,
                  kv_dtype=kv_dtype), lm


def single_transformers(prompt: list[int], warmup: list[int], new_tokens: int) -> dict:
    import torch

    model = _hf_model()
    x = torch.tensor([prompt])
    with torch.inference_mode():
        model.generate(torch.tensor([warmup]), max_new_tokens=4, do_sample=False)  # warm-up
        start = time.perf_counter()
        model.generate(x, max_new_tokens=1, min_new_tokens=1, do_sample=False)
        prefill = time.perf_counter() - start
        start = time.perf_counter()
        model.generate(x, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False)
        total = time.perf_counter() - start
    # the full run repeats the prefill: subtract it to get the decode time alone
    return {**timings(len(prompt), new_tokens, prefill, total - prefill),
            "weight_bytes": linear_weight_bytes(model)}


def _hf_model():
    import torch
    from transformers import AutoModelForCausalLM

    from lmforge.io.registry import bundled_path

    path = bundled_path(MODEL)
    return AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name,
                                                dtype=torch.float32).eval()


def single_llama_cpp(prompt: list[int], warmup: list[int], new_tokens: int,
                     threads: int) -> dict:
    from llama_cpp import Llama

    from lmforge.io.registry import bundled_path

    path = bundled_path(MODEL)
    llm = Llama(model_path=str(path), n_ctx=1024, n_threads=threads, n_threads_batch=threads,
                n_batch=512, verbose=False)
    llm.eval(warmup)  # warm-up
    llm.reset()
    start, first, n = time.perf_counter(), None, 0
    for _ in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        n += 1
        first = first or time.perf_counter()
        if n == new_tokens:
            break
    end = time.perf_counter()
    return {**timings(len(prompt), n, first - start, end - first),
            "weight_bytes": gguf_weight_bytes(path)}


def gguf_weight_bytes(path) -> int:
    """The 2-D tensors' bytes (the tied token_embd is read as the output head)."""
    from lmforge.io.gguf_header import read_header

    return sum(int(t.n_bytes) for t in read_header(path).tensors if len(t.shape) == 2)


def streams_lmforge(name: str, batch: list[list[int]], new_tokens: int) -> dict:
    from lmforge.infer import SamplingParams

    engine, _ = _lmforge_engine(name, len(batch), len(batch[0]) + new_tokens)
    engine.generate([batch[0][:8]], SamplingParams(max_tokens=4, temperature=0.0))  # warm-up
    params = SamplingParams(max_tokens=new_tokens, temperature=0.0, ignore_eos=True)
    start = time.perf_counter()
    outputs = engine.generate(batch, params)
    elapsed = time.perf_counter() - start
    return _aggregate(sum(len(o.token_ids) for o in outputs), elapsed)


def streams_transformers(batch: list[list[int]], new_tokens: int) -> dict:
    from transformers import GenerationConfig
    from transformers.generation.configuration_utils import ContinuousBatchingConfig

    model = _hf_model()
    config = GenerationConfig(max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                              do_sample=False, eos_token_id=None)
    # size the paged cache for this batch: by default it takes a share of free memory, which
    # on a shared machine got the process killed
    pages = 2 * len(batch) * (len(batch[0]) + new_tokens) // 256 + 2
    cache = ContinuousBatchingConfig(num_blocks=pages, max_batch_tokens=512)
    start = time.perf_counter()
    outputs = model.generate_batch(batch, generation_config=config, progress_bar=False,
                                   continuous_batching_config=cache)
    elapsed = time.perf_counter() - start
    return _aggregate(sum(len(o.generated_tokens) for o in outputs.values()), elapsed)


def streams_llama_server(batch, new_tokens: int, threads: int, binary: str) -> dict:
    """Start llama-server --parallel len(batch), send every request at once, time them all."""
    import socket
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from lmforge.io.registry import bundled_path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    n = len(batch)
    ctx = n * (len(batch[0]) + new_tokens + 16)
    server = subprocess.Popen(
        [binary, "-m", str(bundled_path(MODEL)), "--parallel", str(n), "-c", str(ctx),
         "-t", str(threads), "-tb", str(threads), "--port", str(port), "--host", "127.0.0.1",
         "--no-webui"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)

        def complete(ids):
            body = json.dumps({"prompt": ids, "n_predict": new_tokens, "temperature": 0,
                               "ignore_eos": True, "cache_prompt": False}).encode()
            req = urllib.request.Request(url + "/completion", body,
                                         {"Content-Type": "application/json"})
            return json.load(urllib.request.urlopen(req, timeout=3600))["tokens_predicted"]

        start = time.perf_counter()
        with ThreadPoolExecutor(n) as pool:
            produced = sum(pool.map(complete, batch))
        elapsed = time.perf_counter() - start
        return {**_aggregate(produced, elapsed), "peak_rss_mb": peak_rss_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _aggregate(tokens: int, elapsed: float) -> dict:
    return {"tokens": tokens, "seconds": round(elapsed, 2),
            "aggregate_tok_s": round(tokens / elapsed, 1)}


def worker(args) -> None:
    """Run one engine and print its result as JSON (the parent reads the last line)."""
    import torch

    torch.set_num_threads(args.threads)
    if args.streams:
        batch = prompts(args.prompt_tokens, args.streams)
        if args.worker.startswith("lmforge"):
            result = streams_lmforge(args.worker, batch, args.new_tokens)
        elif args.worker == "transformers-fp32":
            result = streams_transformers(batch, args.new_tokens)
        else:
            result = streams_llama_server(batch, args.new_tokens, args.threads,
                                          args.llama_server)
    else:
        # warm up on another prompt of the same length: first-use costs of that shape are
        # paid outside the timing, and no engine can reuse the measured prompt's cache
        prompt, warmup = prompts(args.prompt_tokens, 2)
        kind, _, weights = args.worker.partition("-")
        if kind == "cli":
            result = entry_points.cli_decode(weights, args.new_tokens, args.threads)
        elif kind in ("serve", "stream"):
            result = entry_points.serve_decode(weights, args.new_tokens, args.threads,
                                               stream=kind == "stream")
        elif args.worker.startswith("lmforge"):
            result = single_lmforge(args.worker, prompt, warmup, args.new_tokens)
        elif args.worker == "transformers-fp32":
            result = single_transformers(prompt, warmup, args.new_tokens)
        else:
            result = single_llama_cpp(prompt, warmup, args.new_tokens, args.threads)
    result.setdefault("peak_rss_mb", peak_rss_mb())
    print(json.dumps(result))


def run_worker(name: str, args) -> dict:
    cmd = [sys.executable, __file__, "--worker", name, "--threads", str(args.threads),
           "--prompt-tokens", str(args.prompt_tokens), "--new-tokens", str(args.new_tokens),
           "--streams", str(args.streams), "--llama-server", args.llama_server or ""]
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_run(runs: list[dict], key: str) -> dict:
    """The run with the median `key`, and every run's `key` beside it."""
    ordered = sorted(runs, key=lambda r: r.get(key, 0))
    return {**ordered[len(ordered) // 2], f"{key}_runs": [r.get(key) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=None,
                        help="default 64 single-stream, 128 with --streams")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--streams", type=int, default=0, help="aggregate mode: N requests")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--llama-server", default=None, help="llama-server binary (see above)")
    parser.add_argument("--entry-points", action="store_true",
                        help="add the README's Python API, `lmforge generate` and `serve` rows")
    parser.add_argument("--rounds", type=int, default=3,
                        help="engines run round-robin this many times; each reports its median")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.new_tokens = args.new_tokens or (128 if args.streams else 64)
    if args.worker:
        return worker(args)

    cpu = cpu_description()
    print(f"CPU: {cpu['model']}; flags: {' '.join(cpu['flags'])}")
    bandwidth = copy_bandwidth_gb_s(args.threads)
    print(f"copy bandwidth: {bandwidth} GB/s ({args.threads} threads)")
    from lmforge.cpu_features import native_bf16

    names = args.only or (STREAMS if args.streams else SINGLE)
    if not (args.only or args.streams) and native_bf16():
        names = names[:1] + NATIVE_BF16_SINGLE + names[1:]
    if args.entry_points:
        names += ENTRY_POINTS
    if args.streams and not args.llama_server:
        names = [n for n in names if n != "llama-server-q4_1"]
        print("(llama-server: no --llama-server binary given; see the docstring to build it)")
    key = "aggregate_tok_s" if args.streams else "decode_tok_s"
    runs = {name: [] for name in names}
    for _ in range(args.rounds):  # round-robin: the VM's speed drifts alike for every engine
        for name in names:
            runs[name].append(run_worker(name, args))
            print(f"  {name}: {runs[name][-1]}", flush=True)
    results = {name: median_run(rs, key) for name, rs in runs.items()}
    print(f"\nSmolLM2-135M-Instruct, {args.prompt_tokens} prompt tokens, {args.new_tokens} new, "
          f"{args.threads} threads" + (f", {args.streams} streams" if args.streams else ""))
    if args.streams:
        print("| engine | aggregate tok/s | seconds | peak RSS MB |\n|---|---|---|---|")
        for name, r in results.items():
            print(f"| {name} | {r.get('aggregate_tok_s')} | {r.get('seconds')} | "
                  f"{r.get('peak_rss_mb')} |")
    else:
        print("| engine | prefill tok/s | decode tok/s | weights MB read/token | roofline | "
              "peak RSS MB |\n|---|---|---|---|---|---|")
        for name, r in results.items():
            if "decode_tok_s" in r and "weight_bytes" in r:  # entry-point rows have none
                r["roofline_fraction"] = round(
                    r["decode_tok_s"] * r["weight_bytes"] / (bandwidth * 1e9), 3)
            print(f"| {name} | {r.get('prefill_tok_s')} | {r.get('decode_tok_s')} | "
                  f"{round(r.get('weight_bytes', 0) / 1e6)} | {r.get('roofline_fraction')} | "
                  f"{r.get('peak_rss_mb')} |")
    print(json.dumps({"cpu": cpu, "copy_bandwidth_gb_s": bandwidth, "threads": args.threads,
                      "prompt_tokens": args.prompt_tokens, "new_tokens": args.new_tokens,
                      "streams": args.streams, "results": results}))


if __name__ == "__main__":
    main()
