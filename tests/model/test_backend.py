"""The backend seam (model/backend.py): routes chosen in one place, switches that turn each
fast path off, an explicit `prepare`, and the fast path reached the way the README loads."""

import pytest
import torch
from torch import nn

import lmforge
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.kv_pool import KVPool
from lmforge.model import cpu_kernels
from lmforge.model.backend import backend, prepare
from lmforge.model.config import ModelConfig
from lmforge.model.fused import fuse_projections
from lmforge.model.quant import Int4Linear, quantize_linear, quantize_model
from lmforge.model.transformer import Transformer


def llama(bits: int | None = None) -> Transformer:
    config = ModelConfig(vocab_size=128, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=128)
    torch.manual_seed(0)
    model = Transformer(config).eval()
    if bits:
        quantize_model(model, bits, group_size=32)
    return model


def test_quantized_route_follows_rows_grad_and_switches(monkeypatch):
    layer = quantize_linear(nn.Linear(64, 48), 4, 32)
    assert backend.quantized_route(layer, torch.randn(1, 64)) == "gemv"
    assert backend.quantized_route(layer, torch.randn(backend.gemv_max_rows + 1, 64)) == "gemm"
    assert backend.quantized_route(layer, torch.randn(2, 64, requires_grad=True)) == "reference"
    assert backend.quantized_route(layer, torch.randn(2, 64, dtype=torch.float64)) == "reference"
    monkeypatch.setattr(backend, "own_kernels", False)  # as where the C kernels cannot build
    assert backend.quantized_route(layer, torch.randn(1, 64)) == "packed"
    assert not backend.rms_norm_applies(torch.randn(2, 64), torch.ones(64))
    monkeypatch.setattr(backend, "own_kernels", True)
    monkeypatch.setattr(backend, "int8_activations", False)
    assert backend.int8_activation_rows(layer) == 0


def test_prepare_builds_a_plan_only_for_blocks_that_fit():
    model = llama(bits=4)
    pool = KVPool.for_model(model, num_blocks=4, block_size=8)
    prepare(model, pool)
    assert pool.decode_plan is None  # q/k/v not fused yet
    fuse_projections(model)
    prepare(model, pool)
    assert pool.decode_plan is not None and pool.decode_plan.layers is model.decoder.layers
    prepare(model)  # no pool: nothing to plan, nothing fails


def test_a_module_replaced_after_prepare_is_seen_once_prepared_again(monkeypatch):
    """Nothing watches modules at run time: the plan keeps the old tensors alive (no dangling
    pointers) until `prepare` reads the model again."""
    model = llama(bits=4)
    fuse_projections(model)
    engine = Engine(model, None, max_batch_size=2, block_size=8)
    plan = engine.runner.pool.decode_plan
    old = model.decoder.layers[0].attn.o_proj
    model.decoder.layers[0].attn.o_proj = quantize_linear(nn.Linear(64, 64, bias=False), 4, 32)
    assert any(t is old.qweight for t in plan.keep)  # the replaced codes are still held
    prepare(model, engine.runner.pool)
    assert engine.runner.pool.decode_plan is not plan
    assert not any(t is old.qweight for t in engine.runner.pool.decode_plan.keep)


@pytest.mark.slow
def test_the_readme_python_api_runs_the_fast_path(monkeypatch):
    """`lmforge.load` + `Engine`, as README.md shows: q/k/v fused by the loader, the GGUF's
    Q4_1 blocks as stored, and every decode step in the one-call C step."""
    lm = lmforge.load("smollm2-135m-instruct")
    block = lm.model.decoder.layers[0]
    assert block.attn.qkv_proj is not None and block.mlp.gate_up_proj is not None
    assert isinstance(block.mlp.down_proj, Int4Linear)
    calls, real = [], cpu_kernels.decode_layers
    monkeypatch.setattr(cpu_kernels, "decode_layers", lambda *a: calls.append(1) or real(*a))
    engine = Engine(lm.model, lm.tokenizer)
    prompt = lm.tokenizer.encode_chat([{"role": "user", "content": "What is 2 + 2?"}])
    out = engine.generate([prompt], SamplingParams(max_tokens=6, temperature=0,
                                                   ignore_eos=True))[0]
    assert len(out.token_ids) == 6 and len(calls) == 5  # the first token comes from prefill



@pytest.mark.slow
def test_a_prompt_gets_one_answer_whether_or_not_the_prefix_cache_held_it():
    """A step computing prompt tokens takes the prefill routes however few its rows
    (backend.prompt_step). Without that, the second asking (its prompt's head cached, the
    rest one row on the GEMV with int8 activations) had a first-token distribution 0.2 apart
    from the fresh one, and the bundled Q4_1 model's greedy "The capital of France is
    Paris." turned into "L'Étoile, ..." (the two first tokens are a near tie). Only the
    first token is compared: later tokens are decode steps with int8 activations, where a
    1e-6 difference in the cached prompt's keys can move a rounding step and a near tie."""
    layer = quantize_linear(nn.Linear(64, 48), 4, 32)
    with backend.prompt_step(True):
        assert backend.quantized_route(layer, torch.randn(1, 64)) == "gemm"
    assert backend.quantized_route(layer, torch.randn(1, 64)) == "gemv"
    lm = lmforge.load("smollm2-135m-instruct")
    engine = Engine(lm.model, lm.tokenizer)
    prompt = lm.tokenizer.encode_chat([{"role": "user",
                                        "content": "What is the capital of France?"}])
    params = SamplingParams(temperature=0, max_tokens=1, logprobs=5)
    fresh, cached = (engine.generate([prompt], params)[0] for _ in range(2))
    assert engine.stats()["prefix_cache_hit_tokens"] > 0  # the second asking was cached
    assert cached.token_ids == fresh.token_ids
    # the same routes: the five likeliest first tokens rounding apart (~3e-6 here)
    pairs = zip(fresh.logprobs[0].top, cached.logprobs[0].top, strict=True)
    for (id_f, lp_f), (id_c, lp_c) in pairs:
        assert id_f == id_c and abs(lp_f - lp_c) < 1e-4
