"""The batched sampler: each filter keeps exactly the tokens it should; seeds reproduce."""

import math

import torch

from lmforge.infer.params import SamplingParams
from lmforge.infer.sampler import (
    SamplingTensors,
    apply_min_p,
    apply_repetition_penalty,
    apply_top_p,
    argmax,
    process_logits,
    sample,
)

V = 50


def settings(*params: SamplingParams) -> SamplingTensors:
    return SamplingTensors.from_params(list(params), V, "cpu")


def kept(logits: torch.Tensor) -> list[int]:
    return torch.isfinite(logits[0]).nonzero().flatten().tolist()


def probs_logits(probs: list[float]) -> torch.Tensor:
    return torch.tensor([probs]).log()


def test_top_k_never_emits_outside_the_k_best():
    torch.manual_seed(0)
    logits = torch.randn(1, V)
    best5 = set(logits[0].topk(5).indices.tolist())
    s = settings(SamplingParams(top_k=5, temperature=1.5))
    drawn = {int(sample(logits, s, [torch.Generator().manual_seed(i)]).token_ids)
             for i in range(300)}
    assert drawn <= best5
    assert len(drawn) >= 4  # it does sample, not just argmax


def test_top_p_keeps_exactly_the_smallest_nucleus():
    logits = probs_logits([0.5, 0.3, 0.15, 0.05])
    assert kept(apply_top_p(logits, torch.tensor([0.8]))) == [0, 1]
    assert kept(apply_top_p(logits, torch.tensor([0.81]))) == [0, 1, 2]
    assert kept(apply_top_p(logits, torch.tensor([0.5]))) == [0]
    assert kept(apply_top_p(logits, torch.tensor([0.01]))) == [0]  # top token always kept
    assert kept(apply_top_p(logits, torch.tensor([1.0]))) == [0, 1, 2, 3]
    shuffled = probs_logits([0.15, 0.5, 0.05, 0.3])  # order in the vocab does not matter
    assert kept(apply_top_p(shuffled, torch.tensor([0.8]))) == [1, 3]


def test_top_p_is_per_row():
    logits = torch.cat([probs_logits([0.5, 0.3, 0.15, 0.05])] * 2)
    out = apply_top_p(logits, torch.tensor([0.8, 0.81]))
    assert torch.isfinite(out).sum(-1).tolist() == [2, 3]


def test_min_p_drops_exactly_the_tokens_below_min_p_times_max():
    logits = probs_logits([0.4, 0.3, 0.2, 0.1])
    assert kept(apply_min_p(logits, torch.tensor([0.45]))) == [0, 1, 2]  # threshold 0.18
    assert kept(apply_min_p(logits, torch.tensor([0.55]))) == [0, 1]  # threshold 0.22
    assert kept(apply_min_p(logits, torch.tensor([0.0]))) == [0, 1, 2, 3]
    torch.manual_seed(5)
    random_logits = torch.randn(1, V) * 2
    probs = random_logits.softmax(-1)[0]
    expected = (probs >= 0.1 * probs.max()).nonzero().flatten().tolist()
    assert kept(apply_min_p(random_logits, torch.tensor([0.1]))) == expected
    assert 1 < len(expected) < V


def test_repetition_penalty_follows_the_ctrl_formula():
    logits = torch.tensor([[2.0, -2.0, 3.0, -1.0]])
    seen = torch.tensor([[True, True, False, False]])
    out = apply_repetition_penalty(logits, seen, torch.tensor([2.0]))
    assert out.tolist() == [[1.0, -4.0, 3.0, -1.0]]  # positive / 2, negative * 2, unseen kept


def test_processing_order_temperature_then_filters():
    logits = torch.tensor([[4.0, 2.0, 0.0] + [-1e9] * (V - 3)])
    out = process_logits(logits, settings(SamplingParams(temperature=2.0, top_k=2)))
    assert out[0, :3].tolist() == [2.0, 1.0, float("-inf")]


def test_fixed_seed_reproduces_alone_and_in_any_batch():
    torch.manual_seed(1)
    logits = torch.randn(4, V)
    p = SamplingParams(temperature=1.0, seed=7)

    def draw_tokens(rows: list[int], steps: int = 20) -> list[list[int]]:
        gens = [torch.Generator().manual_seed(7) for _ in rows]
        params = [p] * len(rows)
        out = [sample(logits[rows], settings(*params), gens).token_ids.tolist()
               for _ in range(steps)]
        return [[step[i] for step in out] for i in range(len(rows))]

    alone = draw_tokens([2])[0]
    in_batch = draw_tokens([0, 2, 3])[1]
    assert alone == in_batch
    assert len(set(alone)) > 1  # it is random, yet reproducible


def test_seeded_row_is_unaffected_by_unseeded_neighbours():
    torch.manual_seed(2)
    logits = torch.randn(2, V)
    s = settings(SamplingParams(), SamplingParams())
    a = sample(logits, s, [None, torch.Generator().manual_seed(3)]).token_ids[1]
    torch.manual_seed(99)  # change the global stream the unseeded row draws from
    b = sample(logits, s, [None, torch.Generator().manual_seed(3)]).token_ids[1]
    assert int(a) == int(b)


def test_temperature_zero_is_argmax_whatever_the_seed():
    torch.manual_seed(3)
    logits = torch.randn(3, V)
    s = settings(*[SamplingParams(temperature=0)] * 3)
    for seed in range(5):
        gens = [torch.Generator().manual_seed(seed) for _ in range(3)]
        assert sample(logits, s, gens).token_ids.tolist() == logits.argmax(-1).tolist()


def test_logprobs_are_raw_and_top_n_sorted():
    torch.manual_seed(4)
    logits = torch.randn(2, V)
    s = settings(SamplingParams(temperature=0), SamplingParams(temperature=0.3, top_k=3))
    out = sample(logits, s, [None, torch.Generator().manual_seed(0)], num_top_logprobs=4)
    raw = logits.log_softmax(-1)
    for i in range(2):
        assert math.isclose(float(out.logprobs[i]), float(raw[i, out.token_ids[i]]),
                            abs_tol=1e-6)
        assert out.top_logprobs[i].tolist() == sorted(out.top_logprobs[i].tolist(), reverse=True)
        assert out.top_ids[i].tolist() == raw[i].topk(4).indices.tolist()
    assert int(out.top_ids[0, 0]) == int(out.token_ids[0])  # greedy picks the top token


def test_argmax_takes_the_first_of_equal_maxima_like_torch():
    logits = torch.tensor([[1.0, 3.0, 3.0, -2.0], [0.5, 0.5, 0.5, 0.5], [-1.0, -3.0, -0.5, -0.5]])
    assert argmax(logits).tolist() == [1, 0, 2] == logits.argmax(dim=-1).tolist()
    wide = torch.randn(3, 49152, generator=torch.Generator().manual_seed(0))
    assert torch.equal(argmax(wide), wide.argmax(dim=-1))
    assert argmax(wide.bfloat16()).tolist() == wide.bfloat16().argmax(dim=-1).tolist()
