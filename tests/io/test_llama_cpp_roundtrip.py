"""safetensors -> GGUF (F16) -> llama.cpp: its greedy reply agrees with lmforge on the same file."""

import pytest

import lmforge
from lmforge.infer import Engine, SamplingParams
from lmforge.io.convert import convert

N_TOKENS = 12
CHAT = [{"role": "user", "content": "Name a large animal that lives in the ocean."}]


@pytest.fixture(scope="module")
def f16_gguf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hf")
    convert("smollm2-135m-instruct", "safetensors", folder)
    return convert(str(folder), "gguf", folder / "smollm2-f16.gguf", dtype="f16")


def test_llama_cpp_agrees_with_lmforge(f16_gguf):
    from llama_cpp import Llama

    lm = lmforge.load(str(f16_gguf))  # the F16 weights, computed in fp32
    prompt = lm.tokenizer.encode_chat(CHAT)
    params = SamplingParams(max_tokens=N_TOKENS, temperature=0.0, ignore_eos=True)
    ours = Engine(lm.model, lm.tokenizer).generate([prompt], params)[0].token_ids

    llm = Llama(model_path=str(f16_gguf), n_ctx=256, n_threads=2, verbose=False)
    assert llm.tokenize(lm.tokenizer.render_chat(CHAT).encode(), add_bos=False,
                        special=True) == prompt
    theirs = []
    for token in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        theirs.append(token)
        if len(theirs) == N_TOKENS:
            break
    assert ours[:8] == theirs[:8], (lm.tokenizer.decode(ours), lm.tokenizer.decode(theirs))
