"""Prune / distill runs: perplexity matches a direct computation; a structured prune of a
saved model shrinks it, recovers, and the saved folder loads back with the new shapes."""

import json
import math

import numpy as np
import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from train_helpers import tiny_settings

from lmforge.errors import ConfigError
from lmforge.train.compress import perplexity, run_distill, run_prune, text_tokens


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_perplexity_is_exp_of_the_mean_nll():
    model = tiny_llama(50, seed=0).eval()
    tokens = np.random.default_rng(0).integers(0, 50, 65)
    x = torch.from_numpy(tokens[:65].copy())
    logits = model.logits(model(x[None, :-1]))[0]
    nll = torch.nn.functional.cross_entropy(logits, x[1:]).item()
    assert perplexity(model, tokens, block_size=64) == pytest.approx(math.exp(nll), rel=1e-5)
    with pytest.raises(ConfigError, match="fewer than one block"):
        perplexity(model, tokens[:10], block_size=64)


def test_held_out_documents_are_not_trained_on():
    tok = chat_tokenizer()
    train, held = text_tokens(tok, max_documents=20)
    assert len(held) > 0 and len(train) > 5 * len(held) / 2
    assert train.dtype == np.int64


def saved_tiny_model(folder):
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    tok = chat_tokenizer()
    save_hf_folder(tiny_llama(tok.vocab_size, seed=0), folder)
    save_hf_tokenizer(tok, folder)
    return str(folder)


@pytest.mark.slow
def test_structured_prune_run_shrinks_recovers_and_loads_back(tmp_path):
    from lmforge.io.registry import load

    source = saved_tiny_model(tmp_path / "base")
    settings = tiny_settings(tmp_path / "out", block_size=32, max_steps=4, lr=1e-2)
    results = run_prune(source, str(tmp_path / "out"), "structured", heads_per_group=1,
                        mlp_keep=0.5, recover_steps=4, settings=settings, max_documents=30)
    assert results["pruned"]["parameters"] < results["before"]["parameters"]
    assert results["recovered"]["perplexity"] < results["pruned"]["perplexity"]
    loaded = load(str(tmp_path / "out")).model
    assert loaded.config.num_attention_heads == 2 and loaded.config.intermediate_size == 32
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["recovered"] == results["recovered"]


@pytest.mark.slow
def test_distill_run_trains_a_smaller_student(tmp_path):
    source = saved_tiny_model(tmp_path / "teacher")
    settings = tiny_settings(tmp_path / "student", block_size=32, max_steps=6, lr=1e-2)
    results = run_distill(source, str(tmp_path / "student"), hidden_size=16, layers=1,
                          heads=2, kv_heads=1, intermediate_size=32, settings=settings,
                          max_documents=30)
    assert results["student"]["parameters"] < results["teacher"]["parameters"]
    assert results["student"]["perplexity"] < results["student_init"]["perplexity"]
