"""Lesson 2: each strategy's kept set is what the sampler draws from, and its samples are
the Engine's seeded generations."""

import pytest
import torch

from lmforge.errors import ConfigError, SamplingError
from lmforge.infer import SamplingParams
from lmforge.infer.sampler import SamplingTensors, apply_top_p, sample
from lmforge.learn import compare_strategies
from lmforge.learn.lesson_engine import raw_logits
from lmforge.learn.strategies import STRATEGIES, kept_sets, strategy_samples

PROMPT = "the cat sat"


def strategy(shown: dict, name: str) -> dict:
    return next(s for s in shown["strategies"] if s["name"] == name)


def prompt_logits(engine, tokenizer):
    ids = tokenizer.encode(PROMPT, add_special=True, parse_special=False)
    return ids, raw_logits(engine, ids)


def test_kept_sets_follow_each_filter(engine, tiny_tokenizer):
    ids, logits = prompt_logits(engine, tiny_tokenizer)
    shown = compare_strategies(engine, PROMPT, [
        ("T=0.5", {"temperature": 0.5}), ("top-k 4", {"top_k": 4}),
        ("top-p 0.5", {"top_p": 0.5}), ("greedy", {"temperature": 0})], samples=2, top=400)
    half = strategy(shown, "T=0.5")
    assert half["kept_count"] == logits.numel()  # temperature drops nothing
    expected = torch.softmax(logits / 0.5, -1)
    assert max(abs(k["p"] - expected[k["id"]].item()) for k in half["kept"]) < 1e-6
    top4 = strategy(shown, "top-k 4")
    assert [k["id"] for k in top4["kept"]] == logits.topk(4).indices.tolist()
    renormalised = torch.softmax(logits.topk(4).values, -1).tolist()
    assert [k["p"] for k in top4["kept"]] == pytest.approx(renormalised, abs=1e-6)
    model = torch.softmax(logits, -1)
    assert top4["kept_mass"] == pytest.approx(model.topk(4).values.sum().item(), abs=1e-6)
    nucleus = apply_top_p(logits[None].clone(), torch.tensor([0.5]))[0]
    assert sorted(k["id"] for k in strategy(shown, "top-p 0.5")["kept"]) == sorted(
        torch.isfinite(nucleus).nonzero().flatten().tolist())
    greedy = strategy(shown, "greedy")
    assert [(k["id"], k["p"]) for k in greedy["kept"]] == [(logits.argmax().item(), 1.0)]
    assert greedy["distinct"] == 1 and len(greedy["samples"]) == 2


def test_repetition_penalty_lowers_the_prompts_tokens(engine, tiny_tokenizer):
    ids, logits = prompt_logits(engine, tiny_tokenizer)
    shown = compare_strategies(engine, PROMPT, [("T=1", {}), ("rep", {"repetition_penalty": 3.0})],
                               samples=1, top=400)
    plain, penalised = (dict((k["id"], k["p"]) for k in strategy(shown, n)["kept"])
                        for n in ("T=1", "rep"))
    seen = set(ids)
    ratio = {i: penalised[i] / plain[i] for i in plain}
    assert max(ratio[i] for i in seen) < min(ratio[i] for i in plain if i not in seen)


def chi_square_p_value(counts: torch.Tensor, probs: torch.Tensor) -> float:
    """P(a chi-square statistic this large | counts drawn from probs), df = k - 1."""
    expected = probs * counts.sum()
    statistic = ((counts - expected) ** 2 / expected).sum()
    df = torch.tensor(float(probs.numel() - 1))
    return torch.special.gammaincc(df / 2, statistic / 2).item()


def sampler_draws(logits, params: SamplingParams, n: int) -> torch.Tensor:
    """n draws by the Engine's sampler (one row each, one seeded generator)."""
    rows = logits[None].expand(n, -1)
    settings = SamplingTensors.from_params([params] * n, logits.numel(), "cpu")
    out = sample(rows, settings, [torch.Generator().manual_seed(7)] * n)
    return torch.bincount(out.token_ids, minlength=logits.numel())


