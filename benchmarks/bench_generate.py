"""Single-stream generation speed: lmforge vs transformers vs llama.cpp on SmolLM2-135M-Instruct.

    python benchmarks/bench_generate.py [--prompt-tokens 128] [--new-tokens 64] [--threads 2]

All three run the same weights (the bundled GGUF Q4_1 file): lmforge and transformers
dequantize it to fp32, llama.cpp computes on the Q4_1 blocks directly. Prefill speed is
prompt tokens / time to the first generated token; decode speed is the tokens after the
first / the time they took. Greedy decoding with EOS ignored, so every run makes the same
number of tokens. Prints a markdown table and, last, one JSON line.
"""

import argparse
import json
import platform
import time

import torch

PASSAGE = ("The history of the printing press begins in the fifteenth century, when "
           "Johannes Gutenberg combined movable metal type, oil-based ink and a wooden press. ")


def prompt_ids(tokenizer, n_tokens: int) -> list[int]:
    ids = tokenizer.encode(PASSAGE * (n_tokens // 10 + 1))
    return ids[:n_tokens]


def bench_lmforge(prompt: list[int], new_tokens: int) -> dict:
    import lmforge
    from lmforge.infer import Engine, SamplingParams

    lm = lmforge.load("smollm2-135m-instruct")
    engine = Engine(lm.model, lm.tokenizer)
    params = SamplingParams(max_tokens=new_tokens, temperature=0.0, ignore_eos=True)
    engine.generate([prompt[:8]], SamplingParams(max_tokens=4, temperature=0.0))  # warm-up
    start = time.perf_counter()
    first = None
    n = 0
    for _ in engine.stream([prompt], params):
        n += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    return timings(len(prompt), n, first - start, end - first)


def bench_transformers(prompt: list[int], new_tokens: int, gguf_path) -> dict:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(
        str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32).eval()
    x = torch.tensor([prompt])
    with torch.inference_mode():
        model.generate(x[:, :8], max_new_tokens=4, do_sample=False)  # warm-up
        start = time.perf_counter()
        model.generate(x, max_new_tokens=1, min_new_tokens=1, do_sample=False)
        prefill = time.perf_counter() - start
        start = time.perf_counter()
        model.generate(x, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                       do_sample=False)
        total = time.perf_counter() - start
    # the full run repeats the prefill: subtract it to get the decode time alone
    return timings(len(prompt), new_tokens, prefill, total - prefill)


def bench_llama_cpp(prompt: list[int], new_tokens: int, gguf_path, threads: int) -> dict:
    from llama_cpp import Llama

    llm = Llama(model_path=str(gguf_path), n_ctx=1024, n_threads=threads,
                n_threads_batch=threads, n_batch=512, verbose=False)
    llm.eval(prompt[:8])  # warm-up
    llm.reset()
    start = time.perf_counter()
    first = None
    n = 0
    for _ in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        n += 1
        if first is None:
            first = time.perf_counter()
        if n == new_tokens:
            break
    end = time.perf_counter()
    return timings(len(prompt), n, first - start, end - first)


def timings(n_prompt: int, n_new: int, prefill_s: float, decode_s: float) -> dict:
    """Prefill covers the prompt and the first token; decode the remaining n_new - 1."""
    return {"prefill_tok_s": round(n_prompt / prefill_s, 1),
            "decode_tok_s": round((n_new - 1) / decode_s, 1),
            "time_to_first_token_s": round(prefill_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=["lmforge", "transformers", "llama.cpp"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    from lmforge.io.registry import bundled_path, load_tokenizer

    gguf_path = bundled_path("smollm2-135m-instruct")
    prompt = prompt_ids(load_tokenizer("smollm2-135m-instruct"), args.prompt_tokens)
    runs = {
        "lmforge": lambda: bench_lmforge(prompt, args.new_tokens),
        "transformers": lambda: bench_transformers(prompt, args.new_tokens, gguf_path),
        "llama.cpp": lambda: bench_llama_cpp(prompt, args.new_tokens, gguf_path, args.threads),
    }
    results = {name: runs[name]() for name in args.only}
    print(f"\nSmolLM2-135M-Instruct, {len(prompt)} prompt tokens, {args.new_tokens} new, "
          f"{args.threads} threads, torch {torch.__version__}, {platform.processor() or ''}")
    print("| engine | weights | prefill tok/s | decode tok/s |\n|---|---|---|---|")
    weights = {"lmforge": "fp32", "transformers": "fp32", "llama.cpp": "Q4_1"}
    for name, r in results.items():
        print(f"| {name} | {weights[name]} | {r['prefill_tok_s']} | {r['decode_tok_s']} |")
    print(json.dumps({"prompt_tokens": len(prompt), "new_tokens": args.new_tokens,
                      "threads": args.threads, **results}))


if __name__ == "__main__":
    main()
