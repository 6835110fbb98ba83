"""Checkpoints: exact resume, crash safety, shape checks, and transformers interop."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from train_helpers import logged_losses, tiny_config, tiny_trainer

from lmforge.errors import ConfigError
from lmforge.train import checkpoint

STEPS = dict(max_steps=6, lr_decay_steps=6)


@pytest.mark.parametrize("family", ["decoder", "encoder"])
def test_resume_is_bitwise_identical(tmp_path, family):
    straight = tiny_trainer(tmp_path / "a", family, **STEPS)
    straight.fit()
    first = tiny_trainer(tmp_path / "b", family, **{**STEPS, "max_steps": 3})
    first.fit()
    resumed = tiny_trainer(tmp_path / "b", family, resume="latest", **STEPS)
    assert resumed.step == 3
    resumed.fit()
    expected = logged_losses(straight)[3:]
    assert logged_losses(resumed) == expected  # exact float equality on CPU
    for a, b in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_checkpoint_layout_latest_and_keep_last(tmp_path):
    trainer = tiny_trainer(tmp_path, max_steps=6, checkpoint_every=2, keep_last=2)
    trainer.fit()
    names = [p.name for p in checkpoint.list_checkpoints(tmp_path)]
    assert names == ["step_000004", "step_000006"]
    assert checkpoint.latest(tmp_path).name == "step_000006"
    files = {p.name for p in checkpoint.latest(tmp_path).iterdir()}
    assert {"config.json", "model.safetensors", "optimizer.pt", "trainer_state.pt",
            "rng.pt", "lmforge_config.json"} <= files
    state = torch.load(checkpoint.latest(tmp_path) / "trainer_state.pt", weights_only=True)
    assert state["step"] == 6 and state["loader"]["step"] == 6


KILLED_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {helpers!r})
    from train_helpers import tiny_trainer
    tiny_trainer({out!r}, max_steps=4, checkpoint_every=2).fit()
""")


def test_killed_writer_leaves_previous_checkpoint_latest(tmp_path):
    script = KILLED_WRITER.format(helpers=str(Path(__file__).parent), out=str(tmp_path))
    env = {**os.environ, checkpoint.CRASH_ENV: "4"}  # SIGKILL halfway through step 4's save
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert result.returncode == -9, result.stderr.decode()[-2000:]
    assert checkpoint.latest(tmp_path).name == "step_000002"
    assert [p.name for p in checkpoint.list_checkpoints(tmp_path)] == ["step_000002"]
    leftovers = [p.name for p in checkpoint.checkpoint_root(tmp_path).iterdir()]
    assert any(n.startswith(".step_000004") for n in leftovers)  # the half-written temp dir
    resumed = tiny_trainer(tmp_path, max_steps=4, checkpoint_every=2, resume="latest")
    assert resumed.step == 2
    resumed.fit()
    assert checkpoint.latest(tmp_path).name == "step_000004"


def test_resume_with_different_shape_names_the_field(tmp_path):
    tiny_trainer(tmp_path, max_steps=2).fit()
    from train_helpers import objective_for, tiny_settings

    from lmforge.train.pretrain import build_model
    from lmforge.train.trainer import Trainer

    wider = build_model(tiny_config("decoder", hidden_size=48, intermediate_size=96), 0)
    first = tiny_trainer(tmp_path / "x", max_steps=1)
    with pytest.raises(ConfigError, match=r"hidden_size: checkpoint 32 vs this run 48"):
        Trainer(wider, objective_for("decoder"), first.train_loader,
                tiny_settings(tmp_path, resume="latest"))


def test_resume_without_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no complete checkpoint"):
        tiny_trainer(tmp_path, resume="latest")


@pytest.mark.parametrize("family", ["decoder", "llama"])
def test_checkpoint_opens_in_transformers_with_same_logits(tmp_path, family):
    from transformers import AutoModelForCausalLM

    trainer = tiny_trainer(tmp_path, family, max_steps=3)
    trainer.fit()
    hf = AutoModelForCausalLM.from_pretrained(checkpoint.latest(tmp_path)).eval()
    ids = torch.randint(3, 40, (2, 12))
    with torch.no_grad():
        ours = trainer.model.eval().logits(trainer.model(ids))
        theirs = hf(ids).logits
    torch.testing.assert_close(ours, theirs, atol=1e-4, rtol=1e-4)
