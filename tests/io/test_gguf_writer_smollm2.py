"""The bundled SmolLM2 written as F16, Q8_0, Q4_0, Q4_1 and Q4_K GGUF (issue 22.1): sizes
against F16, and llama.cpp and lmforge compute the same model from each file.

On the F16 file llama.cpp's greedy continuation equals lmforge's token for token. On the
block formats it does not always, and cannot be made to by lmforge alone (docs/compression.md,
"Same file, same tokens?"): llama.cpp rounds the input of every block-format matmul to 8-bit
blocks, so its logits jump when a float difference far below 1e-6 flips one rounded code,
and the flips cascade through the layers. llama.cpp disagrees with itself the same way: the
same tokens evaluated in one batch or a token at a time differ by up to 0.9-1.5 logits
(3 prompts x 16 positions, 1 thread). So the block formats are held to that yardstick:
teacher-forced along llama.cpp's greedy path (decoded a token at a time), lmforge's logits
differ from llama.cpp's by at most SELF_RATIO x llama.cpp's own batch-vs-sequential
difference, and their top tokens differ only at near-ties. Measured 2026-12-07 (ratio of
the largest differences; this test, lmforge on PyTorch's default threads): Q8_0 1.82, Q4_0
1.93, Q4_1 1.92, Q4_K 2.21, the largest near-tie 0.515 logits; with lmforge on one thread
1.58-1.82 (docs/compression.md). The numbers move with thread counts and CPUs (a different
summation order flips other codes), hence the margin. That Q8_0/Q5_0 blocks are held
exactly is tested in test_gguf_quant.py.
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
MIN_AGREEMENT = 0.85  # of teacher-forced positions whose top tokens are the same
SELF_RATIO = 3.0  # lmforge vs llama.cpp, at most this times llama.cpp vs itself
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


def llama_cpp_paths(llm, prompt: list[int]) -> tuple[list[int], np.ndarray, np.ndarray]:
    """llama.cpp's greedy continuation decoded a token at a time, its logits along it, and the
    same positions' logits from one batched evaluation."""
    llm.reset()
    llm.eval(prompt)
    continuation = []
    for _ in range(N_TOKENS):
        continuation.append(int(np.argmax(llm.scores[llm.n_tokens - 1])))
        if len(continuation) < N_TOKENS:
            llm.eval(continuation[-1:])
    rows = slice(len(prompt) - 1, len(prompt) - 1 + N_TOKENS)
    sequential = np.array(llm.scores[rows])  # a copy: the next eval overwrites scores
    llm.reset()
    llm.eval(prompt + continuation[:-1])
    return continuation, sequential, np.array(llm.scores[rows])


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "f16"])
def test_lmforge_differs_from_llama_cpp_no_more_than_llama_cpp_from_itself(files, dtype):
    from llama_cpp import Llama

    tokenizer = load_tokenizer(str(files[dtype]))
    lm = lmforge.load(str(files[dtype]))  # the file's own blocks
    llm = Llama(model_path=str(files[dtype]), n_ctx=256, n_threads=1, logits_all=True,
                verbose=False)
    ours_gap = self_gap = 0.0
    top_gaps = []  # llama.cpp's best logit minus its logit for lmforge's top token
    for chat in PROMPTS:
        prompt = tokenizer.encode_chat(chat)
        continuation, sequential, batched = llama_cpp_paths(llm, prompt)
        with torch.no_grad():
            ids = torch.tensor([prompt + continuation[:-1]])
            ours = lm.model.logits(lm.model(ids))[0, len(prompt) - 1:].float().numpy()
        ours_gap = max(ours_gap, float(np.abs(ours - sequential).max()))
        self_gap = max(self_gap, float(np.abs(batched - sequential).max()))
        top_gaps += [float(row.max() - row[ours_row.argmax()])
                     for row, ours_row in zip(sequential, ours, strict=True)]
        print(dtype, repr(tokenizer.decode(continuation)))
    agreement = sum(gap == 0 for gap in top_gaps) / len(top_gaps)
    print(f"{dtype}: max |lmforge - llama.cpp| {ours_gap:.3f}, llama.cpp batched vs "
          f"sequential {self_gap:.3f} (ratio {ours_gap / self_gap:.2f}); top-1 agreement "
          f"{agreement:.2f}, largest gap {max(top_gaps):.3f}")
    assert ours_gap <= SELF_RATIO * self_gap
    assert agreement >= MIN_AGREEMENT and max(top_gaps) < NEAR_TIE, top_gaps