def test_chi_square_of_10000_draws_from_the_displayed_kept_set(engine, tiny_tokenizer):
    _, logits = prompt_logits(engine, tiny_tokenizer)
    settings = {"temperature": 1.3, "top_k": 6, "min_p": 0.01}
    shown = strategy(compare_strategies(engine, PROMPT, [("s", settings)], samples=1, top=400),
                     "s")
    ids = torch.tensor([k["id"] for k in shown["kept"]])
    probs = torch.tensor([k["p"] for k in shown["kept"]], dtype=torch.float64)
    assert shown["kept_count"] == len(ids) >= 3 and abs(probs.sum().item() - 1) < 1e-6
    params = SamplingParams(temperature=1.3, top_k=6, min_p=0.01)
    counts = sampler_draws(logits, params, 10_000).double()
    assert counts[ids].sum() == 10_000  # never a token outside the displayed set
    assert chi_square_p_value(counts[ids], probs) > 0.001
    # the test can fail: the same draws do not fit the untempered distribution
    plain = torch.softmax(logits[ids].double(), -1)
    assert chi_square_p_value(counts[ids], plain) < 1e-6


def test_samples_are_the_engines_seeded_generations(engine, tiny_tokenizer):
    ids, _ = prompt_logits(engine, tiny_tokenizer)
    shown = compare_strategies(engine, PROMPT, [("top-p", {"top_p": 0.9})], samples=3,
                               max_tokens=6, seed=11)
    runs = strategy(shown, "top-p")["samples"]
    for i, run in enumerate(runs):
        [done] = engine.generate(ids, SamplingParams(top_p=0.9, max_tokens=6, seed=11 + i))
        assert run["token_ids"] == done.token_ids and run["text"] == done.text
    assert shown == compare_strategies(engine, PROMPT, [("top-p", {"top_p": 0.9})],
                                       samples=3, max_tokens=6, seed=11)


def test_beam_strategy_keeps_its_first_step_beams(trap_engine):
    shown = compare_strategies(trap_engine, "START", [("beam", {"beams": 2})], max_tokens=4)
    beam = strategy(shown, "beam")
    assert [(k["text"], round(k["p_model"], 4)) for k in beam["kept"]] == [("A", 0.6),
                                                                          ("B", 0.4)]
    assert beam["samples"][0]["text"] == "B C"


@pytest.mark.parametrize("settings, message", [
    ({"top_k": 0}, "top_k=0 is invalid"), ({"top_k": -2}, "top_k=-2 is invalid"),
    ({"top_p": 0}, r"top_p=0 is invalid: must be in \(0, 1\]"),
    ({"top_p": 1.5}, "top_p=1.5 is invalid"), ({"beams": 17}, r"beams=17 is invalid.*1..16"),
    ({"beams": 3, "temperature": 0.7}, "ignores temperature"),
])
def test_bad_settings_name_the_problem(engine, settings, message):
    with pytest.raises(SamplingError, match=message):
        compare_strategies(engine, PROMPT, [("bad", settings)])


def test_unknown_settings_and_counts_are_refused(engine):
    with pytest.raises(ConfigError, match="unknown strategy setting 'top_q'"):
        compare_strategies(engine, PROMPT, [("bad", {"top_q": 0.5})])
    with pytest.raises(ConfigError, match="samples=0 is invalid"):
        compare_strategies(engine, PROMPT, samples=0)


def test_kept_sets_are_one_forward_and_samples_a_separate_request(engine, tiny_tokenizer):
    both = compare_strategies(engine, PROMPT, samples=2, max_tokens=4)
    forwards = []
    hook = engine.model.register_forward_hook(lambda *_: forwards.append(1))
    try:
        kept = kept_sets(engine, PROMPT)
    finally:
        hook.remove()
    assert len(forwards) == 1  # eight strategies, beam search's included, from one forward
    assert [s["name"] for s in kept["strategies"]] == [n for n, _ in STRATEGIES]
    runs = strategy_samples(engine, PROMPT, samples=2, max_tokens=4)
    for merged, alone, sampled in zip(both["strategies"], kept["strategies"],
                                      runs["strategies"], strict=True):
        assert {k: v for k, v in merged.items() if k not in ("samples", "distinct")} == alone
        assert (merged["samples"], merged["distinct"]) == (sampled["samples"],
                                                           sampled["distinct"])
