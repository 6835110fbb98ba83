"""2-process gloo runs under torchrun match the 1-process run with the same global batch."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from train_helpers import logged_losses, tiny_trainer

from lmforge.train import checkpoint

WORKER = Path(__file__).with_name("dist_worker.py")
STEPS = 4


def torchrun(out_dir: Path, strategy: str) -> list[list[float]]:
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
           "--standalone", str(WORKER), str(out_dir), strategy, str(STEPS)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out_dir / "losses.json").read_text())


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """The 1-process reference: the same settings dist_worker.py uses."""
    trainer = tiny_trainer(tmp_path_factory.mktemp("single"), max_steps=STEPS,
                           lr_decay_steps=STEPS + 2, grad_accum_steps=2, with_val=True,
                           eval_every=STEPS, eval_batches=2)
    trainer.fit()
    return trainer


@pytest.mark.slow
@pytest.mark.parametrize("strategy", ["ddp", "fsdp"])
def test_two_processes_match_one(tmp_path, single, strategy):
    losses = torchrun(tmp_path, strategy)
    expected = logged_losses(single)
    assert [s for s, _ in losses] == [s for s, _ in expected]
    for (_, got), (_, want) in zip(losses, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-5)
    # the 2-rank checkpoint (gathered in full) resumes on 1 process and continues the curve
    resumed = tiny_trainer(tmp_path, max_steps=STEPS + 2, lr_decay_steps=STEPS + 2,
                           grad_accum_steps=2, resume="latest")
    assert resumed.step == STEPS and checkpoint.latest(tmp_path).name == "step_000004"
    straight = tiny_trainer(tmp_path / "straight", max_steps=STEPS + 2,
                            lr_decay_steps=STEPS + 2, grad_accum_steps=2)
    straight.fit()
    resumed.fit()
    for (_, got), (_, want) in zip(logged_losses(resumed), logged_losses(straight)[STEPS:],
                                   strict=True):
        assert got == pytest.approx(want, abs=1e-5)
