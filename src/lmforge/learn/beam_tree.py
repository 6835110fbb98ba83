"""Lesson 3, the beam search tree: k hypotheses kept at every step, not one.

Beam search extends each of its k beams by every token and keeps the k likeliest
sequences by total log-probability (infer/beam.py). The tree below is recorded from that
very search, through its `on_step` hook, for the request `generate --beams k` builds:

    prompt ── " Paris"  -0.4 ── "."      -1.1   kept
          │                 └── ","      -2.0   pruned (not among the 2k best)
          └── " the"    -2.3 ── " city"  -3.0   kept

Each node: its token, the token's probability, the cumulative log-probability of the path
("cumulative"), and its fate that step: kept (a running beam), finished (it picked a stop
token) or pruned. The winner is the best finished hypothesis, scored
cumulative / length**length_penalty; beside it, greedy decoding's path and its score.

    beam_tree(engine, "The capital of France is", beams=3, max_tokens=8)
      -> {"prompt", "beams", "steps", "done", "nodes": [{"id", "parent", "step", "token",
          "text", "p", "cumulative", "fate", "winner"}], "winner": {...}, "greedy": {...}}

The Learn tab grows the same tree a level per click: `TreeSearch(engine, prompt, k)` then
`.advance(1)` (one step: one forward of the k beams over the cached prefix) or
`.advance(None)` (to the end); "winner" is None until the search is done, and greedy's
path is its own request (`greedy_path`).

Test: `pytest tests/learn/test_beam_tree.py`.
"""

import math

from lmforge.errors import ConfigError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.beam import BeamSearch, Hypothesis, hypothesis_completion
from lmforge.learn.lesson_engine import prompt_ids
from lmforge.viz.tokens import readable_token

MAX_BEAMS = 16
MAX_BEAM_TOKENS = 32


class TreeRecorder:
    """beam_search's on_step hook: every candidate it weighs becomes a node under the node
    of its path minus its last token (each path is one node: beams never share a path)."""

    def __init__(self, tokenizer, prompt: str) -> None:
        self.tokenizer = tokenizer
        self.nodes = [{"id": 0, "parent": None, "step": -1, "token": None, "text": prompt,
                       "p": 1.0, "cumulative": 0.0, "fate": "kept", "winner": True}]
        self._by_path: dict[tuple[int, ...], int] = {(): 0}

    def __call__(self, step: int, candidates: list[tuple[Hypothesis, str]]) -> None:
        for hyp, fate in candidates:
            path, record = tuple(hyp.token_ids), hyp.records[-1]
            self._by_path[path] = len(self.nodes)
            self.nodes.append({
                "id": len(self.nodes), "parent": self._by_path[path[:-1]], "step": step,
                "token": record.token_id, "text": readable_token(self.tokenizer,
                                                                 record.token_id),
                "p": math.exp(record.logprob), "cumulative": hyp.logprob, "fate": fate,
                "winner": False})

    def mark_winner(self, token_ids: list[int]) -> None:
        for end in range(1, len(token_ids) + 1):
            self.nodes[self._by_path[tuple(token_ids[:end])]]["winner"] = True


def check_beams(beams: int) -> int:
    if isinstance(beams, bool) or not isinstance(beams, int) or not 1 <= beams <= MAX_BEAMS:
        raise SamplingError(f"beams={beams!r} is invalid: must be an integer in 1..{MAX_BEAMS}")
    return beams


def beam_tree(engine: Engine, prompt: str, beams: int = 3, max_tokens: int = 8,
              length_penalty: float = 1.0, with_greedy: bool = True) -> dict:
    """Run `generate --beams k`'s search on prompt to its end and return its tree (module
    docstring); with_greedy adds greedy decoding's path for comparison."""
    search = TreeSearch(engine, prompt, beams, max_tokens, length_penalty)
    tree = search.advance(None)
    if with_greedy:
        tree["greedy"] = greedy_path(engine, prompt, max_tokens, length_penalty)
    return tree


class TreeSearch:
    """The beam tree grown one level at a time, as the Learn tab's "next step" asks: each
    `advance(1)` is one step of the real search (infer/beam.py `BeamSearch`: one forward
    of the k beam rows over the cached prefix), `advance(None)` runs it to the end."""

    def __init__(self, engine: Engine, prompt: str, beams: int = 3, max_tokens: int = 8,
                 length_penalty: float = 1.0) -> None:
        check_beams(beams)
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not (
                1 <= max_tokens <= MAX_BEAM_TOKENS):
            raise ConfigError(f"max_tokens={max_tokens!r} is invalid: must be in "
                              f"1..{MAX_BEAM_TOKENS}")
        ids = prompt_ids(engine, prompt)
        params = SamplingParams(max_tokens=max_tokens, n_beams=beams,
                                length_penalty=length_penalty).validate()
        self.seq = engine.requests.build(ids, params)  # the request Engine.generate builds
        self.tokenizer, self.prompt = engine.tokenizer, prompt
        self.search = BeamSearch(engine.model, self.seq.prompt_ids, params,
                                 self.seq.stop_ids, self.seq.max_len)
        self.recorder = TreeRecorder(engine.tokenizer, prompt)

    def advance(self, steps: int | None = 1) -> dict:
        """Take `steps` more steps (None: to the end) and return the tree so far."""
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                                  or steps < 1):
            raise ConfigError(f"steps={steps!r} is invalid: at least 1 (or none: to the end)")
        taken = 0
        while not self.search.done and (steps is None or taken < steps):
            self.recorder(self.search.steps, self.search.step())
            taken += 1
        return self.tree()

    def tree(self) -> dict:
        params = self.seq.params
        tree = {"prompt": self.prompt, "beams": params.n_beams,
                "length_penalty": params.length_penalty, "steps": self.search.steps,
                "done": self.search.done, "nodes": self.recorder.nodes, "winner": None}
        if self.search.done:
            best = hypothesis_completion(self.search.best(), self.seq, self.tokenizer)
            self.recorder.mark_winner(best.token_ids)
            tree["winner"] = _path(best, params.length_penalty)
        return tree


def greedy_path(engine: Engine, prompt: str, max_tokens: int = 8,
                length_penalty: float = 1.0) -> dict:
    """Greedy decoding's path for the prompt, scored as beam search scores its winner."""
    ids = prompt_ids(engine, prompt)
    [greedy] = engine.generate(ids, SamplingParams(max_tokens=max_tokens, temperature=0))
    return _path(greedy, length_penalty)


def _path(completion, length_penalty: float) -> dict:
    """A finished sequence: its tokens, text, cumulative logprob and beam score."""
    n = max(len(completion.token_ids), 1)
    return {"token_ids": completion.token_ids, "text": completion.text,
            "finish_reason": completion.finish_reason,
            "cumulative": completion.cumulative_logprob,
            "score": completion.cumulative_logprob / n ** length_penalty}
