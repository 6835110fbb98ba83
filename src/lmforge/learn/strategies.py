"""Lesson 2, decoding strategies side by side: one prompt, one next-token distribution,
and what each strategy keeps of it and writes from it.

    greedy           the most likely token, every time: one answer, no variety
    beam search      keep the k likeliest sequences, not tokens (lesson 3 draws the tree)
    temperature T    logits / T: below 1 sharper (safer), above 1 flatter (more varied)
    top-k            sample among the k most likely tokens only
    top-p            sample among the smallest set holding p of the probability
    min-p            drop tokens below min_p x the top token's probability
    penalties        lower tokens already seen (repetition) or generated (frequency)

For each strategy the kept set and its renormalised probabilities come from the Engine's
own sampler pipeline (`draw_distribution`, infer/sampler.py) on the logits the Engine
computed, all from ONE forward (`kept_sets`: one step, what the tab shows first); the N
continuations come from `Engine.generate` with seeds seed..seed+N-1 (the same seeds for
every strategy, so a difference is the strategy's doing), a separate, slower request
(`strategy_samples`: generation, whose cards the tab fills in when they arrive).

    kept_sets(engine, "今天天气真")
      -> {"prompt", "vocab_size", "strategies": [{"name", "settings", "kept", "kept_count",
          "kept_mass"}, ...]}
    strategy_samples(engine, "今天天气真", samples=3, max_tokens=12)
      -> {"prompt", "strategies": [{"name", "settings", "samples": [{"text", "token_ids"}],
          "distinct"}, ...]}
    compare_strategies(engine, "今天天气真")      # both in one dict, for the CLI

Test: `pytest tests/learn/test_strategies.py`.
"""

import math
from dataclasses import replace

import torch

from lmforge.errors import ConfigError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.beam import first_step
from lmforge.infer.sampler import draw_distribution
from lmforge.learn.beam_tree import beam_tree, check_beams
from lmforge.learn.lesson_engine import check_top, prompt_ids, raw_logits
from lmforge.viz.tokens import readable_token

STRATEGIES = [  # (name, settings): the course's comparison; settings as in `settings_params`
    ("greedy", {"temperature": 0}),
    ("beam search", {"beams": 3}),
    ("temperature 0.7", {"temperature": 0.7}),
    ("temperature 1.5", {"temperature": 1.5}),
    ("top-k 5", {"top_k": 5}),
    ("top-p 0.9", {"top_p": 0.9}),
    ("min-p 0.1", {"min_p": 0.1}),
    ("repetition penalty 1.5", {"repetition_penalty": 1.5}),
]
SETTINGS = ("temperature", "top_k", "top_p", "min_p", "repetition_penalty",
            "frequency_penalty", "presence_penalty", "beams")
MAX_SAMPLES = 8
MAX_NEW_TOKENS = 64
MAX_STRATEGIES = 12


def settings_params(settings: dict, max_tokens: int, seed: int) -> SamplingParams:
    """Checked SamplingParams for one strategy's settings (temperature 1 unless given)."""
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"unknown strategy setting {unknown[0]!r}; the settings are "
                          f"{', '.join(SETTINGS)}")
    beams = check_beams(settings.get("beams", 1))
    sampling = {k: v for k, v in settings.items() if k != "beams"}
    if beams > 1 and sampling:  # beam search keeps whole-sequence scores, nothing is drawn
        raise SamplingError(f"beams={beams} is deterministic beam search, which ignores "
                            f"{', '.join(sorted(sampling))}: give beams alone")
    params = SamplingParams(max_tokens=max_tokens, temperature=sampling.pop("temperature", 1.0),
                            n_beams=beams, seed=seed, **sampling)
    return params.validate()


def compare_strategies(engine: Engine, prompt: str, strategies=STRATEGIES, samples: int = 3,
                       max_tokens: int = 12, seed: int = 0, top: int = 8) -> dict:
    """Each strategy's kept set (its `top` likeliest members) and `samples` continuations:
    `kept_sets` and `strategy_samples` together (the tab asks for them one after the other)."""
    _check_counts(strategies, samples, max_tokens, top)
    shown = kept_sets(engine, prompt, strategies, top)
    runs = strategy_samples(engine, prompt, strategies, samples, max_tokens, seed)
    for strategy, sampled in zip(shown["strategies"], runs["strategies"], strict=True):
        strategy.update(samples=sampled["samples"], distinct=sampled["distinct"])
    return shown


def kept_sets(engine: Engine, prompt: str, strategies=STRATEGIES, top: int = 8) -> dict:
    """One step: one forward (the Engine's next-token logits for the prompt), and every
    strategy's kept set from those logits by the sampler's own pipeline; beam search's
    from its own first step on the same logits."""
    _check_counts(strategies, 1, 1, top)
    ids = prompt_ids(engine, prompt)
    plans = [(name, settings, settings_params(settings, 1, 0))
             for name, settings in strategies]  # every strategy checked before any compute
    logits = raw_logits(engine, ids)
    shown = []
    for name, settings, params in plans:
        kept = (beam_kept_set(engine.tokenizer, logits, params, top) if params.n_beams > 1
                else kept_set(engine.tokenizer, logits, params, ids, top))
        shown.append({"name": name, "settings": settings, **kept})
    return {"prompt": prompt, "vocab_size": logits.numel(), "strategies": shown}


