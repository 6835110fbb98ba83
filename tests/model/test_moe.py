"""Mixture of experts: grouped compute = per-token reference, router settings and their
gradients, auxiliary losses (values, objective, a short run), the Engine, bad configs."""

import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.naive import naive_greedy
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig
from lmforge.model.fused import fuse_projections
from lmforge.model.moe import (
    MoE,
    Routing,
    load_balancing_loss,
    load_entropy,
    router_losses,
    router_z_loss,
)
from lmforge.model.transformer import Transformer
from lmforge.train import checkpoint
from lmforge.train.metrics import read_metrics
from lmforge.train.objectives.causal_lm import CausalLM
from lmforge.train.pretrain import pretrain

V = 61
RECIPE = Path(__file__).parents[2] / "recipes" / "moe-tiny.yaml"


def tiny(**changes) -> ModelConfig:
    """Mixtral's layout, or Qwen2-MoE's where there is a shared expert."""
    arch = "qwen2_moe" if changes.get("shared_expert_intermediate_size") else "mixtral"
    values = dict(arch=arch, vocab_size=V, hidden_size=32, num_hidden_layers=2,
                  num_attention_heads=4, intermediate_size=48, max_position_embeddings=64,
                  num_experts=4, num_experts_per_tok=2, tie_word_embeddings=False)
    return ModelConfig(**{**values, **changes})


def model_of(config: ModelConfig, seed: int = 0) -> Transformer:
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights()
    for moe in moes(model):  # routers large enough that top-k choices differ per token
        torch.nn.init.normal_(moe.router.weight, std=0.5)
    return model


def moes(model) -> list[MoE]:
    return [m for m in model.modules() if isinstance(m, MoE)]


def ids(batch=2, length=12, seed=1):
    return torch.randint(0, V, (batch, length), generator=torch.Generator().manual_seed(seed))


# -- the forward ---------------------------------------------------------------------------


def per_token_reference(moe: MoE, x: torch.Tensor) -> torch.Tensor:
    """The textbook loop: for each token, for each of its k experts, weight * expert(x)."""
    weights, experts, _ = moe.router(x)
    ex = moe.experts
    rows = []
    for t in range(len(x)):
        y = torch.zeros_like(x[t])
        for w, e in zip(weights[t], experts[t], strict=True):
            h = ex.act(ex.gate_proj[e] @ x[t]) * (ex.up_proj[e] @ x[t])
            y = y + w * (ex.down_proj[e] @ h)
        rows.append(y)
    y = torch.stack(rows)
    if moe.shared_expert is not None:
        y = y + torch.sigmoid(moe.shared_expert_gate(x)) * moe.shared_expert(x)
    return y


