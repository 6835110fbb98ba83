"""LoRA: starts at the base, merge == unmerged, PEFT loads our adapters with the same logits,
wrong targets/bases are clear errors; QLoRA's base is frozen int4 and only adapters train."""

import pytest
import torch
from finetune_helpers import tiny_llama

from lmforge.errors import ConfigError
from lmforge.train import lora
from lmforge.train.lora import LoRASettings, apply_lora, load_adapter, save_adapter

IDS = torch.tensor([[5, 9, 13, 2, 77, 31, 8, 100]])


def with_random_adapters(model, seed: int = 1, **settings):
    apply_lora(model, LoRASettings(**{"rank": 4, "alpha": 8.0, **settings}))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in lora.lora_modules(model).values():  # B starts at 0: make it matter
            m.lora_B.weight.copy_(torch.randn(m.lora_B.weight.shape, generator=g) * 0.1)
    return model


def logits(model, ids=IDS):
    with torch.no_grad():
        return model.logits(model(ids))


def test_lora_starts_at_base_and_only_adapters_train():
    model = tiny_llama(128).eval()
    base = logits(model)
    settings = apply_lora(model, LoRASettings(rank=4, targets="q_proj|v_proj"))
    torch.testing.assert_close(logits(model), base, atol=0, rtol=0)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(".lora_" in n for n in trainable)
    assert len(settings.modules) == 4  # 2 layers x (q, v)
    # parameter arithmetic: r * (in + out) per adapted linear
    t, _ = lora.count_parameters(model)
    assert t == 2 * (4 * (32 + 32) + 4 * (32 + 16))  # q: 32->32, v: 32->16 (2 kv heads)


def test_merge_equals_unmerged_and_unmerge_restores():
    model = with_random_adapters(tiny_llama(128).eval())
    unmerged = logits(model)
    weight = model.decoder.layers[0].attn.q_proj.base.weight.clone()
    lora.merge(model)
    torch.testing.assert_close(logits(model), unmerged, atol=1e-5, rtol=1e-5)
    lora.unmerge(model)
    torch.testing.assert_close(model.decoder.layers[0].attn.q_proj.base.weight, weight,
                               atol=1e-6, rtol=0)
    with lora.adapters_disabled(model):
        disabled = logits(model)
    assert not torch.allclose(disabled, unmerged)


def test_target_pattern_that_matches_nothing():
    with pytest.raises(ConfigError, match="'attn_q' matches no linear module.*q_proj"):
        apply_lora(tiny_llama(128), LoRASettings(targets="attn_q"))


@pytest.mark.parametrize("rslora", [False, True])
def test_peft_loads_our_adapter_with_the_same_logits(tmp_path, rslora):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from lmforge.io.hf_checkpoint import save_hf_folder

    model = tiny_llama(128).eval()
    save_hf_folder(model, tmp_path / "base")
    with_random_adapters(model, rslora=rslora)
    save_adapter(model, tmp_path / "adapter", base_name=str(tmp_path / "base"))
    hf = AutoModelForCausalLM.from_pretrained(tmp_path / "base", torch_dtype=torch.float32)
    peft_model = PeftModel.from_pretrained(hf, tmp_path / "adapter").eval()
    with torch.no_grad():
        theirs = peft_model(IDS).logits
    torch.testing.assert_close(theirs, logits(model), atol=1e-4, rtol=1e-4)


def test_adapter_round_trip_and_wrong_base(tmp_path):
    model = with_random_adapters(tiny_llama(128).eval())
    save_adapter(model, tmp_path / "adapter")
    fresh = tiny_llama(128).eval()
    load_adapter(fresh, tmp_path / "adapter")
    torch.testing.assert_close(logits(fresh), logits(model), atol=1e-6, rtol=1e-6)
    with pytest.raises(ConfigError, match="made for another base.*vocab_size"):
        load_adapter(tiny_llama(256), tmp_path / "adapter")
    with pytest.raises(ConfigError, match="made for another base.*token embeddings differ"):
        load_adapter(tiny_llama(128, seed=7), tmp_path / "adapter")


def test_qlora_base_is_frozen_int4_and_only_adapters_change():
    from lmforge.train.qlora import quantize_base

    model = tiny_llama(128)
    full = logits(model)
    quantize_base(model, lora.DEFAULT_TARGETS, group_size=32)
    q = model.decoder.layers[0].attn.q_proj
    assert q.qweight.dtype == torch.uint8 and q.qweight.shape == (32, 16)  # 2 codes a byte
    assert not list(q.parameters())  # buffers only: frozen by construction
    assert ((q.dequantize() - tiny_llama(128).decoder.layers[0].attn.q_proj.weight).abs()
            <= q.scales.repeat_interleave(32, dim=1) / 2 + 1e-6).all()  # round-to-nearest
    assert (logits(model) - full).abs().mean() < 0.1 * full.abs().mean()
    apply_lora(model, LoRASettings(rank=4))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    loss = model.logits(model(IDS)).logsumexp(-1).mean()
    loss.backward()
    optimizer.step()
    changed = {k for k, v in model.state_dict().items() if not torch.equal(v, before[k])}
    assert changed and all(".lora_" in k for k in changed)
    assert any(".lora_B" in k for k in changed)
