"""Trainer options that change how a step is computed, not what it computes."""

import torch
from train_helpers import logged_losses, tiny_trainer


def count_block_calls(trainer) -> list[int]:
    calls = [0]
    block = trainer.model.decoder.layers[0]
    original = block.forward

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    block.forward = counted
    return calls


def test_activation_checkpointing_gives_the_same_losses(tmp_path):
    plain = tiny_trainer(tmp_path / "plain", "llama", max_steps=4)
    plain_calls = count_block_calls(plain)
    plain.fit()
    recomputed = tiny_trainer(tmp_path / "ckpt", "llama", max_steps=4,
                              activation_checkpointing=True)
    recomputed_calls = count_block_calls(recomputed)
    recomputed.fit()
    assert recomputed_calls[0] == 2 * plain_calls[0]  # each block re-runs in backward
    for (_, a), (_, b) in zip(logged_losses(plain), logged_losses(recomputed), strict=True):
        assert abs(a - b) < 1e-5


def test_bf16_autocast_trains_close_to_fp32(tmp_path):
    fp32 = tiny_trainer(tmp_path / "fp32", "llama", max_steps=6)
    fp32.fit()
    bf16 = tiny_trainer(tmp_path / "bf16", "llama", max_steps=6, precision="bf16")
    bf16.fit()
    a, b = logged_losses(fp32), logged_losses(bf16)
    assert all(torch.isfinite(torch.tensor(loss)) for _, loss in b)
    assert b[-1][1] < b[0][1]  # it learns
    assert abs(a[0][1] - b[0][1]) < 0.05  # the same step-0 loss, up to bf16 rounding
    assert all(p.dtype == torch.float32 for p in bf16.model.parameters())  # master weights


def test_auto_precision_follows_the_cpus_bf16_hardware(monkeypatch):
    from lmforge import cpu_features
    from lmforge.train.trainer import resolve_precision

    monkeypatch.setattr(cpu_features, "flags", lambda: {"avx2", "avx512f", "amx_bf16"})
    assert resolve_precision("auto", "cpu") == "bf16"
    monkeypatch.setattr(cpu_features, "flags", lambda: {"avx2", "avx512f", "avx512_vnni"})
    assert resolve_precision("auto", "cpu") == "fp32"  # emulated bf16 is slower than fp32
    assert resolve_precision("bf16", "cpu") == "bf16"  # asked for: kept


def test_auto_precision_trains_in_bf16_where_the_cpu_has_it(tmp_path, monkeypatch):
    from lmforge import cpu_features

    monkeypatch.setattr(cpu_features, "flags", lambda: {"avx512_bf16"})
    auto = tiny_trainer(tmp_path / "auto", "llama", max_steps=6, precision="auto")
    auto.fit()
    bf16 = tiny_trainer(tmp_path / "bf16", "llama", max_steps=6, precision="bf16")
    bf16.fit()
    assert auto.precision == "bf16"
    assert logged_losses(auto) == logged_losses(bf16)  # the same autocast, step for step
