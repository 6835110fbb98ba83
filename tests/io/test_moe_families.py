"""Mixtral and Qwen2-MoE checkpoints built by transformers (tiny, random): logits, greedy
continuations through the Engine, both expert layouts on disk, export, and bad input."""

import json

import pytest
import torch
import transformers as tf
from safetensors.torch import load_file, save_file

from lmforge.errors import ConfigError, ModelFileError
from lmforge.infer import Engine, SamplingParams
from lmforge.io.hf_checkpoint import (
    hf_to_lmforge,
    load_hf_folder,
    load_weights,
    save_hf_folder,
)
from lmforge.io.hf_config import config_from_hf
from lmforge.model.fused import fuse_projections
from lmforge.model.moe import MoE
from lmforge.model.transformer import Transformer

TOL = 1e-4
V = 97


def mixtral(**changes):
    cfg = tf.MixtralConfig(vocab_size=V, hidden_size=32, intermediate_size=48,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           num_local_experts=4, num_experts_per_tok=2, eos_token_id=None,
                           bos_token_id=None, tie_word_embeddings=False, **changes)
    return randomize(tf.MixtralForCausalLM(cfg))


def qwen2_moe(**changes):
    cfg = tf.Qwen2MoeConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                            moe_intermediate_size=24, shared_expert_intermediate_size=40,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                            num_experts=6, num_experts_per_tok=2, eos_token_id=None,
                            bos_token_id=None, tie_word_embeddings=False, **changes)
    return randomize(tf.Qwen2MoeForCausalLM(cfg))


FAMILIES = {"mixtral": mixtral, "qwen2_moe": qwen2_moe,
            "qwen2_moe_renormalised": lambda: qwen2_moe(norm_topk_prob=True)}


def randomize(hf_model):
    """Non-trivial norms, biases and routers, so a wrong mapping cannot hide."""
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in hf_model.named_parameters():
            p.normal_(0, 0.2 if p.dim() > 1 else 0.5)
            if name.endswith("norm.weight"):
                p.add_(1.0)
    return hf_model.eval()


def ids(batch=2, length=11, seed=1):
    return torch.randint(0, V, (batch, length), generator=torch.Generator().manual_seed(seed))


def max_diff(model, hf_model, x) -> float:
    with torch.no_grad():
        return (model.logits(model(x)) - hf_model(x).logits).abs().max().item()


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family(request, tmp_path_factory):
    """(HF model, its save_pretrained folder: one tensor per expert, the hub's layout)."""
    hf_model = FAMILIES[request.param]()
    folder = tmp_path_factory.mktemp(request.param)
    hf_model.save_pretrained(folder)
    return hf_model, folder


def test_saved_folder_keeps_one_tensor_per_expert(family):
    _, folder = family
    names = load_file(folder / "model.safetensors")
    assert any(".experts.3." in n for n in names)
    assert not any(n.endswith("gate_up_proj") for n in names)


def test_logits_match_transformers(family):
    hf_model, folder = family
    model = load_hf_folder(folder).eval()
    assert all(isinstance(b.mlp, MoE) for b in model.decoder.layers)
    assert max_diff(model, hf_model, ids()) < TOL


def test_stacked_layout_loads_too(family, tmp_path):
    """transformers 5 holds experts stacked (`experts.gate_up_proj` (n, 2I, C)): its
    in-memory state dict and save_pretrained(save_original_format=False) use that layout."""
    hf_model, _ = family
    hf_model.save_pretrained(tmp_path, save_original_format=False)
    assert "model.layers.0.mlp.experts.gate_up_proj" in load_file(tmp_path / "model.safetensors")
    model = load_hf_folder(tmp_path).eval()
    assert max_diff(model, hf_model, ids(seed=2)) < TOL