def strategy_samples(engine: Engine, prompt: str, strategies=STRATEGIES, samples: int = 3,
                     max_tokens: int = 12, seed: int = 0) -> dict:
    """`samples` seeded continuations per strategy (seeds seed..seed+samples-1, the same for
    every strategy), in one continuous batch; beam search's one winning hypothesis."""
    _check_counts(strategies, samples, max_tokens, 1)
    ids = prompt_ids(engine, prompt)
    plans = [(name, settings, settings_params(settings, max_tokens, seed))
             for name, settings in strategies]
    texts = _sampled_texts(engine, ids, [p for _, _, p in plans if p.n_beams == 1], samples)
    shown = []
    for name, settings, params in plans:
        runs = _beam_winner(engine, prompt, params) if params.n_beams > 1 else texts.pop(0)
        shown.append({"name": name, "settings": settings, "samples": runs,
                      "distinct": len({r["text"] for r in runs})})
    return {"prompt": prompt, "strategies": shown}


def _check_counts(strategies, samples: int, max_tokens: int, top: int) -> None:
    check_top(top)
    for name, value, limit in (("samples", samples, MAX_SAMPLES),
                               ("max_tokens", max_tokens, MAX_NEW_TOKENS),
                               ("strategies", len(strategies), MAX_STRATEGIES)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ConfigError(f"{name}={value!r} is invalid: must be in 1..{limit}")


def next_token_kept(engine: Engine, prompt: str, settings: dict, top: int = 10) -> dict:
    """One sampling strategy's kept set for the next token after prompt (no samples)."""
    check_top(top)
    params = settings_params(settings, 1, 0)
    if params.n_beams > 1:
        raise SamplingError("beam search keeps sequences, not a set of next tokens: see "
                            "the beam tree lesson")
    ids = prompt_ids(engine, prompt)
    return kept_set(engine.tokenizer, raw_logits(engine, ids), params, ids, top)


def kept_set(tokenizer, logits: torch.Tensor, params: SamplingParams, ids: list[int],
             top: int) -> dict:
    """What the sampler may draw for the first new token, as the sampler computes it:
    {"kept": its `top` likeliest, "kept_count", "kept_mass": the model's mass it holds}."""
    dist = draw_distribution(logits, params, ids, [])  # (V,) renormalised; 0 = dropped
    model = logits.softmax(dim=-1)  # the model's own distribution, for comparison
    kept = (dist > 0).nonzero().flatten()
    kept = kept[dist[kept].argsort(descending=True)]
    return {"kept": [{"id": i, "text": readable_token(tokenizer, i), "p": dist[i].item(),
                      "p_model": model[i].item()} for i in kept[:top].tolist()],
            "kept_count": kept.numel(), "kept_mass": model[kept].sum().item()}


def _sampled_texts(engine: Engine, ids: list[int], params: list[SamplingParams],
                   samples: int) -> list[list[dict]]:
    """`samples` continuations per strategy, seeds seed..seed+samples-1, in one batch."""
    requests = [replace(p, seed=p.seed + i) for p in params for i in range(samples)]
    if not requests:
        return []
    done = engine.generate([ids] * len(requests), requests)
    runs = [{"text": c.text, "token_ids": c.token_ids} for c in done]
    return [runs[i:i + samples] for i in range(0, len(runs), samples)]


def beam_kept_set(tokenizer, logits: torch.Tensor, params: SamplingParams, top: int) -> dict:
    """Beam search draws nothing: its 'kept set' is the tokens its beams hold after the
    first step (infer/beam.py's own step, on the same logits)."""
    stop_ids = frozenset(tokenizer.stop_ids)
    first = [(hyp, fate) for hyp, fate in first_step(logits.log_softmax(dim=-1), params,
                                                       stop_ids) if fate != "pruned"]
    kept = [{"id": hyp.token_ids[0], "text": readable_token(tokenizer, hyp.token_ids[0]),
             "p": None, "p_model": math.exp(hyp.logprob)} for hyp, _ in first]
    return {"kept": kept[:top], "kept_count": len(kept),
            "kept_mass": sum(k["p_model"] for k in kept)}


def _beam_winner(engine: Engine, prompt: str, params: SamplingParams) -> list[dict]:
    """Beam search's one continuation: the winning hypothesis (lesson 3's tree)."""
    tree = beam_tree(engine, prompt, params.n_beams, params.max_tokens, with_greedy=False)
    return [{"text": tree["winner"]["text"], "token_ids": tree["winner"]["token_ids"]}]
