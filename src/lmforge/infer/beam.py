"""Beam search: keep the n_beams most likely partial sequences instead of one.

Greedy decoding commits to the best next token; a token that looks best now can lead to
unlikely continuations. Beam search keeps `n_beams` hypotheses, extends each by every
token, and keeps the n_beams best by total logprob. The KV cache has one row per beam;
after each step `reorder` copies the rows of the surviving parents (a parent chosen twice
is duplicated).

    step t:   beams [a, b]  --extend by V tokens-->  2V candidates  --top 2n-->  [a.x, a.y]
              cache rows [a, b]  --reorder([0, 0])-->  [a, a]

A hypothesis ends when it picks a stop token (only among the top n_beams candidates, as in
Hugging Face). Finished ones are scored sum logprob / length**length_penalty, length
counting generated tokens including the stop token, and the best is returned. Search ends
when n_beams hypotheses are finished and the best running beam, normalised at its current
length, cannot beat the worst of them (HF's `early_stopping=False` rule), or at max_tokens /
the context end. With n_beams=1 this is exactly greedy decoding.

An optional `on_step(step, candidates)` hook sees every candidate each step weighed, with
its fate: "kept" (a running beam), "finished" (it picked a stop token) or "pruned" (not
among the best); the Learn lesson draws the search tree from it (lmforge/learn/), one
level per click: `BeamSearch` is the search as an object that `step()` advances.

The Engine sends requests with n_beams > 1 here from `generate` (`beam_completion`): beam
search ends with one best hypothesis, so it has no token stream, and `add_request` /
`stream` refuse it.

Test: `pytest tests/infer/test_beam.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from lmforge.errors import SamplingError
from lmforge.infer.outputs import Completion
from lmforge.infer.params import SamplingParams
from lmforge.infer.sequence import Sequence, TokenLogprob, first_stop
from lmforge.model.kv_cache import KVCache
from lmforge.model.transformer import Transformer


@dataclass
class Hypothesis:
    """One beam: generated tokens, their logprob records, and their summed logprob."""

    token_ids: list[int] = field(default_factory=list)
    records: list[TokenLogprob] = field(default_factory=list)
    logprob: float = 0.0
    finish_reason: str | None = None

    def score(self, length_penalty: float) -> float:
        return self.logprob / max(len(self.token_ids), 1) ** length_penalty

    def extend(self, token_id: int, logprob: float, top: list[tuple[int, float]]) -> "Hypothesis":
        return Hypothesis(self.token_ids + [token_id],
                          self.records + [TokenLogprob(token_id, logprob, top)],
                          self.logprob + logprob)


BeamHook = Callable[[int, list[tuple[Hypothesis, str]]], None]
"""on_step(step, [(candidate, fate), ...]), fate "kept", "finished" or "pruned"."""


@torch.inference_mode()
def beam_search(
    model: Transformer,
    prompt_ids: list[int],
    params: SamplingParams,
    stop_ids: frozenset[int],
    max_len: int,
    on_step: BeamHook | None = None,
) -> Hypothesis:
    """Best finished hypothesis for one prompt; max_len bounds prompt + output tokens.
    on_step, when given, is told each step's candidates and their fates."""
    search = BeamSearch(model, prompt_ids, params, stop_ids, max_len)
    while not search.done:
        fates = search.step()
        if on_step is not None:
            on_step(search.steps - 1, fates)
    return search.best()


class BeamSearch:
    """One beam search, a step at a time: `step()` extends the beams by one token (one
    forward of the n beam rows over the cached prefix) and returns that step's candidates
    with their fates; `done` once it has ended, then `best()` is the winner. beam_search
    runs it to the end; the Learn lesson steps it as the learner asks (lmforge/learn/)."""

    @torch.inference_mode()
    def __init__(self, model: Transformer, prompt_ids: list[int], params: SamplingParams,
                 stop_ids: frozenset[int], max_len: int) -> None:
        self.model, self.params, self.stop_ids = model, params, stop_ids
        self.n, self.P = params.n_beams, len(prompt_ids)
        self.budget = max_len - self.P  # new tokens we may generate
        self.cache = KVCache.for_model(model, batch_size=1, capacity=max_len)
        self.device = next(model.parameters()).device
        positions = torch.arange(self.P, device=self.device)[None]  # (1, P)
        hidden = model(torch.tensor([prompt_ids], device=self.device), positions,
                       cache=self.cache.view(positions, span=self.P))
        self.logprobs = model.logits(hidden[:, -1]).float().log_softmax(dim=-1)  # (1, V)
        self.beams, self.finished = [Hypothesis()], []
        self.steps, self.done = 0, self.budget <= 0

    @torch.inference_mode()
    def step(self) -> list[tuple[Hypothesis, str]]:
        step, fates = self.steps, []
        self.beams, parents = _advance(self.beams, self.logprobs, self.n, self.stop_ids,
                                       self.finished, self.params, fates)
        self.steps += 1
        if not self.beams or _is_done(self.beams, self.finished, self.n,
                                      self.params.length_penalty):
            self.done = True
        elif step == self.budget - 1:  # out of room: the running beams end by length
            self.finished += [_ended(b, "length") for b in self.beams]
            self.done = True
        else:
            self.cache.reorder(torch.tensor(parents, device=self.device))
            tokens = torch.tensor([[b.token_ids[-1]] for b in self.beams],
                                  device=self.device)  # (n, 1)
            positions = torch.full_like(tokens, self.P + step)
            hidden = self.model(tokens, positions,
                                cache=self.cache.view(positions, span=self.P + step + 1))
            self.logprobs = self.model.logits(hidden[:, -1]).float().log_softmax(dim=-1)
        return fates

    def best(self) -> Hypothesis:
        return max(self.finished, key=lambda h: h.score(self.params.length_penalty))


