"""A decode step's block in one C call (model/fused_decode.py, prepared by model/backend.py)
gives what the Python blocks
give: logits within float rounding and identical greedy tokens, for int4 and int8 weights,
fp32 and fp16 KV caches, mixed batches of sequences joining and leaving; and it stays out of
the way where it does not apply (prefill, training, float weights, attention maps)."""

import pytest
import torch

from lmforge.infer import Engine, SamplingParams
from lmforge.infer.kv_pool import KVPool, PagedView
from lmforge.model import cpu_kernels
from lmforge.model.backend import backend, prepare
from lmforge.model.config import ModelConfig
from lmforge.model.fused import fuse_projections
from lmforge.model.quant import quantize_model
from lmforge.model.transformer import Transformer

GREEDY = SamplingParams(temperature=0, max_tokens=24, ignore_eos=True)


def quantized_llama(bits: int, seed: int = 0) -> Transformer:
    """A 2-layer random Llama-style decoder (RoPE, GQA, SwiGLU), quantized (bits 32: fp32
    weights as they are) and fused."""
    config = ModelConfig(vocab_size=256, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=128,
                         max_position_embeddings=256)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights(std=0.3)
    if bits < 32:
        quantize_model(model.eval(), bits, group_size=32)
    fuse_projections(model.eval())
    return model


def prompts(seed: int = 0) -> list[list[int]]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(4, 256, (n,), generator=g).tolist() for n in (3, 17, 40, 9)]


def run(model, enabled: bool, monkeypatch, kv_dtype=None) -> list[list[int]]:
    monkeypatch.setattr(backend, "fused_decode", enabled)
    engine = Engine(model, None, max_batch_size=3, block_size=8, kv_dtype=kv_dtype)
    return [o.token_ids for o in engine.generate(prompts(), GREEDY)]


@pytest.mark.parametrize("kv_dtype", [None, torch.float16])
@pytest.mark.parametrize("bits", [4, 8, 32])
def test_fused_decode_gives_the_python_blocks_greedy_tokens(bits, kv_dtype, monkeypatch):
    model = quantized_llama(bits)
    calls = []
    real = cpu_kernels.decode_layers
    monkeypatch.setattr(cpu_kernels, "decode_layers",
                        lambda *a: calls.append(1) or real(*a))
    fused = run(model, True, monkeypatch, kv_dtype)
    assert calls, "the fused decode step did not run"
    python = run(model, False, monkeypatch, kv_dtype)
    assert fused == python and all(len(t) == GREEDY.max_tokens for t in fused)


@pytest.mark.parametrize("bits", [4, 32])
@torch.inference_mode()
def test_fused_decode_logits_equal_the_python_blocks(monkeypatch, bits):
    """Four sequences of different lengths, one decode step: the block's output hidden state
    and the logits agree within float32 rounding."""
    model = quantized_llama(bits, seed=1)
    outputs = {}
    for enabled in (True, False):
        monkeypatch.setattr(backend, "fused_decode", enabled)
        engine = Engine(model, None, max_batch_size=4, block_size=8)
        for prompt in prompts(seed=2):
            engine.add_request(prompt, GREEDY)
        engine.step()  # prefill all four prompts (the Python path either way)
        batch = engine.scheduler.schedule()  # then one decode token for each of the four
        outputs[enabled], _ = engine.runner.run(batch)
        assert engine.runner.last_layout == "decode" and len(outputs[enabled]) == 4
    torch.testing.assert_close(outputs[True], outputs[False], rtol=1e-4, atol=1e-4)


@torch.inference_mode()
def test_a_bf16_model_decodes_in_c_as_the_fp32_model_with_its_weights(monkeypatch):
    """--dtype bf16: the C step reads the bf16 weights as they are and computes in fp32, so
    its logits are the fp32 model's with the same (bf16-rounded) weights, up to the bf16 KV
    cache and rotary tables; bf16's Python path rounds every activation and lands further."""
    bf16 = quantized_llama(32, seed=3).to(torch.bfloat16)
    reference = quantized_llama(32, seed=3)
    reference.load_state_dict({k: v.float() for k, v in bf16.state_dict().items()})
    calls, real = [], cpu_kernels.decode_layers
    monkeypatch.setattr(cpu_kernels, "decode_layers",
                        lambda *a: calls.append(1) or real(*a))
    logits = {}
    for name, model, enabled in (("c", bf16, True), ("python", bf16, False),
                                 ("fp32", reference, False)):
        monkeypatch.setattr(backend, "fused_decode", enabled)
        engine = Engine(model, None, max_batch_size=4, block_size=8)
        for prompt in prompts(seed=4):
            engine.add_request(prompt, GREEDY)
        engine.step()  # the prefill (the Python path either way)
        logits[name], _ = engine.runner.run(engine.scheduler.schedule())  # one decode step
    assert calls and engine.runner.last_layout == "decode"
    c_error = (logits["c"].float() - logits["fp32"]).norm() / logits["fp32"].norm()
    python_error = (logits["python"].float() - logits["fp32"]).norm() / logits["fp32"].norm()
    assert c_error < 0.02 and c_error < python_error


def plan_for(model, pool):
    prepare(model, pool)
    return pool.decode_plan


def test_fused_decode_stays_out_where_it_does_not_apply():
    config = ModelConfig(vocab_size=256, hidden_size=64, num_hidden_layers=1,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=128)
    model = Transformer(config).eval()
    pool = KVPool.for_model(model, num_blocks=4, block_size=8)
    assert plan_for(model, pool) is None  # q/k/v not fused
    fuse_projections(model)
    assert plan_for(model, pool) is not None  # fp32 nn.Linear
    model.to(torch.bfloat16)
    plan = plan_for(model, pool)
    assert plan is not None  # bf16 nn.Linear
    weights = plan.weights
    with torch.no_grad():
        model.decoder.layers[0].attn_norm.weight.mul_(2)  # read through an fp32 copy
    x, rope = torch.randn(1, 1, 64, dtype=torch.bfloat16), model.decoder.rotary(
        torch.zeros(1, 1, dtype=torch.long), torch.bfloat16)
    view = PagedView(pool, torch.tensor([0]), torch.tensor([[0]]), None, False, "decode",
                     None, None, torch.tensor([1]))
    plan.run(model.decoder.layers, x, rope, view)
    assert plan.weights is not weights  # the copy was read again
    model.to(torch.float16)
    assert plan_for(model, pool) is None  # fp16 weights
    quantized = quantized_llama(4)
    layers = quantized.decoder.layers
    pool = KVPool.for_model(quantized, num_blocks=4, block_size=8)
    plan = plan_for(quantized, pool)
    assert plan is not None
    x = torch.randn(1, 2, 64, requires_grad=True)
    assert plan.run(layers, x, None, view) is None  # another pool's view: no step
    # a module replaced (e.g. wrapped by an adapter) is seen once the model is prepared again
    layers[1].attn.o_proj = torch.nn.Linear(64, 64, bias=True)  # a bias: not run in C
    assert plan_for(quantized, pool) is None
