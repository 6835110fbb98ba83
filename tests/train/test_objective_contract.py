"""The objective contract: registry, an objective's own head (optimised with its lr scale,
checkpointed, restored), metrics reaching metrics.csv, and the before_step hook."""

import pytest
import torch
from torch import nn
from train_helpers import VOCAB, tiny_config, tiny_settings, token_stream

from lmforge.data.loader import BlockLoader
from lmforge.errors import ConfigError
from lmforge.train.metrics import read_metrics
from lmforge.train.objectives import Objective, build_objective, register_objective
from lmforge.train.pretrain import build_model
from lmforge.train.trainer import Trainer


class HeadObjective(Objective):
    """Causal LM loss plus a probe head on the hidden states (its lr is 10x smaller)."""

    name = "head_probe"

    def __init__(self, hidden_size: int, seed: int = 0) -> None:
        super().__init__(seed)
        self.head = nn.Linear(hidden_size, 1)
        self.calls: list[int] = []

    def batch(self, raw, train=True):
        x, y = raw
        return {"input_ids": x, "labels": y}

    def loss(self, model, batch):
        hidden = model(batch["input_ids"])
        logits = model.logits(hidden)
        lm = nn.functional.cross_entropy(logits.flatten(0, 1), batch["labels"].flatten())
        probe = self.head(hidden).pow(2).mean()
        return lm + probe, {"probe": probe.detach()}

    def param_groups(self, model, weight_decay):
        return [{"params": [p for p in model.parameters() if p.requires_grad]},
                {"params": list(self.head.parameters()), "lr_scale": 0.1}]

    def before_step(self, trainer, step):
        self.calls.append(step)


def make(out_dir, **changes):
    register_objective("head_probe", HeadObjective)
    settings = tiny_settings(out_dir, **changes)
    objective = build_objective("head_probe", hidden_size=32, seed=0)
    loader = BlockLoader(token_stream(), settings.block_size, settings.batch_size, 0)
    return Trainer(build_model(tiny_config("llama"), 0), objective, loader, settings)


def test_unknown_objective_names_the_known_ones():
    with pytest.raises(ConfigError, match="unknown objective 'nope'.*causal_lm.*dpo.*sft"):
        build_objective("nope")


def test_head_is_optimised_with_its_lr_logged_and_hooked(tmp_path):
    trainer = make(tmp_path, max_steps=6, log_every=2)
    before = trainer.objective.head.weight.detach().clone()
    trainer.fit()
    assert trainer.objective.calls == list(range(6))
    head_group = trainer.optimizer.param_groups[1]
    assert head_group["lr"] == pytest.approx(0.1 * trainer.optimizer.param_groups[0]["lr"])
    assert not torch.equal(before, trainer.objective.head.weight)
    rows = read_metrics(tmp_path / "metrics.csv")
    assert [r["step"] for r in rows] == ["2", "4", "6"] and all(r["probe"] for r in rows)


def test_head_is_checkpointed_and_restored(tmp_path):
    trainer = make(tmp_path, max_steps=4)
    trainer.fit()
    resumed = make(tmp_path, max_steps=8, resume="latest")
    torch.testing.assert_close(resumed.objective.head.weight, trainer.objective.head.weight)
    assert resumed.step == 4 and VOCAB == 64
