"""The bundled SmolLM2 written as F16, Q8_0, Q4_0, Q4_1 and Q4_K GGUF (issue 22.1): sizes
against F16, and llama.cpp and lmforge compute the same model from each file.

Greedy tokens are compared two ways. On the F16 file llama.cpp's greedy continuation equals
lmforge's token for token. On the block formats the two runtimes round differently
(llama.cpp quantizes activations to 8-bit blocks in every matmul and keeps an F16 KV cache;
lmforge's prefill keeps fp32 activations, and its Q8_0 becomes one int8 scale a row), so at
a near-tie (SmolLM2's first reply token to "What is the capital of France?" leads by 0.08
logit) a greedy path may fork and then diverge. There the test is teacher-forced: along
llama.cpp's own greedy path, lmforge's top token is llama.cpp's at nearly every position
and, where not, llama.cpp's token is within NEAR_TIE logits of lmforge's best (measured on
the three prompts below: 26, 29, 27 and 29 of 30 positions agree for Q8_0, Q4_0, Q4_1 and
Q4_K, the largest gap 0.34 logits; Q8_0 agrees least because lmforge runs it re-scaled to
one int8 scale a row, while it runs the 4-bit blocks exactly).
"""

from pathlib import Path

import pytest
import torch
from gguf import GGUFReader

import lmforge
from lmforge.infer import Engine, SamplingParams
from lmforge.io.convert import export_gguf
from lmforge.io.registry import load_tokenizer

N_TOKENS = 10
PROMPTS = [
    [{"role": "user", "content": "What is the capital of France?"}],
    [{"role": "user", "content": "Name a large animal that lives in the ocean."}],
    [{"role": "user", "content": "Give me a tip for sleeping better."}],
]
NEAR_TIE = 0.5  # logits: a gap this small is a tie that rounding may break either way
MIN_AGREEMENT = 0.8  # of teacher-forced positions whose top tokens are the same
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


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "f16"])
def test_lmforge_follows_llama_cpp_greedy_path(files, dtype):
    """Teacher-forced along llama.cpp's greedy continuation: same top token, or a near-tie."""
    tokenizer = load_tokenizer(str(files[dtype]))
    prompts = [tokenizer.encode_chat(chat) for chat in PROMPTS]
    lm = lmforge.load(str(files[dtype]))  # the file's own blocks
    gaps = []
    for prompt, continuation in zip(prompts, greedy_llama_cpp(files[dtype], prompts),
                                    strict=True):
        ids = torch.tensor([prompt + continuation[:-1]])
        with torch.no_grad():
            logits = lm.model.logits(lm.model(ids))[0, len(prompt) - 1:]  # (N_TOKENS, V)
        gaps += [float(row.max() - row[token]) for row, token in zip(logits, continuation,
                                                                       strict=True)]
        print(dtype, repr(tokenizer.decode(continuation)))
    agreement = sum(gap == 0 for gap in gaps) / len(gaps)
    print(f"{dtype}: top-1 agreement {agreement:.2f}, largest gap {max(gaps):.3f} logits")
    assert agreement >= MIN_AGREEMENT and max(gaps) < NEAR_TIE, gaps
