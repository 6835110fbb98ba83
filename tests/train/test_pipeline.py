"""The one pipeline's choices: run sections and defaults, the reference (frozen copy in full
training, none under LoRA), LoRA/QLoRA adapters, and the objective built from settings."""

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama

from lmforge.errors import ConfigError
from lmforge.model.quant import QuantizedLinear
from lmforge.train.lora import LoRALinear, count_parameters
from lmforge.train.objectives import RunParts, objective_class
from lmforge.train.objectives.causal_lm import CausalLM
from lmforge.train.objectives.masked_lm import MASK_TOKEN, MaskedLM
from lmforge.train.objectives.seq2seq import Seq2Seq
from lmforge.train.pipeline import (
    check_overrides,
    load_settings,
    objective_for_kind,
    set_up_training,
)
from lmforge.train.settings import FinetuneSettings, RLSettings

IDS = torch.tensor([[5, 17, 42, 99, 3, 250]])


def logits(model) -> torch.Tensor:
    with torch.no_grad():
        return model.logits(model(IDS))


def test_full_dpo_gets_a_frozen_copy_of_the_base():
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    dpo = set_up_training("dpo", FinetuneSettings(objective="dpo", beta=0.2), model, tok, 0)
    assert dpo.reference is not model and dpo.beta == 0.2 and dpo.pad_id == tok.pad_id
    assert not any(p.requires_grad for p in dpo.reference.parameters())
    torch.testing.assert_close(logits(dpo.reference), logits(model), rtol=0, atol=0)
    with torch.no_grad():
        model.lm_head.weight.add_(1.0)  # training moves the policy, never the reference
    assert not torch.equal(logits(dpo.reference), logits(model))
    trainable, total = count_parameters(model)
    assert trainable == total  # full training: every weight of the policy


def test_lora_dpo_uses_the_policy_with_adapters_off():
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    before = logits(model)
    ft = FinetuneSettings(objective="dpo", lora_rank=4, lora_targets="q_proj|v_proj")
    dpo = set_up_training("dpo", ft, model, tok, 0)
    assert dpo.reference is None
    adapted = [n for n, m in model.named_modules() if isinstance(m, LoRALinear)]
    assert len(adapted) == 2 * model.config.num_hidden_layers  # q and v of every block
    torch.testing.assert_close(logits(model), before, rtol=0, atol=0)  # B starts at zero
    trainable, _ = count_parameters(model)
    assert trainable == sum(4 * (m.in_features + m.out_features)
                            for m in model.modules() if isinstance(m, LoRALinear))


def test_qlora_puts_the_adapters_over_int4_linears():
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    ft = FinetuneSettings(lora_rank=4, qlora=True, qlora_group_size=32, lora_targets="o_proj")
    set_up_training("sft", ft, model, tok, 0)
    bases = [m.base for m in model.modules() if isinstance(m, LoRALinear)]
    assert len(bases) == model.config.num_hidden_layers
    assert all(isinstance(b, QuantizedLinear) for b in bases)
    with pytest.raises(ConfigError, match="qlora needs LoRA adapters"):
        FinetuneSettings(qlora=True)


def test_which_objectives_keep_a_reference():
    assert objective_class("dpo").uses_reference(FinetuneSettings())
    assert objective_class("ppo").uses_reference(RLSettings())
    assert objective_class("grpo").uses_reference(RLSettings(beta=0.04))
    assert not objective_class("grpo").uses_reference(RLSettings(beta=0.0))
    assert not objective_class("sft").uses_reference(FinetuneSettings())
    # full GRPO without a KL term: no copy is made
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    tasks = [{"prompt": "1+1?", "answer": "2"}]
    grpo = set_up_training("grpo", RLSettings(lora_rank=0, beta=0.0, group_size=4), model,
                           tok, 3, tasks=tasks, scorer=None)
    assert grpo.reference is None and grpo.group_size == 4 and grpo.seed == 3


def test_sft_from_settings_takes_its_options():
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    ft = FinetuneSettings(sample_prompts=2, sample_tokens=7, format_check="answer_tags")
    prompts = [[1, 2], [3], [4, 5, 6]]
    sft = set_up_training("sft", ft, model, tok, 0, sample_prompts=prompts)
    assert sft.sample_prompts == [[1, 2], [3]] and sft.sample_tokens == 7
    assert sft.sample_check("<answer>4</answer>", 0) is True
    with pytest.raises(ConfigError, match="unknown format_check 'tags'"):
        set_up_training("sft", FinetuneSettings(format_check="tags"), model, tok, 0)
    with pytest.raises(ConfigError, match="unknown objective 'sf'"):
        set_up_training("sf", FinetuneSettings(), model, tok, 0)


def test_the_model_kind_picks_the_pretraining_objective():
    assert objective_for_kind("decoder") is CausalLM
    assert objective_for_kind("encoder") is MaskedLM
    assert objective_for_kind("encoder-decoder") is Seq2Seq
    assert MaskedLM.special_tokens == (MASK_TOKEN,) and len(Seq2Seq.special_tokens) == 100
    model, tok = tiny_llama(chat_tokenizer().vocab_size), chat_tokenizer()
    with pytest.raises(ConfigError, match="masked LM needs a mask token"):
        MaskedLM.from_settings(model.config, RunParts(model, tok))


def test_runs_have_their_sections_and_defaults(tmp_path):
    rl, train = load_settings("ppo", None, {})
    assert isinstance(rl, RLSettings) and train.out_dir == "runs/ppo"
    assert load_settings("grpo", None, {})[1].out_dir == "runs/grpo"
    recipe = tmp_path / "r.yaml"
    recipe.write_text("train:\n  out_dir: runs/mine\n")
    assert load_settings("ppo", recipe, {})[1].out_dir == "runs/mine"  # the file wins
    ft, train = load_settings("finetune", None, {"sample_tokens": "9"})
    assert ft.sample_tokens == 9 and train.sample_tokens == 64  # finetune owns it first
    with pytest.raises(ConfigError, match="--lora_rank: expected an integer"):
        load_settings("finetune", None, {"lora_rank": "four"})
    with pytest.raises(ConfigError, match="--lr: expected a number"):
        check_overrides("pretrain", {"lr": "abc"})
    with pytest.raises(ConfigError, match="unknown setting 'lora_rank'"):
        check_overrides("pretrain", {"lora_rank": "4"})
