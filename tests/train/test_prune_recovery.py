"""`lmforge prune --method structured`: a kv group dropped, the pruned model distilled from
the unpruned one (KL on its logits), the gap closed reported; bad widths are one line."""

import json
import math
import os
import subprocess
import sys

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from train_helpers import tiny_settings

from lmforge.train.compress import gap_recovered, run_prune


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> str:
    """A 2-layer Llama with 4 query heads in 2 kv groups and the chat tokenizer, saved."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    folder = tmp_path_factory.mktemp("tiny")
    tok = chat_tokenizer()
    save_hf_folder(tiny_llama(tok.vocab_size, seed=0), folder)
    save_hf_tokenizer(tok, folder)
    return str(folder)


def test_gap_recovered_by_hand():
    share = gap_recovered(before=10.0, pruned=40.0, recovered=20.0)
    assert share["perplexity"] == pytest.approx(20 / 30, abs=1e-4)
    assert share["log_perplexity"] == pytest.approx(math.log(2) / math.log(4), abs=1e-4)
    assert gap_recovered(10.0, 10.0, 9.0)["perplexity"] is None  # no gap: no share


@pytest.mark.slow
def test_distilling_the_pruned_model_closes_part_of_the_gap(tiny_folder, tmp_path):
    import lmforge

    out = tmp_path / "out"
    settings = tiny_settings(out, block_size=32, max_steps=6, lr=1e-2)
    results = run_prune(tiny_folder, str(out), "structured", kv_groups=1, mlp_keep=0.5,
                        importance="activation", recover_with="distill", recover_steps=6,
                        settings=settings, max_documents=30, calibration_blocks=2,
                        eval_blocks=4)
    assert results["recovery"]["objective"] == "distill" and results["recovery"]["steps"] == 6
    assert (results["kv_groups"], results["heads_per_group"]) == (1, 2)
    assert results["pruned"]["parameters"] < results["before"]["parameters"]
    assert results["recovered"]["perplexity"] < results["pruned"]["perplexity"]
    assert results["gap_recovered"]["log_perplexity"] > 0
    config = lmforge.load(str(out)).model.config
    assert (config.num_key_value_heads, config.num_attention_heads) == (1, 2)
    assert config.intermediate_size == 32
    assert json.loads((out / "results.json").read_text())["gap_recovered"] == \
        results["gap_recovered"]


def prune_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", "prune", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.mark.slow
@pytest.mark.parametrize("args, message", [
    (["--kv-groups", "3"], "kv_groups (kept) must be in 1..2 (this model has 4 query heads "
                           "in 2 kv groups of 2), got 3"),
    (["--mlp-keep", "1.5"], "mlp_keep (share of MLP channels kept) must be in (0, 1], got 1.5"),
])
def test_bad_structured_settings_are_one_line(tiny_folder, tmp_path, args, message):
    out = prune_cli(tiny_folder, "--method", "structured", "--out", str(tmp_path / "p"), *args)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 1 and len(lines) == 1, out.stderr
    assert message in lines[0]