def first_step(logprobs: torch.Tensor, params: SamplingParams,
               stop_ids: frozenset[int]) -> list[tuple[Hypothesis, str]]:
    """The first step's candidates and fates from one prompt's (V,) next-token logprobs:
    what the beams hold after one token (the Learn lesson's kept set for beam search)."""
    fates: list[tuple[Hypothesis, str]] = []
    _advance([Hypothesis()], logprobs[None], params.n_beams, stop_ids, [], params, fates)
    return fates


def _advance(beams, logprobs, n, stop_ids, finished, params, fates=None):
    """Extend every beam by every token; keep the n best, moving stopped ones to finished.
    fates, when a list, receives (candidate, fate) for each of the 2n best candidates."""
    V = logprobs.shape[-1]
    scores = torch.tensor([b.logprob for b in beams], device=logprobs.device)
    candidates = (scores[:, None] + logprobs).view(-1)  # (n_beams * V,)
    # 2n candidates guarantee n survivors even if n of them pick a stop token
    top_scores, top_index = candidates.topk(min(2 * n, candidates.numel()))
    n_top = params.logprobs or 0
    alternatives = logprobs.topk(n_top, dim=-1) if n_top else None
    survivors, parents = [], []
    for rank, index in enumerate(top_index.tolist()):
        if len(survivors) == n and fates is None:
            break
        parent, token = divmod(index, V)
        top = _top_list(alternatives, parent) if alternatives is not None else []
        hyp = beams[parent].extend(token, float(logprobs[parent, token]), top)
        if len(survivors) == n:  # the beams are full: the rest only go to the record
            fate = "pruned"
        elif token in stop_ids and rank < n:  # HF: a stop token counts only among the n best
            fate = "finished"
            finished.append(_ended(hyp, "stop"))
        elif token in stop_ids:
            fate = "pruned"
        else:
            fate = "kept"
            survivors.append(hyp)
            parents.append(parent)
        if fates is not None:
            fates.append((hyp, fate))
    return survivors, parents


def _is_done(beams, finished, n, length_penalty) -> bool:
    if len(finished) < n:
        return False
    worst_kept = sorted(h.score(length_penalty) for h in finished)[-n]
    return max(b.score(length_penalty) for b in beams) <= worst_kept


def _ended(hyp: Hypothesis, reason: str) -> Hypothesis:
    hyp.finish_reason = reason
    return hyp


def _top_list(alternatives, row: int) -> list[tuple[int, float]]:
    return list(zip(alternatives.indices[row].tolist(), alternatives.values[row].tolist(),
                    strict=True))


# -- dispatch from the Engine ---------------------------------------------------------------


def uses_beam_search(params: SamplingParams | None) -> bool:
    return params is not None and params.n_beams > 1


def refuse_beam_search(params: SamplingParams, api: str) -> None:
    """Streaming APIs cannot run beam search: it has one best hypothesis at the end."""
    if uses_beam_search(params):
        raise SamplingError(f"n_beams={params.n_beams}: beam search runs through "
                            f"Engine.generate, not {api}")


def beam_completion(model: Transformer, tokenizer, seq: Sequence,
                    on_step: BeamHook | None = None) -> Completion:
    """Beam search for a request the Engine built; the best hypothesis as a Completion."""
    params = seq.params
    best = beam_search(model, seq.prompt_ids, params, seq.stop_ids, seq.max_len, on_step)
    return hypothesis_completion(best, seq, tokenizer)


def hypothesis_completion(best: Hypothesis, seq: Sequence, tokenizer) -> Completion:
    """A finished hypothesis of `seq`'s search as a Completion, its text cut at the first
    stop string like a sampled request's."""
    params = seq.params
    text, reason = "", best.finish_reason or "length"
    if tokenizer is not None:
        stopped = best.finish_reason == "stop"  # the stop token itself never becomes text
        text = tokenizer.decode(best.token_ids[:-1] if stopped else best.token_ids,
                                skip_special=True)
        cut = first_stop(text, params.stop)
        if cut is not None:
            text, reason = text[:cut], "stop"
    logprobs = best.records if params.logprobs is not None else None
    return Completion(seq.request_id, seq.prompt_ids, best.token_ids, text, reason, logprobs,
                      best.logprob)
