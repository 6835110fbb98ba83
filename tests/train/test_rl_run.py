"""RL runs from recipes: the shipped GRPO recipe validates; bad recipes, verifiers and task
files fail clearly; a tiny end-to-end GRPO run writes its results."""

import json
from pathlib import Path

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama

from lmforge.errors import ConfigError, DataError
from lmforge.train.pipeline import load_settings
from lmforge.train.rl import grpo
from lmforge.train.settings import RLSettings, TrainSettings

RECIPES = Path(__file__).parents[2] / "recipes"


@pytest.fixture
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_grpo_recipe_loads():
    rl, train = load_settings("grpo", RECIPES / "grpo-arithmetic.yaml", {"level": "2"})
    assert isinstance(rl, RLSettings) and isinstance(train, TrainSettings)
    assert rl.task == "arithmetic" and rl.level == 2 and train.max_steps == 40


def test_bad_recipe_keys_are_named(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("rl:\n  group_sise: 4\n")
    with pytest.raises(ConfigError, match=r"r\.yaml \[rl\].*group_sise"):
        load_settings("grpo", path, {})
    with pytest.raises(ConfigError, match="unknown setting 'clip'"):
        load_settings("grpo", None, {"clip": "0.1"})


def saved_tiny_model(folder: Path) -> str:
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    tok = chat_tokenizer()
    save_hf_folder(tiny_llama(tok.vocab_size, seed=0), folder)
    save_hf_tokenizer(tok, folder)
    return str(folder)


def write_tasks(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def test_unknown_verifier_and_missing_fields_fail_before_training(tmp_path):
    tasks = write_tasks(tmp_path / "t.jsonl", [{"prompt": "1+1?", "answer": "2"},
                                                {"prompt": "2+2?"}])
    with pytest.raises(ConfigError, match="unknown verifier 'exact'; known: code, exact_match"):
        grpo(None, task=tasks, verifier="exact", out_dir=str(tmp_path / "o"))
    with pytest.raises(DataError, match=r"t\.jsonl:2: missing field 'answer'"):
        grpo(None, task=tasks, verifier="exact_match", out_dir=str(tmp_path / "o"))


@pytest.mark.slow
def test_tiny_grpo_run_writes_results(tmp_path, one_thread):
    model = saved_tiny_model(tmp_path / "model")
    records = [{"prompt": f"What is {a} plus 1?", "answer": str(a + 1)} for a in range(8)]
    tasks = write_tasks(tmp_path / "train.jsonl", records)
    held = write_tasks(tmp_path / "held.jsonl", records[:4])
    out = tmp_path / "run"
    results = grpo(None, model=model, task=tasks, eval_task=held, verifier="exact_match",
                   group_size=2, prompts_per_rollout=2, max_new_tokens=4,
                   eval_max_new_tokens=4, lora_rank=4, beta=0.1, out_dir=str(out),
                   max_steps=2, progress="false")
    assert results["before"]["n"] == 4 and "accuracy" in results["after"]
    assert len(results["curve"]) == 2
    assert (out / "reward_curve.png").is_file() and (out / "adapter_model.safetensors").is_file()
    assert json.loads((out / "results.json").read_text())["after"] == results["after"]


def test_lora_fingerprint_of_an_embedding_past_2_to_the_24():
    """SmolLM2's 49152 x 576 embedding: float32 linspace rounded the last place out of range,
    so saving a LoRA adapter (and the GRPO run's final checkpoint) crashed."""
    from types import SimpleNamespace

    from lmforge.train.lora import base_fingerprint

    weight = torch.zeros(49152, 576)
    weight[-1, -1] = 7.0  # the last place is sampled, not one past it
    model = SimpleNamespace(config=SimpleNamespace(arch="llama", vocab_size=49152,
                                                   hidden_size=576, num_hidden_layers=1),
                            embed=SimpleNamespace(tokens=SimpleNamespace(weight=weight)))
    sample = base_fingerprint(model)["embed_sample"]
    assert len(sample) == 256 and sample[-1] == 7.0
