"""pretrain() end to end on a tiny text file: tokenizer, shards, training, outputs, errors."""

import json

import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.train import checkpoint
from lmforge.train.metrics import read_metrics
from lmforge.train.pretrain import pretrain

TINY_MODEL = {"model.arch": "gpt2", "model.norm": "layernorm", "model.position": "learned",
              "model.mlp": "gelu", "model.activation": "gelu", "model.hidden_size": 32,
              "model.num_hidden_layers": 2, "model.num_attention_heads": 4,
              "model.intermediate_size": 64, "model.max_position_embeddings": 32}


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "counting.txt"
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    path.write_text("\n".join(" ".join(words[i % 10:] + words[: i % 10]) for i in range(400)))
    return path


def run(out_dir, text_file, **changes):
    values = {**TINY_MODEL, "data.source": str(text_file), "data.tokenizer_kind": "char",
              "data.vocab_size": 64, "data.val_fraction": 0.1, "out_dir": str(out_dir),
              "max_steps": 12, "batch_size": 4, "block_size": 32, "lr": 1e-2, "warmup_steps": 2,
              "eval_every": 6, "eval_batches": 4, "log_every": 3, "progress": False,
              "sample_every": 12, "sample_prompt": "one", "sample_tokens": 8, **changes}
    return pretrain(None, **values)


def test_pretrain_end_to_end(tmp_path, text_file):
    metrics = run(tmp_path, text_file)
    assert metrics["step"] == 12 and metrics["val_loss"] < 3.0
    assert metrics["sample"].startswith("one")
    rows = read_metrics(tmp_path / "metrics.csv")
    assert [int(r["step"]) for r in rows] == [3, 6, 9, 12]
    assert [r["val_loss"] != "" for r in rows] == [False, True, False, True]
    assert (tmp_path / "loss.png").stat().st_size > 1000
    assert any((tmp_path / "tb").iterdir())
    final = checkpoint.latest(tmp_path)
    assert (final / "tokenizer.json").is_file() and (final / "model.safetensors").is_file()
    # a second run reuses the tokenizer and the shards (same manifest, untouched)
    manifest = (tmp_path / "data" / "manifest.json").read_text()
    again = run(tmp_path, text_file)
    assert (tmp_path / "data" / "manifest.json").read_text() == manifest
    assert again["train_loss"] == metrics["train_loss"]  # same seed, same data order


def test_pretrain_masked_lm_gets_a_mask_token(tmp_path, text_file):
    metrics = run(tmp_path, text_file, **{"model.kind": "encoder", "model.arch": "bert",
                                          "model.norm_position": "post",  # as BERT: HF names it
                                          "model.mlm_head": True, "max_steps": 4,
                                          "sample_every": 0})
    assert metrics["step"] == 4
    tokenizer = json.loads((tmp_path / "tokenizer" / "tokenizer.json").read_text())
    assert "<|mask|>" in {t["content"] for t in tokenizer["added_tokens"]}


def test_block_longer_than_positions_is_an_error(tmp_path, text_file):
    with pytest.raises(ConfigError, match="max_position_embeddings"):
        run(tmp_path, text_file, block_size=64)


def test_vocab_smaller_than_tokenizer_is_an_error(tmp_path, text_file):
    with pytest.raises(ConfigError, match="vocab_size"):
        run(tmp_path, text_file, **{"model.vocab_size": 8})


def test_pair_loader_is_deterministic_and_resumable(tmp_path):
    from lmforge.train.objectives.seq2seq import PairLoader

    class Chars:
        def encode(self, text):
            return [ord(c) % 50 + 3 for c in text]

    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({"source": f"s{i}", "target": f"t{i}"}) + "\n"
                            for i in range(10)))
    a = PairLoader(path, Chars(), batch_size=2, seed=1)
    batches = [a.next_batch() for _ in range(7)]
    b = PairLoader(path, Chars(), batch_size=2, seed=1)
    b.load_state_dict({"step": 3, "seed": 1})
    assert [b.next_batch() for _ in range(4)] == batches[3:]
    epoch = [pair for batch in batches[:5] for pair in batch]
    assert len({tuple(s) for s, _ in epoch}) == 10  # one epoch visits every pair once
    ranks = [PairLoader(path, Chars(), 1, seed=1, rank=r, world_size=2) for r in (0, 1)]
    assert [r.next_batch()[0] for r in ranks] == batches[0]
    path.write_text('{"source": "x"}\n')
    with pytest.raises(Exception, match="target"):
        PairLoader(path, Chars(), 1)


def test_checkpoint_tensors_are_finite(tmp_path, text_file):
    run(tmp_path, text_file, max_steps=3, sample_every=0)
    state = torch.load(checkpoint.latest(tmp_path) / "optimizer.pt", weights_only=True)
    assert all(torch.isfinite(s["exp_avg"]).all() for s in state["state"].values())