def test_greedy_through_the_engine_equals_transformers_generate(family):
    hf_model, folder = family
    model = load_hf_folder(folder).eval()
    fuse_projections(model)  # as lmforge.load does for inference
    prompts = [ids(1, n, seed=10 + n)[0].tolist() for n in (4, 9)]
    params = SamplingParams(temperature=0, max_tokens=12, ignore_eos=True)
    outputs = Engine(model).generate(prompts, params)  # batched prefill and decode
    for prompt, out in zip(prompts, outputs, strict=True):
        with torch.no_grad():
            ref = hf_model.generate(torch.tensor([prompt]), max_new_tokens=12, do_sample=False,
                                    pad_token_id=0)[0, len(prompt):].tolist()
        assert out.token_ids == ref


def test_lmforge_save_opens_in_transformers(family, tmp_path):
    hf_model, folder = family
    save_hf_folder(load_hf_folder(folder), tmp_path)
    hf_config = json.loads((tmp_path / "config.json").read_text())
    assert hf_config["model_type"] == hf_model.config.model_type
    again = type(hf_model).from_pretrained(tmp_path).eval()
    x = ids(seed=3)
    with torch.no_grad():
        assert (again(x).logits - hf_model(x).logits).abs().max().item() < 1e-6


def test_config_mapping():
    mix = config_from_hf(mixtral().config.to_dict())
    assert (mix.num_experts, mix.num_experts_per_tok, mix.moe_intermediate_size) == (4, 2, 48)
    assert mix.norm_topk_prob and mix.shared_expert_intermediate_size == 0
    qwen = config_from_hf(qwen2_moe().config.to_dict())
    assert (qwen.num_experts, qwen.moe_intermediate_size) == (6, 24)
    assert qwen.shared_expert_intermediate_size == 40 and not qwen.norm_topk_prob
    assert qwen.attention_bias and not qwen.attention_out_bias  # Qwen's qkv_bias


# -- bad input -----------------------------------------------------------------------------


def test_dense_layers_between_experts_are_refused():
    hf = qwen2_moe().config.to_dict()
    with pytest.raises(ConfigError, match=r"unsupported expert layout.*mlp_only_layers \[1\]"):
        config_from_hf({**hf, "mlp_only_layers": [1]})
    with pytest.raises(ConfigError, match="decoder_sparse_step 2"):
        config_from_hf({**hf, "decoder_sparse_step": 2})


def test_sliding_window_and_top_k_beyond_experts_are_refused():
    hf = mixtral().config.to_dict()
    with pytest.raises(ConfigError, match="sliding-window attention"):
        config_from_hf({**hf, "sliding_window": 16})
    with pytest.raises(ConfigError, match="num_experts_per_tok 5 must be between 1 and"):
        config_from_hf({**hf, "num_experts_per_tok": 5})


def test_stacked_experts_of_another_shape_are_named():
    state = dict(mixtral().state_dict())
    name = "model.layers.0.mlp.experts.gate_up_proj"
    odd = {**state, name: state[name][:, :-1]}  # (n, 2I - 1, C): no gate and up halves
    with pytest.raises(ModelFileError, match=r"unsupported expert layout.*\(4, 95, 32\)"):
        hf_to_lmforge(odd, "mixtral")
    model = Transformer(config_from_hf(mixtral().config.to_dict()))
    transposed = {**state, name: state[name].transpose(1, 2)}  # (n, C, 2I)
    with pytest.raises(ModelFileError, match="experts.gate_proj: checkpoint shape"):
        load_weights(model, transposed)


def test_missing_expert_is_named(family, tmp_path):
    _, folder = family
    state = load_file(folder / "model.safetensors")
    for key in [k for k in state if ".experts.1." in k and ".layers.1." in k]:
        del state[key]
    save_file(state, tmp_path / "model.safetensors")
    (tmp_path / "config.json").write_text((folder / "config.json").read_text())
    with pytest.raises(ModelFileError, match=r"experts \[0, 2, 3"):
        load_hf_folder(tmp_path)
