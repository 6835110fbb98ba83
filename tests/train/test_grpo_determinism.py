"""A seeded GRPO run is deterministic on CPU: the same seed and thread count in two fresh
processes (with different PYTHONHASHSEEDs, so no set or dict-of-str order can leak in) give
the same rollout rewards, the same losses and bit-identical adapter weights; another seed
gives other rollouts. This is what lets docs/posttraining.md state a spread over seeds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import json, sys
sys.path.insert(0, {helpers!r})
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.train.rl import grpo

torch.set_num_threads(2)
out, seed = sys.argv[1], int(sys.argv[2])
tok = chat_tokenizer()
save_hf_folder(tiny_llama(tok.vocab_size, seed=0), out + "/model")
save_hf_tokenizer(tok, out + "/model")
records = [{{"prompt": f"What is {{a}} plus 1?", "answer": str(a + 1)}} for a in range(8)]
with open(out + "/tasks.jsonl", "w") as f:
    f.write("".join(json.dumps(r) + "\\n" for r in records))
# a one-word limit: a random tiny model meets it in some samples, so groups differ and the
# adapters are updated (an all-zero reward would leave nothing to compare)
grpo(None, model=out + "/model", task=out + "/tasks.jsonl", eval_task=out + "/tasks.jsonl",
     verifier='{{"name": "length", "max_words": 1}}', group_size=4, prompts_per_rollout=2,
     max_new_tokens=6, eval_max_new_tokens=6, lora_rank=4, beta=0.1, temperature=1.0,
     seed=seed, out_dir=out + "/run", max_steps=3, progress="false", num_threads=2,
     tensorboard="false")
"""


def run_tiny_grpo(folder: Path, seed: int, hash_seed: str) -> dict:
    from safetensors.torch import load_file

    folder.mkdir()
    script = RUN.format(helpers=str(Path(__file__).parent))
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "OMP_NUM_THREADS": "2"}
    subprocess.run([sys.executable, "-c", script, str(folder), str(seed)], env=env,
                   check=True, capture_output=True, timeout=600)
    run = folder / "run"
    return {"results": json.loads((run / "results.json").read_text()),
            "metrics": (run / "metrics.csv").read_text(),
            "adapter": load_file(str(run / "adapter_model.safetensors"))}


@pytest.mark.slow
def test_same_seed_same_run_in_fresh_processes(tmp_path):
    first = run_tiny_grpo(tmp_path / "a", 7, "1")
    again = run_tiny_grpo(tmp_path / "b", 7, "2")
    other = run_tiny_grpo(tmp_path / "c", 8, "1")
    curve = first["results"]["curve"]
    assert len(curve) == 3 and any(0 < step["reward"] < 1 for step in curve)  # mixed groups
    assert any(w.abs().sum() > 0 for k, w in first["adapter"].items() if "lora_B" in k)
    assert curve == again["results"]["curve"]
    timeless = [{k: v for k, v in run["results"]["after"].items() if k != "seconds"}
                for run in (first, again)]
    assert timeless[0] == timeless[1]  # held-out scores and the example reply
    losses = [line.split(",")[1] for line in first["metrics"].splitlines()[1:]]
    assert losses == [line.split(",")[1] for line in again["metrics"].splitlines()[1:]]
    assert first["adapter"].keys() == again["adapter"].keys()
    for name, weight in first["adapter"].items():
        assert weight.equal(again["adapter"][name]), name
    assert curve != other["results"]["curve"]  # the seed is what decides the rollouts
