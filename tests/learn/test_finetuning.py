"""Lesson 8: the trainable counts are what `sft` trains (its own pipeline, on real weights),
and the memory follows from them."""

import pytest

from lmforge.errors import ConfigError
from lmforge.learn.finetuning import finetune_costs, stored_bytes
from lmforge.train.lora import count_parameters
from lmforge.train.pipeline import load_policy, set_up_training
from lmforge.train.settings import FinetuneSettings

TARGETS = "q_proj|v_proj|down_proj"


def trained_by_sft(folder, **settings) -> tuple[int, int, int]:
    """(trainable, total, stored bytes) of the model `sft` sets up from folder."""
    model, tokenizer = load_policy(str(folder))
    set_up_training("sft", FinetuneSettings(model=str(folder), **settings), model, tokenizer, 0)
    return (*count_parameters(model), stored_bytes(model))


def test_counts_equal_what_sft_sets_up(folder, decoder):
    table = finetune_costs(decoder.config, rank=4, targets=TARGETS, qlora_group_size=32)
    full, lora, qlora = table["modes"]
    trainable, total, stored = trained_by_sft(folder)
    assert (full["trainable"], full["total"]) == (trainable, total) and trainable == total
    assert full["weight_bytes"] == stored
    trainable, total, stored = trained_by_sft(folder, lora_rank=4, lora_targets=TARGETS)
    assert (lora["trainable"], lora["total"], lora["weight_bytes"]) == (trainable, total, stored)
    trainable, total, stored = trained_by_sft(folder, lora_rank=4, lora_targets=TARGETS,
                                              qlora=True, qlora_group_size=32)
    assert (qlora["trainable"], qlora["total"], qlora["weight_bytes"]) == (
        trainable, total, stored)
    assert qlora["trainable"] == lora["trainable"] < full["trainable"]
    assert qlora["weight_bytes"] < lora["weight_bytes"]
    # r * (in + out) per adapted linear: q (32 -> 32), v (32 -> 16), down (64 -> 32), 2 layers
    assert lora["trainable"] == 2 * 4 * ((32 + 32) + (32 + 16) + (64 + 32))
    assert lora["total_bytes"] == lora["weight_bytes"] + 12 * lora["trainable"]
    assert qlora["trainable_share"] == lora["trainable_share"] == lora["trainable"] / (
        full["total"])


def test_bad_rank_and_targets(decoder):
    with pytest.raises(ConfigError, match="rank=0 is invalid"):
        finetune_costs(decoder.config, rank=0)
    with pytest.raises(ConfigError, match="matches no linear module"):
        finetune_costs(decoder.config, targets="nothing_proj")
