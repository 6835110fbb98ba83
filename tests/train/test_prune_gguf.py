"""A structurally pruned SmolLM2 is an ordinary model to every loader and exporter: it saves,
lmforge.load reads the folder back, `convert --to gguf` writes it (F16 and Q8_0), and
llama.cpp (llama-cpp-python) runs the file to the logits lmforge computes on it."""

import numpy as np
import pytest
import torch

import lmforge
from lmforge.io.convert import convert
from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.train.pipeline import load_policy
from lmforge.train.prune_structured import plan_width, prune_width

TEXT = ("The Python standard library is very extensive, offering a wide range of facilities. "
        "The library contains built-in modules, written in C, that provide access to system "
        "functionality such as file I/O.")


@pytest.fixture(scope="module")
def pruned_folder(tmp_path_factory):
    """SmolLM2 with 2 of its 3 kv groups (6 of 9 heads) and 75% of its MLP channels."""
    model, tokenizer = load_policy("smollm2-135m-instruct")
    calibration = torch.tensor([tokenizer.encode(TEXT)])
    pruned = prune_width(model, plan_width(model.config, kv_groups=2, mlp_keep=0.75),
                         "activation", calibration)
    folder = tmp_path_factory.mktemp("pruned")
    save_hf_folder(pruned, folder)
    save_hf_tokenizer(tokenizer, folder)
    ids = torch.tensor([tokenizer.encode(TEXT)])
    with torch.no_grad():
        logits = pruned.logits(pruned(ids))[0]
    return folder, ids, logits


@pytest.mark.slow
def test_pruned_folder_reloads_with_its_new_shapes(pruned_folder):
    folder, ids, logits = pruned_folder
    lm = lmforge.load(str(folder))
    config = lm.model.config
    assert (config.num_key_value_heads, config.num_attention_heads) == (2, 6)
    assert (config.intermediate_size, config.head_dim, config.hidden_size) == (1152, 64, 576)
    with torch.no_grad():
        reloaded = lm.model.logits(lm.model(ids))[0]
    assert torch.allclose(reloaded, logits, atol=1e-3)


@pytest.mark.slow
# measured: F16 top-1 1.0, spread 0.0013; Q8_0 top-1 1.0, spread 0.034 (both runtimes run
# the Q8_0 blocks as stored, io/gguf_quant.py, but llama.cpp rounds activations to 8 bits)
@pytest.mark.parametrize("dtype, min_top1, max_spread", [("f16", 0.95, 0.01),
                                                         ("q8_0", 0.9, 0.1)])
def test_pruned_model_converts_to_gguf_and_runs_in_llama_cpp(pruned_folder, dtype, min_top1,
                                                             max_spread):
    from llama_cpp import Llama

    folder, ids, fp32_logits = pruned_folder
    path = convert(str(folder), "gguf", folder / f"pruned-{dtype}.gguf", dtype=dtype)
    lm = lmforge.load(str(path))
    assert lm.model.config.num_key_value_heads == 2
    with torch.no_grad():
        ours = lm.model.logits(lm.model(ids))[0].float().numpy()
    llm = Llama(model_path=str(path), n_ctx=128, n_threads=2, logits_all=True, verbose=False)
    prompt = ids[0].tolist()
    assert llm.tokenize(TEXT.encode(), add_bos=False) == prompt
    llm.eval(prompt)
    theirs = np.asarray(llm.scores[:len(prompt)], dtype=np.float32)
    # the same file, two runtimes: the same next-token choices, logits close on their scale
    top1 = (ours.argmax(-1) == theirs.argmax(-1)).mean()
    spread = float(np.abs(ours - theirs).mean() / ours.std())
    print(f"{dtype}: top-1 agreement {top1:.3f}, mean |diff| / std {spread:.4f}")
    assert top1 >= min_top1 and spread < max_spread
    # and the file is the pruned model: llama.cpp on it agrees with the fp32 weights
    assert (fp32_logits.argmax(-1).numpy() == theirs.argmax(-1)).mean() >= min_top1
