"""The bundled SmolLM2 written as F16, Q8_0, Q4_0, Q4_1 and Q4_K GGUF (issue 22.1): sizes
against F16, and llama.cpp and lmforge compute the same model from each file.

On the F16 file lmforge's default path and llama.cpp give the same greedy tokens. On the
block formats the default path cannot: llama.cpp rounds the input of every block-format
matmul to 8-bit blocks, and on this model a single flipped code moves the logits by up to
~1 (docs/compression.md, "Same file, same tokens?"). So the block formats run in lmforge's
ggml numerics (`lmforge.load(path, numerics="ggml")`, io/ggml_numerics.py), which rounds as
llama.cpp rounds and sums in its orders: along llama.cpp's greedy path (n_batch=1, one
thread, flash attention off) every position's top token is llama.cpp's. Measured
2026-12-07 on the loaded 2-core EPYC (AVX-512, llama-cpp-python 0.3.36), this test: the
logits are bit-identical (max difference 0) for Q8_0, Q4_0, Q4_1 and Q4_K (with its Q5_0
fallback), 3 prompts x 16 tokens each; another CPU family sums in other orders, hence the
assertions are greedy equality and a difference under NEAR_TIE, not 0.
That Q8_0/Q5_0 blocks are held exactly is tested in test_gguf_quant.py.
"""

from pathlib import Path

import numpy as np
import pytest
import torch
from gguf import GGUFReader

import lmforge
from lmforge.infer import Engine, SamplingParams
from lmforge.io.convert import export_gguf
from lmforge.io.registry import load_tokenizer

N_TOKENS = 16
PROMPTS = [
    [{"role": "user", "content": "What is the capital of France?"}],
    [{"role": "user", "content": "Name a large animal that lives in the ocean."}],
    [{"role": "user", "content": "Give me a tip for sleeping better."}],
]
NEAR_TIE = 0.75  # logits: a gap this small is a tie that rounding may break either way
DTYPES = ("f16", "q8_0", "q4_0", "q4_1", "q4_k")
SIZE_VS_F16 = {"q8_0": (0.50, 0.56), "q4_0": (0.28, 0.36), "q4_1": (0.30, 0.39),
               "q4_k": (0.30, 0.40)}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """dtype -> the bundled model written as that GGUF type (from its float weights)."""
    folder = tmp_path_factory.mktemp("smollm2")
    lm = lmforge.load("smollm2-135m-instruct", quantize="none", fuse=False)
    paths = {dtype: folder / f"smollm2-{dtype}.gguf" for dtype in DTYPES}
    for dtype, path in paths.items():
        export_gguf(lm.model, lm.tokenizer, path, dtype)
    return paths


@pytest.mark.parametrize("dtype", list(SIZE_VS_F16))
def test_size_against_f16(files, dtype):
    ratio = files[dtype].stat().st_size / files["f16"].stat().st_size
    print(f"{dtype}: {files[dtype].stat().st_size / 2**20:.1f} MiB, {ratio:.3f}x of F16")
    low, high = SIZE_VS_F16[dtype]
    assert low <= ratio <= high, ratio


def test_q4_k_mix_on_rows_of_576(files):
    """576 is no multiple of 256: llama.cpp's fallback (Q5_0) there, Q4_K on ffn_down (1536
    wide), the tied embedding (the output matrix) in Q8_0."""
    types = {t.name: t.tensor_type.name for t in GGUFReader(files["q4_k"]).tensors}
    assert types["blk.0.ffn_down.weight"] == "Q4_K"
    assert types["blk.0.attn_q.weight"] == types["blk.0.ffn_up.weight"] == "Q5_0"
    assert types["token_embd.weight"] == "Q8_0" and "output.weight" not in types


def greedy_lmforge(path: Path, prompts: list[list[int]]) -> list[list[int]]:
    lm = lmforge.load(str(path))  # a quantized file runs on its own blocks
    params = SamplingParams(max_tokens=N_TOKENS, temperature=0.0, ignore_eos=True)
    return [out.token_ids for out in Engine(lm.model, lm.tokenizer).generate(prompts, params)]


def greedy_llama_cpp(path: Path, prompts: list[list[int]]) -> list[list[int]]:
    from llama_cpp import Llama

    llm = Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
    continuations = []
    for prompt in prompts:
        tokens = []
        for token in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
            tokens.append(token)
            if len(tokens) == N_TOKENS:
                break
        continuations.append(tokens)
    return continuations


def test_llama_cpp_greedy_equals_lmforge_on_f16(files):
    tokenizer = load_tokenizer(str(files["f16"]))
    prompts = [tokenizer.encode_chat(chat) for chat in PROMPTS]
    ours, theirs = greedy_lmforge(files["f16"], prompts), greedy_llama_cpp(files["f16"], prompts)
    for a, b in zip(ours, theirs, strict=True):
        print("f16", repr(tokenizer.decode(a)), repr(tokenizer.decode(b)))
    assert ours == theirs


def llama_cpp_greedy_logits(llm, prompt: list[int]) -> tuple[list[int], np.ndarray]:
    """llama.cpp's greedy continuation, every token (prompt too) evaluated on its own, and its
    logits at the positions that chose each continuation token."""
    llm.reset()
    llm.eval(prompt)  # n_batch=1: one token at a time
    continuation = []
    for _ in range(N_TOKENS):
        continuation.append(int(np.argmax(llm.scores[llm.n_tokens - 1])))
        if len(continuation) < N_TOKENS:
            llm.eval(continuation[-1:])
    rows = slice(len(prompt) - 1, len(prompt) - 1 + N_TOKENS)
    return continuation, np.array(llm.scores[rows])


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "f16"])
def test_llama_cpp_greedy_equals_lmforge_in_ggml_numerics(files, dtype):
    """lmforge.load(file, numerics="ggml") computes what llama.cpp computes (activations
    rounded to 8-bit blocks, its summation orders, fp16 attention), so its greedy choice at
    every position of llama.cpp's greedy path is llama.cpp's: the continuations are equal.
    llama.cpp runs with n_batch=1: its batched prompt path (4-row GEMM kernels, other sum
    orders) differs from its own token-at-a-time path by up to 1.5 logits here, and its
    decoding is token at a time anyway; flash attention off, one thread."""
    from llama_cpp import Llama

    tokenizer = load_tokenizer(str(files[dtype]))
    lm = lmforge.load(str(files[dtype]), numerics="ggml")
    llm = Llama(model_path=str(files[dtype]), n_ctx=256, n_batch=1, n_ubatch=1, n_threads=1,
                logits_all=True, flash_attn=False, verbose=False)
    for chat in PROMPTS:
        prompt = tokenizer.encode_chat(chat)
        continuation, theirs = llama_cpp_greedy_logits(llm, prompt)
        with torch.no_grad():  # teacher-forced along llama.cpp's path: one forward
            hidden = lm.model(torch.tensor([prompt + continuation[:-1]]))[0, len(prompt) - 1:]
            ours = lm.model.logits(hidden).numpy()
        gap = float(np.abs(ours - theirs).max())
        print(dtype, repr(tokenizer.decode(continuation)), f"max |lmforge - llama.cpp| {gap:.2e}")
        assert ours.argmax(-1).tolist() == continuation  # greedy, position by position
        assert gap < NEAR_TIE
