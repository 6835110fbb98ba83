"""Lesson 9: each row's perplexity is what `eval perplexity`'s function gives the model
loaded at that setting; sizes shrink with the bits; fp32 is its own reference."""

import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.eval.perplexity import perplexity
from lmforge.io.registry import load
from lmforge.learn.quantization import HELD_OUT, SETTINGS, quantization_costs


def test_rows_equal_eval_perplexity_at_each_setting(folder):
    table = quantization_costs(str(folder))
    rows = {row["name"]: row for row in table["settings"]}
    assert list(rows) == ["fp32", "bf16", "fp16", "int8", "int4"]  # no GGUF blocks: a folder
    for name, row in rows.items():
        dtype, quantize = SETTINGS[name]
        lm = load(str(folder), dtype, quantize=quantize)
        expected = perplexity(lm.model, lm.tokenizer, HELD_OUT, table["context"],
                              table["context"])
        assert row["perplexity"] == pytest.approx(expected.perplexity, rel=1e-6), name
    assert rows["fp32"]["kl"] == pytest.approx(0, abs=1e-6)
    assert rows["fp32"]["top1_agreement"] == 1
    assert rows["fp32"]["bytes_per_weight"] == pytest.approx(4, rel=0.01)
    assert rows["bf16"]["bytes"] == pytest.approx(rows["fp32"]["bytes"] / 2, rel=0.01)
    assert rows["int4"]["bytes"] < rows["int8"]["bytes"] < rows["bf16"]["bytes"]
    assert 0 < rows["int8"]["kl"] < rows["int4"]["kl"]
    assert all(0.5 < row["top1_agreement"] <= 1 for row in rows.values())


def test_unknown_setting_is_refused(folder):
    with pytest.raises(ConfigError, match="unknown setting 'int3'"):
        quantization_costs(str(folder), settings=["int3"])


@pytest.mark.slow
def test_the_bundled_gguf_adds_its_own_blocks():
    table = quantization_costs("smollm2-135m-instruct", settings=["fp32", "GGUF blocks"])
    fp32, blocks = table["settings"]
    assert blocks["bytes"] < fp32["bytes"] / 4
    assert blocks["perplexity"] == pytest.approx(fp32["perplexity"], rel=0.1)
    assert torch.isfinite(torch.tensor(blocks["kl"])) and blocks["top1_agreement"] > 0.8
