"""Lesson 8's measured step: a real Trainer step per mode, on the model `sft` loads, with
the counts of the computed table; a mode that does not fit says so."""

import pytest

from lmforge.errors import ConfigError
from lmforge.learn import finetune_step
from lmforge.learn.finetune_step import measure_steps
from lmforge.learn.finetuning import finetune_costs


def test_one_step_per_mode_on_the_model_sft_loads(folder, decoder):
    measured = measure_steps(str(folder), rank=4, targets="q_proj|v_proj", qlora_group_size=32,
                             tokens=16, batch=2)
    computed = finetune_costs(decoder.config, 4, "q_proj|v_proj", 32)["modes"]
    assert [m["name"] for m in measured["modes"]] == [m["name"] for m in computed]
    full, lora, qlora = measured["modes"]
    for row, counted in zip(measured["modes"], computed, strict=True):
        assert row["skipped"] is None and row["trainable"] == counted["trainable"]
        assert row["computed_bytes"] == counted["gradient_bytes"] + counted["optimizer_bytes"]
        assert row["wall_s"] > 0 and row["cpu_s"] >= 0 and row["peak_bytes"] >= 0
    # LoRA's B starts at zero: its first step sees the base model's loss exactly
    assert lora["loss"] == pytest.approx(full["loss"], abs=1e-5)
    assert qlora["loss"] != pytest.approx(full["loss"], abs=1e-7)  # the int4 base differs
    assert measured["tokens"] == 16 and measured["batch"] == 2


def test_a_mode_that_does_not_fit_is_skipped_with_its_need(folder, monkeypatch):
    monkeypatch.setattr(finetune_step, "available_bytes", lambda device: 1000)
    measured = measure_steps(str(folder), rank=4, qlora_group_size=32, tokens=8)
    assert all(m["skipped"].startswith("needs about") for m in measured["modes"])
    with pytest.raises(ConfigError, match="tokens=1 is invalid"):
        measure_steps(str(folder), tokens=1)