@pytest.mark.parametrize("shared", [0, 40])
def test_grouped_experts_equal_per_token_loop(shared):
    moe = moes(model_of(tiny(shared_expert_intermediate_size=shared)))[0].eval()
    x = torch.randn(2, 9, 32, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        ours = moe(x)
        ref = per_token_reference(moe, x.reshape(-1, 32)).view(2, 9, 32)
    assert (ours - ref).abs().max().item() < 1e-6
    assert len(moe.routing.experts.unique()) == 4  # every expert served some token


def test_softmax_after_top_k_equals_before_renormalised():
    x = torch.randn(20, 32, generator=torch.Generator().manual_seed(3))
    before = moes(model_of(tiny(router_softmax="before", norm_topk_prob=True)))[0]
    after = moes(model_of(tiny(router_softmax="after")))[0]
    w1, e1, _ = before.router(x)
    w2, e2, _ = after.router(x)
    assert torch.equal(e1, e2)
    assert (w1 - w2).abs().max().item() < 1e-6
    kept = moes(model_of(tiny(norm_topk_prob=False)))[0]
    w3, e3, logits = kept.router(x)
    assert torch.allclose(w3, logits.softmax(-1).gather(1, e3))  # the probabilities as they are
    assert w3.sum(-1).max().item() < 1.0


# -- the router learns from the language-model loss --------------------------------------

SETTINGS = [(k, softmax, norm) for k in (1, 2) for softmax in ("before", "after")
            for norm in (True, False)]


def refused(k: int, softmax: str, norm: bool) -> bool:
    return k == 1 and (norm or softmax == "after")


@pytest.mark.parametrize("k,softmax,norm", SETTINGS)
@pytest.mark.parametrize("shared", [0, 40])
def test_router_gets_gradient_from_the_lm_loss_or_the_setting_is_refused(k, softmax, norm,
                                                                          shared):
    changes = dict(num_experts_per_tok=k, router_softmax=softmax, norm_topk_prob=norm,
                   shared_expert_intermediate_size=shared)
    if refused(k, softmax, norm):
        with pytest.raises(ConfigError, match="top-1 routing with renormalised weights"):
            tiny(**changes)
        return
    model = model_of(tiny(**changes))
    x = ids()
    logits = model.logits(model(x[:, :-1]))
    F.cross_entropy(logits.flatten(0, 1), x[:, 1:].flatten()).backward()  # no aux loss
    for moe in moes(model):
        assert moe.router.weight.grad.norm().item() > 1e-4


def test_top_1_renormalised_would_have_no_gradient():
    """The trap the check above refuses: with one expert kept, p / p = 1 for any logits."""
    logits = torch.randn(5, 4, requires_grad=True)
    kept, _ = logits.softmax(-1).topk(1, dim=-1)
    (kept / kept.sum(-1, keepdim=True)).sum().backward()
    assert logits.grad.abs().max().item() < 1e-7


# -- auxiliary losses ----------------------------------------------------------------------


def test_balance_loss_is_one_when_balanced_and_n_when_collapsed():
    n, N = 4, 8
    balanced = Routing(torch.zeros(N, n), torch.arange(N).remainder(n)[:, None])
    assert load_balancing_loss(balanced).item() == pytest.approx(1.0)
    collapsed = Routing(torch.tensor([[30.0, 0, 0, 0]]).repeat(N, 1),
                        torch.zeros(N, 1, dtype=torch.long))
    assert load_balancing_loss(collapsed).item() == pytest.approx(n, rel=1e-6)
    assert router_z_loss(balanced).item() == pytest.approx(math.log(n) ** 2)
    assert load_entropy(torch.full((n,), 1 / n)).item() == pytest.approx(1.0)
    assert load_entropy(torch.tensor([1.0, 0, 0, 0])).item() == pytest.approx(0.0, abs=1e-9)


def test_objective_adds_aux_losses_in_training_and_reports_lm_loss_in_evaluation():
    config = tiny(router_aux_loss_coef=0.1, router_z_loss_coef=0.01)
    model = model_of(config)
    objective = CausalLM()
    x = ids(length=13)
    batch = objective.batch((x[:, :-1], x[:, 1:]))
    loss, metrics = objective.loss(model.train(), batch)
    routers = router_losses(model)
    expected = metrics["lm_loss"] + 0.1 * routers.balance + 0.01 * routers.z
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    assert metrics["aux_loss"].item() == pytest.approx(routers.balance.item())
    loads = [metrics[f"expert_load_{i}"].item() for i in range(4)]
    assert sum(loads) == pytest.approx(1.0) and 0 < metrics["expert_load_entropy"] <= 1
    with torch.no_grad():
        val_loss, val_metrics = objective.loss(model.eval(), batch)
    assert val_loss.item() == pytest.approx(val_metrics["lm_loss"].item())
    assert val_loss.item() == pytest.approx(metrics["lm_loss"].item(), rel=1e-5)


def collapse_routers(model: Transformer) -> None:
    """Every token's residual stream leans on channel 0, and every router scores expert 0
    by it: expert 0 wins for every token (a collapsed start)."""
    with torch.no_grad():
        model.embed.tokens.weight[:, 0] += 1.0
        for moe in moes(model):
            moe.router.weight.zero_()
            moe.router.weight[0, 0] = 0.5


def aux_curve(coef: float, steps: int = 40) -> list[float]:
    config = tiny(router_aux_loss_coef=coef, router_z_loss_coef=0.0)
    model = model_of(config)
    collapse_routers(model)
    objective = CausalLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    text = ids(batch=4, length=33, seed=5)
    batch = objective.batch((text[:, :-1], text[:, 1:]))
    curve = []
    for _ in range(steps):
        loss, metrics = objective.loss(model.train(), batch)
        curve.append(metrics["aux_loss"].item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return curve


def test_aux_loss_falls_from_a_collapsed_start_in_a_short_run():
    with_aux, without = aux_curve(coef=0.1), aux_curve(coef=0.0)
    assert with_aux[0] == pytest.approx(without[0]) and with_aux[0] > 1.5  # collapsed
    assert with_aux[-1] < with_aux[0] - 0.3  # the balancing loss spread the tokens
    assert with_aux[-1] < without[-1] - 0.1  # and it was the balancing loss that did it


# -- inference -----------------------------------------------------------------------------


def test_decode_plan_skips_moe_blocks():
    """The one-call C decode step has no experts: a fused MoE block does not fit it (a
    dense block of the same shape does, where the kernels are built)."""
    moe_model, dense = model_of(tiny()), model_of(tiny(num_experts=0))
    for model in (moe_model, dense):
        fuse_projections(model)
    assert not any(backend.block_fits_decode(b) for b in moe_model.decoder.layers)
    if backend.kernels():
        assert all(backend.block_fits_decode(b) for b in dense.decoder.layers)


def test_engine_greedy_equals_naive():
    model = model_of(tiny(shared_expert_intermediate_size=40)).eval()
    fuse_projections(model)
    prompts = [ids(1, 5, seed=s)[0].tolist() for s in (7, 8, 9)]
    params = SamplingParams(temperature=0, max_tokens=10, ignore_eos=True)
    engine = Engine(model)
    assert engine.runner.pool.decode_plan is None  # prefill and decode on the Python path
    for prompt, c in zip(prompts, engine.generate(prompts, params), strict=True):
        assert c.token_ids == naive_greedy(model, prompt, 10)


# -- bad configs ---------------------------------------------------------------------------


@pytest.mark.parametrize("changes,message", [
    (dict(num_experts_per_tok=5), "num_experts_per_tok 5 must be between 1 and num_experts 4"),
    (dict(num_experts_per_tok=0), "num_experts_per_tok 0"),
    (dict(num_experts=-2), "num_experts must be >= 0"),
    (dict(mlp="gelu", activation="gelu"), "experts are SwiGLU MLPs"),
    (dict(router_softmax="sideways"), "router_softmax must be 'before' or 'after'"),
    (dict(moe_intermediate_size=0), "moe_intermediate_size must be positive"),
    (dict(shared_expert_intermediate_size=-1), "shared_expert_intermediate_size"),
    (dict(kind="encoder", arch="bert"), "mixture-of-experts needs a decoder"),
    (dict(arch="llama"), "num_experts needs arch mixtral or qwen2_moe"),
    (dict(arch="mixtral", shared_expert_intermediate_size=8), "a shared expert needs arch"),
    (dict(arch="gpt2", num_experts=0, qk_norm=True), "qk_norm needs arch llama or"),
])
def test_bad_expert_config_is_named(changes, message):
    with pytest.raises(ConfigError, match=message):
        tiny(**changes)


# -- the recipe through `lmforge pretrain` ---------------------------------------------------


def test_recipe_trains_and_logs_router_metrics(tmp_path):
    """recipes/moe-tiny.yaml, shrunk to seconds: the Trainer logs the objective's router
    metrics, train_loss is lm_loss plus the weighted aux terms, the checkpoint is Mixtral's."""
    text = tmp_path / "abc.txt"
    text.write_text("the cat sat on the mat. a dog ran to the log. " * 100)
    out = tmp_path / "run"
    pretrain(RECIPE, **{"data.source": str(text), "out_dir": str(out), "max_steps": 6,
                        "model.hidden_size": 32, "model.num_hidden_layers": 2,
                        "model.intermediate_size": 32, "batch_size": 4, "block_size": 16,
                        "eval_every": 6, "eval_batches": 2, "log_every": 3,
                        "progress": False, "sample_every": 0, "num_threads": 1})
    rows = read_metrics(out / "metrics.csv")
    last = {k: float(v) for k, v in rows[-1].items() if v != ""}
    assert sum(last[f"expert_load_{i}"] for i in range(4)) == pytest.approx(1.0, abs=1e-5)
    assert 0.5 < last["expert_load_entropy"] <= 1.0 and last["aux_loss"] >= 1.0
    aux_terms = 0.01 * last["aux_loss"] + 0.001 * last["z_loss"]  # the recipe's coefficients
    assert last["train_loss"] - last["lm_loss"] == pytest.approx(aux_terms, rel=1e-3)
    assert last["val_loss"] == pytest.approx(last["val_lm_loss"])  # evaluation: LM loss alone
    assert float(rows[-1]["lm_loss"]) < float(rows[0]["lm_loss"])
    config = json.loads((checkpoint.latest(out) / "config.json").read_text())
    assert config["model_type"] == "mixtral" and config["num_local_experts"] == 4
