"""What a training run prints where no one sees a bar (issue 24, item 4): off a terminal,
a line at least every HEARTBEAT_S even between logging steps, no bar printed at the end,
and no matplotlib warning for a run stopped before its first logged step."""

import warnings

from train_helpers import tiny_trainer

from lmforge.train import trainer as trainer_module
from lmforge.train.metrics import plot_losses


def test_off_a_terminal_a_line_comes_between_logging_steps(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(trainer_module, "HEARTBEAT_S", 0.0)  # every step is "30 s later"
    trainer = tiny_trainer(tmp_path, max_steps=4, log_every=100, progress=True)
    trainer.fit()
    err = capsys.readouterr().err
    for step in (1, 2, 3):  # between logs (the only logging step is the last)
        assert f"step {step}/4 | " in err and "s/step | ETA" in err, err
    assert "step 4/4 | loss" in err  # the last step logs as before
    assert "train" not in err and "━" not in err  # no bar: rich prints one on exit


def test_no_line_between_logs_before_heartbeat_s(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(trainer_module, "HEARTBEAT_S", float("inf"))  # never "30 s later"
    trainer = tiny_trainer(tmp_path, max_steps=4, log_every=100, progress=True)
    trainer.fit()
    err = capsys.readouterr().err
    assert "s/step" not in err and "step 4/4 | loss" in err, err


def test_a_plot_with_no_rows_warns_nothing(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_losses([], tmp_path / "loss.png")
    assert (tmp_path / "loss.png").is_file()
